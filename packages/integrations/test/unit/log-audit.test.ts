import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findSecretLeaks } from "../../src/testing/log-audit.ts";

const dirs: string[] = [];
function auditDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "audnix-audit-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const ledger = (...secrets: string[]) => secrets.map((secret) => `${JSON.stringify(secret)}\n`).join("");

describe("the secret audit of the suite's logs", () => {
  it("finds a secret printed as is, URL-encoded or base64-encoded, and names file and line", () => {
    const token = "IGAAtoken/with+chars=";
    const dir = auditDir({
      "secrets.ledger": ledger(token, "smtp-password-123"),
      "web-server-1.log": `{"msg":"ok"}\n{"msg":"GET /me?access_token=${encodeURIComponent(token)}"}\n`,
      "worker-2.log": `{"auth":"${Buffer.from("smtp-password-123").toString("base64")}"}\n`,
      "clean.log": `{"msg":"connected @maria"}\n`,
    });
    const { leaks, secrets } = findSecretLeaks(dir);
    expect(secrets).toBe(2);
    expect(leaks.map(({ file, line }) => `${file}:${line}`).sort()).toEqual(["web-server-1.log:2", "worker-2.log:1"]);
    // The report itself must not repeat the secret.
    expect(JSON.stringify(leaks)).not.toContain(token);
  });

  it("passes clean logs, and ignores values too short to be secrets", () => {
    const dir = auditDir({ "secrets.ledger": ledger("a-long-secret-value"), "x.log": `{"msg":"a-long-secret"}\n` });
    expect(findSecretLeaks(dir).leaks).toEqual([]);
  });

  it("treats a run that captured nothing as clean", () => {
    expect(findSecretLeaks(path.join(tmpdir(), "audnix-audit-missing")).leaks).toEqual([]);
  });
});
