import { parseInstagramDelivery, parseWhatsAppDelivery } from "@audnix/core";
import { captureDelivery, recordPaymentEvent } from "@audnix/db";
import { parseMailgunInbound, verifyStripeWebhook } from "@audnix/integrations";
import { db } from "../db.server.ts";
import { getEnv } from "../env.server.ts";
import { logger } from "../logger.server.ts";
import type { CaptureDelivery } from "./acknowledge-delivery.server.ts";
import type { EmailWebhookDeps } from "./email-webhook.server.ts";
import type { MetaWebhookDeps } from "./meta-webhook.server.ts";
import type { PaymentWebhookDeps } from "./payment-webhook.server.ts";

// Wiring only: the pipelines take their secrets, parser and database as arguments so the
// integration tests can run them against a test database with their own secrets.

const capture: CaptureDelivery = (input) => captureDelivery(db, input);
const now = () => new Date();

export function instagramWebhookDeps(): MetaWebhookDeps {
  const env = getEnv();
  return {
    channel: "instagram",
    secret: { envName: "INSTAGRAM_APP_SECRET", value: env.INSTAGRAM_APP_SECRET },
    verifyToken: { envName: "INSTAGRAM_WEBHOOK_VERIFY_TOKEN", value: env.INSTAGRAM_WEBHOOK_VERIFY_TOKEN },
    parse: parseInstagramDelivery,
    capture,
    logger,
    now,
  };
}

export function whatsAppWebhookDeps(): MetaWebhookDeps {
  const env = getEnv();
  return {
    channel: "whatsapp",
    secret: { envName: "WHATSAPP_APP_SECRET", value: env.WHATSAPP_APP_SECRET },
    verifyToken: { envName: "WHATSAPP_WEBHOOK_VERIFY_TOKEN", value: env.WHATSAPP_WEBHOOK_VERIFY_TOKEN },
    parse: parseWhatsAppDelivery,
    capture,
    logger,
    now,
  };
}

export function emailWebhookDeps(): EmailWebhookDeps {
  return {
    signingKey: { envName: "MAILGUN_WEBHOOK_SIGNING_KEY", value: getEnv().MAILGUN_WEBHOOK_SIGNING_KEY },
    parse: parseMailgunInbound,
    capture,
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
    logger,
    now,
  };
}
