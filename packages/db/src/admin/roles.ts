import pg from "pg";

/**
 * The role the application connects as. Migrations create it (NOLOGIN) and grant it table access;
 * row-level security applies to it because it is neither superuser nor BYPASSRLS.
 */
export const APP_ROLE = "audnix_app";

export function withCredentials(url: string, user: string, password: string, database?: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  if (database) u.pathname = `/${database}`;
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Lets the app role log in with `password` (local clusters only: production roles are the deployer's). */
export async function ensureAppLogin(superuserUrl: string, password: string): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    const verb = exists.rowCount ? "ALTER" : "CREATE";
    const literal = client.escapeLiteral(password);
    await client.query(`${verb} ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${literal}`);
  });
}

export async function ensureDatabase(superuserUrl: string, database: string): Promise<void> {
  await withClient(superuserUrl, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  });
}

/** What the connecting role may bypass: the app refuses to run as a role that skips RLS. */
export async function describeRlsBypass(url: string): Promise<string | null> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    );
    const role = rows[0];
    if (!role) return "the connecting role was not found";
    if (role.rolsuper) return `role "${role.rolname}" is a superuser, which bypasses row-level security`;
    if (role.rolbypassrls) return `role "${role.rolname}" has BYPASSRLS`;
    return null;
  });
}
