import { sql } from 'drizzle-orm';
import { openDatabase } from '/work/wt/insight/src/db/database.js';
import { period } from '/work/wt/insight/src/crm/insight/period.js';
import { TENANT_SCOPE } from '/work/wt/insight/src/crm/insight/scope.js';
import * as M from '/work/wt/insight/src/crm/insight/metrics.repo.js';
const db0 = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/kelu_bench_metrics', poolSize: 1 });
const p = period('2026-01-02', '2026-06-30', 'Asia/Shanghai');
const which = process.argv[2]!;
// Capture the SQL by wrapping execute.
const orig = db0.db.execute.bind(db0.db);
(db0.db as any).execute = async (q: any) => {
  const r = await orig(sql`explain (analyze, buffers) ${q}`);
  console.log((r as any).rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  return { rows: [{}] };
};
const now = new Date('2026-06-30T04:00:00Z');
try {
  if (which === 'c') await M.completenessCounts(db0.db, 'bench', p, TENANT_SCOPE);
  if (which === 'k') await M.collaborationCounts(db0.db, 'bench', p, TENANT_SCOPE);
  if (which === 's') await M.survivalCounts(db0.db, 'bench', p, TENANT_SCOPE, now);
} catch (e) { console.log(String(e)); }
await db0.close();
