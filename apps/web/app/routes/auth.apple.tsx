import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { startProviderSignIn } from "../auth/provider-sign-in.server.ts";
import { clientAddressOf } from "../load-context.server.ts";

// Sign-in starts with a POST from the /auth page, so another site cannot start one in the background.
export const loader = () => redirect("/auth");

export const action = ({ request, context }: ActionFunctionArgs) => startProviderSignIn("apple", request, clientAddressOf(context));
