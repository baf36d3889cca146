import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logout } from "../session.server.ts";

// Signing out changes state, so it is a POST only; a stray GET (prefetch, pasted link) just goes home.
export function loader() {
  return redirect("/");
}

export function action({ request }: ActionFunctionArgs) {
  return logout(request);
}
