import type { LoaderFunctionArgs } from "@remix-run/node";
import { finishInstagramConnect } from "../connections/instagram-connect.server.ts";

// Meta redirects back here with code and state (or error=access_denied) in the query.
export const loader = ({ request }: LoaderFunctionArgs) => finishInstagramConnect(request);
