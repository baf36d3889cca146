import { storableInstagramProfile, type InstagramProfileFields } from "@audnix/core";
import { z } from "zod";
import { classifyGraphError } from "../meta/graph-error.ts";
import { INSTAGRAM_GRAPH_VERSION } from "./instagram-oauth.ts";

// A lead's profile through the User Profile API (Instagram API with Instagram Login,
// docs/decisions/0023): GET /<IGSID>?fields=name,username with the account's token. Every answer
// maps to a closed outcome; Meta's text is never echoed. Unlike a send, a GET changes nothing at
// Meta, so every timeout or 5xx may simply be tried again.

/** Only what Audnix stores is asked for: no picture URL, follower count or follow state. */
export const INSTAGRAM_USER_PROFILE_FIELDS = "name,username";

// "(#230) User consent is required to access user profile": the person has not messaged the
// account (or clicked an icebreaker) yet.
const NO_CONSENT_CODE = 230;

export type InstagramUserProfileResult =
  | ({ status: "fetched" } & InstagramProfileFields)
  /** Instagram will not give this profile (no consent yet, blocked, unknown): asking again does not help. */
  | { status: "unavailable"; reason: string }
  /** Rate limit, 5xx, no answer in time: another try later may succeed. */
  | { status: "retry"; reason: string; retryAfterSeconds?: number }
  /** The account's token no longer works: the owner must reconnect. */
  | { status: "token_invalid"; reason: string };

export interface InstagramUserProfileOptions {
  /** https://graph.instagram.com (INSTAGRAM_GRAPH_BASE_URL), or the fake's URL. */
  baseUrl?: string;
  apiVersion?: string;
  accessToken: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

const profileAnswerSchema = z.looseObject({
  name: z.string().nullish(),
  username: z.string().nullish(),
});

/** The profile of the person behind `igsid` (from the messaging webhook), within `timeoutMs`. */
export async function fetchInstagramUserProfile(
  options: InstagramUserProfileOptions,
  igsid: string,
  { timeoutMs }: { timeoutMs: number },
): Promise<InstagramUserProfileResult> {
  const baseUrl = (options.baseUrl ?? "https://graph.instagram.com").replace(/\/+$/, "");
  const url = `${baseUrl}/${options.apiVersion ?? INSTAGRAM_GRAPH_VERSION}/${encodeURIComponent(igsid)}?fields=${INSTAGRAM_USER_PROFILE_FIELDS}`;
  let response: Response;
  let answer: unknown;
  try {
    // The token goes in the header, never the URL, so no log line or error can carry it.
    response = await (options.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${options.accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    answer = await response.json().catch(() => undefined);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { status: "retry", reason: timedOut ? "Instagram did not answer in time" : "Instagram could not be reached" };
  }
  if (response.ok) {
    const profile = profileAnswerSchema.safeParse(answer);
    if (!profile.success) return { status: "retry", reason: "Instagram's profile answer had an unexpected shape" };
    return { status: "fetched", ...storableInstagramProfile(profile.data) };
  }
  return profileFailure(response, answer, options.now ?? (() => new Date()));
}

function profileFailure(response: Response, answer: unknown, now: () => Date): InstagramUserProfileResult {
  const code = z.object({ error: z.looseObject({ code: z.number() }) }).safeParse(answer).data?.error.code;
  if (code === NO_CONSENT_CODE) return { status: "unavailable", reason: "the person has not messaged the account yet (no consent)" };
  const outcome = classifyGraphError({ platform: "Instagram", status: response.status, body: answer, retryAfter: response.headers.get("retry-after"), now });
  switch (outcome.status) {
    case "token_invalid":
      return { status: "token_invalid", reason: outcome.reason };
    case "retry":
      return { status: "retry", reason: outcome.reason, ...(outcome.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: outcome.retryAfterSeconds }) };
    case "unconfirmed":
      return { status: "retry", reason: outcome.reason };
    // A refusal (blocked the account, no such person): the same request gets the same answer.
    case "permanent":
    case "window_closed":
      return { status: "unavailable", reason: `Instagram will not share this profile (HTTP ${response.status}${code === undefined ? "" : `, code ${code}`})` };
  }
}
