import { describe, expect, it } from "vitest";
import { createSeededRandom, randomIntInclusive } from "../../src/random.ts";

describe("createSeededRandom", () => {
  it("repeats for the same seed and differs between seeds", () => {
    const first = Array.from({ length: 5 }, createSeededRandom(1));
    expect(Array.from({ length: 5 }, createSeededRandom(1))).toEqual(first);
    expect(Array.from({ length: 5 }, createSeededRandom(2))).not.toEqual(first);
  });

  it("stays in [0, 1)", () => {
    const random = createSeededRandom(99);
    for (let index = 0; index < 10_000; index += 1) {
      const value = random();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });
});

describe("randomIntInclusive", () => {
  it("covers both ends of the range", () => {
    expect(randomIntInclusive(() => 0, 10, 120)).toBe(10);
    expect(randomIntInclusive(() => 0.9999999, 10, 120)).toBe(120);
    expect(randomIntInclusive(() => 0.5, 7, 7)).toBe(7);
  });
});
