import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { failureScript, listenFake, readJsonBody, sendJson, slowAnswers, type ScriptedFailure } from "../fake-http.ts";
import { fakeSequence } from "../fake-sequence.ts";
import { whatsappStatusReporter, type WhatsAppStatusWebhook } from "./fake-status-reports.ts";
import type { WhatsAppStatus, WhatsAppStatusError } from "./fake-webhooks.ts";

// The slice of the WhatsApp Cloud API (graph.facebook.com) the product calls: reading a business
// phone number and sending messages from it, with Graph's error bodies. Serves tests and sandbox mode.

export interface FakeWhatsappPhoneNumber {
  /** phone_number_id: what the product stores as the connection's external account id. */
  id: string;
  displayPhoneNumber: string;
  verifiedName: string;
  /** The only token this number accepts. */
  accessToken: string;
}

export interface FakeWhatsappSentMessage {
  phoneNumberId: string;
  to: string;
  type: "text" | "template" | "audio";
  /** The request body exactly as received. */
  payload: Record<string, unknown>;
  messageId: string;
  accessToken: string;
}

export interface HeldSends {
  /** Resolves once the next send arrived and was recorded (its answer is still held back). */
  received: Promise<void>;
  /** Lets the held send (and any later one) answer. */
  release(): void;
}

export interface FakeWhatsappCloud {
  /** Base URL standing in for https://graph.facebook.com (no version segment). */
  url: string;
  phoneNumbers: FakeWhatsappPhoneNumber[];
  sentMessages: FakeWhatsappSentMessage[];
  /** From now on free-form sends to `to` fail with 131047 until `openWindowFor(to)`. */
  closeWindowFor(to: string): void;
  openWindowFor(to: string): void;
  holdSends(): HeldSends;
  /** The token stops working everywhere (error 190), as when the owner revokes the system user. */
  revokeToken(token: string): void;
  /** The next `times` sends answer with this instead of being sent (429/5xx scripts). */
  failNextSend(response: ScriptedFailure, times?: number): void;
  /** From now on every send is recorded, then answered only after `delayMs` (null: at once again). */
  answerSendsAfter(delayMs: number | null): void;
  /**
   * Posts a status of a message this fake sent to `statusWebhook`, as WhatsApp does; returns the
   * webhook's HTTP status. Throws without a webhook or for a wamid this fake never sent.
   */
  reportStatus(messageId: string, status: WhatsAppStatus["status"], error?: WhatsAppStatusError): Promise<number>;
  close(): Promise<void>;
}

export interface FakeWhatsappCloudOptions {
  phoneNumbers?: FakeWhatsappPhoneNumber[];
  port?: number;
  /** Seeds the wamid ids; random by default so two fakes on one database never reuse an id. */
  seed?: string;
  /**
   * Where statuses go (reportStatus). With `afterSend`, each send is followed by these statuses,
   * `delayMs` apart (sandbox mode: the lead page shows Delivered, then Read); failed posts are dropped.
   */
  statusWebhook?: WhatsAppStatusWebhook & { afterSend?: { statuses: WhatsAppStatus["status"][]; delayMs: number } };
}

/** The number a fake started without options serves (sandbox mode shows these on the page). */
export const FAKE_WHATSAPP_DEFAULT_NUMBER: FakeWhatsappPhoneNumber = {
  id: "100000000000001",
  displayPhoneNumber: "+1 555-010-0001",
  verifiedName: "Audnix Sandbox",
  accessToken: "fake-whatsapp-access-token",
};

const sendBodySchema = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  to: z.string().min(1),
  type: z.enum(["text", "template", "audio"]).default("text"),
  text: z.object({ body: z.string().min(1) }).optional(),
  template: z.object({ name: z.string().min(1), language: z.object({ code: z.string().min(1) }) }).optional(),
  audio: z.object({ link: z.url() }).optional(),
});

