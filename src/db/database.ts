import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg, NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTable } from 'drizzle-orm/pg-core';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';
import { applyMigrations, type Migration, type SqlRunner } from './migrate.js';
import { templateFor } from './pglite-template.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A drizzle handle inside or outside a transaction; repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Raw rows for hand-written SQL (bench and queue code). */
  query<T = Record<string, unknown>>(q: SQL): Promise<T[]>;
  /** Hot paths only: a fixed statement, prepared once per connection on a server. */
  prepared<T = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<T[]>;
  ping(): Promise<void>;
  /** Applies pending migrations (all checked-in ones unless a list is given; tests stop part way). */
  migrate(migrations?: Migration[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' for an in-memory database. */
  dataDir?: string;
  poolSize?: number;
}

// drizzle-orm 0.45 sends BEGIN outside its try/finally, so a connection that dies at BEGIN (a database
// restart, a killed backend) is never released and the pool shrinks for good. Same method, with the
// client released on every path.
type SessionInternals = { client: unknown; dialect: unknown; schema: unknown; options: unknown };
(NodePgSession.prototype as unknown as { transaction: unknown }).transaction = async function (
  this: SessionInternals,
  transaction: (tx: unknown) => Promise<unknown>,
  config?: unknown,
) {
  const isPool = this.client instanceof pg.Pool;
  const client = isPool ? await (this.client as pg.Pool).connect() : null;
  let releaseErr: Error | undefined;
  try {
    const Session = NodePgSession as unknown as new (...a: unknown[]) => unknown;
    const Tx = NodePgTransaction as unknown as new (...a: unknown[]) => { execute(q: SQL): Promise<unknown>; getTransactionConfigSQL(c: unknown): SQL };
    const session = client ? new Session(client, this.dialect, this.schema, this.options) : this;
    const tx = new Tx(this.dialect, session, this.schema);
    await tx.execute(sql`begin${config ? sql` ${tx.getTransactionConfigSQL(config)}` : undefined}`);
    try {
      const result = await transaction(tx);
      await tx.execute(sql`commit`);
      return result;
    } catch (error) {
      await tx.execute(sql`rollback`).catch(() => undefined);
      throw error;
    }
  } catch (error) {
    releaseErr = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A client whose connection broke is destroyed rather than returned to the pool.
    client?.release(releaseErr && !(client as unknown as { _queryable?: boolean })._queryable ? releaseErr : undefined);
  }
};

// pg returns int8/numeric as strings by default; counts here are small enough for JS numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts.dataDir ?? 'memory://');
}

async function openPglite(dataDir: string): Promise<Database> {
  let target = dataDir;
  if (!dataDir.startsWith('memory://')) {
    target = path.resolve(dataDir, 'pglite');
    mkdirSync(target, { recursive: true });
  }
  const template = target.startsWith('memory://') ? undefined : templateFor(target);
  const client = await PGlite.create(target, template ? { loadDataDir: template } : {});
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const runner: SqlRunner = {
    exec: async (text) => { await client.exec(text); },
    query: async (text, params) => (await client.query(text, params as unknown[])).rows as Record<string, unknown>[],
    transaction: async (fn) => client.transaction(async (tx) => fn({
      exec: async (text) => { await tx.exec(text); },
      query: async (text, params) => (await tx.query(text, params as unknown[])).rows as Record<string, unknown>[],
    })),
  };
  let closed = false;
  return {
    kind: 'pglite',
    db,
    query: async <T>(q: SQL) => ((await db.execute(q)) as unknown as { rows: T[] }).rows,
    prepared: async <T>(_name: string, text: string, params: unknown[]) => (await client.query(text, params)).rows as T[],
    ping: async () => { await client.query('select 1'); },
    migrate: (migrations) => applyMigrations(runner, migrations),
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Same for a client in use (a killed backend mid-transaction): the failing query rejects; the
  // client's 'error' event must not become an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const runner: SqlRunner = {
    exec: async (text) => { await pool.query(text); },
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    transaction: async (fn) => {
      const c = await pool.connect();
      try {
        await c.query('begin');
        const out = await fn({
          exec: async (text) => { await c.query(text); },
          query: async (text, params) => (await c.query(text, params as unknown[])).rows,
        });
        await c.query('commit');
        return out;
      } catch (e) {
        await c.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
  };
  let closed = false;
  return {
    kind: 'postgres',
    db,
    query: async <T>(q: SQL) => ((await db.execute(q)) as unknown as { rows: T[] }).rows,
    prepared: async <T>(name: string, text: string, params: unknown[]) => (await pool.query({ name, text, values: params })).rows as T[],
    ping: async () => { await pool.query('select 1'); },
    migrate: (migrations) => applyMigrations(runner, migrations),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Hot paths only: a fixed statement on the connection behind `tx` (inside its transaction when it
 * is one). On a server it is a named statement, parsed and planned once per connection; on PGlite a
 * plain query. Rows come back as the driver gives them (snake_case unless the text aliases them).
 */
export async function runPrepared<T = Record<string, unknown>>(tx: Tx, name: string, text: string, params: unknown[]): Promise<T[]> {
  const client = (tx as unknown as { session: { client: unknown } }).session.client;
  if (client instanceof pg.Client || client instanceof pg.Pool) {
    return (await (client as pg.ClientBase).query({ name, text, values: params })).rows as T[];
  }
  return (await (client as { query(t: string, p: unknown[]): Promise<{ rows: unknown[] }> }).query(text, params)).rows as T[];
}

/** A select list giving a table's rows the shape drizzle gives them (camelCase keys), for runPrepared. */
export function selectList(table: PgTable, alias?: string): string {
  const p = alias ? `${alias}.` : '';
  return Object.entries(getTableColumns(table)).map(([key, col]) => `${p}"${col.name}" as "${key}"`).join(', ');
}

export { sql };
