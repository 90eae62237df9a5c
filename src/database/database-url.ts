import pg from 'pg';

/** Splits a postgres URL into the database name and a URL of the maintenance database on the same server. */
export function splitDatabaseUrl(url: string): { database: string; adminUrl: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL names no database');
  u.pathname = '/postgres';
  return { database, adminUrl: u.toString() };
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Creates the database of `url` when it does not exist yet (dev convenience, see DATABASE_CREATE_IF_MISSING). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { database, adminUrl } = splitDatabaseUrl(url);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } catch (e) {
      // Another process created it between the check and now.
      if ((e as { code?: string }).code !== '42P04') throw e;
    }
    return true;
  } finally {
    await client.end();
  }
}
