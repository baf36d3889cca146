import { createHash } from "node:crypto";
import { deliveryIdOf, MalformedDeliveryError, type MailgunSignatureFields, type ParsedDelivery } from "@audnix/core";
import { parseMailgunInbound } from "./mailgun-inbound.ts";

/** The worker-thread module that runs decodeMailgunForm; a file URL, resolved where this package lives. */
export const MAILGUN_FORM_WORKER_URL = new URL("./mailgun-form-worker.ts", import.meta.url).href;

/**
 * One signed Mailgun POST to decode off the event loop (mailgun-form-worker.ts). Everything in it
 * survives a structured clone; `body`'s buffer is transferred to the worker, not copied.
 */
export interface MailgunFormJob {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  /** What the byte scan read and verified: the decoded form must carry the same three values. */
  signature: MailgunSignatureFields;
  receivedAt: Date;
  /**
   * False for a token already used: only its content hash is needed to tell Mailgun's retry from a
   * replay, so the MIME is not parsed.
   */
  parseMime: boolean;
}

/**
 * A closed outcome, not a thrown error: errors lose their class crossing threads. `deliveryId` is
 * the raw body's hash (core's deliveryIdOf), taken here because hashing 25 MB takes the event loop
 * about 70 ms.
 */
export type MailgunFormResult = { deliveryId: string } & (
  | { kind: "unreadable_form" }
  | { kind: "signature_mismatch" }
  | { kind: "hashed"; contentSha256: string }
  | { kind: "malformed"; contentSha256: string; problem: string }
  | { kind: "parsed"; contentSha256: string; delivery: ParsedDelivery }
);

/** Delivery id, form decode, signature agreement, content hash and (when asked) the MIME parse of one POST. */
export async function decodeMailgunForm(job: MailgunFormJob): Promise<MailgunFormResult> {
  const deliveryId = deliveryIdOf(job.body);
  const fields = await readFormFields(job.body, job.contentType);
  if (fields === null) return { deliveryId, kind: "unreadable_form" };
  // The decoder must read the same signature the quick scan verified, or the two disagree on the form.
  const { timestamp, token, signature } = job.signature;
  if (fields.timestamp !== timestamp || fields.token !== token || fields.signature !== signature) return { deliveryId, kind: "signature_mismatch" };
  const contentSha256 = fingerprintOf(fields);
  if (!job.parseMime) return { deliveryId, kind: "hashed", contentSha256 };
  try {
    return { deliveryId, kind: "parsed", contentSha256, delivery: await parseMailgunInbound(fields, job.receivedAt) };
  } catch (error) {
    if (!(error instanceof MalformedDeliveryError)) throw error;
    return { deliveryId, kind: "malformed", contentSha256, problem: error.message };
  }
}

/** The form's content, whatever its encoding or multipart boundary: a retry of the same form hashes the same. */
function fingerprintOf(fields: Record<string, string>): string {
  const entries = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}

/**
 * The form's text fields. In the MIME format attachments travel inside body-mime, so file parts
 * (which only the other format sends) are left out.
 */
async function readFormFields(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<Record<string, string> | null> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return null;
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}
