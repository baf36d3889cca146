import { splitTagList } from "@audnix/core";
import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

// The lead page's "Edit details" form (leads.update). A resource route: the lead page's loader
// runs again after a save, and a refused save answers with each field's problem while the form
// keeps what the owner typed.

const leadIdSchema = z.uuid();
const formSchema = z.object({
  name: z.string().catch(""),
  email: z.string().catch(""),
  phone: z.string().catch(""),
  tags: z.string().catch(""),
  notes: z.string().catch(""),
});

export type LeadDetailsField = keyof z.output<typeof formSchema>;
export type UpdateLeadDetailsResult =
  | { ok: true; updated: string[] }
  | { ok: false; errors: Partial<Record<LeadDetailsField, string>>; formError: string | null };

const FIELDS: readonly LeadDetailsField[] = ["name", "email", "phone", "tags", "notes"];

export async function action({ request, params }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const id = leadIdSchema.safeParse(params.leadId);
  if (!id.success) return data<UpdateLeadDetailsResult>({ ok: false, errors: {}, formError: "Lead not found." }, { status: 404 });
  const form = formSchema.parse(Object.fromEntries(await request.formData()));
  const tags = splitTagList(form.tags);
  if (tags === null) return data<UpdateLeadDetailsResult>({ ok: false, errors: { tags: "That is longer than 20 tags can be." }, formError: null }, { status: 400 });
  try {
    const { updated } = await createServerCaller(userId).leads.update({ leadId: id.data, ...form, tags });
    return data<UpdateLeadDetailsResult>({ ok: true, updated });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") {
      return data<UpdateLeadDetailsResult>({ ok: false, errors: {}, formError: "Lead not found." }, { status: 404 });
    }
    if (error instanceof TRPCError && error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError) {
      const errors: Partial<Record<LeadDetailsField, string>> = {};
      for (const issue of error.cause.issues) {
        const field = FIELDS.find((name) => name === issue.path[0]);
        if (field && !errors[field]) errors[field] = issue.message;
      }
      return data<UpdateLeadDetailsResult>({ ok: false, errors, formError: null }, { status: 400 });
    }
    throw error;
  }
}
