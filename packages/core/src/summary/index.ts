export * from "./week.ts";
export * from "./summary-content.ts";
export * from "./highlights.ts";
export * from "./summary-text.ts";
export * from "./summary-email.ts";
export * from "./jobs.ts";
