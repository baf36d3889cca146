import { fakeSequence } from "../fake-sequence.ts";

// Instagram messaging webhooks exactly as Meta documents them (Instagram API with Instagram Login):
// one entry per business account, `messaging` items with ms timestamps. Sign the serialized body
// with signMetaBody (../meta/fake-signature.ts).

export interface InstagramAttachmentPayload {
  type: string;
  payload: { url: string };
}

export interface InstagramMessage {
  mid: string;
  text?: string;
  attachments?: InstagramAttachmentPayload[];
  is_echo?: true;
  reply_to?: { story: { url: string; id: string } };
}

export interface InstagramMessagingItem {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: InstagramMessage;
  read?: { mid: string };
  reaction?: { mid: string; action: "react" | "unreact"; reaction?: string; emoji?: string };
}

export interface InstagramEntry {
  id: string;
  time: number;
  messaging: InstagramMessagingItem[];
}

export interface InstagramWebhookPayload {
  object: "instagram";
  entry: InstagramEntry[];
}

/** A conversation between a business account (IG account id) and a lead (Instagram-scoped id). */
export interface InstagramParties {
  business: string;
  lead: string;
}

export interface InstagramFakeOptions {
  seed?: string;
  /** Time of the first item; each further item is one second later. */
  startAt?: Date;
}

export interface InstagramBatchOptions {
  /** Business accounts the entries go to, in turn. */
  businesses: string[];
  entries: number;
}

export interface InstagramFake {
  text(parties: InstagramParties, text: string): InstagramMessagingItem;
  attachment(parties: InstagramParties, type: string, url: string, text?: string): InstagramMessagingItem;
  storyReply(parties: InstagramParties, text: string, story?: { id: string; url: string }): InstagramMessagingItem;
  /** The business's own message to the lead (sent by us or from the Instagram app). */
  echo(parties: InstagramParties, text: string): InstagramMessagingItem;
  /** The lead read the business's message `mid`. */
  read(parties: InstagramParties, mid: string): InstagramMessagingItem;
  reaction(parties: InstagramParties, mid: string, emoji: string | null): InstagramMessagingItem;
  entry(business: string, items: InstagramMessagingItem[]): InstagramEntry;
  delivery(entries: InstagramEntry[]): InstagramWebhookPayload;
  /** `entries` text messages, one per entry, from distinct leads, spread over the businesses. */
  batch(options: InstagramBatchOptions): InstagramWebhookPayload;
}

// Meta names the standard reactions; any other emoji is "other".
const REACTION_NAMES: Record<string, string> = { "❤️": "love", "😆": "laugh", "😮": "wow", "😢": "sad", "😠": "angry", "👍": "like" };

export function instagramFake(options: InstagramFakeOptions = {}): InstagramFake {
  const seed = options.seed ?? "ig";
  const sequence = fakeSequence(seed, options.startAt ?? new Date("2026-01-05T10:00:00.000Z"));

  // Every item takes the next number of the sequence: its mid and its timestamp derive from it.
  const item = (sender: string, recipient: string, content: (n: number) => Partial<InstagramMessagingItem>) => {
    const n = sequence.next();
    return { sender: { id: sender }, recipient: { id: recipient }, timestamp: sequence.at(n), ...content(n) };
  };
  const leadMessage = (parties: InstagramParties, fields: Omit<InstagramMessage, "mid">) =>
    item(parties.lead, parties.business, (n) => ({ message: { mid: sequence.id("aWdf", n), ...fields } }));

  const fake: InstagramFake = {
    text: (parties, text) => leadMessage(parties, { text }),
    attachment: (parties, type, url, text) => leadMessage(parties, { ...(text ? { text } : {}), attachments: [{ type, payload: { url } }] }),
    storyReply: (parties, text, story = { id: "18000000000000001", url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1" }) =>
      leadMessage(parties, { text, reply_to: { story } }),
    echo: (parties, text) =>
      item(parties.business, parties.lead, (n) => ({ message: { mid: sequence.id("aWdf", n), text, is_echo: true } })),
    read: (parties, mid) => item(parties.lead, parties.business, () => ({ read: { mid } })),
    reaction: (parties, mid, emoji) =>
      item(parties.lead, parties.business, () => ({
        reaction: emoji ? { mid, action: "react", reaction: REACTION_NAMES[emoji] ?? "other", emoji } : { mid, action: "unreact" },
      })),
    entry: (business, items) => ({
      id: business,
      // Meta stamps the entry when it sends the notification, just after its last item.
      time: Math.max(0, ...items.map((messaging) => messaging.timestamp)) + 250,
      messaging: items,
    }),
    delivery: (entries) => ({ object: "instagram", entry: entries }),
    batch: ({ businesses, entries }) => {
      if (businesses.length === 0) throw new Error("an Instagram batch needs at least one business account");
      return fake.delivery(
        Array.from({ length: entries }, (_, index) => {
          const business = businesses[index % businesses.length] as string;
          return fake.entry(business, [fake.text({ business, lead: `${seed}-lead-${index + 1}` }, `Hi, message ${index + 1}`)]);
        }),
      );
    },
  };
  return fake;
}
