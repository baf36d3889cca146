export * from "./fact-kinds.ts";
export * from "./extract-facts.ts";
export * from "./merge-facts.ts";
export * from "./fact-words.ts";
export * from "./model-facts.ts";
export * from "./fact-jobs.ts";
export * from "./extract-lead-facts.ts";
