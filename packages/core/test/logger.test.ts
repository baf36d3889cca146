import { describe, expect, it } from "vitest";
import { createLogger, type LoggerOptions } from "../src/logging/logger.ts";

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

  it("serializes an Error as name, message and stack, redacted", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new TypeError(`bad login ${SECRET}`), { code: "28P01" });
    logger.error("failed", { err: error });
    expect(lines[0]).not.toContain(SECRET);
    const err = JSON.parse(lines[0]!).err;
    expect(err.name).toBe("TypeError");
    expect(err.message).toBe("bad login [redacted]");
    expect(err.stack).toContain("TypeError: bad login [redacted]");
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
