import { createHmac } from "node:crypto";
import { createSeededRandom, randomIntInclusive, type RandomSource } from "@audnix/core";
import { WEBHOOK_BODY_LIMIT_BYTES } from "../../app/webhooks/read-capped-body.server.ts";
import { baseDeliveryFactory, WEBHOOK_ROUTES, type BaseDelivery, type JsonDelivery, type JsonPath, type MailgunDelivery, type WebhookRoute } from "./fuzz-payloads.ts";
import { deepNesting, pick, poisonMime, poisonNumberLiteral, poisonString } from "./fuzz-poisons.ts";
import type { WebhookSecrets } from "./webhook-secrets.ts";

// The seeded generator of bad webhook requests: the same seed gives the same requests in the same
// order (only the timestamps inside Stripe's and Mailgun's signatures follow the clock, since the
// server checks them against its own). Every request is one a careless vendor or an attacker could
// send; none may earn a 5xx, a lead or a message.

export const FUZZ_KINDS = [
  "unsigned",
  "bad-signature",
  "truncated",
  "oversized",
  "wrong-content-type",
  "invalid-json",
  "wrong-shape",
  "signed-malformed",
  "bad-method",
  "aborted",
] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

// Signed-but-malformed weighs most: those are the requests that get past the signature to the parsers.
const KIND_WEIGHTS: Record<FuzzKind, number> = {
  unsigned: 12,
  "bad-signature": 12,
  truncated: 10,
  oversized: 2,
  "wrong-content-type": 8,
  "invalid-json": 10,
  "wrong-shape": 14,
  "signed-malformed": 24,
  "bad-method": 6,
  aborted: 2,
};

export interface FuzzRequest {
  index: number;
  route: WebhookRoute;
  kind: FuzzKind;
  /** Which variant of the kind, for the figures and failure messages. */
  variant: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Carries a valid signature: only these may reach capture and leave an audit row. */
  signed: boolean;
  /** Sent without Content-Length (chunked), so only the streaming cap can stop it. */
  chunked: boolean;
  /** Bytes sent before the connection is dropped mid-upload; null sends the whole body. */
  abortAfterBytes: number | null;
}

type Draft = Pick<FuzzRequest, "variant" | "headers" | "body" | "signed"> & Partial<Pick<FuzzRequest, "method" | "chunked" | "abortAfterBytes">> & { query?: string };

interface Builder {
  random: RandomSource;
  secrets: WebhookSecrets;
  now: Date;
  index: number;
}

const JSON_TYPE = { "content-type": "application/json" };
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

/** JSON text of `payload`, with each marker string replaced by a raw literal JSON.stringify cannot write. */
function serialize(payload: unknown, raw: Record<string, string> = {}): Buffer {
  let text = JSON.stringify(payload);
  for (const [marker, literal] of Object.entries(raw)) text = text.replace(JSON.stringify(marker), literal);
  return Buffer.from(text, "utf8");
}

function setAt(target: unknown, path: JsonPath, value: unknown): void {
  let node = target as Record<string | number, unknown>;
  path.slice(0, -1).forEach((key) => (node = node[key] as Record<string | number, unknown>));
  node[path[path.length - 1] as string | number] = value;
}

function signedJson(base: JsonDelivery, body: Buffer, now: Date, variant: string, contentType: Record<string, string> = JSON_TYPE): Draft {
  return { variant, headers: { ...contentType, ...base.sign(body, now) }, body, signed: true };
}

/** Mailgun's signature fields first, so a cut further on leaves the form signed. */
function signedForm(fields: Record<string, string>): { head: string; body: string } {
  const { timestamp = "", token = "", signature = "", ...rest } = fields;
  const head = `${new URLSearchParams({ timestamp, token, signature }).toString()}&`;
  return { head, body: head + new URLSearchParams(rest).toString() };
}

function mailgunSignature(key: string, timestamp: string, token: string): string {
  return createHmac("sha256", key).update(timestamp + token).digest("hex");
}

