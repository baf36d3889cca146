// Indexes schema.prisma cannot express (Prisma has no NULLS LAST for index columns:
// https://github.com/prisma/orm/issues/15466), created by hand in a migration. The migration
// engine's diff would drop them; pendingSchemaChanges leaves them out of the drift it reports.
export const SQL_ONLY_INDEXES: readonly string[] = [
  // The lead list's sort (last_message_at DESC NULLS LAST, created_at DESC, id DESC): migration 20261202*_analytics_rollups.
  "leads_user_id_last_message_at_list_idx",
];

/** `sql` without the statements that would drop one of the SQL_ONLY_INDEXES. */
export function withoutSqlOnlyIndexDrops(sql: string): string {
  const drops = new Set(SQL_ONLY_INDEXES.map((name) => `DROP INDEX "${name}";`));
  const kept = sql
    .split(/\n\n+/)
    .filter((block) => !block.split("\n").some((line) => drops.has(line.trim())))
    .join("\n\n");
  return kept.trim() === "" ? "" : kept;
}
