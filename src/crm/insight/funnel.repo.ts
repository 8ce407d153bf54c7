import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Period } from './period.js';
import { analytic, inScope, rows, type Scope } from './scope.js';
import { localMidnight } from './period.js';
import { monthMasks } from './metrics.repo.js';

export interface FunnelRow {
  source: string;
  campaign: string;
  leads: number;
  contacted: number;
  qualified: number;
  won: number;
  lost: number;
}

/** Leads created in the period by source channel and campaign, with how far each got. */
export async function funnelCounts(tx: Tx, tenantId: string, p: Period, s: Scope): Promise<FunnelRow[]> {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select coalesce(source_channel, '') as source, coalesce(utm ->> 'campaign', '') as campaign,
      count(*)::int as leads,
      count(*) filter (where first_response_at is not null or status in ('contacted', 'qualified', 'won')
        or status_history @> '[{"status": "contacted"}]'::jsonb)::int as contacted,
      count(*) filter (where status in ('qualified', 'won') or status_history @> '[{"status": "qualified"}]'::jsonb)::int as qualified,
      count(*) filter (where status = 'won')::int as won,
      count(*) filter (where status = 'lost')::int as lost
    from leads
    where tenant_id = ${tenantId} and created_at >= ${p.start} and created_at < ${p.end} and ${inScope(sql`assignee_id`, s)}
    group by 1, 2 order by 3 desc, 1, 2`);
  return r.map((x) => ({
    source: String(x.source), campaign: String(x.campaign), leads: Number(x.leads), contacted: Number(x.contacted),
    qualified: Number(x.qualified), won: Number(x.won), lost: Number(x.lost),
  }));
}

/** Spend entered for the period's local days, by source and campaign ('' = the source as a whole). */
export async function spendTotals(tx: Tx, tenantId: string, p: Period): Promise<{ source: string; campaign: string; amount: number }[]> {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select source_channel as source, campaign, sum(amount)::float8 as amount from insight_spend
    where tenant_id = ${tenantId} and day >= ${p.from}::date and day <= ${p.to}::date group by 1, 2 order by 1, 2`);
  return r.map((x) => ({ source: String(x.source), campaign: String(x.campaign), amount: Number(x.amount) }));
}

export async function putSpend(tx: Tx, tenantId: string, e: { day: string; source: string; campaign: string; amount: number }[], now: Date): Promise<void> {
  for (const x of e) {
    await tx.execute(sql`
      insert into insight_spend (tenant_id, day, source_channel, campaign, amount, updated_at)
      values (${tenantId}, ${x.day}::date, ${x.source}, ${x.campaign}, ${x.amount}, ${now})
      on conflict (tenant_id, day, source_channel, campaign) do update set amount = excluded.amount, updated_at = excluded.updated_at`);
  }
}

export interface HeatRow {
  repId: string;
  hour: number;
  count: number;
  /** Response map only. */
  within?: number;
  medianSeconds?: number | null;
}

// The heat maps straight from the leads (the definition; what the rollup below must agree with, and
// what a period in another time zone than the tenant's reads): covering indexes (0011) and the hour as
// a float (date_part) rather than extract's numeric.

/** Leads by the rep they were (last) assigned to and the local hour of that assignment. */
export async function rawAssignmentHeat(tx: Tx, tenantId: string, p: Period, s: Scope): Promise<HeatRow[]> {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select assignee_id as rep, date_part('hour', assigned_at at time zone ${p.timeZone})::int as hour, count(*)::int as n
    from leads
    where tenant_id = ${tenantId} and assigned_at >= ${p.start} and assigned_at < ${p.end} and assignee_id is not null
      and ${inScope(sql`assignee_id`, s)}
    group by 1, 2 order by 1, 2`);
  return r.map((x) => ({ repId: String(x.rep), hour: Number(x.hour), count: Number(x.n) }));
}

/** Leads by assignee and the local hour they came in: how many, how many answered in time, median first response. */
export async function rawResponseHeat(tx: Tx, tenantId: string, p: Period, s: Scope, minutes: number): Promise<HeatRow[]> {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select assignee_id as rep, date_part('hour', created_at at time zone ${p.timeZone})::int as hour, count(*)::int as n,
      count(*) filter (where first_response_at - created_at <= ${`${minutes} minutes`}::interval)::int as within,
      percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at))) as median
    from leads
    where tenant_id = ${tenantId} and created_at >= ${p.start} and created_at < ${p.end} and assignee_id is not null
      and ${inScope(sql`assignee_id`, s)}
    group by 1, 2 order by 1, 2`);
  return r.map((x) => ({ repId: String(x.rep), hour: Number(x.hour), count: Number(x.n), within: Number(x.within), medianSeconds: x.median === null ? null : Number(x.median) }));
}

/**
 * A period as the whole local months a rollup can answer for, and the edge ranges (instants) before and
 * after them that only the raw rows can: no whole month, one edge, the period itself.
 */
export function splitPeriod(p: Period): { whole: string[]; edges: { start: Date; end: Date }[] } {
  const whole = monthMasks(p).filter((m) => m.whole).map((m) => m.month);
  if (whole.length === 0) return { whole, edges: [{ start: p.start, end: p.end }] };
  const first = localMidnight(whole[0]!, p.timeZone);
  const last = whole.at(-1)!;
  const after = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 1)).toISOString().slice(0, 10);
  const end = localMidnight(after, p.timeZone);
  return { whole, edges: [{ start: p.start, end: first }, { start: end, end: p.end }].filter((e) => e.start < e.end) };
}

