import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import type { Migration } from '../../src/db/migrate.js';

export type Backend = 'pglite' | 'postgres';
export const backends: Backend[] = ['pglite', 'postgres'];

// The machine's PostgreSQL server (CI starts it). Tests create and drop their own databases.
const SERVER_URL = process.env.KELU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kelu_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: SERVER_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** A fresh, migrated database on the given backend (only the given migrations when a list is passed). */
export async function openTestDatabase(backend: Backend, migrations?: Migration[]): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate(migrations);
    return { database, drop: () => database.close() };
  }
  const server = await createServerDatabase();
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 5 });
  await database.migrate(migrations);
  return {
    database,
    url: server.url,
    drop: async () => {
      await database.close();
      await server.drop();
    },
  };
}
