import { whatsappErrorMeaning, type SendOutcome } from "@audnix/core";
import { z } from "zod";

// Turns a Meta Graph API failure (Instagram and WhatsApp share the envelope
// {error:{message,type,code,error_subcode,fbtrace_id}}) into the SendOutcome the engine acts on.
// Reasons are ours, short and human; Meta's own message is never echoed, so nothing it quotes
// (ids, URLs with tokens) can reach a log or the dashboard.

export type FailedSendOutcome = Exclude<SendOutcome, { status: "sent" }>;

export interface GraphErrorInput {
  /** "Instagram" or "WhatsApp": names the platform in the reason. */
  platform: string;
  status: number;
  body: unknown;
  /** The Retry-After header, when Meta sent one. */
  retryAfter?: string | null;
  now?: () => Date;
}

const graphErrorBodySchema = z.object({
  error: z.looseObject({
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    type: z.string().optional(),
  }),
});

// 4 app, 17 user, 32 page, 613 custom, 80002/80006/80007 Instagram/WhatsApp business use-case limits;
// 130429 Cloud API throughput, 131048 spam rate limit, 131056 too many messages to one user.
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80002, 80006, 80007, 130429, 131048, 131056]);
// 1 unknown, 2 service unavailable, 131000 "something went wrong", 131016 service overloaded.
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);
// 190 invalid token; 102 session key invalid. Subcodes 458 app removed, 460 password changed,
// 463 expired, 467 invalid. 131005 access denied (permission removed from the system user).
const TOKEN_CODES = new Set([102, 190, 131005]);
const TOKEN_SUBCODES = new Set([458, 460, 463, 467]);
// Instagram: (#10) "This message is sent outside of allowed window" (subcode 2534022; Messenger uses
// 2018278). WhatsApp: 131047 re-engagement message, more than 24 h since the customer replied.
const WINDOW_SUBCODES = new Set([2018278, 2534022]);
const WHATSAPP_WINDOW_CODE = 131047;

// WhatsApp's codes are read with core's whatsappErrorMeaning, the table its failed statuses use too.
const PERMANENT_REASONS: Record<number, string> = {
  551: "the recipient is not available (blocked the account or deactivated)",
  100: "the platform rejected the message as invalid",
};

export function classifyGraphError(input: GraphErrorInput): FailedSendOutcome {
  const error = graphErrorBodySchema.safeParse(input.body).data?.error;
  const code = error?.code;
  const subcode = error?.error_subcode;
  const label = code === undefined ? `HTTP ${input.status}` : subcode === undefined ? `code ${code}` : `code ${code}/${subcode}`;

  if (code !== undefined && (TOKEN_CODES.has(code) || (subcode !== undefined && TOKEN_SUBCODES.has(subcode)))) {
    return { status: "token_invalid", reason: `${input.platform} rejected the access token (${label}); the owner must reconnect` };
  }
  if (code === WHATSAPP_WINDOW_CODE || (subcode !== undefined && WINDOW_SUBCODES.has(subcode))) {
    return { status: "window_closed", reason: `${input.platform}'s 24-hour messaging window is closed (${label})` };
  }
  if (input.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    return withRetryAfter({ status: "retry", reason: `${input.platform} rate limit reached (${label})` }, input);
  }
  if (input.status >= 500 && error === undefined) {
    // No Graph error envelope: a proxy or gateway answered (502/504 after its own timeout), and the
    // request may have reached Meta behind it.
    return { status: "unconfirmed", reason: `${input.platform} answered ${label} without saying whether the message was sent` };
  }
  if (input.status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return withRetryAfter({ status: "retry", reason: `${input.platform} is temporarily unavailable (${label})` }, input);
  }
  const known = code === undefined ? undefined : ((input.platform === "WhatsApp" ? whatsappErrorMeaning(code) : undefined) ?? PERMANENT_REASONS[code]);
  return { status: "permanent", reason: `${input.platform} refused the message: ${known ?? "request rejected"} (${label})` };
}

// Failures of fetch (undici) that happen before a byte of the request is written: nothing can
// have reached Meta, so another try cannot make a duplicate. Everything else (a timeout while
// waiting for the answer, a reset after the request left) may have been delivered.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * A send that got no HTTP answer. Retry only when the request provably never left (refused, DNS,
 * connect timeout); a timeout or reset after it left is "unconfirmed", never resent on our own.
 */
export function classifyNetworkError(platform: string, error: unknown): FailedSendOutcome {
  if (neverLeft(error)) return { status: "retry", reason: `${platform} could not be reached` };
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return {
    status: "unconfirmed",
    reason: timedOut ? `${platform} did not answer in time; the message may have been delivered` : `the connection to ${platform} broke after the message was sent`,
  };
}

/** fetch wraps the socket error in `cause`; a failed happy-eyeballs connect wraps each attempt in an AggregateError. */
function neverLeft(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  if (!(cause instanceof Error)) return false;
  if (cause instanceof AggregateError && cause.errors.length > 0) return cause.errors.every((attempt) => NOT_SENT_CODES.has(codeOf(attempt)));
  return NOT_SENT_CODES.has(codeOf(cause));
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

function withRetryAfter(outcome: Extract<SendOutcome, { status: "retry" }>, input: GraphErrorInput): FailedSendOutcome {
  const seconds = parseRetryAfter(input.retryAfter, input.now ?? (() => new Date()));
  return seconds === undefined ? outcome : { ...outcome, retryAfterSeconds: seconds };
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: () => Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now().getTime()) / 1000));
}
