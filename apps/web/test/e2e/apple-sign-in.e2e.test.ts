import { generateKeyPairSync } from "node:crypto";
import { startFakeApple } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import { afterAll, describe, expect, it } from "vitest";
import { useE2eApp } from "./e2e-app.ts";

const OWNER = { sub: "001122.e2eapple.3344", email: "owner@apple-studio.example", emailVerified: true, name: "Apple Owner" };

// The fake listens on 127.0.0.1 and the app on localhost: different sites, so Apple's form_post
// really is a cross-site POST here, as in production.
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
recordTestSecret(privateKeyPem);
const apple = await startFakeApple({ clientPublicKey: publicKey, identities: [OWNER] });
afterAll(() => apple.close());

const started = useE2eApp({
  APPLE_CLIENT_ID: apple.clientId,
  APPLE_TEAM_ID: apple.teamId,
  APPLE_KEY_ID: apple.keyId,
  APPLE_PRIVATE_KEY: privateKeyPem.trim().replace(/\n/g, "\\n"),
  APPLE_ISSUER_URL: apple.url,
});

describe("Sign in with Apple journey", () => {
  it("continues with Apple, comes back through the cross-site form_post, and lands signed in", async ({ onTestFailed }) => {
    const { server, browser, database } = started();
    onTestFailed(() => console.error(`--- web server output ---\n${server.output()}`));
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${server.url}/auth`);
      await page.getByRole("button", { name: "Continue with Apple" }).click();
      await page.waitForURL(`${server.url}/dashboard`);
      await page.getByTestId("account-email").filter({ hasText: OWNER.email }).waitFor();
      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email: OWNER.email } }));
      expect(owner.name).toBe("Apple Owner");
      expect((await context.cookies()).some((cookie) => cookie.name.startsWith("__Host-audnix_signin_"))).toBe(false);
    } finally {
      await context.close();
    }
  });
});
