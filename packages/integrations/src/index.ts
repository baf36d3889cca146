// Vendor adapters, one folder per vendor (instagram, whatsapp, email, ...; meta/ holds what Instagram
// and WhatsApp share). Each folder holds the adapter implementing a port from @audnix/core and that
// vendor's fake, which speaks the documented protocol (payloads, headers, signatures) and serves
// sandbox mode, tests and benchmarks alike.
export * from "./meta/fake-signature.ts";
export * from "./instagram/fake-webhooks.ts";
export * from "./whatsapp/fake-webhooks.ts";
export * from "./email/mailgun-inbound.ts";
export * from "./email/mailgun-form-job.ts";
export type { FakeMail, FakeMailAttachment } from "./email/fake-mime.ts";
export * from "./email/fake-mailgun.ts";
export * from "./stripe/verify-webhook.ts";
export * from "./stripe/fake-webhooks.ts";
export * from "./lemonsqueezy/fake-webhooks.ts";
export * from "./whatsapp/fake-whatsapp-cloud.ts";
export * from "./whatsapp/whatsapp-phone-number.ts";
export * from "./email/fake-smtp-server.ts";
export * from "./email/smtp-verify.ts";
export type { FakeIdentity, IdTokenOverrides } from "./openid/fake-openid-provider.ts";
export * from "./google/fake-google.ts";
export * from "./apple/fake-apple.ts";
export * from "./instagram/instagram-oauth.ts";
export * from "./instagram/fake-instagram.ts";
export type { ScriptedFailure } from "./fake-http.ts";
export * from "./sandbox/sandbox-sender.ts";
export * from "./openai/openai-generator.ts";
export * from "./openai/fake-openai.ts";
export * from "./openai/openai-embedder.ts";
export * from "./instagram/instagram-sender.ts";
export * from "./instagram/instagram-user-profile.ts";
export * from "./whatsapp/whatsapp-sender.ts";
export * from "./email/smtp-sender.ts";
export * from "./email/platform-mailer.ts";
export * from "./email/fake-smtp-inbox.ts";
export * from "./elevenlabs/elevenlabs-synthesizer.ts";
export * from "./elevenlabs/fake-elevenlabs.ts";
export * from "./knowledge/extract-file.ts";
export * from "./knowledge/site-fetcher.ts";
export * from "./knowledge/extract-pool.ts";
