export * from "./platform-mailer.ts";
export * from "./platform-smtp-config.ts";
