import { createSession, deleteSession, findActiveSession } from "@audnix/db";
import { createCookie, redirect } from "@remix-run/node";
import { z } from "zod";
import { db } from "./db.server.ts";
import { getEnv } from "./env.server.ts";

const SESSION_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
// Enough to tell devices apart in a session list; a client cannot make us store an arbitrarily long header.
const USER_AGENT_MAX_LENGTH = 512;

// The cookie carries only the id of a row in `sessions`, so signing out or expiring a session
// server-side takes effect at once. `__Host-` makes the browser refuse it unless Secure, Path=/ and
// host-only, which stops sibling subdomains from planting a session. Chromium treats
// http://localhost as secure, so Secure holds in development too.
const sessionCookie = createCookie("__Host-audnix_session", {
  httpOnly: true,
  secure: true,
  sameSite: "lax",
  path: "/",
  maxAge: SESSION_LIFETIME_SECONDS,
  secrets: [getEnv().JWT_SECRET],
});

const sessionIdSchema = z.uuid();

async function readSessionId(request: Request): Promise<string | null> {
  // parse() returns null for a missing cookie or a bad signature.
  const value: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  const parsed = sessionIdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function clearSessionCookie(): Promise<string> {
  return sessionCookie.serialize("", { maxAge: 0 });
}

async function resolveSession(request: Request): Promise<{ sessionId: string | null; userId: string | null }> {
  const sessionId = await readSessionId(request);
  if (!sessionId) return { sessionId, userId: null };
  const session = await findActiveSession(db, { sessionId, now: new Date() });
  return { sessionId, userId: session?.userId ?? null };
}

/** The signed-in user's id, or null when there is no live session. */
export async function getUserId(request: Request): Promise<string | null> {
  return (await resolveSession(request)).userId;
}

/** The signed-in user's id; anyone else is sent to sign in and brought back here afterwards. */
export async function requireUserId(request: Request): Promise<string> {
  const { sessionId, userId } = await resolveSession(request);
  if (userId) return userId;
  const url = new URL(request.url);
  const searchParams = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
  // A cookie whose session expired or was revoked is dropped so the browser stops sending it.
  throw redirect(`/auth?${searchParams.toString()}`, {
    headers: sessionId ? { "Set-Cookie": await clearSessionCookie() } : undefined,
  });
}

/**
 * Starts a session for a user who just proved who they are. Every sign-in gets a fresh id (and
 * drops the one the browser came with) so a session id planted before sign-in is worthless after.
 */
export async function createUserSession(request: Request, userId: string, redirectTo: string): Promise<Response> {
  const previousSessionId = await readSessionId(request);
  if (previousSessionId) await deleteSession(db, previousSessionId);
  const session = await createSession(db, {
    userId,
    expiresAt: new Date(Date.now() + SESSION_LIFETIME_SECONDS * 1000),
    userAgent: request.headers.get("User-Agent")?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
  });
  return redirect(redirectTo, { headers: { "Set-Cookie": await sessionCookie.serialize(session.id) } });
}

/** Ends the session server-side and clears the cookie. */
export async function logout(request: Request): Promise<Response> {
  const sessionId = await readSessionId(request);
  if (sessionId) await deleteSession(db, sessionId);
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
