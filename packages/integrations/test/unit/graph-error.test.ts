import { whatsappDeliveryFailure } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { classifyGraphError, classifyNetworkError, parseRetryAfter } from "../../src/meta/graph-error.ts";

const NOW = () => new Date("2026-03-02T10:00:00.000Z");

function graphBody(code: number, subcode?: number, message = "(#x) something") {
  return { error: { message, type: "OAuthException", code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: "AbCdEf123" } };
}

function classify(status: number, body: unknown, retryAfter?: string) {
  return classifyGraphError({ platform: "Instagram", status, body, retryAfter: retryAfter ?? null, now: NOW });
}

describe("classifyGraphError", () => {
  it.each([4, 17, 32, 613, 80007, 130429, 131056])("code %i is a rate limit: retry", (code) => {
    expect(classify(400, graphBody(code))).toMatchObject({ status: "retry", reason: expect.stringContaining("rate limit") });
  });

  it("HTTP 429 without a Graph body is a rate limit, and Retry-After seconds are passed on", () => {
    expect(classify(429, undefined, "30")).toEqual({ status: "retry", reason: "Instagram rate limit reached (HTTP 429)", retryAfterSeconds: 30 });
  });

  it("reads Retry-After given as an HTTP date against the injected clock", () => {
    expect(classify(429, graphBody(4), "Mon, 02 Mar 2026 10:01:30 GMT")).toMatchObject({ status: "retry", retryAfterSeconds: 90 });
  });

  it.each([500, 502, 503])("HTTP %i with Meta's error envelope is worth another try", (status) => {
    expect(classify(status, graphBody(1))).toMatchObject({ status: "retry" });
  });

  it.each([500, 502, 504])("HTTP %i without Meta's envelope (a gateway answered) is unconfirmed, never retried", (status) => {
    expect(classify(status, "<html>Gateway timeout</html>")).toEqual({
      status: "unconfirmed",
      reason: `Instagram answered HTTP ${status} without saying whether the message was sent`,
    });
  });

  it("code 2 (service unavailable) is worth another try even on HTTP 400", () => {
    expect(classify(400, graphBody(2))).toMatchObject({ status: "retry" });
  });

  it.each([
    [190, undefined],
    [190, 463],
    [102, undefined],
    [200, 467],
  ])("code %s / subcode %s means the token is invalid", (code, subcode) => {
    expect(classify(401, graphBody(code, subcode))).toMatchObject({ status: "token_invalid", reason: expect.stringContaining("reconnect") });
  });

  it("Instagram's (#10) outside-the-window answer closes the window", () => {
    expect(classify(400, graphBody(10, 2534022, "(#10) This message is sent outside of allowed window."))).toEqual({
      status: "window_closed",
      reason: "Instagram's 24-hour messaging window is closed (code 10/2534022)",
    });
  });

  it("WhatsApp's 131047 re-engagement error closes the window", () => {
    const outcome = classifyGraphError({ platform: "WhatsApp", status: 400, body: graphBody(131047) });
    expect(outcome).toMatchObject({ status: "window_closed", reason: expect.stringContaining("WhatsApp") });
  });

  it("says a WhatsApp refusal in the same words as a later failed status of that code", () => {
    const outcome = classifyGraphError({ platform: "WhatsApp", status: 400, body: graphBody(131026) });
    expect(outcome).toEqual({ status: "permanent", reason: `WhatsApp refused the message: ${whatsappDeliveryFailure([131026]).reason} (code 131026)` });
  });

  it.each([551, 100, 131026, 131051, 10, 12345])("code %i is permanent", (code) => {
    expect(classify(400, graphBody(code))).toMatchObject({ status: "permanent" });
  });

  it("never echoes Meta's message, which may quote ids or URLs", () => {
    const outcome = classify(400, graphBody(100, undefined, "Invalid parameter https://x.test/?access_token=EAAGsecret"));
    expect(outcome.reason).not.toContain("EAAGsecret");
    expect(outcome.reason).not.toContain("https://");
  });

  it("an unparseable 4xx body is permanent", () => {
    expect(classify(404, "not json")).toEqual({ status: "permanent", reason: "Instagram refused the message: request rejected (HTTP 404)" });
  });
});

describe("classifyNetworkError", () => {
  const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
  const socketError = (code: string) => Object.assign(new Error(code), { code });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH"])(
    "retries %s: the request never left",
    (code) => {
      expect(classifyNetworkError("WhatsApp", fetchFailed(socketError(code)))).toEqual({ status: "retry", reason: "WhatsApp could not be reached" });
    },
  );

  it("retries when every happy-eyeballs attempt was refused", () => {
    const attempts = new AggregateError([socketError("ECONNREFUSED"), socketError("ENETUNREACH")]);
    expect(classifyNetworkError("WhatsApp", fetchFailed(attempts))).toMatchObject({ status: "retry" });
  });

  it("a timeout waiting for the answer is unconfirmed: the message may have gone out", () => {
    expect(classifyNetworkError("WhatsApp", new DOMException("timed out", "TimeoutError"))).toEqual({
      status: "unconfirmed",
      reason: "WhatsApp did not answer in time; the message may have been delivered",
    });
  });

  it.each(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"])("a connection broken after the request left (%s) is unconfirmed", (code) => {
    expect(classifyNetworkError("WhatsApp", fetchFailed(socketError(code)))).toEqual({
      status: "unconfirmed",
      reason: "the connection to WhatsApp broke after the message was sent",
    });
  });

  it("an error without a known cause is unconfirmed, not retried", () => {
    expect(classifyNetworkError("WhatsApp", new TypeError("fetch failed"))).toMatchObject({ status: "unconfirmed" });
  });
});

describe("parseRetryAfter", () => {
  it("ignores garbage and clamps dates in the past to 0", () => {
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("Mon, 02 Mar 2026 09:00:00 GMT", NOW)).toBe(0);
  });
});
