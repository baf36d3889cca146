export { createDb, type Db, type DbOptions, type Tx } from "./client.ts";
export { signInWithProvider, type ProviderIdentity } from "./repositories/users.ts";
export {
  createSession,
  deleteSession,
  findActiveSession,
  purgeExpiredSessions,
  type ActiveSession,
} from "./repositories/sessions.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export * from "./generated/prisma/enums.ts";
