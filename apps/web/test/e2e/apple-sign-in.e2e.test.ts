import { afterAll, describe, expect, it } from "vitest";
import { startFakeAppleForApp } from "../provider-fakes.ts";
import { expectDashboardOf, hasProviderSignInCookie, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const OWNER = { sub: "001122.e2eapple.3344", email: "owner@apple-studio.example", emailVerified: true, name: "Apple Owner" };

// The fake listens on 127.0.0.1 and the app on localhost: different sites, so Apple's form_post
// really is a cross-site POST here, as in production.
const { apple, env } = await startFakeAppleForApp([OWNER]);
afterAll(() => apple.close());

const started = useE2eApp(env);

describe("Sign in with Apple journey", () => {
  it("continues with Apple, comes back through the cross-site form_post, and lands signed in", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page, context) => {
      await page.goto(`${server.url}/auth`);
      await page.getByRole("button", { name: "Continue with Apple" }).click();
      await expectDashboardOf(page, server.url, OWNER.email);
      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email: OWNER.email } }));
      expect(owner.name).toBe("Apple Owner");
      expect(await hasProviderSignInCookie(context)).toBe(false);
    });
  });
});
