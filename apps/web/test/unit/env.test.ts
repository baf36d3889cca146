import { describe, expect, it } from "vitest";
import { parseWebEnv } from "../../app/env.server.ts";

const DATABASE_URL = "postgres://audnix_app@127.0.0.1:5432/audnix";
const JWT_SECRET = "s3cr3t-value-that-must-never-be-printed-anywhere";
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

function expectProblems(source: Record<string, string | undefined>): string[] {
  const result = parseWebEnv(source);
  if (result.ok) throw new Error("expected the environment to be rejected");
  return result.problems;
}

function expectEnv(source: Record<string, string | undefined>) {
  const result = parseWebEnv(source);
  if (!result.ok) throw new Error(`expected a valid environment, got:\n${result.problems.join("\n")}`);
  return result.env;
}

describe("parseWebEnv", () => {
  it("fills development defaults when NODE_ENV=development and DATABASE_URL are set", () => {
    const env = expectEnv({ NODE_ENV: "development", DATABASE_URL });
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      APP_URL: "http://localhost:3000",
      DATABASE_URL,
      LOG_LEVEL: "info",
      demoSignInEnabled: true,
      googleSignInConfigured: false,
      appleSignInConfigured: false,
    });
    expect(env.JWT_SECRET).toMatch(/dev-only/);
    expect(env.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.ENCRYPTION_KEY).toBeUndefined();
  });

  it("treats an unset NODE_ENV as production: secrets required, no demo sign-in", () => {
    // `pnpm dev` (Vite) and the test runner set NODE_ENV themselves; a server started without it
    // must not fall back to development's public session secret or its demo sign-in.
    expect(expectProblems({ DATABASE_URL }).map((problem) => problem.split(":")[0])).toEqual(["JWT_SECRET", "ENCRYPTION_KEY"]);
    const env = expectEnv({ DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, NODE_ENV: " " });
    expect(env.NODE_ENV).toBe("production");
    expect(env.demoSignInEnabled).toBe(false);
  });

  it("requires DATABASE_URL in every mode", () => {
    expect(expectProblems({ NODE_ENV: "development" })).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
    expect(expectProblems({ NODE_ENV: "development", DATABASE_URL: "mysql://x" })).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
    expect(expectProblems({ NODE_ENV: "production", JWT_SECRET, ENCRYPTION_KEY })).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
  });

  it("accepts a complete production configuration and turns demo sign-in off", () => {
    const env = expectEnv({ NODE_ENV: "production", DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, PORT: "8080" });
    expect(env.PORT).toBe(8080);
    expect(env.JWT_SECRET).toBe(JWT_SECRET);
    expect(env.demoSignInEnabled).toBe(false);
  });

  it("rejects production without JWT_SECRET, naming the variable", () => {
    const problems = expectProblems({ NODE_ENV: "production", DATABASE_URL, ENCRYPTION_KEY });
    expect(problems).toEqual([expect.stringMatching(/^JWT_SECRET: is required in production/)]);
  });

  it("rejects production without ENCRYPTION_KEY", () => {
    const problems = expectProblems({ NODE_ENV: "production", DATABASE_URL, JWT_SECRET });
    expect(problems).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: is required in production/)]);
  });

  it("treats empty assignments as unset", () => {
    const problems = expectProblems({ NODE_ENV: "production", DATABASE_URL, JWT_SECRET: "", ENCRYPTION_KEY: " " });
    expect(problems.map((problem) => problem.split(":")[0])).toEqual(["JWT_SECRET", "ENCRYPTION_KEY"]);
  });

  it("reports one readable line per bad variable and never echoes a value", () => {
    const shortSecret = "too-short-secret-value";
    const badKey = Buffer.alloc(16, 9).toString("base64");
    const source = {
      NODE_ENV: "staging",
      PORT: "eighty",
      APP_URL: "ftp://files.example",
      DATABASE_URL: "not-a-url-with-password-hunter2",
      JWT_SECRET: shortSecret,
      ENCRYPTION_KEY: badKey,
      LOG_LEVEL: "verbose",
    };
    const problems = expectProblems(source);
    expect(problems.map((problem) => problem.split(":")[0]).sort()).toEqual(
      ["APP_URL", "DATABASE_URL", "ENCRYPTION_KEY", "JWT_SECRET", "LOG_LEVEL", "NODE_ENV", "PORT"].sort(),
    );
    const report = problems.join("\n");
    for (const value of Object.values(source)) expect(report).not.toContain(value);
  });

  it("reports a variable once even when it breaks several rules", () => {
    expect(expectProblems({ NODE_ENV: "development", DATABASE_URL, PORT: "0.5" })).toEqual(["PORT: must be a whole number"]);
  });

  it("never includes the secret's value when a production secret is too short", () => {
    const shortSecret = "hunter2-hunter2";
    const problems = expectProblems({ NODE_ENV: "production", DATABASE_URL, JWT_SECRET: shortSecret, ENCRYPTION_KEY });
    expect(problems).toEqual(["JWT_SECRET: must be at least 32 characters"]);
    expect(problems.join("\n")).not.toContain(shortSecret);
  });

  it("accepts an ENCRYPTION_KEY only when it decodes to 32 bytes", () => {
    expect(expectEnv({ NODE_ENV: "development", DATABASE_URL, ENCRYPTION_KEY }).ENCRYPTION_KEY).toBe(ENCRYPTION_KEY);
    expect(expectProblems({ NODE_ENV: "development", DATABASE_URL, ENCRYPTION_KEY: "not base64!" })).toEqual([
      "ENCRYPTION_KEY: must be base64 of exactly 32 bytes",
    ]);
  });

  it("offers demo sign-in only in development and test, and without complete OAuth credentials", () => {
    expect(expectEnv({ DATABASE_URL, NODE_ENV: "test" }).demoSignInEnabled).toBe(true);
    expect(expectEnv({ DATABASE_URL, NODE_ENV: "development", GOOGLE_CLIENT_ID: "id" }).demoSignInEnabled).toBe(true);
    expect(expectEnv({ DATABASE_URL, NODE_ENV: "development", APPLE_CLIENT_ID: "id", APPLE_TEAM_ID: "team" }).demoSignInEnabled).toBe(true);

    const google = expectEnv({ DATABASE_URL, NODE_ENV: "development", GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "secret" });
    expect(google.googleSignInConfigured).toBe(true);
    expect(google.demoSignInEnabled).toBe(false);

    const apple = expectEnv({
      DATABASE_URL,
      NODE_ENV: "development",
      APPLE_CLIENT_ID: "id",
      APPLE_TEAM_ID: "team",
      APPLE_KEY_ID: "key",
      APPLE_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----",
    });
    expect(apple.appleSignInConfigured).toBe(true);
    expect(apple.demoSignInEnabled).toBe(false);
  });

  it("keeps each channel's webhook secrets optional, so a channel can stay unconfigured", () => {
    const env = expectEnv({ NODE_ENV: "development", DATABASE_URL, INSTAGRAM_APP_SECRET: "ig-secret", MAILGUN_WEBHOOK_SIGNING_KEY: " " });
    expect(env.INSTAGRAM_APP_SECRET).toBe("ig-secret");
    expect(env.INSTAGRAM_WEBHOOK_VERIFY_TOKEN).toBeUndefined();
    expect(env.WHATSAPP_APP_SECRET).toBeUndefined();
    expect(env.MAILGUN_WEBHOOK_SIGNING_KEY).toBeUndefined();
  });

  it("accepts https payment links and hands them on per plan", () => {
    const env = expectEnv({
      NODE_ENV: "development",
      DATABASE_URL,
      STARTER_PAYMENT_LINK: "https://buy.stripe.com/test_starter",
      PRO_PAYMENT_LINK: "https://audnix.lemonsqueezy.com/buy/pro-variant",
    });
    expect(env.paymentLinks).toEqual({
      starter: "https://buy.stripe.com/test_starter",
      growth: undefined,
      pro: "https://audnix.lemonsqueezy.com/buy/pro-variant",
    });
  });

  it("rejects a payment link that is not an https URL, naming the variable", () => {
    expect(expectProblems({ NODE_ENV: "development", DATABASE_URL, STARTER_PAYMENT_LINK: "http://buy.stripe.com/x", GROWTH_PAYMENT_LINK: "buy here" })).toEqual([
      expect.stringMatching(/^STARTER_PAYMENT_LINK: must be an https URL/),
      expect.stringMatching(/^GROWTH_PAYMENT_LINK: must be an https URL/),
    ]);
  });

  it("believes no proxy's X-Forwarded-For unless TRUST_PROXY names them", () => {
    expect(expectEnv({ NODE_ENV: "development", DATABASE_URL }).trustProxy).toBe(false);
    expect(expectEnv({ NODE_ENV: "development", DATABASE_URL, TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(expectEnv({ NODE_ENV: "development", DATABASE_URL, TRUST_PROXY: "10.0.0.0/8, loopback" }).trustProxy).toEqual(["10.0.0.0/8", "loopback"]);
    // "true" would believe any client's own X-Forwarded-For: the per-address limits would be void.
    for (const TRUST_PROXY of ["true", "*", "proxy.internal"]) {
      expect(expectProblems({ NODE_ENV: "development", DATABASE_URL, TRUST_PROXY })).toEqual([expect.stringMatching(/^TRUST_PROXY: must be a number of proxy hops/)]);
    }
  });

  it("keeps the billing webhook secrets optional", () => {
    const env = expectEnv({ NODE_ENV: "development", DATABASE_URL, STRIPE_WEBHOOK_SECRET: "whsec_abc" });
    expect(env.STRIPE_WEBHOOK_SECRET).toBe("whsec_abc");
    expect(env.LEMONSQUEEZY_WEBHOOK_SECRET).toBeUndefined();
  });
});