const builders: Record<FuzzKind, (base: BaseDelivery, b: Builder) => Draft> = {
  unsigned(base) {
    if (base.kind === "form") {
      const { timestamp: _timestamp, token: _token, signature: _signature, ...rest } = base.fields;
      return { variant: "no signature fields", headers: FORM_TYPE, body: Buffer.from(new URLSearchParams(rest).toString()), signed: false };
    }
    return { variant: "no signature header", headers: JSON_TYPE, body: serialize(base.payload), signed: false };
  },

  "bad-signature"(base, { random, secrets, now }) {
    if (base.kind === "form") {
      const fields = { ...base.fields };
      const timestamp = fields.timestamp ?? "";
      const token = fields.token ?? "";
      const variant = pick(random, ["wrong key", "stale timestamp", "malformed signature", "empty token"] as const);
      if (variant === "wrong key") fields.signature = mailgunSignature("not-the-signing-key", timestamp, token);
      if (variant === "stale timestamp") {
        fields.timestamp = String(Math.floor(now.getTime() / 1000) - 3 * 24 * 3600);
        fields.signature = mailgunSignature(secrets.mailgun, fields.timestamp, token);
      }
      if (variant === "malformed signature") fields.signature = pick(random, ["", "zz", "0".repeat(63), "g".repeat(64)]);
      if (variant === "empty token") fields.token = "";
      return { variant, headers: FORM_TYPE, body: Buffer.from(signedForm(fields).body), signed: false };
    }
    const body = serialize(base.payload);
    const [header = "x-signature"] = Object.keys(base.sign(body, now));
    // Only Stripe signs a timestamp; Meta and Lemon Squeezy sign the body alone.
    const variants = ["signature of other bytes", "garbage", "empty", ...(header === "stripe-signature" ? ["stale"] : [])] as const;
    const variant = pick(random, variants);
    const headers: Record<string, string> =
      variant === "signature of other bytes"
        ? base.sign(Buffer.concat([body, Buffer.from(" ")]), now)
        : variant === "stale"
          ? base.sign(body, new Date(now.getTime() - 3 * 24 * 3600 * 1000))
          : { [header]: variant === "empty" ? "" : pick(random, ["sha256=zz", "sha1=00", "t=1,v1=00", "v1=", "=".repeat(90), "0".repeat(64)]) };
    return { variant, headers: { ...JSON_TYPE, ...headers }, body, signed: false };
  },

  truncated(base, { random, now }) {
    if (base.kind === "form") {
      const { head, body } = signedForm(base.fields);
      const cut = randomIntInclusive(random, 0, body.length - 1);
      return { variant: "form cut short", headers: FORM_TYPE, body: Buffer.from(body.slice(0, cut)), signed: cut >= head.length - 1 };
    }
    const body = serialize(base.payload);
    const cut = randomIntInclusive(random, 0, body.length - 1);
    return { variant: "body cut short, signature of the whole", headers: { ...JSON_TYPE, ...base.sign(body, now) }, body: body.subarray(0, cut), signed: false };
  },

  oversized(base, { random, now }) {
    const size = WEBHOOK_BODY_LIMIT_BYTES + randomIntInclusive(random, 1, 512 * 1024);
    const chunked = random() < 0.5;
    const variant = chunked ? "over the cap, chunked" : "over the cap, declared";
    if (base.kind === "form") {
      const body = Buffer.from(`${signedForm(base.fields).head}body-mime=${"a".repeat(size)}`);
      return { variant, headers: FORM_TYPE, body, signed: true, chunked };
    }
    const body = serialize({ ...base.payload, padding: "x".repeat(size) });
    return { ...signedJson(base, body, now, variant), chunked };
  },

  "wrong-content-type"(base, { random, now }) {
    if (base.kind === "form") {
      const variant = pick(random, ["fields as JSON", "text/plain form", "multipart without boundary", "multipart, wrong boundary"] as const);
      const form = Buffer.from(signedForm(base.fields).body);
      if (variant === "fields as JSON") return { variant, headers: JSON_TYPE, body: serialize(base.fields), signed: true };
      const type = { "text/plain form": "text/plain", "multipart without boundary": "multipart/form-data", "multipart, wrong boundary": "multipart/form-data; boundary=nope" }[variant];
      return { variant, headers: { "content-type": type }, body: form, signed: true };
    }
    const json = serialize(base.payload);
    const variant = pick(random, ["JSON inside a form", "JSON as text/plain", "no content type", "JSON as multipart"] as const);
    if (variant === "JSON inside a form") return signedJson(base, Buffer.from(`payload=${encodeURIComponent(json.toString())}`), now, variant, FORM_TYPE);
    const type: Record<string, string> = variant === "no content type" ? {} : { "content-type": variant === "JSON as text/plain" ? "text/plain" : "multipart/form-data; boundary=x" };
    return signedJson(base, json, now, variant, type);
  },

  "invalid-json"(base, { random, now }) {
    const bytes = pick(random, [
      ["not closed", Buffer.from('{"object":"instagram","entry":[')],
      ["single quotes", Buffer.from("{'object':'instagram'}")],
      ["trailing comma", Buffer.from('{"object":"instagram",}')],
      ["NaN", Buffer.from("NaN")],
      ["empty", Buffer.alloc(0)],
      ["raw NUL in a string", Buffer.from('{"object":"instagram","entry":[],"x":"a\u0000b"}')],
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
      ["UTF-8-encoded surrogate", Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
      ["random bytes", Buffer.from(Array.from({ length: randomIntInclusive(random, 1, 4096) }, () => Math.floor(random() * 256)))],
    ] as const);
    const [variant, body] = bytes;
    if (base.kind === "form") {
      // Mailgun's form carries the MIME as text: the same bytes go where the MIME goes.
      const form = Buffer.concat([Buffer.from(`${signedForm(base.fields).head}body-mime=`), body, Buffer.from("&x=%zz%E0%A4")]);
      return { variant: `form with ${variant}`, headers: FORM_TYPE, body: form, signed: true };
    }
    return signedJson(base, body, now, variant);
  },

  "wrong-shape"(base, { random, now }) {
    if (base.kind === "form") return wrongMailgunFields(base, random);
    const object = base.payload.object;
    const shapes: unknown[] =
      base.route === "payment"
        ? [{}, [], null, 42, { id: 5, object: "event" }, { id: "evt_x", object: "event", type: "checkout.session.completed" }, { id: "evt_x", type: "checkout.session.completed", data: null }, { id: "evt_x", object: "event", type: "invoice.paid", created: "yesterday", data: { object: [] } }, { meta: null }, { meta: { event_name: 5 } }, { meta: { event_name: "order_created", custom_data: "x" }, data: { id: 1, attributes: null } }]
        : [null, [], 42, "instagram", true, {}, { object: "page", entry: [] }, { object }, { object, entry: {} }, { object, entry: [1, "x", null, [], {}] }, { object, entry: [{ id: 5 }] }, { object, entry: [{ id: "x", messaging: "y", changes: 5 }] }, { object, entry: [{ id: "x", messaging: [{ sender: {}, recipient: { id: "" }, timestamp: "soon", message: { mid: 5, text: {} } }] }] }, { object, entry: [{ id: "x", changes: [{ field: "messages", value: { messages: [{ from: 1, id: null, type: "text", text: "x" }] } }] }] }];
    const shape = randomIntInclusive(random, 0, shapes.length - 1);
    return signedJson(base, serialize(shapes[shape]), now, `shape ${shape}`);
  },

  "signed-malformed"(base, { random, now, index }) {
    if (base.kind === "form") {
      const { variant, mime } = poisonMime(random, index);
      const fields: Record<string, string> = { ...base.fields, "body-mime": mime };
      if (random() < 0.3) fields[pick(random, ["recipient", "sender", "from", "subject"])] = poisonString(random);
      return { variant: `MIME: ${variant}`, headers: FORM_TYPE, body: Buffer.from(signedForm(fields).body), signed: true };
    }
    const payload = structuredClone(base.payload);
    const raw: Record<string, string> = {};
    const poisons: string[] = [];
    for (let n = randomIntInclusive(random, 1, 3); n > 0; n--) {
      const marker = `__raw_${n}__`;
      const what = pick(random, ["string", "number", "nesting"] as const);
      poisons.push(what);
      if (what === "string") setAt(payload, pick(random, base.stringPaths), poisonString(random));
      if (what === "number") {
        setAt(payload, pick(random, base.numberPaths), marker);
        raw[marker] = poisonNumberLiteral(random);
      }
      if (what === "nesting") {
        // Inside the entry, the nesting reaches what capture stores (the raw entry); at the root only the parser sees it.
        setAt(payload, random() < 0.5 || !Array.isArray(payload.entry) ? ["extra"] : ["entry", 0, "extra"], marker);
        raw[marker] = deepNesting(random);
      }
    }
    return signedJson(base, serialize(payload, raw), now, `poisoned ${[...new Set(poisons)].sort().join("+")}`);
  },

  "bad-method"(base, { random, now }) {
    const method = pick(random, ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]);
    const query =
      method === "GET" ? pick(random, ["", "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", "?hub.mode=unsubscribe", `?hub.challenge=${"9".repeat(2000)}`]) : "";
    if (!["PUT", "PATCH", "DELETE"].includes(method)) return { variant: method, method, query, headers: {}, body: Buffer.alloc(0), signed: false };
    // A correctly signed delivery with the wrong method must not be captured either.
    const draft = base.kind === "form" ? { headers: FORM_TYPE, body: Buffer.from(signedForm(base.fields).body) } : signedJson(base, serialize(base.payload), now, method);
    return { variant: `${method} with a signed body`, method, query, headers: draft.headers, body: draft.body, signed: false };
  },

  aborted(base, { random, now }) {
    const draft = base.kind === "form" ? { headers: FORM_TYPE, body: Buffer.from(signedForm(base.fields).body) } : signedJson(base, serialize(base.payload), now, "");
    return { variant: "dropped mid-upload", headers: draft.headers, body: draft.body, signed: false, abortAfterBytes: randomIntInclusive(random, 0, draft.body.length - 1) };
  },
};

