// The fuzzer's own contract (docs/decisions/0017): a seed names one exact sequence of requests,
// so a failing run can be replayed, and a run covers every route and every kind of bad request.
import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { FUZZ_KINDS, fuzzRequests } from "./fuzz-cases.ts";
import { WEBHOOK_ROUTES } from "./fuzz-payloads.ts";
import { webhookSecrets } from "./webhook-secrets.ts";

const SEED = 7;
// Enough for every route to draw even the rarest kinds (2 % each) with this seed.
const COVERAGE_COUNT = 1_200;
const REPLAY_COUNT = 100;
const fixedClock = () => new Date("2026-12-01T12:00:00.000Z");

function digest(seed: number): string[] {
  return [...fuzzRequests({ seed, count: REPLAY_COUNT, secrets: webhookSecrets(seed), now: fixedClock })].map((request) =>
    createHash("sha256").update(`${request.method} ${request.path} ${JSON.stringify(request.headers)} `).update(request.body).digest("hex"),
  );
}

it("the same seed gives the same requests, another seed others", () => {
  expect(digest(SEED)).toEqual(digest(SEED));
  expect(digest(SEED + 1)).not.toEqual(digest(SEED));
});

it("every route gets every kind of bad request", () => {
  const seen = new Set([...fuzzRequests({ seed: SEED, count: COVERAGE_COUNT, secrets: webhookSecrets(SEED), now: fixedClock })].map((request) => `${request.route} ${request.kind}`));
  expect([...seen].sort()).toEqual(WEBHOOK_ROUTES.flatMap((route) => FUZZ_KINDS.map((kind) => `${route} ${kind}`)).sort());
});
