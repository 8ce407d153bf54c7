// npm run bench:db — 200,000 interactions for 2,000 customers on PGlite and on the PostgreSQL server:
// batched insert throughput, and the per-customer weekday-by-hour heat map query latency.
import { openDatabase, type Database } from '../src/db/database.js';
import { customers, interactions, tenants } from '../src/db/schema.js';
import { interactionHeatmap } from '../src/crm/interactions.repo.js';
import { fmt, summarize } from './stats.js';
import { benchDatabase } from './harness.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const PER_CUSTOMER = Number(process.env.BENCH_PER_CUSTOMER ?? 100);
const BATCH = 1000;
const QUERIES = 500;

async function run(database: Database, label: string): Promise<void> {
  const { db } = database;
  await database.migrate();
  await db.insert(tenants).values({ tenantId: 'bench', name: 'bench' });
  const ids: string[] = [];
  for (let i = 0; i < CUSTOMERS; i += BATCH) {
    const rows = await db
      .insert(customers)
      .values(Array.from({ length: Math.min(BATCH, CUSTOMERS - i) }, (_, k) => ({ tenantId: 'bench', name: `客户${i + k}` })))
      .returning({ id: customers.id });
    ids.push(...rows.map((r) => r.id));
  }
  const total = CUSTOMERS * PER_CUSTOMER;
  const since = Date.now() - 12 * 7 * 86400_000;
  const t0 = performance.now();
  let n = 0;
  while (n < total) {
    const size = Math.min(BATCH, total - n);
    const batch = Array.from({ length: size }, (_, k) => {
      const idx = n + k;
      return {
        tenantId: 'bench',
        customerId: ids[idx % CUSTOMERS]!,
        channel: 'chat',
        direction: (idx % 3 === 0 ? 'out' : 'in') as 'in' | 'out',
        text: '您好，想了解一下移动DR的报价',
        platform: 'bench',
        platformMessageId: `m${idx}`,
        occurredAt: new Date(since + ((idx * 7919) % (12 * 7 * 86400)) * 1000),
      };
    });
    await db.insert(interactions).values(batch);
    n += size;
  }
  const secs = (performance.now() - t0) / 1000;
  await database.query((await import('drizzle-orm')).sql`analyze interactions`);

  const lat: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const cid = ids[(q * 37) % ids.length]!;
    const s = performance.now();
    const cells = await interactionHeatmap(db, 'bench', cid, 'Asia/Shanghai', new Date(since));
    lat.push(performance.now() - s);
    if (q === 0 && cells.reduce((a, c) => a + c.count, 0) !== PER_CUSTOMER) throw new Error('heat map lost rows');
  }
  const l = summarize(lat);
  console.log(
    `${label.padEnd(10)} insert ${total} rows in ${fmt(secs, 2)} s = ${Math.round(total / secs)} rows/s (batches of ${BATCH}) | ` +
      `heat map (${QUERIES} queries, ${PER_CUSTOMER} rows/customer) p50 ${fmt(l.p50, 2)} ms, p95 ${fmt(l.p95, 2)} ms, p99 ${fmt(l.p99, 2)} ms`,
  );
}

async function main() {
  console.log(`bench:db — ${CUSTOMERS} customers x ${PER_CUSTOMER} interactions`);
  const lite = await openDatabase({ dataDir: 'memory://' });
  try {
    await run(lite, 'PGlite');
  } finally {
    await lite.close();
  }
  const fresh = await benchDatabase();
  const server = await openDatabase({ databaseUrl: fresh.url, poolSize: 4 });
  try {
    await run(server, 'PostgreSQL');
  } finally {
    await server.close();
    await fresh.drop();
  }
  console.log('targets on the PostgreSQL server: >= 5,000 rows/s batched, heat map p95 < 20 ms');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
