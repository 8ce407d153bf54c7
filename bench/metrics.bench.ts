// npm run bench:metrics — the dashboard's metrics over 50,000 customers, 50,000 leads and 1,000,000
// interactions (180 days, 4 teams, 40 reps) on the PostgreSQL server: latency of each metric, p50/p95
// over BENCH_RUNS runs with the period window moved each run, for a 30-day and a 180-day period.
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/database.js';
import { fmt, summarize } from './stats.js';
import { benchDatabase } from './harness.js';
import { addDays, localDay, period } from '../src/crm/insight/period.js';
import { resolveScope, TENANT_SCOPE, type Scope } from '../src/crm/insight/scope.js';
import { defaultInsightSettings as S } from '../src/crm/insight/settings.js';
import { collaboration, completeness, responseRate, survival } from '../src/crm/insight/metrics.service.js';
import { funnel, heatmaps } from '../src/crm/insight/funnel.service.js';
import { foldAllHeat } from '../src/crm/insight/heat-fold.js';
import { leadsAtRisk } from '../src/crm/insight/report.repo.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
const INTERACTIONS = Number(process.env.BENCH_INTERACTIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DAYS = 180;
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-06-30T04:00:00Z');

async function seed(database: Database): Promise<void> {
  const q = (s: ReturnType<typeof sql>) => database.query(s);
  const start = new Date(NOW.getTime() - DAYS * 86_400_000);
  await q(sql`insert into tenants (tenant_id, name, time_zone) values ('bench', 'bench', ${TZ})`);
  await q(sql`insert into users (tenant_id, role, name, region)
    select 'bench', 'manager', '经理' || g, (array['华东', '华南', '华北', '西部'])[g] from generate_series(1, 4) g
    union all select 'bench', 'rep', '销售' || g, (array['华东', '华南', '华北', '西部'])[1 + g % 4] from generate_series(1, 40) g
    union all select 'bench', 'admin', '管理员', null`);
  // Deterministic pseudo-random numbers from the row number: h(g, salt) in [0, 1).
  const h = (g: ReturnType<typeof sql>, salt: number) => sql`((hashint8((${g})::bigint * 7919 + ${salt}) & 2147483647)::float8 / 2147483648)`;
  const t0 = performance.now();
  await q(sql`
    with reps as (select id, row_number() over (order by name) - 1 as k from users where tenant_id = 'bench' and role = 'rep')
    insert into customers (tenant_id, name, company, owner_id, region, custom_fields, created_at, updated_at)
    select 'bench', '客户' || g, case when ${h(sql`g`, 1)} < 0.9 then '公司' || (g % 5000) end, r.id, (array['华东', '华南', '华北', '西部'])[1 + r.k % 4],
      case when ${h(sql`g`, 2)} < 0.5 then '{"need": "DR"}'::jsonb else '{}'::jsonb end,
      ${start}::timestamptz + (${h(sql`g`, 3)} * ${DAYS} * interval '1 day'), ${start}::timestamptz
    from generate_series(1, ${CUSTOMERS}::int) g join reps r on r.k = g % 40`);
  await q(sql`insert into customer_identities (tenant_id, customer_id, kind, value)
    select 'bench', id, 'phone', '139' || lpad((row_number() over ())::text, 8, '0') from customers where tenant_id = 'bench' and ${h(sql`hashtext(id::text)`, 4)} < 0.8`);
  await q(sql`
    insert into leads (tenant_id, customer_id, status, assignee_id, assigned_at, first_response_at, source_channel, utm, priority, status_history, created_at, updated_at)
    select 'bench', c.id, s.status, c.owner_id, c.created_at,
      case when x.r < 0.85 then c.created_at + (x.r * 120 * interval '1 minute') end,
      (array['官网', '展会', '老客转介', '百度', '抖音'])[1 + (x.k % 5)], jsonb_build_object('campaign', 'c' || (x.k % 7)), 1,
      jsonb_build_array(jsonb_build_object('status', s.status, 'at', c.created_at + interval '3 days')), c.created_at, c.created_at
    from customers c
    cross join lateral (select ${h(sql`hashtext(c.id::text)`, 5)} as r, abs(hashtext(c.id::text)) as k) x
    cross join lateral (select (array['assigned', 'claimed', 'contacted', 'qualified', 'won', 'lost', 'contacted', 'claimed'])[1 + x.k % 8] as status) s
    where c.tenant_id = 'bench'`);
  const ids = sql`(select array_agg(id order by created_at) from customers where tenant_id = 'bench')`;
  const authors = sql`(select array_agg(id order by role, name) from users where tenant_id = 'bench')`;
  for (let i = 0; i < INTERACTIONS; i += 200_000) {
    const n = Math.min(200_000, INTERACTIONS - i);
    await q(sql`
      with c as (select ${ids} as ids), a as (select ${authors} as ids)
      insert into interactions (tenant_id, customer_id, channel, direction, author_id, text, platform, platform_message_id, occurred_at, entities)
      select 'bench', c.ids[1 + g % ${CUSTOMERS}::int], 'chat', case when ${h(sql`g`, 6)} < 0.4 then 'out' else 'in' end,
        case when ${h(sql`g`, 6)} < 0.4 then a.ids[1 + (g % 45)] end, '您好，想了解一下移动DR的报价', 'bench', 'm' || g,
        ${start}::timestamptz + (${h(sql`g`, 7)} * ${DAYS} * interval '1 day'),
        case when ${h(sql`g`, 8)} < 0.1 then '{"products": [{"id": "dr"}]}'::jsonb else '{"products": []}'::jsonb end
      from generate_series(${i + 1}::int, ${i + n}::int) g, c, a`);
  }
  // What autovacuum does to a table that has been written: visibility map and statistics.
  await q(sql`vacuum analyze`);
  console.log(`seeded ${CUSTOMERS} customers, ${CUSTOMERS} leads, ${INTERACTIONS} interactions in ${fmt((performance.now() - t0) / 1000)} s`);
}

async function main(): Promise<void> {
  // BENCH_DATABASE_URL: reuse a database seeded by an earlier run (kept, not dropped) to study plans.
  const keep = process.env.BENCH_DATABASE_URL;
  const fresh = keep ? { url: keep, drop: async () => undefined } : await benchDatabase();
  const database = await openDatabase({ databaseUrl: fresh.url, poolSize: 4 });
  try {
    await database.migrate();
    const seeded = (await database.query<{ n: number }>(sql`select count(*)::int as n from tenants where tenant_id = 'bench'`))[0]!.n > 0;
    if (!seeded) await seed(database);
    const { db } = database;
    // The running server folds the heat deltas every 2 s (0012); a seed by hand leaves them unfolded.
    const folded = await foldAllHeat(db);
    if (folded) console.log(`folded ${folded} heat deltas`);
    const team: Scope = await resolveScope(db, 'bench', { team: '华东' }, { ownerIds: null });
    const today = localDay(NOW, TZ);
    const metrics: [string, (p: ReturnType<typeof period>, s: Scope) => Promise<unknown>][] = [
      ['response rate', (p, s) => responseRate(db, 'bench', p, s, S, NOW)],
      ['completeness', (p, s) => completeness(db, 'bench', p, s, S)],
      ['collaboration', (p, s) => collaboration(db, 'bench', p, s, S)],
      ['survival', (p, s) => survival(db, 'bench', p, s, S, NOW)],
      ['funnel + cost', (p, s) => funnel(db, 'bench', p, s, S)],
      ['heat maps (2)', (p, s) => heatmaps(db, 'bench', p, s, S, new Map())],
      ['leads at risk', (_p, s) => leadsAtRisk(db, 'bench', s, S.responseMinutes, NOW, 20)],
    ];
    console.log(`bench:metrics — PostgreSQL, ${RUNS} runs each, window moved a day per run`);
    for (const [days, scope, label] of [[30, TENANT_SCOPE, 'tenant'], [30, team, 'team 华东'], [DAYS - 1, TENANT_SCOPE, 'tenant']] as const) {
      for (const [name, run] of metrics) {
        const lat: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const to = addDays(today, -r);
          const t = performance.now();
          await run(period(addDays(to, -(days - 1)), to, TZ), scope);
          lat.push(performance.now() - t);
        }
        const l = summarize(lat);
        console.log(`${`${days} days, ${label}`.padEnd(20)} ${name.padEnd(16)} p50 ${fmt(l.p50).padStart(7)} ms  p95 ${fmt(l.p95).padStart(7)} ms  max ${fmt(l.max).padStart(7)} ms${l.p95 >= 500 ? '  OVER 500 ms' : ''}`);
      }
    }
  } finally {
    await database.close();
    await fresh.drop();
  }
}

await main();
