import { describe, expect, it } from "vitest";
import { parseJobsEnv, secretValues } from "../../src/env.ts";

const URL_WITH_PASSWORD = "postgres://audnix_app:p%40ss-w0rd@db.internal:5432/audnix";
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

const DEFAULTS = {
  NODE_ENV: "production",
  WORKER_CONCURRENCY: 5,
  LOG_LEVEL: "info",
  APP_URL: "http://localhost:3000",
  OPENAI_MODEL: "gpt-4o-mini",
  OPENAI_EMBEDDING_MODEL: "text-embedding-3-small",
  OPENAI_EMBEDDING_DIMENSIONS: 1536,
  ENABLE_VOICE: false,
  WHATSAPP_GRAPH_BASE_URL: "https://graph.facebook.com",
  INSTAGRAM_GRAPH_BASE_URL: "https://graph.instagram.com",
  WORKER_HEARTBEAT_SECONDS: 15,
  WORKER_STALE_AFTER_SECONDS: 120,
};

describe("parseJobsEnv", () => {
  it("applies defaults around the required variables (an unset NODE_ENV is production)", () => {
    expect(parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY })).toEqual({
      ok: true,
      env: { ...DEFAULTS, DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY },
    });
  });

  it("runs a worker started without NODE_ENV as production: no encryption key, no start", () => {
    const parsed = parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContain("ENCRYPTION_KEY: is required in production (base64 of 32 bytes)");
  });

  it("reads every variable", () => {
    const parsed = parseJobsEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://u@localhost/db",
      WORKER_CONCURRENCY: "12",
      LOG_LEVEL: "debug",
      ENCRYPTION_KEY,
      OPENAI_API_KEY: "sk-test",
      ENABLE_VOICE: "true",
      UNRELATED: "ignored",
    });
    expect(parsed).toEqual({
      ok: true,
      env: {
        ...DEFAULTS,
        NODE_ENV: "production",
        DATABASE_URL: "postgresql://u@localhost/db",
        WORKER_CONCURRENCY: 12,
        LOG_LEVEL: "debug",
        ENCRYPTION_KEY,
        OPENAI_API_KEY: "sk-test",
        ENABLE_VOICE: true,
      },
    });
  });

  it("names a bad embedding width without echoing it", () => {
    const parsed = parseJobsEnv({ DATABASE_URL: "postgresql://u@localhost/db", ENCRYPTION_KEY, OPENAI_EMBEDDING_DIMENSIONS: "9000" });
    expect(parsed).toEqual({ ok: false, problems: ["OPENAI_EMBEDDING_DIMENSIONS: must be between 1 and 3072"] });
  });

  it("reads the vendor send deadline in seconds and refuses one outside 0.5-300 without echoing it", () => {
    expect(parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY, SEND_TIMEOUT_SECONDS: "1.5" })).toMatchObject({
      ok: true,
      env: { SEND_TIMEOUT_SECONDS: 1.5 },
    });
    for (const value of ["0", "301", "soon"]) {
      const parsed = parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY, SEND_TIMEOUT_SECONDS: value });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problems.join("\n")).toMatch(/^SEND_TIMEOUT_SECONDS: must be (a number of seconds|between 0.5 and 300)$/);
    }
  });

  it("refuses to run in production without an encryption key for stored credentials", () => {
    const parsed = parseJobsEnv({ NODE_ENV: "production", DATABASE_URL: URL_WITH_PASSWORD });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join("\n")).toMatch(/^ENCRYPTION_KEY: /m);
  });

  it("treats empty variables as unset", () => {
    const empty = { WORKER_CONCURRENCY: "", LOG_LEVEL: "", NODE_ENV: "" };
    const parsed = parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY, ...empty });
    expect(parsed).toMatchObject({
      ok: true,
      env: { WORKER_CONCURRENCY: 5, LOG_LEVEL: "info", NODE_ENV: "production" },
    });
  });

  it("reports a missing DATABASE_URL by name", () => {
    expect(parseJobsEnv({})).toEqual({ ok: false, problems: ["DATABASE_URL: is required"] });
    expect(parseJobsEnv({ DATABASE_URL: "" })).toEqual({ ok: false, problems: ["DATABASE_URL: is required"] });
  });

  it("lists every problem at once, without echoing values", () => {
    const secretish = "mysql://root:topsecret@db/x";
    const parsed = parseJobsEnv({
      DATABASE_URL: secretish,
      WORKER_CONCURRENCY: "1.5",
      LOG_LEVEL: "verbose",
      NODE_ENV: "staging",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([
      "NODE_ENV: must be development, test or production",
      "DATABASE_URL: must be a postgres:// connection URL",
      "WORKER_CONCURRENCY: must be a whole number",
      "LOG_LEVEL: must be one of debug, info, warn, error",
    ]);
    const text = parsed.problems.join("\n");
    for (const value of [secretish, "topsecret", "1.5", "verbose", "staging"]) expect(text).not.toContain(value);
  });

  it.each(["0", "101", "abc", "-3"])("rejects WORKER_CONCURRENCY=%s", (value) => {
    const parsed = parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, WORKER_CONCURRENCY: value });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatch(/^WORKER_CONCURRENCY: /);
  });
});