export async function startFakeWhatsappCloud(options: FakeWhatsappCloudOptions = {}): Promise<FakeWhatsappCloud> {
  const phoneNumbers = [...(options.phoneNumbers ?? [FAKE_WHATSAPP_DEFAULT_NUMBER])];
  const sentMessages: FakeWhatsappSentMessage[] = [];
  const closedWindows = new Set<string>();
  const revokedTokens = new Set<string>();
  const scripted = failureScript();
  const slow = slowAnswers();
  const ids = fakeSequence(options.seed ?? randomBytes(6).toString("hex"), new Date(0));
  let hold: { gate: Promise<void>; arrived: () => void; release: () => void } | null = null;
  const statusWebhook = options.statusWebhook;
  const report = statusWebhook ? whatsappStatusReporter(statusWebhook) : null;
  const reportTimers = new Set<NodeJS.Timeout>();
  let closed = false;

  async function reportStatus(messageId: string, status: WhatsAppStatus["status"], error?: WhatsAppStatusError): Promise<number> {
    const sent = sentMessages.find((message) => message.messageId === messageId);
    const number = phoneNumbers.find((candidate) => candidate.id === sent?.phoneNumberId);
    if (!report) throw new Error("this fake WhatsApp has no statusWebhook to report to");
    if (!sent || !number) throw new Error(`this fake WhatsApp never sent ${messageId}`);
    return report({ phoneNumberId: number.id, displayPhoneNumber: number.displayPhoneNumber, to: sent.to, messageId }, status, error);
  }

  // The statuses WhatsApp would post after a send, one after another, each `delayMs` after the last.
  function reportInTurn(messageId: string, statuses: WhatsAppStatus["status"][], delayMs: number): void {
    const [status, ...rest] = statuses;
    if (!status || closed) return;
    const timer = setTimeout(() => {
      reportTimers.delete(timer);
      void reportStatus(messageId, status)
        .catch(() => 0)
        .finally(() => reportInTurn(messageId, rest, delayMs));
    }, delayMs);
    reportTimers.add(timer);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const route = /^\/v\d+\.\d+\/([^/]+)(\/messages)?\/?$/.exec(url.pathname);
    if (!route?.[1]) return graphError(response, 400, 100, "GraphMethodException", "Unknown path components");
    const phoneNumberId = decodeURIComponent(route[1]);
    const token = bearerToken(request) ?? url.searchParams.get("access_token");
    if (!token) return graphError(response, 400, 104, "OAuthException", "An access token is required to request this resource.");
    if (revokedTokens.has(token) || !phoneNumbers.some((number) => number.accessToken === token)) {
      return graphError(response, 401, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token");
    }
    const number = phoneNumbers.find((candidate) => candidate.id === phoneNumberId && candidate.accessToken === token);
    if (!number) {
      return graphError(
        response,
        400,
        100,
        "GraphMethodException",
        `Unsupported ${request.method === "POST" ? "post" : "get"} request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { error_subcode: 33 },
      );
    }
    const isSend = route[2] !== undefined;
    if (!isSend && request.method === "GET") {
      return sendJson(response, 200, { verified_name: number.verifiedName, display_phone_number: number.displayPhoneNumber, id: number.id });
    }
    if (!isSend || request.method !== "POST") return graphError(response, 400, 100, "GraphMethodException", "Unsupported request method");
    await send(request, response, number, token);
  }

  async function send(request: IncomingMessage, response: ServerResponse, number: FakeWhatsappPhoneNumber, token: string): Promise<void> {
    const raw = await readJsonBody(request);
    const parsed = sendBodySchema.safeParse(raw);
    if (!parsed.success || !parsed.data[parsed.data.type]) {
      return graphError(response, 400, 100, "OAuthException", "(#100) Invalid parameter");
    }
    const failure = scripted.next();
    if (failure) return sendJson(response, failure.status, failure.body ?? {}, failure.headers);
    const body = parsed.data;
    if (body.type !== "template" && closedWindows.has(body.to)) {
      return graphError(response, 400, 131047, "OAuthException", "(#131047) Re-engagement message", {
        error_data: {
          messaging_product: "whatsapp",
          details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        },
      });
    }
    const messageId = ids.id("wamid.", ids.next());
    sentMessages.push({ phoneNumberId: number.id, to: body.to, type: body.type, payload: raw as Record<string, unknown>, messageId, accessToken: token });
    if (hold) {
      const { gate, arrived } = hold;
      arrived();
      await gate;
    }
    if (!(await slow.wait(response))) return;
    sendJson(response, 200, { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to.replace(/\D/g, "") }], messages: [{ id: messageId }] });
    const afterSend = statusWebhook?.afterSend;
    if (afterSend) reportInTurn(messageId, afterSend.statuses, afterSend.delayMs);
  }

  const server = await listenFake(options.port, handle);

  return {
    url: server.url,
    phoneNumbers,
    sentMessages,
    closeWindowFor: (to) => void closedWindows.add(to),
    openWindowFor: (to) => void closedWindows.delete(to),
    revokeToken: (token) => void revokedTokens.add(token),
    failNextSend: (response, times) => scripted.add(response, times),
    answerSendsAfter: (delayMs) => slow.set(delayMs),
    reportStatus,
    holdSends() {
      let arrived = () => {};
      let open = () => {};
      const received = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (open = resolve));
      const release = () => {
        hold = null;
        open();
      };
      hold = { gate, arrived, release };
      return { received, release };
    },
    async close() {
      // A held send would otherwise keep its socket open forever.
      hold?.release();
      closed = true;
      for (const timer of reportTimers) clearTimeout(timer);
      await server.close();
    },
  };
}

function bearerToken(request: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match?.[1] ?? null;
}

/** Graph's error envelope: {error:{message,type,code,fbtrace_id,...}}. */
function graphError(response: ServerResponse, status: number, code: number, type: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(response, status, { error: { message, type, code, ...extra, fbtrace_id: "AFakeTraceIdForTests" } });
}
