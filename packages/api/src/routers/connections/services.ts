import type { EmailCredentials, TokenCipher } from "@audnix/core";

export type WhatsappNumberCheck = { ok: true; displayPhoneNumber: string; verifiedName: string } | { ok: false; reason: string };
export type SmtpCheck = { ok: true } | { ok: false; reason: string };

/**
 * What connecting a channel needs from the outside world. The app wires the vendor adapters in
 * (packages/integrations); the api only sees this shape. Failure reasons are shown to the owner as
 * they are, so implementations must keep secrets out of them.
 */
export interface ConnectionServices {
  cipher: TokenCipher;
  /** Reads the business phone number with the token: proves they belong together. */
  verifyWhatsappNumber(input: { phoneNumberId: string; accessToken: string }): Promise<WhatsappNumberCheck>;
  /** A real SMTP handshake and login, sending nothing. */
  verifySmtp(smtp: EmailCredentials["smtp"]): Promise<SmtpCheck>;
  /** A new platform inbound address (core's inboundEmailAddress with this deployment's domain and randomness). */
  inboundEmailAddress(label: string): string;
}
