import pg from "pg";
import { describe, expect, it } from "vitest";
import { isTransientDatabaseError } from "../src/repositories/database-error.ts";

const withCode = (code: string | undefined) => Object.assign(new pg.DatabaseError("x", 1, "error"), { code });

describe("isTransientDatabaseError", () => {
  it("retries what a later attempt can get past: connection, races, shutdown, resources, a deploy ahead of its migration", () => {
    for (const code of ["08006", "40001", "40P01", "57P01", "57014", "53300", "58030", "55P03", "42883", undefined]) {
      expect(isTransientDatabaseError(withCode(code)), code).toBe(true);
    }
  });

  it("does not retry what the values themselves cause", () => {
    for (const code of ["22P05", "22021", "22008", "23505", "23502", "54000", "XX000"]) {
      expect(isTransientDatabaseError(withCode(code)), code).toBe(false);
    }
  });
});
