// Prisma's schema engine (the WASM build) driven through a driver adapter, so migrations can be
// created, checked and applied on machines that cannot download Prisma's native engine.
// See docs/decisions/0001-migrations-without-the-native-engine.md.
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import type { MigrationDirectoryOnDisk } from "./migration-files.ts";

type QueryResultLike = { fields?: { dataTypeID: number }[]; rows?: unknown[] } | undefined;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

// adapter-pg refuses Postgres's internal "char" type, which the engine's catalog queries return
// (relkind, contype, ...). We let adapter-pg read it as text, remember which columns they were
// (keyed by the rows array, which adapter-pg passes through untouched), and report them to the
// engine as Character, which is what its schema describer reads.
const charColumnsByRows = new WeakMap<unknown[], number[]>();

function retypeCharColumns<R>(result: R): R {
  for (const r of (Array.isArray(result) ? result : [result]) as QueryResultLike[]) {
    const charColumns: number[] = [];
    r?.fields?.forEach((field, index) => {
      if (field.dataTypeID !== PG_CHAR_OID) return;
      field.dataTypeID = PG_TEXT_OID;
      charColumns.push(index);
    });
    if (charColumns.length && r?.rows) charColumnsByRows.set(r.rows, charColumns);
  }
  return result;
}

type Callback = (err: Error | null, res: unknown) => void;

class CatalogSafeClient extends pg.Client {
  // pg.Pool calls query() with a trailing callback; adapter-pg awaits a promise. Cover both.
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const cb = args[last] as Callback;
      args[last] = (err: Error | null, res: unknown) => cb(err, err ? res : retypeCharColumns(res));
    }
    const ret = (super.query as (...a: unknown[]) => unknown)(...args);
    return (ret instanceof Promise ? ret.then(retypeCharColumns) : ret) as never;
  }
}

interface ConnectionConfig {
  connectionString: string;
}

interface ScriptFailures {
  last: string | null;
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

// adapter-pg's executeScript splits on ";" and breaks DO $$ ... $$ blocks; one simple-protocol
// query runs a whole script correctly.
// The engine reports a failed script only as "external connector error"; keep Postgres's own
// message so a failed migration says what went wrong.
function withWholeScriptExecution(adapter: Adapter, failures: ScriptFailures): Adapter {
  const driver = adapter.underlyingDriver() as pg.Pool;
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "queryRaw") {
        return async (query: Parameters<Adapter["queryRaw"]>[0]) => {
          const result = await target.queryRaw(query);
          for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
          return result;
        };
      }
      if (prop === "executeScript") {
        return async (script: string) => {
          try {
            await driver.query(script);
          } catch (error) {
            failures.last = error instanceof Error ? error.message : String(error);
            throw error;
          }
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// The engine never disposes its main connection, so we track every pool and end them ourselves.
class Pools {
  private readonly open: pg.Pool[] = [];

  create(connectionString: string, database?: string): pg.Pool {
    const url = new URL(connectionString);
    if (database) url.pathname = `/${database}`;
    const pool = new pg.Pool({ connectionString: url.toString(), Client: CatalogSafeClient, max: 2 });
    pool.on("error", () => {});
    this.open.push(pool);
    return pool;
  }

  async endAll(): Promise<void> {
    await Promise.all(this.open.filter((p) => !p.ending).map((p) => p.end()));
  }
}

function adapterFactory(config: ConnectionConfig, failures: ScriptFailures, pools: Pools) {
  return {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    async connect() {
      const inner = new PrismaPg(pools.create(config.connectionString), { disposeExternalPool: true });
      return withWholeScriptExecution(await inner.connect(), failures);
    },
    // adapter-pg's own version reuses the main database's connection string, which wins over the
    // database name it sets, so the "shadow" would be the main database.
    async connectToShadowDb() {
      const admin = new pg.Client({ connectionString: config.connectionString });
      await admin.connect();
      const database = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      await admin.query(`CREATE DATABASE "${database}"`);
      const shadow = new PrismaPg(pools.create(config.connectionString, database), { disposeExternalPool: true });
      const adapter = withWholeScriptExecution(await shadow.connect(), failures);
      const dispose = adapter.dispose.bind(adapter);
      return new Proxy(adapter, {
        get(target, prop, receiver) {
          if (prop === "dispose") {
            return async () => {
              await dispose();
              await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
              await admin.end();
            };
          }
          return Reflect.get(target, prop, receiver);
        },
      });
    },
  };
}

// The WASM engine reports Rust panics through this global; without it a panic surfaces as an
// unrelated TypeError and the reason is lost.
const panics = {
  last: null as string | null,
  set_message(message: string) {
    this.last = message;
  },
};
Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: panics });

const NO_FILTERS = { externalTables: [], externalEnums: [] };

export interface MigrationEngine {
  /** SQL that takes a database built from `migrations` to `schema`; empty when they agree. */
  diffMigrationsToSchema(migrations: MigrationDirectoryOnDisk, schema: string): Promise<string>;
  /** SQL that creates `schema` from nothing. */
  diffEmptyToSchema(schema: string): Promise<string>;
  /** Applies every migration not yet recorded in _prisma_migrations. Returns their names. */
  applyMigrations(migrations: MigrationDirectoryOnDisk): Promise<string[]>;
  dispose(): Promise<void>;
}

/** `adminUrl` must be able to create databases (for the shadow database) and own the schema. */
export async function openMigrationEngine(adminUrl: string, schema: string): Promise<MigrationEngine> {
  const failures: ScriptFailures = { last: null };
  const pools = new Pools();
  const engine = await SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory({ connectionString: adminUrl }, failures, pools)),
  );
  const explained = async <T>(run: () => Promise<T>): Promise<T> => {
    failures.last = null;
    panics.last = null;
    try {
      return await run();
    } catch (error) {
      const said = failures.last ?? panics.last;
      const detail = said ? `\n${failures.last ? "Postgres" : "The schema engine"} said: ${said}` : "";
      throw new Error(`${error instanceof Error ? error.message : String(error)}${detail}`, { cause: error });
    }
  };
  const files = (content: string) => [{ path: "schema.prisma", content }];
  const isEmptyDiff = (sql: string) => sql.replace(/--.*$/gm, "").trim() === "";

  return {
    async diffMigrationsToSchema(migrations, target) {
      const result = await explained(() => engine.diff({
        from: { tag: "migrations", ...migrations },
        to: { tag: "schemaDatamodel", files: files(target) },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      }));
      const sql = result.stdout ?? "";
      return isEmptyDiff(sql) ? "" : sql;
    },
    async diffEmptyToSchema(target) {
      const result = await engine.diff({
        from: { tag: "empty" },
        to: { tag: "schemaDatamodel", files: files(target) },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      });
      return result.stdout ?? "";
    },
    async applyMigrations(migrations) {
      const result = await explained(() =>
        engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS }),
      );
      return result.appliedMigrationNames;
    },
    async dispose() {
      engine.free();
      await pools.endAll();
    },
  };
}
