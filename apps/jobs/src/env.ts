import { LOG_LEVELS, parsePlatformSender, parsePlatformSmtpUrl } from "@audnix/core";
import { z } from "zod";

export const DEFAULT_INSTAGRAM_GRAPH_BASE_URL = "https://graph.instagram.com";

// An empty variable (`FOO=` in a .env file) means "not set", so defaults apply to it.
const unset = (value: unknown) => (value === "" ? undefined : value);

const jobsEnvSchema = z.object({
  // Unset means production, as in the web app: a worker started without NODE_ENV must not skip
  // the production-only guards (encryption key required, private SMTP hosts refused on send).
  NODE_ENV: z.preprocess(
    unset,
    z
      .enum(["development", "test", "production"], { error: "must be development, test or production" })
      .default("production"),
  ),
  DATABASE_URL: z.preprocess(
    unset,
    z
      .string({ error: "is required" })
      .refine((value) => /^postgres(ql)?:\/\/./.test(value) && URL.canParse(value), {
        error: "must be a postgres:// connection URL",
      }),
  ),
  WORKER_CONCURRENCY: z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be between 1 and 100" })
      .max(100, { error: "must be between 1 and 100" })
      .default(5),
  ),
  LOG_LEVEL: z.preprocess(
    unset,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
  // --- Follow-up engine ---
  APP_URL: z.preprocess(
    unset,
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("http://localhost:3000"),
  ),
  OPENAI_API_KEY: z.preprocess(unset, z.string().optional()),
  OPENAI_BASE_URL: z.preprocess(unset, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  OPENAI_MODEL: z.preprocess(unset, z.string().min(1).default("gpt-4o-mini")),
  OPENAI_EMBEDDING_MODEL: z.preprocess(unset, z.string().min(1).default("text-embedding-3-small")),
  OPENAI_EMBEDDING_DIMENSIONS: z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be between 1 and 3072" })
      .max(3072, { error: "must be between 1 and 3072" })
      .default(1536),
  ),
  ENABLE_VOICE: z.preprocess(
    unset,
    z.enum(["true", "false"], { error: "must be true or false" }).default("false").transform((v) => v === "true"),
  ),
  ELEVENLABS_API_KEY: z.preprocess(unset, z.string().optional()),
  ELEVENLABS_BASE_URL: z.preprocess(unset, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  ELEVENLABS_VOICE_ID: z.preprocess(unset, z.string().min(1).optional()),
  WHATSAPP_GRAPH_BASE_URL: z.preprocess(
    unset,
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://graph.facebook.com"),
  ),
  WORKER_HEARTBEAT_SECONDS: z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a number of seconds" })
      .min(0.1, { error: "must be between 0.1 and 300" })
      .max(300, { error: "must be between 0.1 and 300" })
      .default(15),
  ),
  WORKER_STALE_AFTER_SECONDS: z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a number of seconds" })
      .min(1, { error: "must be between 1 and 14400" })
      .max(14_400, { error: "must be between 1 and 14400" })
      .default(120),
  ),
  // How long a vendor send may take before the worker stops waiting and records it unconfirmed
  // (never re-sent: decision 0011). Unset keeps each channel's own deadline.
  SEND_TIMEOUT_SECONDS: z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a number of seconds" })
      .min(0.5, { error: "must be between 0.5 and 300" })
      .max(300, { error: "must be between 0.5 and 300" })
      .optional(),
  ),
  // How long the first reply to a nameless Instagram lead waits for their profile before greeting
  // without a name (docs/decisions/0023). Unset: 3 s.
  INSTAGRAM_PROFILE_DEADLINE_SECONDS: z.preprocess(
    unset,
    z.coerce
      .number({ error: "must be a number of seconds" })
      .min(0, { error: "must be between 0 and 10" })
      .max(10, { error: "must be between 0 and 10" })
      .optional(),
  ),
  // --- Platform email (weekly summaries, alerts to owners) ---
  // Audnix's own SMTP account, smtp(s)://user:password@host:port. Unset: nothing is emailed (in
  // `pnpm dev` the launcher points it at the local fake SMTP server).
  PLATFORM_SMTP_URL: z.preprocess(
    unset,
    z
      .string()
      .superRefine((value, ctx) => {
        const parsed = parsePlatformSmtpUrl(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem });
      })
      .optional(),
  ),
  PLATFORM_EMAIL_FROM: z.preprocess(
    unset,
    z
      .string()
      .superRefine((value, ctx) => {
        const parsed = parsePlatformSender(value);
        if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem });
      })
      .optional(),
  ),
  // --- Stored channel credentials and Instagram token refresh ---
  ENCRYPTION_KEY: z.preprocess(
    unset,
    z.string().refine(isBase64Of32Bytes, { error: "must be base64 of exactly 32 bytes" }).optional(),
  ),
  ENCRYPTION_OLD_KEYS: z.preprocess(
    unset,
    z
      .string()
      .refine((value) => value.split(",").every((key) => isBase64Of32Bytes(key.trim())), {
        error: "must be comma-separated base64 keys of exactly 32 bytes each",
      })
      .optional(),
  ),
  INSTAGRAM_GRAPH_BASE_URL: z.preprocess(
    unset,
    z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default(DEFAULT_INSTAGRAM_GRAPH_BASE_URL),
  ),
});

