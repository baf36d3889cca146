// Vendor adapters, one folder per vendor (instagram, whatsapp, email, ...; meta/ holds what Instagram
// and WhatsApp share). Each folder holds the adapter implementing a port from @audnix/core and that
// vendor's fake, which speaks the documented protocol (payloads, headers, signatures) and serves
// sandbox mode, tests and benchmarks alike.
export * from "./meta/fake-signature.ts";
export * from "./instagram/fake-webhooks.ts";
export * from "./whatsapp/fake-webhooks.ts";
export * from "./email/mailgun-inbound.ts";
export type { FakeMail, FakeMailAttachment } from "./email/fake-mime.ts";
export * from "./email/fake-mailgun.ts";
export * from "./stripe/verify-webhook.ts";
export * from "./stripe/fake-webhooks.ts";
export * from "./lemonsqueezy/fake-webhooks.ts";
