import {
  INSTAGRAM_PROFILE_POLICY,
  emailConnectionSettingsSchema,
  emailCredentialsSchema,
  instagramCredentialsSchema,
  whatsappCredentialsSchema,
  type ChannelSender,
  type Embedder,
  type KnowledgeSource,
  type OutboundChannel,
  type RandomSource,
  type TextGenerator,
  type TokenCipher,
  type VoiceSynthesizer,
} from "@audnix/core";
import { createKnowledgeSource, loadConnectionCredentials, type Db } from "@audnix/db";
import {
  createElevenLabsSynthesizer,
  createInstagramSender,
  createOpenAiGenerator,
  createSandboxSender,
  createSmtpSender,
  createWhatsappSender,
  fetchInstagramUserProfile,
  type InstagramUserProfileResult,
} from "@audnix/integrations";
import type { JobsEnv } from "./env.ts";

/** Asks Instagram for the profile of the person behind an IGSID, with one account's token. */
export type InstagramProfileLookup = (igsid: string, options: { timeoutMs: number }) => Promise<InstagramUserProfileResult>;

/** The vendor side of the follow-up engine, built once per process by the composition root. */
export interface FollowUpServices {
  /** The language model, or null: the sandbox composer writes (no OPENAI_API_KEY). */
  generator: TextGenerator | null;
  /** Voice notes, or null when voice is off or unconfigured. */
  synthesizer: VoiceSynthesizer | null;
  voiceId: string | null;
  /** A sender for the user's connected channel, or null when it is not connected (or unreadable). */
  senderFor(connection: { userId: string; channel: OutboundChannel }): Promise<ChannelSender | null>;
  knowledge: KnowledgeSource;
  random: RandomSource;
  /** Public base URL: voice-note media and email unsubscribe links point here. */
  appUrl: string;
  /** Profile lookups with the user's Instagram token, or null when Instagram is not connected (or unreadable). */
  instagramProfileLookup(userId: string): Promise<InstagramProfileLookup | null>;
  /** How long the instagram:profile job's fetch may take, and how long a first reply waits for it. */
  instagramProfileTimeouts: { fetchMs: number; replyDeadlineMs: number };
}

export interface FollowUpServicesConfig {
  db: Db;
  /** Opens stored channel credentials; null without ENCRYPTION_KEY (then only sandbox sends). */
  cipher: TokenCipher | null;
  generator: TextGenerator | null;
  synthesizer: VoiceSynthesizer | null;
  voiceId?: string | null;
  instagramGraphBaseUrl?: string;
  whatsappGraphBaseUrl?: string;
  appUrl: string;
  random?: RandomSource;
  /** Default: the owner's knowledge base (createKnowledgeSource), queries embedded with `embedder` when set. */
  knowledge?: KnowledgeSource;
  /** Embeds search queries for the vector ranking; null/absent: full-text search only. */
  embedder?: Embedder | null;
  /**
   * Refuse SMTP hosts that resolve into private networks, on every send (production: the owner
   * typed the host, and its DNS may point inside our network after it was verified).
   */
  blockPrivateSmtpHosts?: boolean;
  /** How long a vendor send may take before it counts as unconfirmed; default each adapter's own. */
  sendTimeoutMs?: number;
  /** Default INSTAGRAM_PROFILE_POLICY's. */
  instagramProfileTimeouts?: { fetchMs?: number; replyDeadlineMs?: number };
}

