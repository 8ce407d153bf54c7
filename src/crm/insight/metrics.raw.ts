import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Period } from './period.js';
import { analytic, inScope, type Scope } from './scope.js';

// The health metrics' counts straight from the raw rows, one statement each: the definitions the
// rollups (metrics.repo.ts, drizzle/0011_rollups.sql) must agree with, and what collaboration falls back
// to for a period read in another time zone than the tenant's. Definitions in words live in definitions.ts.

export async function rawCompletenessCounts(tx: Tx, tenantId: string, p: Period, s: Scope) {
  // Set-wise (hash joins over the tenant's phones and product-naming messages, the latter from a
  // partial index), not a probe per customer: over 50,000 customers the probes took seconds.
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    with c as materialized (
      select c.id, coalesce(btrim(c.company), '') <> '' as company, coalesce(btrim(c.custom_fields ->> 'need'), '') <> '' as need
      from customers c
      where c.tenant_id = ${tenantId} and c.merged_into is null and c.created_at >= ${p.start} and c.created_at < ${p.end}
        and ${inScope(sql`c.owner_id`, s)}
    ), ph as (
      select distinct ci.customer_id from customer_identities ci
      where ci.tenant_id = ${tenantId} and ci.kind = 'phone'
    ), nd as (
      select distinct i.customer_id from interactions i
      where i.tenant_id = ${tenantId} and (i.entities -> 'products') <> '[]'::jsonb
    ), f as materialized (
      select ph.customer_id is not null as phone, c.company, (c.need or nd.customer_id is not null) as need
      from c left join ph on ph.customer_id = c.id left join nd on nd.customer_id = c.id
    )
    select count(*)::int as total, count(*) filter (where phone and company and need)::int as complete,
      count(*) filter (where phone)::int as phone, count(*) filter (where company)::int as company, count(*) filter (where need)::int as need
    from f`);
  return { total: Number(r!.total), complete: Number(r!.complete), phone: Number(r!.phone), company: Number(r!.company), need: Number(r!.need) };
}

export async function rawCollaborationCounts(tx: Tx, tenantId: string, p: Period, s: Scope) {
  const scoped = s.ownerIds === null
    ? sql``
    : sql`and i.customer_id in (select c.id from customers c where c.tenant_id = ${tenantId} and ${inScope(sql`c.owner_id`, s)})`;
  // Distinct (customer, month, role) triples: their count is the sum of roles over customer-months.
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    with x as materialized (
      select i.customer_id, date_trunc('month', i.occurred_at at time zone ${p.timeZone}) as m, u.role
      from interactions i join users u on u.id = i.author_id and u.tenant_id = ${tenantId}
      where i.tenant_id = ${tenantId} and i.occurred_at >= ${p.start} and i.occurred_at < ${p.end} and i.author_id is not null ${scoped}
      group by 1, 2, 3
    )
    select (select count(*) from (select 1 from x group by customer_id, m) y)::int as customer_months, (select count(*) from x)::int as role_sum`);
  return { customerMonths: Number(r!.customer_months), roleSum: Number(r!.role_sum) };
}

/** Also written into 0011_rollups.sql (insight_lead_state.heard): change both together. */
export const SURVIVAL_DAYS = 7;
export const SURVIVAL_SILENT_DAYS = 3;

/** Leads created in the period whose day 7 has passed: alive = won, or not lost and an interaction in days 4-7. */
export async function rawSurvivalCounts(tx: Tx, tenantId: string, p: Period, s: Scope, now: Date) {
  const [r] = await analytic<Record<string, unknown>>(tx, sql`
    with l as (
      select l.created_at + interval '${sql.raw(String(SURVIVAL_DAYS))} days' as day7, l.customer_id, l.status_history as h
      from leads l
      where l.tenant_id = ${tenantId} and l.created_at >= ${p.start} and l.created_at < ${p.end}
        and l.created_at <= ${new Date(now.getTime() - SURVIVAL_DAYS * 86_400_000)} and ${inScope(sql`l.assignee_id`, s)}
    ), a as materialized (
      select coalesce(h.won, false) as won, coalesce(h.lost, false) as lost,
        exists (select 1 from interactions i where i.tenant_id = ${tenantId} and i.customer_id = l.customer_id
          and i.occurred_at > l.day7 - interval '${sql.raw(String(SURVIVAL_SILENT_DAYS))} days' and i.occurred_at <= l.day7) as heard
      from l cross join lateral (
        select bool_or(e ->> 'status' = 'won' and (e ->> 'at')::timestamptz <= l.day7) as won,
          bool_or(e ->> 'status' = 'lost' and (e ->> 'at')::timestamptz <= l.day7) as lost
        from jsonb_array_elements(l.h) e where e ->> 'status' in ('won', 'lost')) h
    )
    select count(*)::int as total, count(*) filter (where won or (not lost and heard))::int as alive,
      count(*) filter (where lost and not won)::int as lost, count(*) filter (where not won and not lost and not heard)::int as silent
    from a`);
  return { total: Number(r!.total), alive: Number(r!.alive), lost: Number(r!.lost), silent: Number(r!.silent) };
}
