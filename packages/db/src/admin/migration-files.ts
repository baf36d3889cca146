import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { packageRoot } from "./paths.ts";

export const schemaPath = path.join(packageRoot, "prisma/schema.prisma");
export const migrationsDir = path.join(packageRoot, "prisma/migrations");

/** The migrations folder in the shape Prisma's schema engine reads it. */
export interface MigrationDirectoryOnDisk {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: {
    path: string;
    migrationFile: { path: string; content: { tag: "ok"; value: string } | { tag: "error"; value: string } };
  }[];
}

export function readSchema(): Promise<string> {
  return readFile(schemaPath, "utf8");
}

export async function readMigrations(dir = migrationsDir): Promise<MigrationDirectoryOnDisk> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const lockfile = await readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const content = await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}
