import { capLength } from "../text/cap.ts";
import { storableText } from "../text/storable-text.ts";
import { NAME_READ_CHARS } from "./first-name.ts";

// The lead's Instagram profile (User Profile API, docs/decisions/0023). Instagram's webhook carries
// only the sender's IGSID; the profile gives their name and username once they have messaged the
// account. The name is what the greeting reads (firstNameOf); the username is how the dashboard
// shows a lead without one.

export type LeadProfileStatus = "fetched" | "unavailable" | "failed";

export const INSTAGRAM_PROFILE_POLICY = {
  /**
   * Tries of the background job (the first included) on a rate limit, a 5xx or no answer; after
   * the last the fetch counts as failed. graphile-worker waits about e^attempt seconds between them.
   */
  maxAttempts: 4,
  /** How long one background fetch may take. */
  fetchTimeoutMs: 10_000,
  /**
   * How long the first reply waits for the profile before greeting without a name. A person takes
   * minutes to answer a DM (the human-like delay); a few seconds more never show.
   */
  replyDeadlineMs: 3_000,
} as const;

// Instagram usernames: at most 30 letters, digits, periods and underscores.
const USERNAME_MAX_CHARS = 30;
const USERNAME = /^[A-Za-z0-9._]+$/;

export interface InstagramProfileFields {
  name: string | null;
  /** Without the "@". */
  username: string | null;
}

/**
 * What of a profile's name and username is stored: the name cleaned (storable, capped at what the
 * greeting reads) and null when blank; the username only when it looks like one.
 */
export function storableInstagramProfile(raw: { name?: string | null; username?: string | null }): InstagramProfileFields {
  const name = raw.name ? capLength(storableText(raw.name), NAME_READ_CHARS).trim() : "";
  const username = (raw.username ?? "").trim();
  return {
    name: name === "" ? null : name,
    username: username.length <= USERNAME_MAX_CHARS && USERNAME.test(username) ? username : null,
  };
}

/** How the dashboard names a lead: their name, else "@username", else null (the caller says "Unnamed lead"). */
export function leadDisplayName(lead: { name?: string | null; username?: string | null }): string | null {
  const name = lead.name?.trim();
  if (name) return name;
  return lead.username ? `@${lead.username}` : null;
}

/**
 * Whether the first reply to a lead should try for their profile before it is drafted: an Instagram
 * lead with no name yet, whose profile was never asked for (a failed or unavailable one is not asked
 * again on the reply path; the background job owns retries).
 */
export function profileWantedBeforeReply(input: {
  channel: string;
  name: string | null;
  profileStatus: LeadProfileStatus | null;
  isFirstOutbound: boolean;
}): boolean {
  return input.channel === "instagram" && input.isFirstOutbound && !input.name?.trim() && input.profileStatus === null;
}
