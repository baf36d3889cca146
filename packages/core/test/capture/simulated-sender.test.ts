import { describe, expect, it } from "vitest";
import { sandboxConnectionState, simulatedSender } from "../../src/capture/simulated-sender.ts";

describe("simulatedSender", () => {
  it("makes a sender shaped like each channel's webhook, the same for the same name", () => {
    const instagram = simulatedSender("instagram", "Maya Ortiz").sender;
    expect(instagram.externalId).toMatch(/^17841\d{12}$/);
    expect(simulatedSender("instagram", "  maya ortiz ").sender.externalId).toBe(instagram.externalId);
    expect(simulatedSender("instagram", "Jonas").sender.externalId).not.toBe(instagram.externalId);

    const whatsapp = simulatedSender("whatsapp", "Maya Ortiz").sender;
    expect(whatsapp.externalId).toMatch(/^1555\d{7}$/);
    expect(whatsapp.phone).toBe(`+${whatsapp.externalId}`);

    expect(simulatedSender("email", "Maya O'Neil-Ortiz")).toEqual({
      sender: { externalId: "maya.o.neil.ortiz@example.invalid", name: "Maya O'Neil-Ortiz", email: "maya.o.neil.ortiz@example.invalid", phone: null },
      thread: { subject: null, references: [] },
    });
    expect(simulatedSender("email", "Zoë").sender.email).toBe("zo@example.invalid");
    expect(simulatedSender("email", "日本").sender.email).toBe("sender@example.invalid");
    expect(simulatedSender("sandbox", "Maya  Ortiz").sender.externalId).toBe("sandbox:maya-ortiz");
  });
});

describe("sandboxConnectionState", () => {
  it("tells this launch's fake from an earlier one's and from a real vendor", () => {
    expect(sandboxConnectionState("run-a", "run-a")).toBe("current");
    expect(sandboxConnectionState("run-a", "run-b")).toBe("stale");
    expect(sandboxConnectionState("run-a", null)).toBe("stale");
    expect(sandboxConnectionState(null, "run-a")).toBeNull();
  });
});
