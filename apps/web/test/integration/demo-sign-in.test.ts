import { signInWithProvider } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { appRequest, callAction, CookieJar, countRows, SESSION_COOKIE, useSignInApp } from "./provider-sign-in-harness.ts";

// NODE_ENV=test and no provider configured: demo sign-in is on.
const app = useSignInApp({});

function demoSignIn(email: string, clientAddress = "203.0.113.7"): Promise<Response> {
  const request = appRequest("/auth", new CookieJar(), { method: "POST", body: new URLSearchParams({ email, redirectTo: "/dashboard" }) });
  return callAction(app().authRoute.action, request, { clientAddress });
}

const hasSessionCookie = (response: Response) =>
  response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));

describe("demo sign-in", () => {
  it("signs a demo email in and lands on the dashboard", async () => {
    const response = await demoSignIn("Tester@Audnix.local");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard");
    expect(hasSessionCookie(response)).toBe(true);
    expect(await countRows(app().database)).toEqual({ users: 1, sessions: 1 });
  });

  it("refuses the 11th demo sign-in from one address within 15 minutes with 429 and Retry-After; other addresses go on", async () => {
    for (let attempt = 1; attempt <= 10; attempt++) expect((await demoSignIn(`tester${attempt}@audnix.local`, "198.51.100.1")).status).toBe(302);
    const refused = await demoSignIn("tester11@audnix.local", "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(await refused.text()).toMatch(/^Too many demo sign-ins from your network\. Try again in 15 minutes\.$/);
    expect(hasSessionCookie(refused)).toBe(false);
    expect((await demoSignIn("tester11@audnix.local", "198.51.100.2")).status).toBe(302);
  });

  it("never signs in as an owner who signs in with Google or Apple", async () => {
    const { db } = app().database;
    await signInWithProvider(db, { provider: "google", providerAccountId: "1098", email: "owner@example.com", name: "Ada", now: new Date() });
    const before = await countRows(app().database);

    const response = await demoSignIn("owner@example.com");
    expect(response.status).toBe(403);
    expect(hasSessionCookie(response)).toBe(false);
    expect(await response.json()).toEqual({ emailError: expect.stringMatching(/signs in with Google or Apple/) });
    expect(await countRows(app().database)).toEqual(before);
    // Nor is a demo login quietly attached to that account for next time.
    const accounts = await db.asSystem((tx) => tx.account.findMany({ where: { user: { email: "owner@example.com" } } }));
    expect(accounts.map((account) => account.provider)).toEqual(["google"]);
  });
});
