// Lead memory (docs/decisions/0022): the keyless fact rules run once per inbound message, in the
// worker. Measured next to the opt-out normalization every message already gets, on the same
// texts: a short DM, the 4,000 characters the rules read at most, and a hostile megabyte (cut
// first, so it costs what 4,000 characters cost).
import { extractFactsByRules, normalizeForMatching } from "@audnix/core";
import { printTable, runClosedLoop, summarize } from "./stats.ts";

const DM = "Hi, I'm Sam. I'm in London and I'm looking for a yoga mat, my email is sam@shop.example. My budget is $200";
const LONG = `${DM} `.repeat(40).slice(0, 4_000);
const HOSTILE = "a.a.a.+0 0 0 call me ".repeat(50_000);
const DURATION_MS = 1_500;

export async function benchLeadFacts(): Promise<void> {
  const texts = [
    ["DM", DM],
    ["4,000 characters", LONG],
    ["1 MB hostile", HOSTILE],
  ] as const;
  for (const [name, text] of texts) {
    const baseline = summarize(
      await runClosedLoop(`normalizeForMatching (${name})`, 1, DURATION_MS, () => {
        normalizeForMatching(text);
        return Promise.resolve();
      }),
    );
    const rules = summarize(
      await runClosedLoop(`extractFactsByRules (${name})`, 1, DURATION_MS, () => {
        extractFactsByRules(text);
        return Promise.resolve();
      }),
    );
    printTable(`Lead facts by rules: ${name} (${text.length} characters)`, [baseline, rules], baseline, "linear in the text, capped at 4,000 characters");
  }
}
