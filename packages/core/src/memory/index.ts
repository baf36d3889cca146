export * from "./history-window.ts";
export * from "./extractive-summary.ts";
export * from "./summarize.ts";
export * from "./jobs.ts";
