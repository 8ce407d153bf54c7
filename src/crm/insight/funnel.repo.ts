import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Period } from './period.js';
import { analytic, inScope, type Scope } from './scope.js';

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

// The heat maps read every lead of the period: from covering indexes (0011), and the hour as a float
// (date_part) rather than extract's numeric, a third less time over 50,000 leads (bench:metrics).

/** Leads by the rep they were (last) assigned to and the local hour of that assignment. */
export async function assignmentHeat(tx: Tx, tenantId: string, p: Period, s: Scope): Promise<HeatRow[]> {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select assignee_id as rep, date_part('hour', assigned_at at time zone ${p.timeZone})::int as hour, count(*)::int as n
    from leads
    where tenant_id = ${tenantId} and assigned_at >= ${p.start} and assigned_at < ${p.end} and assignee_id is not null
      and ${inScope(sql`assignee_id`, s)}
    group by 1, 2 order by 1, 2`);
  return r.map((x) => ({ repId: String(x.rep), hour: Number(x.hour), count: Number(x.n) }));
}

/** Leads by assignee and the local hour they came in: how many, how many answered in time, median first response. */
export async function responseHeat(tx: Tx, tenantId: string, p: Period, s: Scope, minutes: number): Promise<HeatRow[]> {
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
