import type pg from "pg";
import type { Db } from "../client.ts";
import { captureDelivery, type CaptureInput, type CaptureSummary } from "./capture.ts";

/** The signature token a Mailgun POST carried, and how long its signature is accepted. */
export interface MailgunTokenUse {
  token: string;
  /**
   * A hash of the form's fields, which tells a retry (the same form again) from a replay (another
   * form under the same signature). Not the raw bytes: a retry may re-encode the form.
   */
  contentSha256: string;
  signedAt: Date;
  /** Past this the signature is refused as stale, so the token no longer needs remembering. */
  expiresAt: Date;
}

/** A token seen before: the same content is Mailgun retrying what we stored, other content a replay. */
export function repeatOutcome(firstContentSha256: string, contentSha256: string): "redelivered" | "replayed" {
  return firstContentSha256 === contentSha256 ? "redelivered" : "replayed";
}

/**
 * The content a token was first used with, or null for a token not seen yet. Lets the route answer
 * a repeat before parsing it; the claim inside captureMailgunDelivery stays the authority.
 */
export async function usedMailgunToken(db: Db, token: string): Promise<string | null> {
  const { rows } = await db.pool.query<{ content_sha256: string }>("SELECT content_sha256 FROM mailgun_webhook_tokens WHERE token = $1", [token]);
  return rows[0]?.content_sha256 ?? null;
}

export type MailgunCaptureResult =
  | { outcome: "captured"; summary: CaptureSummary }
  /** The token was used before with this very form: Mailgun retrying a delivery already stored. */
  | { outcome: "redelivered" }
  /** The token was used before with another form: someone reusing a signature they saw. */
  | { outcome: "replayed" };

// Expired rows removed per capture: at least as many expire per capture as were written per capture,
// so this keeps the table at about one window of tokens without a scheduled job.
const SWEEP_BATCH = 100;

/**
 * Records the token and captures the delivery in ONE transaction, so the token is only ever
 * remembered for a delivery that was stored: when the capture fails (we answer 5xx), the token is
 * forgotten with it and Mailgun's retry, which carries the same signature, is accepted. Two copies
 * racing on one token serialize on its primary key; the second sees the first's outcome.
 */
export async function captureMailgunDelivery(db: Db, input: CaptureInput, use: MailgunTokenUse): Promise<MailgunCaptureResult> {
  const client = await db.pool.connect();
  try {
    const result = await claimTokenAndCapture(db, client, input, use);
    client.release();
    return result;
  } catch (error) {
    // Left mid-transaction or broken: dropping the connection rolls back, and the pool opens a fresh one.
    client.release(true);
    throw error;
  }
}

async function claimTokenAndCapture(db: Db, client: pg.PoolClient, input: CaptureInput, use: MailgunTokenUse): Promise<MailgunCaptureResult> {
  await client.query("BEGIN");
  const claim = await client.query(
    `INSERT INTO mailgun_webhook_tokens (token, content_sha256, signed_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (token) DO NOTHING`,
    [use.token, use.contentSha256, use.signedAt, use.expiresAt],
  );
  if (claim.rowCount === 0) {
    const seen = await client.query<{ content_sha256: string }>("SELECT content_sha256 FROM mailgun_webhook_tokens WHERE token = $1", [
      use.token,
    ]);
    await client.query("ROLLBACK");
    return { outcome: repeatOutcome(seen.rows[0]?.content_sha256 ?? "", use.contentSha256) };
  }
  // SKIP LOCKED: concurrent captures never wait on each other's sweep.
  await client.query(
    `DELETE FROM mailgun_webhook_tokens WHERE token IN (
       SELECT token FROM mailgun_webhook_tokens WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [input.receivedAt, SWEEP_BATCH],
  );
  const summary = await captureDelivery(db, input, client);
  await client.query("COMMIT");
  return { outcome: "captured", summary };
}
