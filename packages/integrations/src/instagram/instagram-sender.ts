import type { ChannelSender, OutboundMessage } from "@audnix/core";
import { z } from "zod";
import { postGraphMessage } from "../meta/graph-send.ts";

export interface InstagramSenderOptions {
  /** https://graph.instagram.com (INSTAGRAM_GRAPH_BASE_URL), or the fake's URL. */
  baseUrl?: string;
  apiVersion?: string;
  accessToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

const sendAnswerSchema = z.object({ message_id: z.string().min(1) });

/**
 * Sends a DM through the Instagram API with Instagram Login. Only inside the 24 h window: an
 * automated follow-up may never carry a message tag (HUMAN_AGENT is for people), so none is ever set
 * and a closed window comes back as window_closed for the engine to re-plan.
 */
export function createInstagramSender(options: InstagramSenderOptions): ChannelSender {
  const baseUrl = (options.baseUrl ?? "https://graph.instagram.com").replace(/\/+$/, "");
  const url = `${baseUrl}/${options.apiVersion ?? "v22.0"}/me/messages`;
  return {
    channel: "instagram",
    send: (message) =>
      postGraphMessage({
        platform: "Instagram",
        url,
        accessToken: options.accessToken,
        body: instagramMessageBody(message),
        messageIdOf: (answer) => sendAnswerSchema.safeParse(answer).data?.message_id,
        timeoutMs: options.timeoutMs ?? 15_000,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
  };
}

export function instagramMessageBody(message: OutboundMessage): Record<string, unknown> {
  const recipient = { id: message.recipient.externalId };
  // A voice note replaces the text: the audio says it.
  if (message.voice) return { recipient, message: { attachment: { type: "audio", payload: { url: message.voice.url } } } };
  return { recipient, message: { text: message.text } };
}
