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
 * Sends a DM through the Instagram API with Instagram Login. A message carries the HUMAN_AGENT tag
 * only when the caller set `messageTag` (core's channelMode gives it to a person's reply 24 h - 7 d
 * after the lead's last message, never to the AI); a closed window comes back as window_closed.
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
  // instagram-human-agent.fixture.ts: the tag rides beside recipient and message.
  if (message.messageTag) return { recipient, messaging_type: "MESSAGE_TAG", tag: message.messageTag, message: { text: message.text } };
  return { recipient, message: { text: message.text } };
}
