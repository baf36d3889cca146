export { captureChildOutput, findSecretLeaks, recordTestSecret, type SecretLeak } from "./log-audit.ts";
