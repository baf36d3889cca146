import {
  buildMailgunInboundFields,
  instagramFake,
  lemonSqueezyFake,
  signLemonSqueezyBody,
  signMetaBody,
  signStripeBody,
  stripeFake,
  whatsappFake,
} from "@audnix/integrations";
import type { WebhookSecrets } from "./webhook-secrets.ts";

// Well-formed deliveries of each route, built with the vendors' fakes, that the fuzzer then breaks.
// Every one is addressed to an account, number, inbox or user nobody has connected, so even a
// delivery the server accepts may leave an audit row but never a lead, a message or a plan.

export const WEBHOOK_ROUTES = ["instagram", "whatsapp", "email", "payment"] as const;
export type WebhookRoute = (typeof WEBHOOK_ROUTES)[number];

export type JsonPath = readonly (string | number)[];

/** A JSON delivery and the places in it a poison value can go. */
export interface JsonDelivery {
  kind: "json";
  route: Exclude<WebhookRoute, "email">;
  payload: Record<string, unknown>;
  /** Strings the parsers read (ids, text). */
  stringPaths: JsonPath[];
  /** Numbers (or numeric strings) the parsers read (timestamps, amounts). */
  numberPaths: JsonPath[];
  /** Signature headers for exactly these bytes. */
  sign(body: Uint8Array, now: Date): Record<string, string>;
}

/** Mailgun's signed form: the signature covers timestamp + token only, never the MIME. */
export interface MailgunDelivery {
  kind: "form";
  route: "email";
  fields: Record<string, string>;
}

export type BaseDelivery = JsonDelivery | MailgunDelivery;

const BUSINESS = "Resilience";

/** A uuid-shaped user id of nobody, derived from the case number (payment references). */
function nobody(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
}

export function baseDeliveryFactory(seed: number, secrets: WebhookSecrets) {
  const instagram = instagramFake({ seed: `fuzz-${seed}` });
  const whatsapp = whatsappFake({ seed: `fuzz-${seed}` });
  const stripe = stripeFake({ seed: `fuzz-${seed}` });
  const lemonSqueezy = lemonSqueezyFake({ seed: `fuzz-${seed}` });

  const metaSigner = (secret: string) => (body: Uint8Array) => ({ "x-hub-signature-256": signMetaBody(body, secret) });

  return (route: WebhookRoute, index: number, now: Date): BaseDelivery => {
    switch (route) {
      case "instagram": {
        const parties = { business: `fuzz-ig-account-${index}`, lead: `fuzz-ig-lead-${index}` };
        const item = ["entry", 0, "messaging", 0] as const;
        return {
          kind: "json",
          route,
          payload: { ...instagram.delivery([instagram.entry(parties.business, [instagram.text(parties, `Hi ${BUSINESS}, still open?`)])]) },
          stringPaths: [["entry", 0, "id"], [...item, "sender", "id"], [...item, "message", "mid"], [...item, "message", "text"]],
          numberPaths: [["entry", 0, "time"], [...item, "timestamp"]],
          sign: metaSigner(secrets.instagram),
        };
      }
      case "whatsapp": {
        const number = { phoneNumberId: String(900_000_000_000_000 + index), displayPhoneNumber: "+1 555 0100" };
        const value = ["entry", 0, "changes", 0, "value"] as const;
        return {
          kind: "json",
          route,
          payload: { ...whatsapp.delivery([whatsapp.entry([whatsapp.text(number, { waId: String(15_550_100_000 + index), name: "Lead" }, "Hi there")])]) },
          stringPaths: [
            [...value, "metadata", "phone_number_id"],
            [...value, "contacts", 0, "profile", "name"],
            [...value, "messages", 0, "from"],
            [...value, "messages", 0, "id"],
            [...value, "messages", 0, "text", "body"],
          ],
          numberPaths: [[...value, "messages", 0, "timestamp"]],
          sign: metaSigner(secrets.whatsapp),
        };
      }
      case "email":
        return {
          kind: "form",
          route,
          fields: buildMailgunInboundFields(
            {
              from: `lead-${index}@example.com`,
              fromName: "Lead",
              to: `fuzz-${index}@inbound.invalid`,
              subject: "Question",
              text: "Hi, do you ship abroad?",
              messageId: `fuzz-${seed}-${index}@example.com`,
            },
            secrets.mailgun,
            now,
          ),
        };
      case "payment":
        return index % 2 === 0
          ? {
              kind: "json",
              route,
              payload: { ...stripe.checkoutSessionCompleted({ userId: nobody(index), plan: "growth", customerId: stripe.customerId() }) },
              stringPaths: [["id"], ["type"], ["data", "object", "client_reference_id"], ["data", "object", "customer"]],
              numberPaths: [["created"], ["data", "object", "amount_total"]],
              sign: (body, signedAt) => ({ "stripe-signature": signStripeBody(Buffer.from(body).toString("utf8"), secrets.stripe, signedAt) }),
            }
          : {
              kind: "json",
              route,
              payload: {
                ...lemonSqueezy.order("order_created", { custom: { userId: nobody(index), plan: "growth" }, customerId: lemonSqueezy.customerId() }),
              },
              stringPaths: [["meta", "event_name"], ["meta", "custom_data", "user_id"], ["data", "id"], ["data", "attributes", "updated_at"]],
              numberPaths: [["data", "attributes", "total"], ["data", "attributes", "customer_id"]],
              sign: (body) => ({ "x-signature": signLemonSqueezyBody(body, secrets.lemonSqueezy), "x-event-name": "order_created" }),
            };
    }
  };
}
