import type { LoaderFunctionArgs } from "@remix-run/node";
import { liveEventStream } from "../live/event-stream.server.ts";
import { liveHub } from "../live/live-updates.server.ts";
import { retryAfterHeaders } from "../rate-limit.server.ts";
import { getUserId } from "../session.server.ts";

/**
 * Open streams per owner and web process. Each holds a connection and a timer; ten tabs is more
 * than a person follows. Past it the new stream is refused rather than an old one closed: a
 * closed tab's EventSource would come back and close another, and the tabs would take turns
 * forever. The refused tab retries on its own (backing off) and gets in once a tab closes.
 */
export const MAX_LIVE_STREAMS_PER_USER = 10;
const RETRY_AFTER_SECONDS = 30;

/** Server-Sent Events: the signed-in owner's new leads and messages, as they are captured. */
export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await getUserId(request);
  // A redirect to the sign-in page would mean nothing to EventSource; a plain 401 stops it.
  if (!userId) return Response.json({ error: "Sign in to receive live updates." }, { status: 401 });
  const hub = liveHub();
  // Counting and subscribing happen with no await in between, so two requests cannot both take the last place.
  if (hub.sizeOf(userId) >= MAX_LIVE_STREAMS_PER_USER) {
    return Response.json(
      { error: `Live updates are open in ${MAX_LIVE_STREAMS_PER_USER} tabs already: close one to follow this one live.` },
      { status: 429, headers: retryAfterHeaders(RETRY_AFTER_SECONDS) },
    );
  }
  return liveEventStream({ userId, hub, signal: request.signal });
}
