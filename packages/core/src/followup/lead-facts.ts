// Keys of `lead_facts` the follow-up engine reads and writes (one row per lead + key).
export const LEAD_FACTS = {
  /** What the lead asked to be called; wins over the profile name for the greeting. */
  preferredName: "preferred_name",
  /** IANA zone (e.g. "Europe/Berlin"); quiet hours use it, else the brand's zone. */
  timezone: "timezone",
  /** BCP 47 language the lead writes in (e.g. "es"); replies follow it. */
  language: "language",
} as const;

export type LeadFactKey = (typeof LEAD_FACTS)[keyof typeof LEAD_FACTS];
