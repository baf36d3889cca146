import { db } from "../db.server.ts";
import { logger } from "../logger.server.ts";

const noStore = { "Cache-Control": "no-store" };

/** Liveness for load balancers: healthy only when the database answers. */
export async function loader() {
  try {
    await db.asSystem((tx) => tx.$queryRaw`SELECT 1`);
    return Response.json({ ok: true }, { headers: noStore });
  } catch (error) {
    logger.warn("health check failed", { error });
    return Response.json({ ok: false }, { status: 503, headers: noStore });
  }
}
