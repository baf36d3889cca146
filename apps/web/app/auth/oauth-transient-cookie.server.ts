import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { getEnv } from "../env.server.ts";

export type SignInProvider = "google" | "apple";

// Everything a callback must check against, kept in the browser for the few minutes a sign-in
// takes, signed so it cannot be forged and HttpOnly so page scripts never see it.
const FLOW_LIFETIME_SECONDS = 10 * 60;

const flowSchema = z.object({
  state: z.string().min(32),
  codeVerifier: z.string().min(43),
  nonce: z.string().min(32),
  redirectTo: z.string(),
});

export type SignInFlow = z.infer<typeof flowSchema>;

function flowCookie(provider: SignInProvider) {
  return createCookie(`__Host-audnix_signin_${provider}`, {
    httpOnly: true,
    secure: true,
    path: "/",
    maxAge: FLOW_LIFETIME_SECONDS,
    // Apple answers with a cross-site form POST (response_mode=form_post), which carries no Lax
    // cookie; Google's answer is a top-level GET redirect, where Lax is sent and is the safer default.
    sameSite: provider === "apple" ? "none" : "lax",
    secrets: [getEnv().JWT_SECRET],
  });
}

export function writeSignInFlow(provider: SignInProvider, flow: SignInFlow): Promise<string> {
  return flowCookie(provider).serialize(flow);
}

/** The flow this browser started, or null when missing, expired or tampered with. */
export async function readSignInFlow(provider: SignInProvider, request: Request): Promise<SignInFlow | null> {
  const value: unknown = await flowCookie(provider).parse(request.headers.get("Cookie"));
  const parsed = flowSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A flow is good for one callback, whatever its outcome. */
export function clearSignInFlow(provider: SignInProvider): Promise<string> {
  return flowCookie(provider).serialize("", { maxAge: 0 });
}
