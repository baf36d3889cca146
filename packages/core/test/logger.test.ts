import { describe, expect, it } from "vitest";
import { createLogger, type LoggerOptions } from "../src/logging/logger.ts";
import { MAX_LOGGED_STRING_LENGTH } from "../src/logging/redact.ts";

const SECRET = "hunter2-s3cr3t";
const FIXED = new Date("2026-05-01T12:00:00.000Z");

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    sink: (line) => lines.push(line),
    secrets: [SECRET],
    now: () => FIXED,
    ...options,
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe("createLogger", () => {
  it("writes one JSON line with time, level, msg, base and fields", () => {
    const { logger, lines, parsed } = capture({ base: { service: "jobs" } });
    logger.info("worker ready", { concurrency: 5 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(parsed()[0]).toEqual({
      time: "2026-05-01T12:00:00.000Z",
      level: "info",
      msg: "worker ready",
      service: "jobs",
      concurrency: 5,
    });
  });

  it("drops lines below the configured level", () => {
    const { logger, parsed } = capture({ level: "warn" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(parsed().map((line) => line.level)).toEqual(["warn", "error"]);
  });

  it("redacts a secret inside the message", () => {
    const { logger, lines } = capture();
    logger.info(`connecting with password ${SECRET} now`);
    expect(lines[0]).not.toContain(SECRET);
    expect(JSON.parse(lines[0]!).msg).toBe("connecting with password [redacted] now");
  });

  it("redacts a secret nested deep in objects and arrays", () => {
    const { logger, lines } = capture();
    logger.info("payload", { job: { attempts: [{ note: `x${SECRET}y` }] }, list: [SECRET] });
    expect(lines[0]).not.toContain(SECRET);
    const line = JSON.parse(lines[0]!);
    expect(line.job.attempts[0].note).toBe("x[redacted]y");
    expect(line.list).toEqual(["[redacted]"]);
  });

  it("redacts the percent-encoded form of a secret", () => {
    const { logger, lines } = capture({ secrets: ["p@ss/word"] });
    logger.info("url", { url: "postgres://app:p%40ss%2Fword@db:5432/audnix", raw: "p@ss/word" });
    expect(lines[0]).not.toContain("p%40ss%2Fword");
    expect(lines[0]).not.toContain("p@ss/word");
  });

  it("redacts credentials in any URL even when the password is not a known secret", () => {
    const { logger, parsed } = capture();
    logger.error("connect failed: postgres://app:unknown-pw@db:5432/audnix");
    expect(parsed()[0]!.msg).toBe("connect failed: postgres://app:[redacted]@db:5432/audnix");
  });

  it("serializes an Error as name, message and stack frames, redacted", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new TypeError(`bad login ${SECRET}`), { code: "28P01" });
    logger.error("failed", { err: error });
    expect(lines[0]).not.toContain(SECRET);
    const err = JSON.parse(lines[0]!).err;
    expect(err.name).toBe("TypeError");
    expect(err.message).toBe("bad login [redacted]");
    expect(err.stack).toMatch(/^\s+at /);
    expect(err.code).toBe("28P01");
  });

  it("serializes an Error's cause", () => {
    const { logger, lines } = capture();
    logger.error("failed", { err: new Error("outer", { cause: new Error(`inner ${SECRET}`) }) });
    expect(lines[0]).not.toContain(SECRET);
    expect(JSON.parse(lines[0]!).err.cause.message).toBe("inner [redacted]");
  });

  it("redacts values of secret-named keys at any depth", () => {
    const { logger, parsed } = capture({ secrets: [] });
    logger.info("request", {
      headers: { Authorization: "Bearer abc", cookie: "sid=1", "x-api-key": "k1", host: "a" },
      accessToken: { value: "t" },
      apiKey: "k2",
      api_key: "k3",
      clientSecret: "s",
      db_password: "p",
      stripeSignature: "sig",
    });
    expect(parsed()[0]).toMatchObject({
      headers: { Authorization: "[redacted]", cookie: "[redacted]", "x-api-key": "[redacted]", host: "a" },
      accessToken: "[redacted]",
      apiKey: "[redacted]",
      api_key: "[redacted]",
      clientSecret: "[redacted]",
      db_password: "[redacted]",
      stripeSignature: "[redacted]",
    });
  });

  it("carries child bindings and redacts them", () => {
    const { logger, parsed } = capture();
    const child = logger.child({ jobId: "42" }).child({ note: SECRET, token: "t" });
    child.warn("retrying");
    expect(parsed()[0]).toMatchObject({ jobId: "42", note: "[redacted]", token: "[redacted]", level: "warn" });
    logger.info("parent");
    expect(parsed()[1]).not.toHaveProperty("jobId");
  });

  it("keeps time, level and msg from being overwritten by fields", () => {
    const { logger, parsed } = capture();
    logger.info("real", { level: "error", msg: "forged", time: "never" });
    expect(parsed()[0]).toMatchObject({ level: "info", msg: "real", time: "2026-05-01T12:00:00.000Z" });
  });

  it("survives circular structures, dates and bigints", () => {
    const { logger, parsed } = capture();
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    logger.info("odd values", { loop, at: FIXED, big: 10n });
    expect(parsed()[0]).toMatchObject({
      loop: { name: "loop", self: "[circular]" },
      at: "2026-05-01T12:00:00.000Z",
      big: "10",
    });
  });

  it("ignores empty secrets instead of redacting everything", () => {
    const { logger, parsed } = capture({ secrets: [""] });
    logger.info("plain text");
    expect(parsed()[0]!.msg).toBe("plain text");
  });
});

describe("personal data in log lines", () => {
  it("replaces email addresses anywhere, percent-encoded ones in URLs too", () => {
    const { logger, lines, parsed } = capture();
    logger.error("reply to Maya.Ortiz+shop@Example.co.uk failed", {
      url: "http://localhost/dashboard?search=maya%40example.com&page=2",
      lead: { from: "Maya <maya@example.com>" },
    });
    expect(lines[0]).not.toMatch(/example\.co/i);
    expect(parsed()[0]).toMatchObject({
      msg: "reply to [email] failed",
      url: "http://localhost/dashboard?search=[email]&page=2",
      lead: { from: "Maya <[email]>" },
    });
  });

  it("leaves text that only looks a little like an address alone", () => {
    const { logger, parsed } = capture();
    logger.info("notes", { a: "@handle and user@localhost", b: "price @ 20 USD", c: "a@b" });
    expect(parsed()[0]).toMatchObject({ a: "@handle and user@localhost", b: "price @ 20 USD", c: "a@b" });
  });

  it("replaces phone numbers (international, or 10 to 13 digits) but not ids, dates or counts", () => {
    const { logger, parsed } = capture();
    logger.info("numbers", {
      international: "call +1 (555) 123-4567 today",
      compact: "wa_id 15551234567",
      dashed: "555-123-4567.",
      uuid: "123e4567-e89b-12d3-a456-426614174000",
      allDigitsTail: "lead 8f1c2d3e-0000-4000-8000-123456789012 done",
      iso: "2026-05-01T12:00:00.000Z",
      instagramId: "17841400000000077",
      count: "sent 42 of 1000",
      version: "v22.0",
    });
    expect(parsed()[0]).toMatchObject({
      international: "call [phone] today",
      compact: "wa_id [phone]",
      dashed: "[phone].",
      uuid: "123e4567-e89b-12d3-a456-426614174000",
      allDigitsTail: "lead 8f1c2d3e-0000-4000-8000-123456789012 done",
      iso: "2026-05-01T12:00:00.000Z",
      instagramId: "17841400000000077",
      count: "sent 42 of 1000",
      version: "v22.0",
    });
  });

  it("drops the parts of a Postgres error that quote the data (detail, where, internal query)", () => {
    const { logger, lines, parsed } = capture();
    const pgError = Object.assign(new Error("invalid input syntax for type json"), {
      code: "22P02",
      detail: 'Token ""hello, I would like the yoga class" is invalid.',
      where: 'JSON data, line 1: {"text": "hello, I would like the yoga class\nunnamed portal parameter $1 = \'...\'',
      internalQuery: "SELECT 'I would like the yoga class'",
      routine: "json_errsave_error",
    });
    logger.error("capture failed", { error: new Error("capture failed", { cause: pgError }) });
    expect(lines[0]).not.toContain("yoga");
    expect(parsed()[0]!.error).toMatchObject({ cause: { message: "invalid input syntax for type json", code: "22P02", routine: "json_errsave_error" } });
  });

  it("keeps only the reason of a Prisma error, not the arguments it prints", () => {
    const { logger, lines, parsed } = capture();
    const prismaError = Object.assign(
      new Error('\nInvalid `tx.message.create()` invocation:\n\n{\n  data: {\n    body: "hello, I would like the yoga class",\n  }\n}\n\nArgument `userId` is missing.'),
      { name: "PrismaClientValidationError", clientVersion: "7.10.1" },
    );
    logger.error("capture failed", { error: prismaError });
    expect(lines[0]).not.toContain("yoga");
    const error = parsed()[0]!.error as { message: string; stack: string };
    expect(error.message).toBe("Argument `userId` is missing.");
    expect(error.stack).toMatch(/^\s+at /);
  });

  it("logs an error's stack as its frames only (the message is logged once, redacted)", () => {
    const { logger, lines, parsed } = capture();
    logger.error("failed", { error: new Error("no lead for ada@example.com") });
    expect(lines[0]).not.toContain("ada@example.com");
    const error = parsed()[0]!.error as { message: string; stack: string };
    expect(error.message).toBe("no lead for [email]");
    expect(error.stack.split("\n").every((line) => /^\s+at /.test(line))).toBe(true);
  });
});

describe("long and hostile log input", () => {
  it("caps each string, without leaving part of a secret at the cut", () => {
    const { logger, lines, parsed } = capture();
    for (let offset = 1; offset < SECRET.length; offset++) {
      logger.info("big", { body: `${"x".repeat(MAX_LOGGED_STRING_LENGTH - offset)}${SECRET}${"y".repeat(50)}` });
    }
    for (const line of lines) expect(line).not.toContain(SECRET.slice(0, 4));
    const body = parsed()[0]!.body as string;
    expect(body.length).toBeLessThan(MAX_LOGGED_STRING_LENGTH + 40);
    expect(body).toMatch(/… \[\d+ more characters\]$/);
  });

  // A quadratic shape over any of these would not finish within the test timeout.
  it.each([
    ["dotted words", "a.".repeat(500_000)],
    ["at signs", "a@".repeat(500_000)],
    ["percent-encoded at signs", "a%40".repeat(250_000)],
    ["schemes", "a://".repeat(250_000)],
    ["credentials without an end", `postgres://user:${"p".repeat(1_000_000)}`],
    ["digit groups", "1-".repeat(500_000)],
    ["plus signs", "+1 ".repeat(333_333)],
  ])("finishes on 1 MB of %s", (_name, text) => {
    const { logger, lines } = capture();
    logger.error(text, { text, nested: { text } });
    expect(lines).toHaveLength(1);
  });
});
