import pg from "pg";
import { z } from "zod";
import { Prisma } from "../generated/prisma/client.ts";

// SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html) after which
// the same statement may well succeed later: the connection dropped (08), the transaction lost a
// race (40: serialization failure, deadlock), the server is shutting down or cancelled the
// statement (57), is out of resources (53: disk, memory, connections) or hit an I/O error (58),
// an object is locked or busy (55), or the code is ahead of the schema (42: a function or column
// a deploy has not migrated yet). None of these is caused by the values of a delivery.
const TRANSIENT_CLASSES = new Set(["08", "40", "42", "53", "55", "57", "58"]);

/**
 * Whether retrying may help. The other classes are about the values themselves (22 data
 * exception, 23 integrity violation, 54 a value over a limit): they fail the same way every time.
 */
export function isTransientDatabaseError(error: pg.DatabaseError): boolean {
  return error.code === undefined || TRANSIENT_CLASSES.has(error.code.slice(0, 2));
}

// Prisma's pg driver adapter keeps Postgres's SQLSTATE in the error's meta.
const prismaDriverError = z.object({ driverAdapterError: z.object({ cause: z.object({ originalCode: z.string() }) }) });

/**
 * The SQLSTATE when `error` (from pg or from Prisma through its pg adapter) is a database refusal
 * that every retry would meet again; null for anything a retry may get past, including errors
 * without a SQLSTATE (connection refused or dropped) and errors that are not the database's.
 */
export function lastingRefusalSqlState(error: unknown): string | null {
  let code: string | undefined;
  if (error instanceof pg.DatabaseError) code = error.code;
  else if (error instanceof Prisma.PrismaClientKnownRequestError) {
    code = prismaDriverError.safeParse(error.meta).data?.driverAdapterError.cause.originalCode;
  }
  return code !== undefined && !TRANSIENT_CLASSES.has(code.slice(0, 2)) ? code : null;
}
