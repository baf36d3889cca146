import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { finishProviderSignIn } from "../auth/provider-sign-in.server.ts";

// Apple answers with response_mode=form_post: a cross-site POST carrying code, state and, the
// first time only, `user`. A GET here is a stale bookmark.
export const loader = () => redirect("/auth");

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const callback = new URLSearchParams();
  for (const [name, value] of form) if (typeof value === "string") callback.append(name, value);
  return finishProviderSignIn("apple", request, callback);
}
