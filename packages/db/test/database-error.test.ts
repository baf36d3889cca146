import pg from "pg";
import { describe, expect, it } from "vitest";
import { Prisma } from "../src/generated/prisma/client.ts";
import { isTransientDatabaseError, lastingRefusalSqlState } from "../src/repositories/database-error.ts";

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

describe("lastingRefusalSqlState", () => {
  // How Prisma's pg adapter reports a Postgres error (meta.driverAdapterError.cause.originalCode).
  const fromPrisma = (cause: Record<string, unknown>) =>
    new Prisma.PrismaClientKnownRequestError("x", { code: "P2039", clientVersion: "7", meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });

  it("names the SQLSTATE of a refusal every retry would meet, from pg or through Prisma", () => {
    expect(lastingRefusalSqlState(withCode("22021"))).toBe("22021");
    expect(lastingRefusalSqlState(fromPrisma({ kind: "postgres", originalCode: "22P05" }))).toBe("22P05");
  });

  it("is null for what a retry may get past: transient classes, no SQLSTATE (database unreachable), not a database error", () => {
    expect(lastingRefusalSqlState(withCode("40001"))).toBeNull();
    expect(lastingRefusalSqlState(withCode(undefined))).toBeNull();
    expect(lastingRefusalSqlState(fromPrisma({ kind: "TransactionWriteConflict", originalCode: "40001" }))).toBeNull();
    expect(lastingRefusalSqlState(fromPrisma({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 }))).toBeNull();
    expect(lastingRefusalSqlState(new Error("connect ECONNREFUSED"))).toBeNull();
  });
});