function wrongMailgunFields(base: MailgunDelivery, random: RandomSource): Draft {
  const fields = { ...base.fields };
  const variant = pick(random, ["no body-mime", "empty body-mime", "signature fields only", "recipient not an address", "a thousand extra fields"] as const);
  if (variant === "no body-mime") delete fields["body-mime"];
  if (variant === "empty body-mime") fields["body-mime"] = "";
  if (variant === "recipient not an address") fields.recipient = "not an address";
  if (variant === "a thousand extra fields") for (let n = 0; n < 1000; n++) fields[`extra-${n}`] = String(n);
  const body = variant === "signature fields only" ? signedForm(fields).head : signedForm(fields).body;
  return { variant, headers: FORM_TYPE, body: Buffer.from(body), signed: true };
}

function weightedKind(random: RandomSource): FuzzKind {
  const total = FUZZ_KINDS.reduce((sum, kind) => sum + KIND_WEIGHTS[kind], 0);
  let roll = random() * total;
  for (const kind of FUZZ_KINDS) {
    roll -= KIND_WEIGHTS[kind];
    if (roll < 0) return kind;
  }
  return "signed-malformed";
}

export interface FuzzOptions {
  seed: number;
  count: number;
  secrets: WebhookSecrets;
  /** The signing clock (Stripe and Mailgun signatures carry a timestamp the server checks). */
  now: () => Date;
}

/** `count` bad requests, spread evenly over the four routes, built lazily (some are over 1 MB). */
export function* fuzzRequests({ seed, count, secrets, now }: FuzzOptions): Generator<FuzzRequest> {
  const random = createSeededRandom(seed);
  const baseDelivery = baseDeliveryFactory(seed, secrets);
  for (let index = 0; index < count; index++) {
    const route = WEBHOOK_ROUTES[index % WEBHOOK_ROUTES.length] as WebhookRoute;
    const kind = weightedKind(random);
    const at = now();
    const draft = builders[kind](baseDelivery(route, index, at), { random, secrets, now: at, index });
    yield {
      index,
      route,
      kind,
      variant: draft.variant,
      method: draft.method ?? "POST",
      path: `/api/webhook/${route}${draft.query ?? ""}`,
      headers: draft.headers,
      body: draft.body,
      signed: draft.signed,
      chunked: draft.chunked ?? false,
      abortAfterBytes: draft.abortAfterBytes ?? null,
    };
  }
}
