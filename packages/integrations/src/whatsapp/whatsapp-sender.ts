import type { ChannelSender, OutboundMessage } from "@audnix/core";
import { z } from "zod";
import { postGraphMessage } from "../meta/graph-send.ts";
import { WHATSAPP_GRAPH_VERSION } from "./whatsapp-phone-number.ts";

export interface WhatsappSenderOptions {
  /** https://graph.facebook.com (WHATSAPP_GRAPH_BASE_URL), or the fake's URL. */
  baseUrl?: string;
  apiVersion?: string;
  phoneNumberId: string;
  accessToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

const sendAnswerSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

/** Sends through the WhatsApp Cloud API: free text or a voice note inside the 24 h window, an approved template outside it. */
export function createWhatsappSender(options: WhatsappSenderOptions): ChannelSender {
  const baseUrl = (options.baseUrl ?? "https://graph.facebook.com").replace(/\/+$/, "");
  const url = `${baseUrl}/${options.apiVersion ?? WHATSAPP_GRAPH_VERSION}/${encodeURIComponent(options.phoneNumberId)}/messages`;
  return {
    channel: "whatsapp",
    send: (message) =>
      postGraphMessage({
        platform: "WhatsApp",
        url,
        accessToken: options.accessToken,
        body: whatsappMessageBody(message),
        messageIdOf: (answer) => sendAnswerSchema.safeParse(answer).data?.messages[0]?.id,
        timeoutMs: options.timeoutMs ?? 15_000,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
  };
}

export function whatsappMessageBody(message: OutboundMessage): Record<string, unknown> {
  const envelope = { messaging_product: "whatsapp", recipient_type: "individual", to: message.recipient.externalId };
  if (message.template) {
    const { name, languageCode, bodyParameters } = message.template;
    const components = bodyParameters.length > 0 ? [{ type: "body", parameters: bodyParameters.map((text) => ({ type: "text", text })) }] : [];
    return { ...envelope, type: "template", template: { name, language: { code: languageCode }, ...(components.length > 0 ? { components } : {}) } };
  }
  if (message.voice) {
    // voice:true shows a voice note (play button, transcript); WhatsApp only allows it for Ogg/Opus.
    const voice = message.voice.contentType === "audio/ogg";
    return { ...envelope, type: "audio", audio: { link: message.voice.url, ...(voice ? { voice: true } : {}) } };
  }
  return { ...envelope, type: "text", text: { body: message.text, preview_url: false } };
}
