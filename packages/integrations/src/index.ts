// Vendor adapters, one folder per vendor (instagram, whatsapp, email, openai, elevenlabs, stripe,
// lemonsqueezy, sandbox). Each folder holds the adapter implementing a port from @audnix/core and
// that vendor's fake, which speaks the documented protocol and serves both sandbox mode and tests.
// The first adapters arrive with lead capture and the follow-up engine.
export {};
