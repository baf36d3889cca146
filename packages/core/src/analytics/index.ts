export * from "./local-days.ts";
export * from "./range.ts";
export * from "./response-histogram.ts";
export * from "./figures.ts";
export * from "./overview.ts";
export * from "./series.ts";
