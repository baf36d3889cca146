import { signInWithProvider } from "@audnix/db";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as SessionModule from "../../app/session.server.ts";

let database: TestDatabase;
let sessions: typeof SessionModule;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  // The app's modules read their configuration once, when first imported.
  process.env.NODE_ENV = "test";
  process.env.DATABASE_URL = database.appUrl;
  sessions = await import("../../app/session.server.ts");
  const { user } = await signInWithProvider(database.db, {
    provider: "demo",
    providerAccountId: "owner@example.com",
    email: "owner@example.com",
    name: "Owner",
    now: new Date(),
  });
  userId = user.id;
});

afterAll(async () => {
  await database?.destroy();
});

function requestWith(cookie: string | null, url = "http://localhost/dashboard"): Request {
  return new Request(url, { headers: cookie ? { Cookie: cookie } : {} });
}

/** The `name=value` part of a Set-Cookie header, as a browser would send it back. */
function cookieFrom(response: Response): string {
  const setCookie = response.headers.get("Set-Cookie");
  if (!setCookie) throw new Error("expected a Set-Cookie header");
  return setCookie.split(";")[0] ?? "";
}

async function countSessions(): Promise<number> {
  return database.db.asSystem((tx) => tx.session.count({ where: { userId } }));
}

async function catchResponse(work: Promise<unknown>): Promise<Response> {
  const thrown = await work.then(
    () => {
      throw new Error("expected a thrown Response");
    },
    (error: unknown) => error,
  );
  if (!(thrown instanceof Response)) throw thrown;
  return thrown;
}

describe("user sessions", () => {
  it("sets a hardened, session-id-only cookie and redirects", async () => {
    const response = await sessions.createUserSession(requestWith(null), userId, "/dashboard");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard");
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-audnix_session=/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Max-Age=2592000/);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(await sessions.getUserId(requestWith(cookieFrom(response)))).toBe(userId);
  });

  it("issues a new session id at every sign-in and drops the one the browser came with", async () => {
    const first = cookieFrom(await sessions.createUserSession(requestWith(null), userId, "/dashboard"));
    const before = await countSessions();
    const second = cookieFrom(await sessions.createUserSession(requestWith(first), userId, "/dashboard"));
    expect(second).not.toBe(first);
    expect(await countSessions()).toBe(before);
    expect(await sessions.getUserId(requestWith(first))).toBeNull();
    expect(await sessions.getUserId(requestWith(second))).toBe(userId);
  });

  it("ignores missing and tampered cookies", async () => {
    const valid = cookieFrom(await sessions.createUserSession(requestWith(null), userId, "/dashboard"));
    expect(await sessions.getUserId(requestWith(null))).toBeNull();
    const [name, value = ""] = valid.split("=");
    const tampered = `${name}=${value.slice(0, -2)}${value.endsWith("A") ? "B" : "A"}${value.slice(-1)}`;
    expect(await sessions.getUserId(requestWith(tampered))).toBeNull();
    expect(await sessions.getUserId(requestWith(`${name}=not-signed`))).toBeNull();
  });

  it("sends visitors without a live session to sign in, and clears an expired cookie", async () => {
    const anonymous = await catchResponse(sessions.requireUserId(requestWith(null, "http://localhost/dashboard?tab=leads")));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/auth?redirectTo=%2Fdashboard%3Ftab%3Dleads");
    expect(anonymous.headers.get("Set-Cookie")).toBeNull();

    const cookie = cookieFrom(await sessions.createUserSession(requestWith(null), userId, "/dashboard"));
    expect(await sessions.requireUserId(requestWith(cookie))).toBe(userId);
    await database.db.asSystem((tx) => tx.session.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 1000) } }));
    const expired = await catchResponse(sessions.requireUserId(requestWith(cookie)));
    expect(expired.headers.get("Location")).toBe("/auth?redirectTo=%2Fdashboard");
    expect(expired.headers.get("Set-Cookie")).toMatch(/^__Host-audnix_session=; Max-Age=0/);
  });

  it("logs out by deleting the session row and clearing the cookie", async () => {
    const cookie = cookieFrom(await sessions.createUserSession(requestWith(null), userId, "/dashboard"));
    const before = await countSessions();
    const response = await sessions.logout(requestWith(cookie));
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toMatch(/^__Host-audnix_session=; Max-Age=0/);
    expect(await countSessions()).toBe(before - 1);
    expect(await sessions.getUserId(requestWith(cookie))).toBeNull();
  });
});
