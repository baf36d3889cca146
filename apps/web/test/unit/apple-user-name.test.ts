import { describe, expect, it } from "vitest";
import { appleUserName } from "../../app/auth/apple-sign-in.server.ts";
import { signInErrorMessage } from "../../app/auth/sign-in-errors.ts";

describe("the name Apple posts on a first authorization", () => {
  it("joins first and last name", () => {
    expect(appleUserName(JSON.stringify({ name: { firstName: "Grace", lastName: "Hopper" }, email: "g@example.com" }))).toBe("Grace Hopper");
    expect(appleUserName(JSON.stringify({ name: { firstName: " Ada " } }))).toBe("Ada");
  });

  it("gives no name for a missing, empty or malformed field", () => {
    expect(appleUserName(null)).toBeNull();
    expect(appleUserName("{not json")).toBeNull();
    expect(appleUserName(JSON.stringify({ email: "g@example.com" }))).toBeNull();
    expect(appleUserName(JSON.stringify({ name: { firstName: "", lastName: " " } }))).toBeNull();
    expect(appleUserName(JSON.stringify({ name: "Grace" }))).toBeNull();
  });
});

describe("sign-in error codes on /auth", () => {
  it("shows a sentence for known codes and nothing for anything else in the URL", () => {
    expect(signInErrorMessage("cancelled")).toMatch(/cancelled/);
    expect(signInErrorMessage("<script>alert(1)</script>")).toBeNull();
    expect(signInErrorMessage("toString")).toBeNull();
    expect(signInErrorMessage(null)).toBeNull();
  });
});
