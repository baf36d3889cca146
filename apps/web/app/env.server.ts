import { z } from "zod";

// Long enough to pass the same length rule as a real secret, and named so nobody mistakes it for one.
const DEV_ONLY_JWT_SECRET = "dev-only-insecure-session-secret-never-use-in-production";

const optionalText = z.string().optional();

// Checkout pages take card details, so a payment link must be https.
const optionalPaymentLink = z
  .url({ protocol: /^https$/, error: "must be an https URL (a Stripe or Lemon Squeezy payment link)" })
  .optional();

const rawEnvSchema = z.object({
  NODE_ENV: z
    .enum(["development", "test", "production"], { error: "must be development, test or production" })
    .default("development"),
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 65535" })
    .max(65535, { error: "must be between 1 and 65535" })
    .default(3000),
  // Interface the production server binds; unset means every interface.
  HOST: optionalText,
  APP_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://app.audnix.ai" })
    .default("http://localhost:3000"),
  DATABASE_URL: z
    .string({ error: "is required (a postgres:// connection string)" })
    .regex(/^postgres(ql)?:\/\//, { error: "must be a postgres:// connection string" }),
  JWT_SECRET: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ENCRYPTION_KEY: z
    .string()
    .refine((value) => isBase64Of32Bytes(value), { error: "must be base64 of exactly 32 bytes" })
    .optional(),
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  APPLE_CLIENT_ID: optionalText,
  APPLE_TEAM_ID: optionalText,
  APPLE_KEY_ID: optionalText,
  APPLE_PRIVATE_KEY: optionalText,
  // Webhook secrets, one channel each: a channel without its secret refuses deliveries (503)
  // rather than accept anything unsigned.
  INSTAGRAM_APP_SECRET: optionalText,
  INSTAGRAM_WEBHOOK_VERIFY_TOKEN: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_WEBHOOK_VERIFY_TOKEN: optionalText,
  MAILGUN_WEBHOOK_SIGNING_KEY: optionalText,
  // Billing: without a webhook secret that provider's payment webhooks are refused (503); without
  // a plan's payment link its upgrade button is disabled.
  STRIPE_WEBHOOK_SECRET: optionalText,
  LEMONSQUEEZY_WEBHOOK_SECRET: optionalText,
  STARTER_PAYMENT_LINK: optionalPaymentLink,
  GROWTH_PAYMENT_LINK: optionalPaymentLink,
  PRO_PAYMENT_LINK: optionalPaymentLink,
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error"], { error: "must be debug, info, warn or error" })
    .default("info"),
});

const webEnvSchema = rawEnvSchema
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (env.JWT_SECRET === undefined) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required in production (at least 32 characters)" });
    }
    if (env.ENCRYPTION_KEY === undefined) {
      ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY"], message: "is required in production (base64 of 32 bytes)" });
    }
  })
  .transform((env) => {
    const googleSignInConfigured = Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
    const appleSignInConfigured = Boolean(
      env.APPLE_CLIENT_ID && env.APPLE_TEAM_ID && env.APPLE_KEY_ID && env.APPLE_PRIVATE_KEY,
    );
    return {
      ...env,
      JWT_SECRET: env.JWT_SECRET ?? DEV_ONLY_JWT_SECRET,
      googleSignInConfigured,
      appleSignInConfigured,
      // Demo sign-in exists so a fresh checkout can be used before any OAuth app is registered.
      demoSignInEnabled: env.NODE_ENV !== "production" && !googleSignInConfigured && !appleSignInConfigured,
      // In the shape the tRPC context takes them (the api package never reads the environment).
      paymentLinks: { starter: env.STARTER_PAYMENT_LINK, growth: env.GROWTH_PAYMENT_LINK, pro: env.PRO_PAYMENT_LINK },
    };
  });

/** Every variable the web app reads (.env.example must list each; a test checks). */
export const WEB_ENV_VARIABLES = Object.keys(rawEnvSchema.shape);

export type WebEnv = z.output<typeof webEnvSchema>;

export type ParsedWebEnv = { ok: true; env: WebEnv } | { ok: false; problems: string[] };

function isBase64Of32Bytes(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, "base64").length === 32;
}

/**
 * Validates the web app's configuration. Problems name the variable and the rule it breaks, never
 * the value, so they are safe to print in logs.
 */
export function parseWebEnv(source: Record<string, string | undefined>): ParsedWebEnv {
  const known = WEB_ENV_VARIABLES;
  // An empty assignment in a .env file (`GOOGLE_CLIENT_ID=`) means "not set", not "set to nothing".
  const present = Object.fromEntries(
    known.flatMap((name) => {
      const value = source[name];
      return value === undefined || value.trim() === "" ? [] : [[name, value]];
    }),
  );
  const result = webEnvSchema.safeParse(present);
  if (result.success) return { ok: true, env: result.data };
  // One line per variable: the first rule it breaks is enough to fix it.
  const firstProblem = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? "environment");
    if (!firstProblem.has(name)) firstProblem.set(name, issue.message);
  }
  return { ok: false, problems: [...firstProblem].map(([name, message]) => `${name}: ${message}`) };
}

let cached: WebEnv | undefined;

/** The validated environment of this process. Bad configuration stops the process with a clear message. */
export function getEnv(): WebEnv {
  if (cached) return cached;
  const parsed = parseWebEnv(process.env);
  if (!parsed.ok) {
    console.error(`Invalid configuration:\n${parsed.problems.map((problem) => ` - ${problem}`).join("\n")}`);
    process.exit(1);
  }
  cached = parsed.env;
  return cached;
}
