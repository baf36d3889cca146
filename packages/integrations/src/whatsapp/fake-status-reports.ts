import { signedMetaRequest } from "../meta/fake-signature.ts";
import { whatsappFake, type WhatsAppStatus, type WhatsAppStatusError } from "./fake-webhooks.ts";

// What WhatsApp's servers do after a send: post the message's statuses (sent, delivered, read, or
// failed with errors[]) to the app's webhook, signed with the app secret (X-Hub-Signature-256).

export interface WhatsAppStatusWebhook {
  /** The app's WhatsApp webhook, e.g. http://localhost:3000/api/webhook/whatsapp. */
  url: string;
  appSecret: string;
}

/** A message the fake sent, as far as a status report needs it. */
export interface ReportedSend {
  phoneNumberId: string;
  displayPhoneNumber: string;
  to: string;
  messageId: string;
}

/** Posts one status of `send` to the webhook and returns the HTTP status it answered. */
export type ReportStatus = (send: ReportedSend, status: WhatsAppStatus["status"], error?: WhatsAppStatusError) => Promise<number>;

export function whatsappStatusReporter(webhook: WhatsAppStatusWebhook, now: () => Date = () => new Date()): ReportStatus {
  return async (send, status, error) => {
    // A builder per report, started now: each status carries the time it is reported at.
    const builder = whatsappFake({ seed: send.messageId, startAt: now() });
    // WhatsApp's display_phone_number is digits only (the fake's numbers are written for people).
    const number = { phoneNumberId: send.phoneNumberId, displayPhoneNumber: send.displayPhoneNumber.replace(/\D/g, "") };
    const payload = builder.delivery([builder.entry([builder.status(number, send.messageId, send.to, status, error)])]);
    const request = signedMetaRequest(payload, webhook.appSecret);
    const response = await fetch(webhook.url, { method: "POST", body: request.body, headers: request.headers });
    await response.body?.cancel();
    return response.status;
  };
}
