import { createLogger } from "@audnix/core";
import { getEnv } from "./env.server.ts";

const env = getEnv();

/** The web process's structured logger: one JSON line per event on stdout. */
export const logger = createLogger({
  level: env.LOG_LEVEL,
  sink: (line) => process.stdout.write(`${line}\n`),
  // Driver and library errors can quote configuration; these values never reach the log.
  secrets: [
    env.JWT_SECRET,
    env.ENCRYPTION_KEY,
    ...(env.ENCRYPTION_OLD_KEYS?.split(",").map((key) => key.trim()) ?? []),
    env.OPENAI_API_KEY,
    env.GOOGLE_CLIENT_SECRET,
    env.APPLE_PRIVATE_KEY,
    env.INSTAGRAM_APP_SECRET,
    env.INSTAGRAM_WEBHOOK_VERIFY_TOKEN,
    env.WHATSAPP_APP_SECRET,
    env.WHATSAPP_WEBHOOK_VERIFY_TOKEN,
    env.MAILGUN_WEBHOOK_SIGNING_KEY,
    env.STRIPE_WEBHOOK_SECRET,
    env.LEMONSQUEEZY_WEBHOOK_SECRET,
  ].filter((secret): secret is string => secret !== undefined),
  base: { service: "web" },
});
