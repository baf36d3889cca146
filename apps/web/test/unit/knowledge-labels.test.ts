import { KNOWLEDGE_FILE_MAX_BYTES, KNOWLEDGE_FILE_REFUSALS } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { formatBytes, formatCount } from "../../app/knowledge/knowledge-labels.ts";

describe("sizes and counts on the knowledge page", () => {
  it("states sizes in the units the upload limit is given in", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(812)).toBe("812 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 1024)).toBe("250 KB");
    expect(formatBytes(3.25 * 1024 * 1024)).toBe("3.3 MB");
    // The page's "up to" and the server's refusal name the same number.
    expect(KNOWLEDGE_FILE_REFUSALS.too_large).toContain(formatBytes(KNOWLEDGE_FILE_MAX_BYTES));
  });

  it("counts in the singular for one", () => {
    expect(formatCount(1, "passage", "passages")).toBe("1 passage");
    expect(formatCount(0, "passage", "passages")).toBe("0 passages");
    expect(formatCount(1200, "passage", "passages")).toBe("1,200 passages");
  });
});
