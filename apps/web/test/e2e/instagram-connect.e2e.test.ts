import { randomBytes } from "node:crypto";
import { startFakeGoogle, startFakeInstagram, type FakeInstagram } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { googleEnv } from "../provider-fakes.ts";
import { expectDashboardOf, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { freePort } from "./web-server.ts";

const IG_ACCOUNT = { userId: "17841400000000099", appScopedId: "26000000000000099", username: "bloom_studio" };
// The journey: an owner signs in with (fake) Google, then connects (fake) Instagram.
const OWNERS = [
  { sub: "104000000000000000001", email: "owner@bloom.example", emailVerified: true, name: "Bloom Owner" },
  { sub: "104000000000000000002", email: "denied@bloom.example", emailVerified: true, name: "Careful Owner" },
];
const google = await startFakeGoogle({ identities: OWNERS });
afterAll(() => google.close());

async function signInWithGoogle(page: Page, baseUrl: string, owner: number): Promise<void> {
  await page.goto(`${baseUrl}/auth`);
  await page.getByRole("button", { name: "Continue with Google" }).click();
  // The fake's consent page offers one "Allow" per identity, in OWNERS order.
  await page.getByRole("link", { name: "Allow" }).nth(owner).click();
  await expectDashboardOf(page, baseUrl, OWNERS[owner]!.email);
}

// Filled in before useE2eApp's own beforeAll reads it: the fake's URL and the server's port
// (Meta's redirect URI names it) are known only once they exist.
const env: Record<string, string> = {};
let fake: FakeInstagram;

beforeAll(async () => {
  fake = await startFakeInstagram({ users: [IG_ACCOUNT] });
  const port = await freePort();
  const encryptionKey = randomBytes(32).toString("base64");
  recordTestSecret(encryptionKey);
  Object.assign(env, {
    ...googleEnv(google),
    PORT: String(port),
    APP_URL: `http://localhost:${port}`,
    ENCRYPTION_KEY: encryptionKey,
    INSTAGRAM_APP_ID: fake.appId,
    INSTAGRAM_APP_SECRET: fake.appSecret,
    INSTAGRAM_OAUTH_BASE_URL: fake.url,
    INSTAGRAM_GRAPH_BASE_URL: fake.url,
  });
});
afterAll(() => fake?.close());

const started = useE2eApp(env);

describe("connecting Instagram", () => {
  it("signs in with Google, goes through Instagram's consent screen and shows the connected account", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await signInWithGoogle(page, server.url, 0);
      await page.goto(`${server.url}/dashboard/connections`);
      await page.getByTestId("instagram-status").filter({ hasText: "Not connected" }).waitFor();

      await page.getByRole("link", { name: "Connect Instagram" }).click();
      await page.getByRole("heading", { name: "Allow this app to access your Instagram account?" }).waitFor();
      await page.getByRole("button", { name: "Allow" }).click();

      // The browser carries Meta's `#_` fragment through our redirect; the query is what matters.
      await page.waitForURL((url) => url.pathname === "/dashboard/connections" && url.searchParams.get("instagram") === "connected");
      await page.getByTestId("connections-flash").filter({ hasText: "Instagram is connected" }).waitFor();
      await page.getByTestId("instagram-status").filter({ hasText: "Connected" }).waitFor();
      expect(await page.getByTestId("instagram-account").textContent()).toBe("@bloom_studio");
      expect(fake.subscriptions.get(IG_ACCOUNT.userId)).toEqual(["messages", "messaging_seen"]);
    });
  });

  it("comes back not connected, with a message, when the owner denies access", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await signInWithGoogle(page, server.url, 1);
      await page.goto(`${server.url}/dashboard/connections`);
      await page.getByRole("link", { name: "Connect Instagram" }).click();
      await page.getByRole("button", { name: "Deny" }).click();

      await page.getByTestId("connections-flash").filter({ hasText: "the permissions were declined" }).waitFor();
      await page.getByTestId("instagram-status").filter({ hasText: "Not connected" }).waitFor();
    });
  });
});