async function tenantZone(tx: Tx, tenantId: string): Promise<string | undefined> {
  return (await rows<{ tz: string }>(tx, sql`select time_zone as tz from tenants where tenant_id = ${tenantId}`))[0]?.tz;
}

// The heat maps from insight_heat_months (0011) and the deltas not folded into it yet (0012) for a
// period's whole months, plus the leads of its edge
// days: over 179 days, about a sixth of the leads instead of all of them. test/crm/insight/rollups.test.ts
// holds them equal to the raw statements above.
const inMonths = (months: string[]) => (months.length ? sql`h.month in (${sql.join(months.map((m) => sql`${m}::date`), sql`, `)})` : sql`false`);
const inEdges = (col: SQL, edges: { start: Date; end: Date }[]) =>
  edges.length ? sql`(${sql.join(edges.map((e) => sql`(${col} >= ${e.start} and ${col} < ${e.end})`), sql` or `)})` : sql`false`;

export async function assignmentHeat(tx: Tx, tenantId: string, p: Period, s: Scope): Promise<HeatRow[]> {
  if ((await tenantZone(tx, tenantId)) !== p.timeZone) return rawAssignmentHeat(tx, tenantId, p, s);
  const { whole, edges } = splitPeriod(p);
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select rep, hour, sum(n)::int as n from (
      select h.assignee_id as rep, h.hour::int as hour, h.assigned as n from insight_heat_months h
      where h.tenant_id = ${tenantId} and ${inMonths(whole)} and h.assigned > 0 and ${inScope(sql`h.assignee_id`, s)}
      union all
      select h.assignee_id, h.hour::int, h.assigned from insight_heat_deltas h
      where h.tenant_id = ${tenantId} and ${inMonths(whole)} and h.assigned <> 0 and ${inScope(sql`h.assignee_id`, s)}
      union all
      select assignee_id, date_part('hour', assigned_at at time zone ${p.timeZone})::int, 1 from leads
      where tenant_id = ${tenantId} and assignee_id is not null and ${inEdges(sql`assigned_at`, edges)} and ${inScope(sql`assignee_id`, s)}
    ) x group by 1, 2 having sum(n) > 0 order by 1, 2`);
  return r.map((x) => ({ repId: String(x.rep), hour: Number(x.hour), count: Number(x.n) }));
}

export async function responseHeat(tx: Tx, tenantId: string, p: Period, s: Scope, minutes: number): Promise<HeatRow[]> {
  if ((await tenantZone(tx, tenantId)) !== p.timeZone) return rawResponseHeat(tx, tenantId, p, s, minutes);
  const { whole, edges } = splitPeriod(p);
  const months = sql`h.tenant_id = ${tenantId} and ${inMonths(whole)} and h.created > 0 and ${inScope(sql`h.assignee_id`, s)}`;
  const deltas = sql`h.tenant_id = ${tenantId} and ${inMonths(whole)} and ${inScope(sql`h.assignee_id`, s)}`;
  // The response times as a multiset: the heat rows' and the unfolded additions, less the unfolded
  // removals. A removal is pending for about 2 s after a lead is reassigned or answered again; without
  // one the values are read as they are (netting them every time made the 179-day read twice as
  // slow, bench:metrics). `exists (rem)` is uncorrelated: evaluated once, in the same snapshot.
  const vals = sql`
      select h.assignee_id as rep, h.hour::int as hour, v.secs from insight_heat_months h cross join unnest(h.response_secs) as v(secs) where ${months}
      union all
      select h.assignee_id, h.hour::int, v.secs from insight_heat_deltas h cross join unnest(h.added_secs) as v(secs) where ${deltas}`;
  const rem = sql`select h.assignee_id as rep, h.hour::int as hour, v.secs from insight_heat_deltas h cross join unnest(h.removed_secs) as v(secs) where ${deltas}`;
  const secs = sql`
      select v.rep, v.hour, 0, v.secs from (${vals}) v where not exists (${rem})
      union all
      select g.rep, g.hour, 0, g.secs from (
        select rep, hour, secs, sum(w)::int as w from (
          select v.rep, v.hour, v.secs, 1 as w from (${vals}) v where exists (${rem})
          union all
          select r.rep, r.hour, r.secs, -1 from (${rem}) r
        ) m group by 1, 2, 3
      ) g cross join generate_series(1, g.w)`;
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select rep, hour, sum(n)::int as n, count(*) filter (where secs <= ${minutes * 60})::int as within,
      percentile_cont(0.5) within group (order by secs) as median
    from (
      select h.assignee_id as rep, h.hour::int as hour, h.created as n, null::float8 as secs from insight_heat_months h where ${months}
      union all
      select h.assignee_id, h.hour::int, h.created, null from insight_heat_deltas h where ${deltas} and h.created <> 0
      union all
      ${secs}
      union all
      select assignee_id, date_part('hour', created_at at time zone ${p.timeZone})::int, 1, extract(epoch from (first_response_at - created_at))::float8 from leads
      where tenant_id = ${tenantId} and assignee_id is not null and ${inEdges(sql`created_at`, edges)} and ${inScope(sql`assignee_id`, s)}
    ) x group by 1, 2 having sum(n) > 0 order by 1, 2`);
  return r.map((x) => ({ repId: String(x.rep), hour: Number(x.hour), count: Number(x.n), within: Number(x.within), medianSeconds: x.median === null ? null : Number(x.median) }));
}
