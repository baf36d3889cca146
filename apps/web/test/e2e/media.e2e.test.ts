import { randomUUID } from "node:crypto";
import { saveMediaAsset } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { useE2eApp } from "./e2e-app.ts";

const started = useE2eApp();

describe("voice-note media", () => {
  it("serves the stored audio with its content type to anyone holding the link, 404 otherwise", async () => {
    const { server, database } = started();
    const { owner, leadId } = await database.db.asSystem(async (tx) => {
      const user = await tx.user.create({ data: { email: "media-owner@shop.example", plan: "growth" } });
      const lead = await tx.lead.create({ data: { userId: user.id, channel: "instagram", externalId: "igsid-media" } });
      return { owner: user.id, leadId: lead.id };
    });
    const audio = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3, 4]);
    const { id } = await saveMediaAsset(database.db, { userId: owner, leadId, contentType: "audio/ogg", bytes: audio, durationSeconds: 16 });

    const response = await fetch(`${server.url}/media/${id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/ogg");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(audio);

    expect((await fetch(`${server.url}/media/${randomUUID()}`)).status).toBe(404);
    expect((await fetch(`${server.url}/media/not-an-id`)).status).toBe(404);
  });
});
