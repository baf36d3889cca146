import { loadMediaAsset } from "@audnix/db";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../db.server.ts";

/**
 * Voice-note audio for WhatsApp (and any platform that fetches attachments by URL) without credentials:
 * the random asset id is the only key. Assets never change, so they cache for good.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const asset = await loadMediaAsset(db, { assetId: params.assetId ?? "" });
  if (!asset) return new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  return new Response(Buffer.from(asset.bytes), {
    headers: {
      "Content-Type": asset.contentType,
      "Content-Length": String(asset.bytes.byteLength),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
