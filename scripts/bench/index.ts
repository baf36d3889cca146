// pnpm bench: every benchmark the issues name, each next to a baseline measured in the same run.
// Figures are only comparable within one run: these machines are shared and noisy.
// `pnpm bench analytics pipeline` runs only the benches named.
import { benchAnalytics } from "./analytics.ts";
import { benchIngest } from "./ingest.ts";
import { benchKnowledge } from "./knowledge.ts";
import { benchKnowledgeSources } from "./knowledge-sources.ts";
import { benchLeadFacts } from "./lead-facts.ts";
import { benchPipeline } from "./pipeline.ts";

const benches: Record<string, () => Promise<void>> = {
  ingest: benchIngest,
  pipeline: benchPipeline,
  knowledge: benchKnowledge,
  "knowledge-sources": benchKnowledgeSources,
  "lead-facts": benchLeadFacts,
  analytics: benchAnalytics,
};
const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in benches));
if (unknown.length) {
  console.error(`Unknown bench: ${unknown.join(", ")}. Choose from: ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(benches)) {
  if (named.length === 0 || named.includes(name)) await run();
}
