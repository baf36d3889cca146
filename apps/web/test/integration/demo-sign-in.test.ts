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
