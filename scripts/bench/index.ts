// pnpm bench: every benchmark the issues name, each next to a baseline measured in the same run.
// Figures are only comparable within one run: these machines are shared and noisy.
import { benchIngest } from "./ingest.ts";
import { benchKnowledge } from "./knowledge.ts";
import { benchKnowledgeSources } from "./knowledge-sources.ts";
import { benchLeadFacts } from "./lead-facts.ts";
import { benchPipeline } from "./pipeline.ts";

await benchIngest();
await benchPipeline();
await benchKnowledge();
await benchKnowledgeSources();
await benchLeadFacts();
