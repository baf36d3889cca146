import { z } from "zod";

// What each channel's `connections.credentials_ciphertext` holds once decrypted (JSON). Only
// secrets go here; routing ids and display values live in plain columns/settings.

export const instagramCredentialsSchema = z.object({
  /** Long-lived Instagram user access token (60 days, refreshed by the daily cron). */
  accessToken: z.string().min(1),
});

export const whatsappCredentialsSchema = z.object({
  /** System-user or long-lived access token for the WhatsApp Cloud API. */
  accessToken: z.string().min(1),
});

export const emailCredentialsSchema = z.object({
  smtp: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** true: implicit TLS (465); false: STARTTLS when offered (587/25). */
    secure: z.boolean(),
    user: z.string().min(1),
    password: z.string().min(1),
  }),
});

export type InstagramCredentials = z.infer<typeof instagramCredentialsSchema>;
export type WhatsappCredentials = z.infer<typeof whatsappCredentialsSchema>;
export type EmailCredentials = z.infer<typeof emailCredentialsSchema>;

/** Non-secret per-channel values kept in `connections.settings`. */
export const emailConnectionSettingsSchema = z.object({
  /** The address follow-ups are sent from (and that leads reply to). */
  fromAddress: z.email(),
  fromName: z.string().optional(),
});
export type EmailConnectionSettings = z.infer<typeof emailConnectionSettingsSchema>;
