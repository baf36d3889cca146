import type { RouterOutputs } from "@audnix/api/client";

type Lead = Pick<RouterOutputs["leads"]["byId"]["lead"], "channel" | "name" | "username" | "profileStatus">;

/**
 * Under the lead page's title: the Instagram lead's @username when the title already shows their
 * name (without a name the title is the @username), and what became of the profile when Instagram
 * did not give it. Nothing for other channels, nor while the profile has not been asked for yet.
 */
export function LeadInstagramProfile({ lead }: { lead: Lead }) {
  if (lead.channel !== "instagram") return null;
  if (lead.username && lead.name?.trim()) {
    return (
      <p className="muted" data-testid="lead-instagram-username">
        <a href={`https://www.instagram.com/${encodeURIComponent(lead.username)}/`} target="_blank" rel="noreferrer noopener">
          @{lead.username}
        </a>{" "}
        on Instagram
      </p>
    );
  }
  if (lead.profileStatus === "unavailable") {
    return (
      <p className="muted" data-testid="lead-instagram-profile-status">
        Instagram did not share this lead&apos;s profile (name and username).
      </p>
    );
  }
  if (lead.profileStatus === "failed") {
    return (
      <p className="muted" data-testid="lead-instagram-profile-status">
        Audnix could not fetch this lead&apos;s Instagram profile (name and username).
      </p>
    );
  }
  return null;
}
