import type { LoaderFunctionArgs } from "@remix-run/node";
import { finishProviderSignIn } from "../auth/provider-sign-in.server.ts";

// Google redirects back here with code and state (or error) in the query.
export const loader = ({ request }: LoaderFunctionArgs) =>
  finishProviderSignIn("google", request, new URL(request.url).searchParams);
