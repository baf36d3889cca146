import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_FOLLOW_UP_SETTINGS } from "../../src/followup/defaults.ts";

const schema = readFileSync(new URL("../../../db/prisma/schema.prisma", import.meta.url), "utf8");

function columnDefault(field: string): string {
  const model = /model BrandSettings \{([\s\S]*?)\n\}/.exec(schema)?.[1] ?? "";
  const line = model.split("\n").find((candidate) => candidate.trim().startsWith(`${field} `));
  const value = line && /@default\((.*?)\)(?:\s|$)/.exec(line)?.[1];
  if (!value) throw new Error(`BrandSettings.${field} has no default in schema.prisma`);
  return value;
}

describe("DEFAULT_FOLLOW_UP_SETTINGS", () => {
  it("matches the BrandSettings column defaults", () => {
    expect(JSON.parse(columnDefault("timezone"))).toBe(DEFAULT_FOLLOW_UP_SETTINGS.timezone);
    expect(JSON.parse(columnDefault("quietHoursStart"))).toBe(DEFAULT_FOLLOW_UP_SETTINGS.quietHoursStart);
    expect(JSON.parse(columnDefault("quietHoursEnd"))).toBe(DEFAULT_FOLLOW_UP_SETTINGS.quietHoursEnd);
    expect(JSON.parse(columnDefault("followUpStepsMinutes"))).toEqual(DEFAULT_FOLLOW_UP_SETTINGS.followUpStepsMinutes);
    expect(Number(columnDefault("delayMinMinutes"))).toBe(DEFAULT_FOLLOW_UP_SETTINGS.delayMinMinutes);
    expect(Number(columnDefault("delayMaxMinutes"))).toBe(DEFAULT_FOLLOW_UP_SETTINGS.delayMaxMinutes);
  });
});
