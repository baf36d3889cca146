import {
  deliveryIdOf,
  MalformedDeliveryError,
  verifyMetaHandshake,
  verifyMetaSignature,
  type Logger,
  type ParsedDelivery,
} from "@audnix/core";
import { captureAndAcknowledge, type CaptureDelivery } from "./acknowledge-delivery.server.ts";
import { parseJson } from "./parse-json.server.ts";
import { readCappedBody, WEBHOOK_BODY_LIMIT_BYTES } from "./read-capped-body.server.ts";
import { notConfigured, plainText, rejectDelivery, tooLarge, type ChannelSetting } from "./webhook-responses.server.ts";

/** Everything one Meta channel's webhook needs; the route builds it from the environment, tests from fixtures. */
export interface MetaWebhookDeps {
  channel: "instagram" | "whatsapp";
  /** The app secret Meta signs deliveries with (X-Hub-Signature-256). */
  secret: ChannelSetting;
  /** The token the owner typed into Meta's dashboard, echoed back on the subscription handshake. */
  verifyToken: ChannelSetting;
  /** The channel's parser; `receivedAt` bounds the message times it believes. */
  parse: (body: unknown, receivedAt: Date) => ParsedDelivery;
  capture: CaptureDelivery;
  logger: Logger;
  now: () => Date;
}

/**
 * GET: Meta's subscription handshake. Meta sends no signature on it, so none is demanded; the
 * verify token is the proof.
 */
export function handleMetaHandshake(request: Request, deps: MetaWebhookDeps): Response {
  const log = deps.logger.child({ channel: deps.channel });
  if (deps.verifyToken.value === undefined) return notConfigured(log, deps.channel, deps.verifyToken);
  const result = verifyMetaHandshake(new URL(request.url).searchParams, deps.verifyToken.value);
  if (!result.ok) return rejectDelivery(log, 403, "handshake with a wrong verify token");
  log.info("webhook handshake accepted");
  return plainText(200, result.challenge);
}

/**
 * POST: one delivery. The signature is checked on the raw bytes before anything parses them, so
 * an unsigned or forged body never reaches the JSON parser, let alone the database.
 */
export async function handleMetaDelivery(request: Request, deps: MetaWebhookDeps): Promise<Response> {
  const log = deps.logger.child({ channel: deps.channel });
  const secret = deps.secret.value;
  if (secret === undefined) return notConfigured(log, deps.channel, deps.secret);
  const receivedAt = deps.now();

  const body = await readCappedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
  if (!body.ok) return tooLarge(log, WEBHOOK_BODY_LIMIT_BYTES);
  const bytes = body.bytes.byteLength;

  const signature = request.headers.get("X-Hub-Signature-256");
  if (!signature) return rejectDelivery(log, 401, "missing signature", { bytes });
  if (!verifyMetaSignature(body.bytes, signature, secret)) return rejectDelivery(log, 401, "bad signature", { bytes });

  const json = parseJson(body.bytes);
  if (!json.ok) return rejectDelivery(log, 400, "body is not JSON", { bytes });

  let delivery: ParsedDelivery;
  try {
    delivery = deps.parse(json.value, receivedAt);
  } catch (error) {
    if (!(error instanceof MalformedDeliveryError)) throw error;
    return rejectDelivery(log, 400, "unexpected payload shape", { bytes, problem: error.message });
  }
  return captureAndAcknowledge({ log, capture: deps.capture, delivery, deliveryId: deliveryIdOf(body.bytes), bytes: body.bytes.byteLength, receivedAt });
}
