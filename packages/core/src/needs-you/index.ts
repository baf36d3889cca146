export * from "./reasons.ts";
export * from "./reason-words.ts";
export * from "./alert.ts";
export * from "./alert-email.ts";
export * from "./lead-details.ts";
