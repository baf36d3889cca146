import { z } from "zod";

// Long enough to pass the same length rule as a real secret, and named so nobody mistakes it for one.
const DEV_ONLY_JWT_SECRET = "dev-only-insecure-session-secret-never-use-in-production";

const optionalText = z.string().optional();

// One trusted proxy: an Express keyword, or an IPv4/IPv6 address with an optional prefix length.
const PROXY_ENTRY = /^(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]{2,45}(?:\/\d{1,3})?)$/;

// Checkout pages take card details, so a payment link must be https.
const optionalPaymentLink = z
  .url({ protocol: /^https$/, error: "must be an https URL (a Stripe or Lemon Squeezy payment link)" })
  .optional();

const rawEnvSchema = z.object({
  // Unset means production: `pnpm dev` (Vite) and the test runner set it themselves, so only a
  // server started without it lands here, and it must not get development's public session
  // secret or its demo sign-in.
  NODE_ENV: z
    .enum(["development", "test", "production"], { error: "must be development, test or production" })
    .default("production"),
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 65535" })
    .max(65535, { error: "must be between 1 and 65535" })
    .default(3000),
  // Interface the production server binds; unset means every interface.
  HOST: optionalText,
  // Whose X-Forwarded-For the production server believes for the client's address (per-address
  // rate limits): unset = nobody, the connection's peer is the client. Behind a load balancer,
  // its hop count ("1") or the proxies' addresses/subnets (Express's "trust proxy").
  TRUST_PROXY: z
    .string()
    .max(1_000, { error: "is too long" })
    .refine((value) => /^\d{1,2}$/.test(value) || value.split(",").every((entry) => PROXY_ENTRY.test(entry.trim())), {
      error: "must be a number of proxy hops (1 behind one load balancer) or a comma-separated list of proxy addresses or subnets",
    })
    .transform((value) => (/^\d+$/.test(value) ? Number(value) : value.split(",").map((entry) => entry.trim())))
    .optional(),
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
  // Keys that only decrypt, kept while `pnpm secrets:reencrypt` moves everything to ENCRYPTION_KEY.
  ENCRYPTION_OLD_KEYS: z
    .string()
    .refine((value) => value.split(",").every((key) => isBase64Of32Bytes(key.trim())), {
      error: "must be comma-separated base64 keys of exactly 32 bytes each",
    })
    .optional(),
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  APPLE_CLIENT_ID: optionalText,
  APPLE_TEAM_ID: optionalText,
  APPLE_KEY_ID: optionalText,
  APPLE_PRIVATE_KEY: z
    .string()
    .refine((value) => value.includes("-----BEGIN PRIVATE KEY-----"), {
      error: "must be the .p8 key from Apple (a PEM starting -----BEGIN PRIVATE KEY-----, newlines may be \\n)",
    })
    .optional(),
  // Sign-in providers' OpenID issuers: endpoints are discovered from them and id_tokens must name
  // them. Only tests and sandbox mode point these at the local fakes.
  GOOGLE_ISSUER_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://accounts.google.com"),
  APPLE_ISSUER_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://appleid.apple.com"),
  // Instagram connect needs the app id and secret (the secret also signs Instagram webhooks).
  INSTAGRAM_APP_ID: optionalText,
  // Webhook secrets, one channel each: a channel without its secret refuses deliveries (503)
  // rather than accept anything unsigned.
  INSTAGRAM_APP_SECRET: optionalText,
  // Where Meta sends the owner back after consent; unset: APP_URL/api/connect/instagram/callback.
  INSTAGRAM_REDIRECT_URI: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  // Only tests and sandbox mode point these at the local fake.
  INSTAGRAM_OAUTH_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://api.instagram.com"),
  INSTAGRAM_GRAPH_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://graph.instagram.com"),
  INSTAGRAM_WEBHOOK_VERIFY_TOKEN: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_WEBHOOK_VERIFY_TOKEN: optionalText,
  // Where "Verify & connect" checks a WhatsApp number; only tests and sandbox mode point it at the fake.
  WHATSAPP_GRAPH_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://graph.facebook.com"),
  MAILGUN_WEBHOOK_SIGNING_KEY: optionalText,
  // The domain whose mail a Mailgun route forwards to /api/webhook/email: every account gets its own
  // random address at it. The default only works with the fakes.
  INBOUND_EMAIL_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/, { error: "must be a domain name such as inbound.audnix.ai" })
    .default("inbound.audnix.local"),
  // Billing: without a webhook secret that provider's payment webhooks are refused (503); without
  // a plan's payment link its upgrade button is disabled.
  STRIPE_WEBHOOK_SECRET: optionalText,
  LEMONSQUEEZY_WEBHOOK_SECRET: optionalText,
  STARTER_PAYMENT_LINK: optionalPaymentLink,
  GROWTH_PAYMENT_LINK: optionalPaymentLink,
  PRO_PAYMENT_LINK: optionalPaymentLink,
  // The dashboard's "Preview next message" uses the same model as the worker; without a key the
  // sandbox composer writes it. The key stays on the server (never in a loader's data).
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  OPENAI_MODEL: z.string().min(1, { error: "must name a model" }).default("gpt-4o-mini"),
  // The preview's and "Try a question"'s knowledge queries are embedded like the worker's (same
  // model and width as the indexed chunks), so they rank as the engine does.
  OPENAI_EMBEDDING_MODEL: z.string().min(1, { error: "must name a model" }).default("text-embedding-3-small"),
  OPENAI_EMBEDDING_DIMENSIONS: z.coerce
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be between 1 and 3072" })
    .max(3072, { error: "must be between 1 and 3072" })
    .default(1536),
  // Voice notes on/off for the whole deployment; off greys out the brand setting.
  ENABLE_VOICE: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("false")
    .transform((value) => value === "true"),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error"], { error: "must be debug, info, warn or error" })
    .default("info"),
  // Set by `pnpm dev` when it starts local vendor fakes (one id per launch): connections made
  // against them are tagged with it, so a later launch can tell they point at a fake that is gone.
  SANDBOX_RUN_ID: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, { error: "must be 8 to 64 letters, digits or dashes" })
    .optional(),
});

const webEnvSchema = rawEnvSchema
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (env.SANDBOX_RUN_ID) {
      ctx.addIssue({ code: "custom", path: ["SANDBOX_RUN_ID"], message: "is set by pnpm dev for local fakes and must be unset in production" });
    }
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
      trustProxy: env.TRUST_PROXY ?? (false as const),
      // A PEM pasted into one line of a .env file carries its newlines as `\n`.
      APPLE_PRIVATE_KEY: env.APPLE_PRIVATE_KEY?.replace(/\\n/g, "\n"),
      googleSignInConfigured,
      appleSignInConfigured,
      // Demo sign-in exists so a fresh checkout can be used before any OAuth app is registered.
      demoSignInEnabled: (env.NODE_ENV === "development" || env.NODE_ENV === "test") && !googleSignInConfigured && !appleSignInConfigured,
      // In the shape the tRPC context takes them (the api package never reads the environment).
      paymentLinks: { starter: env.STARTER_PAYMENT_LINK, growth: env.GROWTH_PAYMENT_LINK, pro: env.PRO_PAYMENT_LINK },
      sandboxRunId: env.SANDBOX_RUN_ID ?? null,
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
