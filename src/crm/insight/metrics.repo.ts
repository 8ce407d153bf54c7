import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { addDays, type Period } from './period.js';
import { analytic, inScope, rows, type Scope } from './scope.js';
import { rawCollaborationCounts, SURVIVAL_DAYS } from './metrics.raw.js';

export { SURVIVAL_DAYS, SURVIVAL_SILENT_DAYS } from './metrics.raw.js';

// The counts behind the health metrics. Completeness, collaboration and survival read the rollups that
// 0011_rollups.sql keeps on every write (hundreds of thousands of rows fewer than the raw tables; over
// 1,000,000 interactions the raw statements took 0.3-1.4 s, bench:metrics); metrics.raw.ts has the same
// counts from the raw rows, and test/crm/insight/rollups.test.ts holds the two equal.

/** Seconds to a tenth (percentile_cont interpolates in floating point). */
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/** A lead counts once its window has passed (created at least `minutes` before now). */
export async function responseCounts(tx: Tx, tenantId: string, p: Period, s: Scope, minutes: number, now: Date) {
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    with l as (
      select extract(epoch from (first_response_at - created_at)) as secs
      from leads
      where tenant_id = ${tenantId} and created_at >= ${p.start} and created_at < ${p.end}
        and created_at <= ${new Date(now.getTime() - minutes * 60_000)} and ${inScope(sql`assignee_id`, s)}
    )
    select count(*)::int as total,
      count(*) filter (where secs <= ${minutes * 60})::int as within,
      count(secs)::int as responded,
      percentile_cont(0.5) within group (order by secs) as p50,
      percentile_cont(0.9) within group (order by secs) as p90
    from l`);
  return { total: Number(r!.total), within: Number(r!.within), responded: Number(r!.responded), p50Seconds: num(r!.p50), p90Seconds: num(r!.p90) };
}


export async function completenessCounts(tx: Tx, tenantId: string, p: Period, s: Scope) {
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    with f as materialized (
      select coalesce(st.phones, 0) > 0 as phone, coalesce(btrim(c.company), '') <> '' as company,
        coalesce(btrim(c.custom_fields ->> 'need'), '') <> '' or coalesce(st.product_messages, 0) > 0 as need
      from customers c
      left join insight_customer_state st on st.tenant_id = c.tenant_id and st.customer_id = c.id
      where c.tenant_id = ${tenantId} and c.merged_into is null and c.created_at >= ${p.start} and c.created_at < ${p.end}
        and ${inScope(sql`c.owner_id`, s)}
    )
    select count(*)::int as total, count(*) filter (where phone and company and need)::int as complete,
      count(*) filter (where phone)::int as phone, count(*) filter (where company)::int as company, count(*) filter (where need)::int as need
    from f`);
  return { total: Number(r!.total), complete: Number(r!.complete), phone: Number(r!.phone), company: Number(r!.company), need: Number(r!.need) };
}

/** Each month the period touches, with a bit for each of its local days inside the period (bit d - 1 for day d); whole when all its days are. */
export function monthMasks(p: Period): { month: string; mask: number; whole: boolean }[] {
  const out: { month: string; mask: number; whole: boolean }[] = [];
  for (let day = p.from; day <= p.to; day = addDays(day, 1)) {
    const month = `${day.slice(0, 7)}-01`;
    if (out.at(-1)?.month !== month) out.push({ month, mask: 0, whole: false });
    out.at(-1)!.mask |= 1 << (Number(day.slice(8)) - 1);
  }
  for (const m of out) {
    const days = new Date(Date.UTC(Number(m.month.slice(0, 4)), Number(m.month.slice(5, 7)), 0)).getUTCDate();
    m.whole = m.mask === 2 ** days - 1;
  }
  return out;
}

export async function collaborationCounts(tx: Tx, tenantId: string, p: Period, s: Scope) {
  // The rollup's days are the tenant's local days; a period in another zone has other day edges.
  const [t] = await rows<{ tz: string }>(tx, sql`select time_zone as tz from tenants where tenant_id = ${tenantId}`);
  if (t?.tz !== p.timeZone) return rawCollaborationCounts(tx, tenantId, p, s);
  const w = monthMasks(p);
  const whole = w.filter((x) => x.whole);
  const part = w.filter((x) => !x.whole);
  // The scope's customers, hashed once (a probe per rollup row into customers was the slow plan).
  const scope = s.ownerIds === null
    ? { cte: sql``, join: sql`` }
    : { cte: sql`with sc as materialized (select c.id from customers c where c.tenant_id = ${tenantId} and ${inScope(sql`c.owner_id`, s)})`, join: sql`join sc on sc.id = r.customer_id` };
  const none = sql`select 0::bigint as customer_months, 0::bigint as role_sum`;
  // Whole months: every row counts, with its number of roles. Edge months: only the days in the period.
  const wholeQ = whole.length === 0 ? none : sql`
    select count(*) as customer_months, coalesce(sum(r.roles), 0) as role_sum from insight_collab_months r ${scope.join}
    where r.tenant_id = ${tenantId} and r.month in (${sql.join(whole.map((x) => sql`${x.month}::date`), sql`, `)})`;
  const partQ = part.length === 0 ? none : sql`
    select count(*) filter (where (r.rep_days | r.manager_days | r.admin_days) & x.mask <> 0) as customer_months,
      coalesce(sum(((r.rep_days & x.mask) <> 0)::int + ((r.manager_days & x.mask) <> 0)::int + ((r.admin_days & x.mask) <> 0)::int), 0) as role_sum
    from insight_collab_months r ${scope.join}
    cross join lateral (select case r.month ${sql.join(part.map((x) => sql`when ${x.month}::date then ${x.mask}::int`), sql` `)} end as mask) x
    where r.tenant_id = ${tenantId} and r.month in (${sql.join(part.map((x) => sql`${x.month}::date`), sql`, `)})`;
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    ${scope.cte} select (a.customer_months + b.customer_months)::int as customer_months, (a.role_sum + b.role_sum)::int as role_sum
    from (${wholeQ}) a, (${partQ}) b`);
  return { customerMonths: Number(r!.customer_months), roleSum: Number(r!.role_sum) };
}

/** Leads created in the period whose day 7 has passed: alive = won, or not lost and an interaction in days 4-7. */
export async function survivalCounts(tx: Tx, tenantId: string, p: Period, s: Scope, now: Date) {
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    with a as materialized (
      select coalesce(st.won_at <= l.created_at + interval '${sql.raw(String(SURVIVAL_DAYS))} days', false) as won,
        coalesce(st.lost_at <= l.created_at + interval '${sql.raw(String(SURVIVAL_DAYS))} days', false) as lost, st.heard
      from leads l join insight_lead_state st on st.lead_id = l.id and st.tenant_id = l.tenant_id
      where l.tenant_id = ${tenantId} and l.created_at >= ${p.start} and l.created_at < ${p.end}
        and l.created_at <= ${new Date(now.getTime() - SURVIVAL_DAYS * 86_400_000)} and ${inScope(sql`l.assignee_id`, s)}
    )
    select count(*)::int as total, count(*) filter (where won or (not lost and heard))::int as alive,
      count(*) filter (where lost and not won)::int as lost, count(*) filter (where not won and not lost and not heard)::int as silent
    from a`);
  return { total: Number(r!.total), alive: Number(r!.alive), lost: Number(r!.lost), silent: Number(r!.silent) };
}
