export * from "./limits.ts";
export * from "./tokens.ts";
export * from "./chunk-text.ts";
export * from "./search-query.ts";
export * from "./search-config.ts";
export * from "./rrf.ts";
export * from "./embedder.ts";
