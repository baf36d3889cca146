import type { TestDatabase } from "@audnix/db/testing";
import { expect } from "vitest";

// Drives the sign-in route modules the way a browser would: a cookie jar across responses, and
// real HTTP to the provider fakes in between.

export type RouteArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
export type RouteHandler = (args: RouteArgs) => Promise<Response> | Response;
export type DataLoader = (args: RouteArgs) => Promise<unknown>;

export const APP_URL = "http://localhost:3000";

export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const separator = pair.indexOf("=");
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      if (/;\s*Max-Age=0/i.test(header) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  copy(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }
}

/** Calls a loader or action, returning its Response whether it was returned or thrown. */
export async function call(handler: RouteHandler, request: Request): Promise<Response> {
  try {
    return await handler({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export function appRequest(path: string, jar: CookieJar, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set("Cookie", cookie);
  return new Request(new URL(path, APP_URL), { ...init, headers });
}

/** POSTs the /auth page's provider form; returns the provider URL the browser is sent to. */
export async function startSignIn(action: RouteHandler, provider: "google" | "apple", jar: CookieJar, redirectTo = "/dashboard"): Promise<string> {
  const response = await call(
    action,
    appRequest(`/auth/${provider}`, jar, { method: "POST", body: new URLSearchParams({ redirectTo }) }),
  );
  expect(response.status).toBe(302);
  jar.store(response);
  return response.headers.get("Location") ?? "";
}

export function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Where a failed sign-in sent the browser, and the message the /auth page shows for it. */
export async function shownError(authLoader: DataLoader, response: Response, jar: CookieJar): Promise<string | null> {
  expect(response.status).toBe(302);
  const location = response.headers.get("Location") ?? "";
  expect(location).toMatch(/^\/auth\?error=/);
  jar.store(response);
  const data = (await authLoader({ request: appRequest(location, jar), params: {}, context: {} })) as { signInError: string | null };
  return data.signInError;
}

export interface WrittenRows {
  users: number;
  sessions: number;
}

export function countRows(database: TestDatabase): Promise<WrittenRows> {
  return database.db.asSystem(async (tx) => ({ users: await tx.user.count(), sessions: await tx.session.count() }));
}

export const SESSION_COOKIE = "__Host-audnix_session";
