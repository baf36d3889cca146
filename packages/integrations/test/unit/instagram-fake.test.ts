import { parseInstagramDelivery, verifyMetaSignature } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { instagramFake } from "../../src/instagram/fake-webhooks.ts";
import { signedMetaRequest, signMetaBody } from "../../src/meta/fake-signature.ts";
import { INSTAGRAM_READ_SAMPLE } from "../fixtures/meta-delivery-reports.ts";
import { shapeDifferences } from "../support/documented-shape.ts";

const APP_SECRET = "instagram-app-secret";
const BUSINESS = "17841400000000001";
const OTHER_BUSINESS = "17841400000000002";
const LEAD = "980000000000001";
const parties = { business: BUSINESS, lead: LEAD };
const RECEIVED = new Date("2026-01-06T00:00:00.000Z");

// What a webhook route does: check the signature on the raw bytes, then parse.
function receive(payload: unknown) {
  const request = signedMetaRequest(payload, APP_SECRET);
  const raw = new TextEncoder().encode(request.body);
  expect(verifyMetaSignature(raw, request.headers["x-hub-signature-256"], APP_SECRET)).toBe(true);
  return parseInstagramDelivery(JSON.parse(request.body), RECEIVED);
}

describe("Instagram fake webhooks", () => {
  it("build a read (messaging_seen) in the shape of Meta's documented example", () => {
    expect(shapeDifferences(instagramFake().read(parties, "aWdfb3Vy"), INSTAGRAM_READ_SAMPLE)).toEqual([]);
  });

  it("produce every documented item type, parsed into the expected events", () => {
    const ig = instagramFake({ seed: "round-trip", startAt: new Date("2026-01-05T10:00:00.000Z") });
    const text = ig.text(parties, "Hi! Is the course still open?");
    const items = [
      text,
      ig.attachment(parties, "image", "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=7"),
      ig.storyReply(parties, "How much is this?"),
      ig.echo(parties, "Yes! Want the link?"),
      ig.read(parties, "aWdfb3Vy"),
      ig.reaction(parties, "aWdfb3Vy", "❤️"),
    ];
    const parsed = receive(ig.delivery([ig.entry(BUSINESS, items)]));

    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.events).toEqual([
      {
        kind: "message",
        accountId: BUSINESS,
        providerMessageId: text.message?.mid,
        sender: { externalId: LEAD, name: null, email: null, phone: null },
        text: "Hi! Is the course still open?",
        attachments: [],
        sentAt: new Date("2026-01-05T10:00:01.000Z"),
        thread: null,
        optOut: false,
      },
      expect.objectContaining({
        kind: "message",
        text: "",
        attachments: [{ type: "image", url: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=7", providerMediaId: null, mimeType: null, fileName: null }],
      }),
      expect.objectContaining({ kind: "message", text: "How much is this?", sender: expect.objectContaining({ externalId: LEAD }) }),
      expect.objectContaining({ kind: "echo", recipientExternalId: LEAD, text: "Yes! Want the link?" }),
      { kind: "read", accountId: BUSINESS, leadExternalId: LEAD, providerMessageId: "aWdfb3Vy", status: "read", at: new Date("2026-01-05T10:00:05.000Z") },
      { kind: "notice", accountId: BUSINESS, notice: "reaction", detail: "react ❤️ on aWdfb3Vy" },
    ]);
  });

  it("give each item its own mid and a later timestamp", () => {
    const ig = instagramFake();
    const [first, second] = [ig.text(parties, "a"), ig.text(parties, "b")];
    expect(first.message?.mid).not.toBe(second.message?.mid);
    expect(second.timestamp).toBeGreaterThan(first.timestamp);
  });

  it("are deterministic for a seed and distinct across seeds", () => {
    const build = (seed: string) => instagramFake({ seed }).batch({ businesses: [BUSINESS], entries: 3 });
    expect(build("a")).toEqual(build("a"));
    expect(JSON.stringify(build("a"))).not.toBe(JSON.stringify(build("b")));
  });

  it("build batches of several businesses that group back per business", () => {
    const payload = instagramFake({ seed: "batch" }).batch({ businesses: [BUSINESS, OTHER_BUSINESS], entries: 100 });
    expect(payload.entry).toHaveLength(100);
    const parsed = receive(payload);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.groups.map((group) => [group.accountId, group.rawEntries.length, group.events.length])).toEqual([
      [BUSINESS, 50, 50],
      [OTHER_BUSINESS, 50, 50],
    ]);
    const leads = new Set(parsed.groups.flatMap((group) => group.events.map((event) => (event.kind === "message" ? event.sender.externalId : ""))));
    expect(leads.size).toBe(100);
  });

  it("sign exactly the bytes sent", () => {
    const body = JSON.stringify(instagramFake().delivery([]));
    expect(signMetaBody(body, APP_SECRET)).toBe(signMetaBody(new TextEncoder().encode(body), APP_SECRET));
    expect(verifyMetaSignature(new TextEncoder().encode(`${body} `), signMetaBody(body, APP_SECRET), APP_SECRET)).toBe(false);
  });
});
