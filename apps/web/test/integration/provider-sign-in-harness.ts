import type { FileTestDatabase } from "@audnix/db/testing";
import { beforeEach, expect } from "vitest";
import type * as AuthRoute from "../../app/routes/auth.tsx";
import type * as AppleStartRoute from "../../app/routes/auth.apple.tsx";
import type * as AppleCallbackRoute from "../../app/routes/auth.apple.callback.tsx";
import type * as GoogleStartRoute from "../../app/routes/auth.google.tsx";
import type * as GoogleCallbackRoute from "../../app/routes/auth.google.callback.tsx";
import type * as SessionModule from "../../app/session.server.ts";
import { useAppModules, type AppModules } from "./app-modules.ts";

// Drives the sign-in route modules the way a browser would: a cookie jar across responses, and
// real HTTP to the provider fakes in between.

export type RouteArgs = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
export type RouteHandler = (args: RouteArgs) => Promise<Response> | Response;
export type DataLoader = (args: RouteArgs) => Promise<unknown>;

export const APP_URL = "http://localhost:3000";
export const SESSION_COOKIE = "__Host-audnix_session";

export interface SignInRoutes {
  authRoute: typeof AuthRoute;
  appleStart: typeof AppleStartRoute;
  appleCallback: typeof AppleCallbackRoute;
  googleStart: typeof GoogleStartRoute;
  googleCallback: typeof GoogleCallbackRoute;
  sessions: typeof SessionModule;
}

export type SignInApp = AppModules<SignInRoutes>;

async function importSignInRoutes(): Promise<SignInRoutes> {
  return {
    authRoute: await import("../../app/routes/auth.tsx"),
    appleStart: await import("../../app/routes/auth.apple.tsx"),
    appleCallback: await import("../../app/routes/auth.apple.callback.tsx"),
    googleStart: await import("../../app/routes/auth.google.tsx"),
    googleCallback: await import("../../app/routes/auth.google.callback.tsx"),
    sessions: await import("../../app/session.server.ts"),
  };
}

/**
 * The sign-in routes on a database of their own, with `env` the providers' configuration. Every
 * test starts without users (and with full rate-limit budgets), so row counts and "first sign-in"
 * mean what they say.
 */
export function useSignInApp(env: Record<string, string>): () => SignInApp {
  const app = useAppModules(env, importSignInRoutes);
  beforeEach(async () => {
    await app().database.db.asSystem(async (tx) => {
      await tx.rateLimit.deleteMany();
      await tx.session.deleteMany();
      await tx.account.deleteMany();
      await tx.user.deleteMany();
    });
  });
  return app;
}

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

/**
 * Calls a loader or action, returning its Response whether it was returned or thrown. `context` is
 * what the production server's getLoadContext hands Remix (the client's address).
 */
export async function call(handler: RouteHandler, request: Request, context: Record<string, unknown> = {}): Promise<Response> {
  try {
    return await handler({ request, params: {}, context });
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
async function shownError(authLoader: DataLoader, response: Response, jar: CookieJar): Promise<string | null> {
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

export function countRows(database: FileTestDatabase): Promise<WrittenRows> {
  return database.db.asSystem(async (tx) => ({ users: await tx.user.count(), sessions: await tx.session.count() }));
}

/**
 * A rejected sign-in: the /auth page shows why, no session cookie is set, and the user and session
 * rows are as they were `before` (none, unless the test signed in first).
 */
export async function expectRejected(
  app: SignInApp,
  response: Response,
  jar: CookieJar,
  message: RegExp,
  before: WrittenRows = { users: 0, sessions: 0 },
): Promise<void> {
  expect(await shownError(app.authRoute.loader, response, jar)).toMatch(message);
  expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  expect(await countRows(app.database)).toEqual(before);
}

/** The one account both provider suites sign in as, with its linked provider accounts. */
export function findOwner(database: FileTestDatabase) {
  return database.db.asSystem((tx) => tx.user.findUnique({ where: { email: "owner@example.com" }, include: { accounts: true } }));
}

/**
 * Calls an action that answers with Remix's `data()` (returned or thrown) as well as with a
 * Response, and gives back the Response the browser would receive.
 */
export async function callAction(handler: (args: RouteArgs) => Promise<unknown>, request: Request, context: Record<string, unknown> = {}): Promise<Response> {
  const settled = await handler({ request, params: {}, context }).catch((thrown: unknown) => thrown);
  if (settled instanceof Response) return settled;
  if (typeof settled === "object" && settled !== null && "type" in settled && settled.type === "DataWithResponseInit") {
    const { data, init } = settled as unknown as { data: unknown; init: ResponseInit | null };
    return Response.json(data, init ?? {});
  }
  if (settled instanceof Error) throw settled;
  return Response.json(settled);
}