export function createFollowUpServices(config: FollowUpServicesConfig): FollowUpServices {
  const sandbox = createSandboxSender();
  const timeout = config.sendTimeoutMs === undefined ? {} : { timeoutMs: config.sendTimeoutMs };
  return {
    generator: config.generator,
    synthesizer: config.synthesizer,
    voiceId: config.voiceId ?? null,
    knowledge: config.knowledge ?? createKnowledgeSource(config.db, { embedder: config.embedder ?? null }),
    random: config.random ?? Math.random,
    appUrl: config.appUrl.replace(/\/+$/, ""),
    instagramProfileTimeouts: {
      fetchMs: config.instagramProfileTimeouts?.fetchMs ?? INSTAGRAM_PROFILE_POLICY.fetchTimeoutMs,
      replyDeadlineMs: config.instagramProfileTimeouts?.replyDeadlineMs ?? INSTAGRAM_PROFILE_POLICY.replyDeadlineMs,
    },
    async instagramProfileLookup(userId) {
      if (!config.cipher) return null;
      const loaded = await loadConnectionCredentials(config.db, { userId, channel: "instagram" }, config.cipher);
      if (!loaded) return null;
      const { accessToken } = instagramCredentialsSchema.parse(loaded.credentials);
      return (igsid, { timeoutMs }) => fetchInstagramUserProfile({ accessToken, baseUrl: config.instagramGraphBaseUrl }, igsid, { timeoutMs });
    },
    async senderFor({ userId, channel }) {
      if (channel === "sandbox") return sandbox;
      if (!config.cipher) return null;
      const loaded = await loadConnectionCredentials(config.db, { userId, channel }, config.cipher);
      if (!loaded) return null;
      switch (channel) {
        case "instagram": {
          const { accessToken } = instagramCredentialsSchema.parse(loaded.credentials);
          return createInstagramSender({ accessToken, baseUrl: config.instagramGraphBaseUrl, ...timeout });
        }
        case "whatsapp": {
          const phoneNumberId = loaded.connection.externalAccountId;
          if (!phoneNumberId) return null;
          const { accessToken } = whatsappCredentialsSchema.parse(loaded.credentials);
          return createWhatsappSender({ accessToken, phoneNumberId, baseUrl: config.whatsappGraphBaseUrl, ...timeout });
        }
        case "email": {
          const { smtp } = emailCredentialsSchema.parse(loaded.credentials);
          const settings = emailConnectionSettingsSchema.parse(loaded.connection.settings);
          return createSmtpSender({
            smtp,
            from: { address: settings.fromAddress, ...(settings.fromName ? { name: settings.fromName } : {}) },
            blockPrivateNetworks: config.blockPrivateSmtpHosts ?? false,
            ...timeout,
          });
        }
      }
    },
  };
}

/** The production wiring: OpenAI when a key is set, else the sandbox composer. */
export function followUpServicesFromEnv(
  env: Pick<
    JobsEnv,
    | "NODE_ENV"
    | "APP_URL"
    | "OPENAI_API_KEY"
    | "OPENAI_BASE_URL"
    | "OPENAI_MODEL"
    | "ENABLE_VOICE"
    | "ELEVENLABS_API_KEY"
    | "ELEVENLABS_BASE_URL"
    | "ELEVENLABS_VOICE_ID"
    | "INSTAGRAM_GRAPH_BASE_URL"
    | "WHATSAPP_GRAPH_BASE_URL"
    | "SEND_TIMEOUT_SECONDS"
    | "INSTAGRAM_PROFILE_DEADLINE_SECONDS"
  >,
  deps: { db: Db; cipher: TokenCipher | null; embedder?: Embedder | null },
): FollowUpServices {
  const generator = env.OPENAI_API_KEY
    ? createOpenAiGenerator({
        apiKey: env.OPENAI_API_KEY,
        model: env.OPENAI_MODEL,
        ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      })
    : null;
  return createFollowUpServices({
    db: deps.db,
    cipher: deps.cipher,
    embedder: deps.embedder ?? null,
    generator,
    // Voice notes need the feature switch, a key and a voice; anything missing means text only.
    synthesizer:
      env.ENABLE_VOICE && env.ELEVENLABS_API_KEY && env.ELEVENLABS_VOICE_ID
        ? createElevenLabsSynthesizer({
            apiKey: env.ELEVENLABS_API_KEY,
            voiceId: env.ELEVENLABS_VOICE_ID,
            ...(env.ELEVENLABS_BASE_URL ? { baseUrl: env.ELEVENLABS_BASE_URL } : {}),
          })
        : null,
    voiceId: env.ELEVENLABS_VOICE_ID ?? null,
    instagramGraphBaseUrl: env.INSTAGRAM_GRAPH_BASE_URL,
    whatsappGraphBaseUrl: env.WHATSAPP_GRAPH_BASE_URL,
    appUrl: env.APP_URL,
    blockPrivateSmtpHosts: env.NODE_ENV === "production",
    ...(env.SEND_TIMEOUT_SECONDS === undefined ? {} : { sendTimeoutMs: env.SEND_TIMEOUT_SECONDS * 1000 }),
    ...(env.INSTAGRAM_PROFILE_DEADLINE_SECONDS === undefined
      ? {}
      : { instagramProfileTimeouts: { replyDeadlineMs: env.INSTAGRAM_PROFILE_DEADLINE_SECONDS * 1000 } }),
  });
}
