import { parseInstagramDelivery, parseWhatsAppDelivery } from "@audnix/core";
import { captureDelivery, captureMailgunDelivery, recordPaymentEvent, recordRefusedPaymentEvent, usedMailgunToken } from "@audnix/db";
import { verifyStripeWebhook } from "@audnix/integrations";
import { db } from "../db.server.ts";
import { getEnv } from "../env.server.ts";
import { logger } from "../logger.server.ts";
import type { CaptureDelivery } from "./acknowledge-delivery.server.ts";
import type { EmailWebhookDeps } from "./email-webhook.server.ts";
import { createMailgunFormPool, MAILGUN_FORM_POOL_DEFAULTS } from "./mailgun-form-pool.server.ts";
import type { MetaWebhookDeps } from "./meta-webhook.server.ts";
import { UnfinishedTokens } from "./unfinished-tokens.server.ts";
import type { PaymentWebhookDeps } from "./payment-webhook.server.ts";

// Wiring only: the pipelines take their secrets, parser and database as arguments so the
// integration tests can run them against a test database with their own secrets.

const capture: CaptureDelivery = (input) => captureDelivery(db, input);
const now = () => new Date();

// What differs between the two Meta channels: their settings and their payload parser.
const metaChannels = {
  instagram: { secret: "INSTAGRAM_APP_SECRET", verifyToken: "INSTAGRAM_WEBHOOK_VERIFY_TOKEN", parse: parseInstagramDelivery },
  whatsapp: { secret: "WHATSAPP_APP_SECRET", verifyToken: "WHATSAPP_WEBHOOK_VERIFY_TOKEN", parse: parseWhatsAppDelivery },
} as const;

export function metaWebhookDeps(channel: keyof typeof metaChannels): MetaWebhookDeps {
  const env = getEnv();
  const { secret, verifyToken, parse } = metaChannels[channel];
  return {
    channel,
    secret: { envName: secret, value: env[secret] },
    verifyToken: { envName: verifyToken, value: env[verifyToken] },
    parse,
    capture,
    logger,
    now,
  };
}

// One per process; threads start on the first email and leave after a minute idle.
const mailgunFormPool = createMailgunFormPool(MAILGUN_FORM_POOL_DEFAULTS);
const unfinished = new UnfinishedTokens();

export function emailWebhookDeps(): EmailWebhookDeps {
  return {
    signingKey: { envName: "MAILGUN_WEBHOOK_SIGNING_KEY", value: getEnv().MAILGUN_WEBHOOK_SIGNING_KEY },
    decode: (job) => mailgunFormPool.decode(job),
    unfinished,
    capture: (input, token) => captureMailgunDelivery(db, input, token),
    usedToken: (token) => usedMailgunToken(db, token),
    logger,
    now,
  };
}

export function paymentWebhookDeps(): PaymentWebhookDeps {
  const env = getEnv();
  return {
    stripeSecret: { envName: "STRIPE_WEBHOOK_SECRET", value: env.STRIPE_WEBHOOK_SECRET },
    lemonSqueezySecret: { envName: "LEMONSQUEEZY_WEBHOOK_SECRET", value: env.LEMONSQUEEZY_WEBHOOK_SECRET },
    verifyStripe: verifyStripeWebhook,
    record: (input) => recordPaymentEvent(db, input),
    recordRefused: (input) => recordRefusedPaymentEvent(db, input),
    logger,
    now,
  };
}
