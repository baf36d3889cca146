export { captureChildOutput, findSecretLeaks, recordTestSecret, type SecretLeak } from "./log-audit.ts";
export * from "./knowledge-files.ts";
export * from "./local-site.ts";
