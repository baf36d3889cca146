import type { LoaderFunctionArgs } from "@remix-run/node";
import { liveEventStream } from "../live/event-stream.server.ts";
import { liveHub } from "../live/live-updates.server.ts";
import { getUserId } from "../session.server.ts";

/** Server-Sent Events: the signed-in owner's new leads and messages, as they are captured. */
export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await getUserId(request);
  // A redirect to the sign-in page would mean nothing to EventSource; a plain 401 stops it.
  if (!userId) return Response.json({ error: "Sign in to receive live updates." }, { status: 401 });
  return liveEventStream({ userId, hub: liveHub(), signal: request.signal });
}
