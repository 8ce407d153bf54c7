// npm run bench:fuzz — the edge fuzzer with a large budget (test/fuzz/edges.test.ts runs 150 per route):
// BENCH_FUZZ_N inputs per route (default 100,000) from test/fuzz/edges.ts against the real routes of a
// server on PGlite (BENCH_FUZZ_DB=postgres for the server), workers off. Prints per route: inputs,
// answers by status, failures (a 5xx, a 4xx without a code, a refused genuine event), inputs/s; then
// whether the server is still up, heap and RSS after a forced GC every 10 % of the run (flat = no leak),
// and whether the inbox holds only what was accepted and every genuine event once.
import { sql } from 'drizzle-orm';
import { openTestDatabase, type Backend } from '../test/helpers/test-db.js';
import { seedTenant, startHarness } from '../test/helpers/harness.js';
import { fuzzInput, judge, ROUTES } from '../test/fuzz/edges.js';

const N = Number(process.env.BENCH_FUZZ_N ?? 100_000);
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? 7);
const PARALLEL = Number(process.env.BENCH_FUZZ_PARALLEL ?? 8);
const BACKEND = (process.env.BENCH_FUZZ_DB ?? 'pglite') as Backend;
// A 2 MB body every thousandth input: enough to prove the limit holds, not 20 GB of traffic.
const BIG_EVERY = 1000;

const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const m = process.memoryUsage();
  return `heap ${(m.heapUsed / 1048576).toFixed(1)} MB, rss ${(m.rss / 1048576).toFixed(0)} MB`;
};

const t = await openTestDatabase(BACKEND);
await seedTenant(t.database);
const h = await startHarness(t.database, { startWorkers: false });
let failed = 0;
try {
  console.log(`bench:fuzz on ${BACKEND}: ${N.toLocaleString()} inputs per route, seed ${SEED}, ${PARALLEL} in parallel${gc ? '' : ' (no --expose-gc: memory readings include garbage)'}`);
  console.log(`memory at start: ${memory()}`);
  for (const route of ROUTES) {
    const byStatus = new Map<number, number>();
    const failures: string[] = [];
    const genuine: string[] = [];
    let accepted = 0;
    let next = 0;
    const started = performance.now();
    const before = (await t.database.query<{ n: number }>(sql`select count(*)::int as n from inbox_events`))[0]!.n;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= N) return;
        const input = fuzzInput(route, SEED, i, i % BIG_EVERY === 0);
        const res = await fetch(`${h.server.url}${input.path}`, { method: 'POST', headers: input.headers, body: input.body });
        const text = await res.text();
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        const v = judge(input, res.status, text);
        if (!v.ok && failures.length < 20) {
          const err = res.status >= 500 ? /"message":"([^"]*)"/.exec(h.logs.filter((l) => l.includes('"level":50')).at(-1) ?? '')?.[1] : undefined;
          failures.push(`#${i} ${input.how}: ${v.why}${err ? ` (${err})` : ''}`);
        }
        if (!v.ok) failed++;
        if (res.status === 200) accepted++;
        if (input.eventId) genuine.push(input.eventId);
        // The harness keeps every log line in memory (captureLogger); drop them so memory shows the server's own.
        if (h.logs.length > 1000) h.logs.splice(0, h.logs.length - 100);
        if ((i + 1) % Math.max(1, Math.floor(N / 10)) === 0) console.log(`  ${route} ${(i + 1).toLocaleString()}: ${memory()}`);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const seconds = (performance.now() - started) / 1000;
    const after = (await t.database.query<{ n: number }>(sql`select count(*)::int as n from inbox_events`))[0]!.n;
    const stored = new Set((await t.database.query<{ event_id: string }>(sql`select event_id from inbox_events`)).map((r) => r.event_id));
    const missing = genuine.filter((id) => !stored.has(id)).length;
    const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ');
    console.log(`${route}: ${N.toLocaleString()} inputs in ${seconds.toFixed(1)} s (${Math.round(N / seconds)}/s); ${statuses}`);
    console.log(`  failures: ${failures.length ? failures.join('; ') : 'none'}`);
    console.log(`  stored ${after - before} (accepted ${accepted}, stored <= accepted: ${after - before <= accepted}); genuine events ${genuine.length}, missing ${missing}`);
    if (after - before > accepted || missing > 0) failed++;
  }
  const ready = await fetch(`${h.server.url}/readyz`);
  console.log(`server still up: ${ready.status === 200}; memory at end: ${memory()}`);
  if (ready.status !== 200) failed++;
} finally {
  await h.close();
  await t.drop();
}
console.log(failed === 0 ? 'bench:fuzz: PASS' : `bench:fuzz: FAIL (${failed})`);
process.exit(failed === 0 ? 0 : 1);
