import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { z } from "zod";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

// "Email me when a lead needs me" on the lead list (needsYou.setEmailAlert). A resource route: the
// list's loader runs again after it and shows the saved choice.

const formSchema = z.object({ enabled: z.enum(["on", "off"]) });

export type EmailAlertResult = { ok: true; enabled: boolean } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const form = formSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data<EmailAlertResult>({ ok: false, error: "Choose on or off." }, { status: 400 });
  const { enabled } = await createServerCaller(userId).needsYou.setEmailAlert({ enabled: form.data.enabled === "on" });
  return data<EmailAlertResult>({ ok: true, enabled });
}
