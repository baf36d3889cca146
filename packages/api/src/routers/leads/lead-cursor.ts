import { z } from "zod";

/**
 * Where a page of the lead list ended, in its sort order (last message desc nulls last,
 * created desc, id desc; the "Needs you" queue: waiting since asc, id asc). A keyset rather than
 * an offset, so leads that arrive while the owner pages do not shift rows between pages.
 */
export interface LeadPosition {
  lastMessageAt: Date | null;
  createdAt: Date;
  id: string;
  /** leads.needs_owner_at, which orders the "Needs you" queue. */
  needsOwnerAt: Date | null;
}

const encodedPosition = z.object({
  l: z.iso.datetime().nullable(),
  c: z.iso.datetime(),
  i: z.uuid(),
  w: z.iso.datetime().nullable().default(null),
});

export function encodeLeadCursor(position: LeadPosition): string {
  const wire: z.input<typeof encodedPosition> = {
    l: position.lastMessageAt?.toISOString() ?? null,
    c: position.createdAt.toISOString(),
    i: position.id,
    w: position.needsOwnerAt?.toISOString() ?? null,
  };
  return Buffer.from(JSON.stringify(wire)).toString("base64url");
}

/** Parses an opaque cursor from the client; anything we did not issue is a validation error. */
export const leadCursorSchema = z
  .string()
  .max(256)
  .transform((raw, ctx): LeadPosition => {
    const decoded = encodedPosition.safeParse(parseJson(Buffer.from(raw, "base64url").toString("utf8")));
    if (!decoded.success) {
      ctx.issues.push({ code: "custom", message: "Invalid cursor", input: raw });
      return z.NEVER;
    }
    const { l, c, i, w } = decoded.data;
    return { lastMessageAt: l === null ? null : new Date(l), createdAt: new Date(c), id: i, needsOwnerAt: w === null ? null : new Date(w) };
  });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
