import { fakeSequence } from "../fake-sequence.ts";

// WhatsApp Cloud API webhooks exactly as Meta documents them: entries per business account (WABA),
// one `messages` change per notification, unix-second timestamps as strings. Sign the serialized
// body with signMetaBody (../meta/fake-signature.ts).

export interface WhatsAppMedia {
  id: string;
  mime_type: string;
  sha256: string;
  caption?: string;
  voice?: boolean;
}

export interface WhatsAppInboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: "text" | "audio" | "image" | "reaction";
  text?: { body: string };
  audio?: WhatsAppMedia;
  image?: WhatsAppMedia;
  reaction?: { message_id: string; emoji: string };
}

/** An entry of a failed status's errors[] (see whatsapp-status.fixture.ts for Meta's sample). */
export interface WhatsAppStatusError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href?: string;
}

export interface WhatsAppStatus {
  id: string;
  status: "sent" | "delivered" | "read" | "failed";
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string };
  errors?: WhatsAppStatusError[];
}

export interface WhatsAppChangeValue {
  messaging_product: "whatsapp";
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile: { name: string }; wa_id: string }[];
  messages?: WhatsAppInboundMessage[];
  statuses?: WhatsAppStatus[];
}

export interface WhatsAppChange {
  field: "messages";
  value: WhatsAppChangeValue;
}

export interface WhatsAppEntry {
  id: string;
  changes: WhatsAppChange[];
}

export interface WhatsAppWebhookPayload {
  object: "whatsapp_business_account";
  entry: WhatsAppEntry[];
}

/** A business phone number as the Cloud API identifies it. */
export interface WhatsAppBusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/** The lead: wa_id (their number without "+") and the profile name WhatsApp shares. */
export interface WhatsAppContact {
  waId: string;
  name: string;
}

export interface WhatsAppFakeOptions {
  seed?: string;
  /** Time of the first message; each further one is a second later. */
  startAt?: Date;
  /** The business account (WABA) id used for entries. */
  wabaId?: string;
}

export interface WhatsAppBatchOptions {
  /** Business numbers the entries go to, in turn. */
  numbers: WhatsAppBusinessNumber[];
  entries: number;
}

export interface WhatsAppFake {
  text(number: WhatsAppBusinessNumber, from: WhatsAppContact, body: string): WhatsAppChange;
  /** A voice note (or, with voice false, an audio file). */
  audio(number: WhatsAppBusinessNumber, from: WhatsAppContact, voice?: boolean): WhatsAppChange;
  image(number: WhatsAppBusinessNumber, from: WhatsAppContact, caption?: string): WhatsAppChange;
  reaction(number: WhatsAppBusinessNumber, from: WhatsAppContact, messageId: string, emoji: string): WhatsAppChange;
  /**
   * Delivery progress of a message the business sent to `recipientWaId`; a "failed" one carries
   * `error` (default: 131026, undeliverable) the way Meta sends it.
   */
  status(
    number: WhatsAppBusinessNumber,
    messageId: string,
    recipientWaId: string,
    status: WhatsAppStatus["status"],
    error?: WhatsAppStatusError,
  ): WhatsAppChange;
  entry(changes: WhatsAppChange[]): WhatsAppEntry;
  delivery(entries: WhatsAppEntry[]): WhatsAppWebhookPayload;
  /** `entries` text messages, one per entry, from distinct leads, spread over the numbers. */
  batch(options: WhatsAppBatchOptions): WhatsAppWebhookPayload;
}

// Meta's wording for 131026 (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/).
const UNDELIVERABLE: WhatsAppStatusError = {
  code: 131026,
  title: "Message undeliverable",
  message: "Message undeliverable",
  error_data: { details: "Message Undeliverable." },
};

export function whatsappFake(options: WhatsAppFakeOptions = {}): WhatsAppFake {
  const seed = options.seed ?? "wa";
  const wabaId = options.wabaId ?? "102290129340398";
  const sequence = fakeSequence(seed, options.startAt ?? new Date("2026-01-05T10:00:00.000Z"));
  const seconds = (n: number) => String(Math.floor(sequence.at(n) / 1000));

  const value = (number: WhatsAppBusinessNumber, fields: Partial<WhatsAppChangeValue>): WhatsAppChange => ({
    field: "messages",
    value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
      ...fields,
    },
  });
  // Every message takes the next number of the sequence: its wamid and timestamp derive from it.
  const inbound = (
    number: WhatsAppBusinessNumber,
    from: WhatsAppContact,
    content: (n: number) => Omit<WhatsAppInboundMessage, "from" | "id" | "timestamp">,
  ) => {
    const n = sequence.next();
    const message: WhatsAppInboundMessage = { from: from.waId, id: sequence.id("wamid.", n), timestamp: seconds(n), ...content(n) };
    return value(number, { contacts: [{ profile: { name: from.name }, wa_id: from.waId }], messages: [message] });
  };
  const media = (n: number, mimeType: string, extra: Partial<WhatsAppMedia>): WhatsAppMedia => ({
    id: String(1_000_000_000_000_000 + n),
    mime_type: mimeType,
    sha256: sequence.id("", n),
    ...extra,
  });

  const fake: WhatsAppFake = {
    text: (number, from, body) => inbound(number, from, () => ({ type: "text", text: { body } })),
    audio: (number, from, voice = true) =>
      inbound(number, from, (n) => ({ type: "audio", audio: media(n, "audio/ogg; codecs=opus", { voice }) })),
    image: (number, from, caption) =>
      inbound(number, from, (n) => ({ type: "image", image: media(n, "image/jpeg", caption === undefined ? {} : { caption }) })),
    reaction: (number, from, messageId, emoji) =>
      inbound(number, from, () => ({ type: "reaction", reaction: { message_id: messageId, emoji } })),
    status: (number, messageId, recipientWaId, status, error = UNDELIVERABLE) => {
      const n = sequence.next();
      const update: WhatsAppStatus = { id: messageId, status, timestamp: seconds(n), recipient_id: recipientWaId };
      // Billing details ride on "sent" and "delivered"; "read" carries none, "failed" its errors.
      if (status === "sent" || status === "delivered") {
        update.conversation = { id: sequence.id("conv-", n), origin: { type: "service" } };
        update.pricing = { billable: true, pricing_model: "PMP", category: "service" };
      }
      if (status === "failed") update.errors = [error];
      return value(number, { statuses: [update] });
    },
    entry: (changes) => ({ id: wabaId, changes }),
    delivery: (entries) => ({ object: "whatsapp_business_account", entry: entries }),
    batch: ({ numbers, entries }) => {
      if (numbers.length === 0) throw new Error("a WhatsApp batch needs at least one business number");
      return fake.delivery(
        Array.from({ length: entries }, (_, index) => {
          const number = numbers[index % numbers.length] as WhatsAppBusinessNumber;
          const from = { waId: String(15_550_000_000 + index + 1), name: `Lead ${index + 1}` };
          return fake.entry([fake.text(number, from, `Hi, message ${index + 1}`)]);
        }),
      );
    },
  };
  return fake;
}