describe("parseJobsEnv: platform email", () => {
  const PLATFORM_SMTP_URL = "smtps://mailer%40audnix.example:sm%3Atp-pass@smtp.audnix.example:465";

  it("accepts the platform SMTP URL and sender, and requires the sender in production", () => {
    expect(parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY, PLATFORM_SMTP_URL, PLATFORM_EMAIL_FROM: "Audnix <hello@audnix.example>" })).toMatchObject({
      ok: true,
      env: { PLATFORM_SMTP_URL, PLATFORM_EMAIL_FROM: "Audnix <hello@audnix.example>" },
    });
    expect(parseJobsEnv({ DATABASE_URL: URL_WITH_PASSWORD, ENCRYPTION_KEY, PLATFORM_SMTP_URL })).toEqual({
      ok: false,
      problems: ["PLATFORM_EMAIL_FROM: is required in production when PLATFORM_SMTP_URL is set"],
    });
    expect(parseJobsEnv({ NODE_ENV: "development", DATABASE_URL: URL_WITH_PASSWORD, PLATFORM_SMTP_URL }).ok).toBe(true);
  });

  it("names a bad platform SMTP URL or sender without echoing them", () => {
    const parsed = parseJobsEnv({
      NODE_ENV: "development",
      DATABASE_URL: URL_WITH_PASSWORD,
      PLATFORM_SMTP_URL: "https://mailer:leaky-secret@smtp.audnix.example",
      PLATFORM_EMAIL_FROM: "leaky-secret-sender",
    });
    expect(parsed).toEqual({
      ok: false,
      problems: ["PLATFORM_SMTP_URL: must be an smtp:// or smtps:// URL", 'PLATFORM_EMAIL_FROM: must be an email address or "Name <address>"'],
    });
  });

  it("counts the platform SMTP password, as written and decoded, as a secret", () => {
    const parsed = parseJobsEnv({ NODE_ENV: "development", DATABASE_URL: URL_WITH_PASSWORD, PLATFORM_SMTP_URL });
    if (!parsed.ok) throw new Error("fixture must parse");
    expect(secretValues(parsed.env)).toEqual(["p@ss-w0rd", "sm%3Atp-pass", "sm:tp-pass"]);
  });
});

describe("secretValues", () => {
  it("yields the decoded database password", () => {
    const parsed = parseJobsEnv({ NODE_ENV: "development", DATABASE_URL: URL_WITH_PASSWORD });
    if (!parsed.ok) throw new Error("fixture must parse");
    expect(secretValues(parsed.env)).toEqual(["p@ss-w0rd"]);
  });

  it("yields nothing for a URL without a password", () => {
    const parsed = parseJobsEnv({ NODE_ENV: "development", DATABASE_URL: "postgres://app@localhost/audnix" });
    if (!parsed.ok) throw new Error("fixture must parse");
    expect(secretValues(parsed.env)).toEqual([]);
  });
});
