import { afterAll, describe, expect, it } from "vitest";
import { appRequest, callAction, CookieJar, countRows, useSignInApp } from "./provider-sign-in-harness.ts";

// A production build started without NODE_ENV (an empty value is "unset"), no provider configured.
const nodeEnvBefore = process.env.NODE_ENV;
const app = useSignInApp({ NODE_ENV: "", ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64") });
afterAll(() => {
  process.env.NODE_ENV = nodeEnvBefore;
});

describe("demo sign-in without NODE_ENV", () => {
  it("is not offered, and a posted demo sign-in is refused without writing anything", async () => {
    const page = (await app().authRoute.loader({ request: appRequest("/auth", new CookieJar()), params: {}, context: {} })) as {
      demoSignInEnabled: boolean;
    };
    expect(page.demoSignInEnabled).toBe(false);

    const response = await callAction(
      app().authRoute.action,
      appRequest("/auth", new CookieJar(), { method: "POST", body: new URLSearchParams({ email: "anyone@example.com" }) }),
    );
    expect(response.status).toBe(403);
    expect(await countRows(app().database)).toEqual({ users: 0, sessions: 0 });
  });
});
