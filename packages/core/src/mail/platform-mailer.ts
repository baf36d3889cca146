// The platform's own mail (weekly summaries, alerts to owners): sent from Audnix's SMTP account
// (PLATFORM_SMTP_URL), never from an owner's connected mailbox. packages/integrations implements
// the port; apps/jobs wires it.

export interface PlatformEmail {
  /** The owner's address. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Recorded by the caller before send (claim, send, settle: decision 0011). The Message-ID is
   * derived from it, so a retried send is the same email to the owner's mail client.
   */
  idempotencyKey: string;
}

export type PlatformMailOutcome =
  | { status: "sent"; messageId: string }
  /** Nothing was handed over (unreachable, a 4xx, a login the server refused): try again later. */
  | { status: "retry"; reason: string }
  /** The server refused this email for good (5xx): do not try again. */
  | { status: "permanent"; reason: string }
  /** The email may have been accepted (timeout or reset during DATA): never resend it on our own. */
  | { status: "unconfirmed"; reason: string };

export interface PlatformMailer {
  send(email: PlatformEmail): Promise<PlatformMailOutcome>;
}
