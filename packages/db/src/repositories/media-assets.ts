import type { Db } from "../client.ts";

export interface NewMediaAsset {
  userId: string;
  leadId: string;
  contentType: string;
  bytes: Uint8Array;
  durationSeconds: number;
}

/** Stores a voice note's audio; the platforms fetch it from APP_URL/media/<id>. */
export async function saveMediaAsset(db: Db, asset: NewMediaAsset): Promise<{ id: string }> {
  return db.asUser(asset.userId, (tx) =>
    tx.mediaAsset.create({
      data: {
        userId: asset.userId,
        leadId: asset.leadId,
        contentType: asset.contentType,
        bytes: Buffer.from(asset.bytes),
        durationSeconds: asset.durationSeconds,
      },
      select: { id: true },
    }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The public media route: Instagram and WhatsApp fetch the audio without credentials, so the
 * unguessable id is the capability, and the lookup crosses tenants (system path).
 */
export async function loadMediaAsset(
  db: Db,
  input: { assetId: string },
): Promise<{ contentType: string; bytes: Uint8Array } | null> {
  if (!UUID.test(input.assetId)) return null;
  return db.asSystem((tx) =>
    tx.mediaAsset.findUnique({ where: { id: input.assetId }, select: { contentType: true, bytes: true } }),
  );
}