/** Every variable the worker reads (.env.example must list each; a test checks). */
export const JOBS_ENV_VARIABLES = Object.keys(jobsEnvSchema.shape);

export type JobsEnv = z.output<typeof jobsEnvSchema>;

export type ParsedJobsEnv = { ok: true; env: JobsEnv } | { ok: false; problems: string[] };

/** Validates configuration; problems name the variable and never echo its value. */
export function parseJobsEnv(source: Record<string, string | undefined>): ParsedJobsEnv {
  const result = jobsEnvSchema.superRefine(requireProductionSecrets).safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
  };
}

/** Values that must never appear in a log line. */
export function secretValues(env: JobsEnv): string[] {
  const password = new URL(env.DATABASE_URL).password;
  // Both spellings of the platform SMTP password: as typed in the URL and decoded.
  const platformSmtpPassword = env.PLATFORM_SMTP_URL === undefined ? "" : new URL(env.PLATFORM_SMTP_URL).password;
  return [password ? safeDecode(password) : undefined, platformSmtpPassword, safeDecode(platformSmtpPassword), env.OPENAI_API_KEY, env.ELEVENLABS_API_KEY, env.ENCRYPTION_KEY, ...(env.ENCRYPTION_OLD_KEYS?.split(",") ?? [])].filter(
    (value): value is string => value !== undefined && value !== "",
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The process environment, validated; on bad configuration it says what is wrong and exits. */
export function getEnv(): JobsEnv {
  const parsed = parseJobsEnv(process.env);
  if (parsed.ok) return parsed.env;
  process.stderr.write(`Invalid configuration:\n${parsed.problems.map((p) => ` - ${p}`).join("\n")}\n`);
  process.exit(1);
}

function isBase64Of32Bytes(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, "base64").length === 32;
}

// Outside production a fixed dev-only key stands in (see tokenCipherFromConfig in @audnix/core).
function requireProductionSecrets(env: JobsEnv, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === "production" && env.ENCRYPTION_KEY === undefined) {
    ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY"], message: "is required in production (base64 of 32 bytes)" });
  }
  // Owners must see a sender of this deployment's domain, not the development placeholder.
  if (env.NODE_ENV === "production" && env.PLATFORM_SMTP_URL !== undefined && env.PLATFORM_EMAIL_FROM === undefined) {
    ctx.addIssue({ code: "custom", path: ["PLATFORM_EMAIL_FROM"], message: "is required in production when PLATFORM_SMTP_URL is set" });
  }
}
