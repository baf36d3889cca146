import { LOG_LEVELS } from "@audnix/core";
import { z } from "zod";

// An empty variable (`FOO=` in a .env file) means "not set", so defaults apply to it.
const unset = (value: unknown) => (value === "" ? undefined : value);

const jobsEnvSchema = z.object({
  NODE_ENV: z.preprocess(
    unset,
    z
      .enum(["development", "test", "production"], { error: "must be development, test or production" })
      .default("development"),
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
});

/** Every variable the worker reads (.env.example must list each; a test checks). */
export const JOBS_ENV_VARIABLES = Object.keys(jobsEnvSchema.shape);

export type JobsEnv = z.output<typeof jobsEnvSchema>;

export type ParsedJobsEnv = { ok: true; env: JobsEnv } | { ok: false; problems: string[] };

/** Validates configuration; problems name the variable and never echo its value. */
export function parseJobsEnv(source: Record<string, string | undefined>): ParsedJobsEnv {
  const result = jobsEnvSchema.safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`),
  };
}

/** Values that must never appear in a log line. */
export function secretValues(env: JobsEnv): string[] {
  const password = new URL(env.DATABASE_URL).password;
  return password ? [safeDecode(password)] : [];
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
