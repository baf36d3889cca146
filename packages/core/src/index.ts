export * from "./logging/logger.ts";
export * from "./billing/plans.ts";
export * from "./billing/trial.ts";
