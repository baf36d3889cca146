// Check 6 (docs/decisions/0017): every core function that reads outside text, over every
// adversarial text of the text engineers' corpus (packages/core/test/support), at 2 MB in the full
// run. A linear function takes milliseconds per call; a quadratic one would take hours, so the
// per-call budget only a complexity regression can blow (and the fast slice times out instead).
import { expect, it } from "vitest";
import { adversarialTexts } from "../../../../packages/core/test/support/adversarial-texts.ts";
import { TEXT_FUNCTIONS } from "../../../../packages/core/test/support/text-functions.ts";
import { recordFigures, type Figure } from "./figures.ts";
import { FULL_SCALE, scale, TEXT_CALL_BUDGET_MS } from "./scale.ts";

const CHECK = "6 adversarial texts through every text function";

it(`${CHECK}: each call finishes, none near a quadratic's time`, async ({ task }) => {
  const texts = adversarialTexts(scale.textChars);
  const slowest = new Map<string, { ms: number; text: string }>();
  const threw: string[] = [];
  for (const fn of TEXT_FUNCTIONS) {
    // One-time work (Unicode normalization tables, JIT) is not the function's cost per text.
    await fn.run("warm up");
    for (const { name, text } of texts) {
      const started = performance.now();
      try {
        await fn.run(text);
      } catch (error) {
        threw.push(`${fn.name} on "${name}": ${error instanceof Error ? error.name : "error"}`);
      }
      const ms = performance.now() - started;
      if (ms >= (slowest.get(fn.name)?.ms ?? -1)) slowest.set(fn.name, { ms, text: name });
    }
  }
  const overBudget = [...slowest].filter(([, { ms }]) => ms > TEXT_CALL_BUDGET_MS).map(([fn, { ms, text }]) => `${fn} on "${text}": ${Math.round(ms)} ms`);
  const perFunction: Figure[] = [...slowest]
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([fn, { ms, text }]) => [`max ms: ${fn}`, `${Math.round(ms)} ("${text}")`]);
  recordFigures(task, CHECK, [
    ["text size (characters)", scale.textChars],
    ["functions x texts", `${TEXT_FUNCTIONS.length} x ${texts.length}`],
    ["per-call budget, ms (full scale)", TEXT_CALL_BUDGET_MS],
    ["calls that threw", threw.length],
    ...perFunction,
  ]);

  expect.soft(threw, "calls that threw on adversarial text").toEqual([]);
  if (FULL_SCALE) expect.soft(overBudget, "calls over the per-call budget").toEqual([]);
});
