import type { SendOutcome } from "@audnix/core";
import { classifyGraphError, classifyNetworkError } from "./graph-error.ts";

// One Graph API send shared by the Instagram and WhatsApp senders: POST JSON with the token as a
// Bearer header (never in the URL, so no log line or error can carry it), a deadline, and every
// answer classified into a SendOutcome.

export interface GraphSendInput {
  platform: string;
  url: string;
  accessToken: string;
  body: unknown;
  /** Picks the platform's message id out of a 2xx answer. */
  messageIdOf(answer: unknown): string | undefined;
  fetch?: typeof fetch;
  timeoutMs: number;
  now?: () => Date;
}

export async function postGraphMessage(input: GraphSendInput): Promise<SendOutcome> {
  const doFetch = input.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(input.url, {
      method: "POST",
      headers: { Authorization: `Bearer ${input.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify(input.body),
      signal: AbortSignal.timeout(input.timeoutMs),
    });
  } catch (error) {
    return classifyNetworkError(input.platform, error);
  }
  let answer: unknown;
  try {
    answer = await response.json();
  } catch {
    // The connection dropped mid-answer, or a proxy answered HTML: the status line still says
    // whether Meta took the message.
    answer = undefined;
  }
  if (response.ok) {
    const messageId = input.messageIdOf(answer);
    if (messageId) return { status: "sent", providerMessageId: messageId };
    // Never "retry" after a 2xx: the platform took the message, and a second send would reach the
    // lead twice. Without its id we cannot confirm it either.
    return { status: "unconfirmed", reason: `${input.platform} accepted the message but its answer had no message id` };
  }
  return classifyGraphError({
    platform: input.platform,
    status: response.status,
    body: answer,
    retryAfter: response.headers.get("retry-after"),
    ...(input.now ? { now: input.now } : {}),
  });
}
