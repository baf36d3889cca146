import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { startInstagramConnect } from "../connections/instagram-connect.server.ts";

// The connections page links here; the worst a forged link can do is show the owner Instagram's
// consent screen, which they still have to accept.
export const loader = ({ request }: LoaderFunctionArgs) => startInstagramConnect(request);
export const action = ({ request }: ActionFunctionArgs) => startInstagramConnect(request);
