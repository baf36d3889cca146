import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

// The browser's time zone, posted once by the dashboard after the first sign-in
// (components/adopt-browser-time-zone.tsx). The API takes it only while the owner never saved
// settings and only as a real IANA zone; anything else changes nothing.

export type AdoptTimeZoneResult = { ok: true; adopted: boolean } | { ok: false };

const formSchema = z.object({ timeZone: z.string().max(200) });

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const form = formSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data<AdoptTimeZoneResult>({ ok: false }, { status: 400 });
  try {
    const { adopted } = await createServerCaller(userId).brandSettings.adoptBrowserTimeZone({ timeZone: form.data.timeZone });
    return data<AdoptTimeZoneResult>({ ok: true, adopted });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") return data<AdoptTimeZoneResult>({ ok: false }, { status: 400 });
    throw error;
  }
}
