// The ports the follow-up engine talks through. packages/integrations implements them (one adapter
// per vendor plus its fake); apps/jobs wires them. Core never sees an SDK, a URL or a token.

export type OutboundChannel = "instagram" | "whatsapp" | "email" | "sandbox";

export interface ChatTurn {
  role: "user" | "assistant";
  content: string;
}

export interface ChatPrompt {
  /** Instructions: brand voice, constraints, lead facts, knowledge snippets. */
  system: string;
  /** The conversation, oldest first: the lead is "user", the business is "assistant". */
  turns: ChatTurn[];
}

export interface GenerateOptions {
  /** "classify" asks for a one-word/JSON verdict (opt-out detection); "reply" for a message; "summarize" for the conversation summary. */
  purpose: "reply" | "classify" | "summarize";
  maxOutputTokens: number;
  /**
   * Ask for one JSON object matching this JSON schema (OpenAI structured outputs: response_format
   * json_schema, strict). The answer is that object's JSON text; the caller parses and checks it.
   */
  responseSchema?: { name: string; schema: Record<string, unknown> };
}

/** A language model (OpenAI-compatible) or the sandbox composer. */
export interface TextGenerator {
  /** Throws GenerationError when the model cannot answer (after the SDK's own retries). */
  generate(prompt: ChatPrompt, options: GenerateOptions): Promise<string>;
}

export class GenerationError extends Error {
  override name = "GenerationError";
  /** true: worth another attempt later (429, 5xx, timeout); false: this request will never work. */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

export interface SynthesizedAudio {
  audio: Uint8Array;
  /** WhatsApp voice notes must be "audio/ogg" (opus). */
  contentType: "audio/ogg" | "audio/mpeg";
}

export interface VoiceSynthesizer {
  synthesize(request: { text: string; voiceId?: string }): Promise<SynthesizedAudio>;
}

/** One passage of the brand's knowledge found for a lead's words. */
export interface KnowledgePassage {
  documentId: string;
  /** The document's title, shown to the model beside the source's number. */
  title: string;
  text: string;
  /** The search's relevance (fused rank score): orders passages of one search, means nothing across searches. */
  score: number;
}

/** Brand knowledge retrieval: the owner's best passages for a lead's words, best first (at most `limit`). */
export interface KnowledgeSource {
  findPassages(request: { userId: string; query: string; limit: number }): Promise<KnowledgePassage[]>;
}

export interface OutboundRecipient {
  /** IGSID (Instagram), wa_id / phone (WhatsApp), address (email), sandbox id. */
  externalId: string;
  name?: string | null;
}

export interface OutboundMessage {
  /** Recorded in messages.idempotency_key before the vendor is called. */
  idempotencyKey: string;
  channel: OutboundChannel;
  recipient: OutboundRecipient;
  text: string;
  /** Voice note: the platform fetches the audio from this public URL. */
  voice?: { url: string; contentType: SynthesizedAudio["contentType"] };
  /**
   * Instagram 24 h - 7 d after the lead's last message: the HUMAN_AGENT message tag. Only for a
   * person's reply (channelMode); the AI's messages never carry it.
   */
  messageTag?: "HUMAN_AGENT";
  /** WhatsApp outside the 24 h window: an approved template instead of free text. */
  template?: { name: string; languageCode: string; bodyParameters: string[] };
  /** Email only. */
  email?: {
    subject: string;
    /** Message-ID of the lead's latest email, for In-Reply-To / References threading. */
    inReplyTo?: string;
    references?: string[];
    /** One-click unsubscribe URL: shown in the body and sent as List-Unsubscribe. */
    unsubscribeUrl: string;
  };
}

/** Every send ends in exactly one of these; adapters classify vendor errors, callers act on them. */
export type SendOutcome =
  | { status: "sent"; providerMessageId: string }
  /**
   * An answer proving nothing was delivered (connection refused, DNS failure, connect timeout, a
   * 429/5xx the vendor itself answered, an SMTP 4xx or a failure before DATA): try again later
   * (retryAfterSeconds when the vendor said).
   */
  | { status: "retry"; reason: string; retryAfterSeconds?: number }
  /**
   * The request may have reached the vendor (a timeout or reset after it was sent, an answer that
   * cannot be read): record it as sent but unconfirmed, never send it again on our own.
   */
  | { status: "unconfirmed"; reason: string }
  /** Outside the 24 h window (Instagram, WhatsApp 131047): re-plan on another channel. */
  | { status: "window_closed"; reason: string }
  /** Token expired/revoked (Meta error 190): mark the connection needs_reconnect, stop. */
  | { status: "token_invalid"; reason: string }
  /** Will never succeed (bad recipient, blocked, invalid payload): log on the lead, finish. */
  | { status: "permanent"; reason: string };

export interface ChannelSender {
  readonly channel: OutboundChannel;
  /** Never throws for vendor answers; only programming errors escape. Reasons never contain tokens. */
  send(message: OutboundMessage): Promise<SendOutcome>;
}
