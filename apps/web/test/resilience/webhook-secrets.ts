import { createHash } from "node:crypto";
import { recordTestSecret } from "@audnix/integrations/testing";

/** The secrets the server under test verifies webhooks with; the fuzzer signs with the same ones. */
export interface WebhookSecrets {
  instagram: string;
  whatsapp: string;
  mailgun: string;
  stripe: string;
  lemonSqueezy: string;
  /** Meta's subscription handshake token (GET), one for both Meta channels. */
  metaVerifyToken: string;
}

/**
 * Derived from the run's seed, so the same seed signs the same bytes the same way; recorded for the
 * run's secret audit, which fails the run if any of them shows up in a log.
 */
export function webhookSecrets(seed: number): WebhookSecrets {
  const derive = (name: string) => createHash("sha256").update(`audnix-resilience:${seed}:${name}`).digest("hex");
  const secrets: WebhookSecrets = {
    instagram: derive("instagram"),
    whatsapp: derive("whatsapp"),
    mailgun: derive("mailgun"),
    stripe: `whsec_${derive("stripe")}`,
    lemonSqueezy: derive("lemonsqueezy"),
    metaVerifyToken: derive("meta-verify-token"),
  };
  recordTestSecret(...Object.values(secrets));
  return secrets;
}

/** The web server's environment for these secrets: every webhook route configured. */
export function webhookSecretEnv(secrets: WebhookSecrets): Record<string, string> {
  return {
    INSTAGRAM_APP_SECRET: secrets.instagram,
    INSTAGRAM_WEBHOOK_VERIFY_TOKEN: secrets.metaVerifyToken,
    WHATSAPP_APP_SECRET: secrets.whatsapp,
    WHATSAPP_WEBHOOK_VERIFY_TOKEN: secrets.metaVerifyToken,
    MAILGUN_WEBHOOK_SIGNING_KEY: secrets.mailgun,
    STRIPE_WEBHOOK_SECRET: secrets.stripe,
    LEMONSQUEEZY_WEBHOOK_SECRET: secrets.lemonSqueezy,
  };
}
