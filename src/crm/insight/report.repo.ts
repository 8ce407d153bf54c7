import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Period } from './period.js';
import { analytic, inScope, type Scope } from './scope.js';
import { SURVIVAL_SILENT_DAYS } from './metrics.repo.js';

/** Response rate per rep over a period (same definition as the tenant's), lowest first. */
export async function responseByRep(tx: Tx, tenantId: string, p: Period, s: Scope, minutes: number, now: Date) {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select l.assignee_id as rep, u.name, count(*)::int as total, count(*) filter (where l.first_response_at - l.created_at <= ${`${minutes} minutes`}::interval)::int as within
    from leads l join users u on u.id = l.assignee_id and u.role = 'rep'
    where l.tenant_id = ${tenantId} and l.created_at >= ${p.start} and l.created_at < ${p.end}
      and l.created_at <= ${new Date(now.getTime() - minutes * 60_000)} and ${inScope(sql`l.assignee_id`, s)}
    group by 1, 2`);
  return r
    .map((x) => ({ repId: String(x.rep), name: String(x.name), total: Number(x.total), within: Number(x.within), rate: Number(x.within) / Number(x.total) }))
    .sort((a, b) => a.rate - b.rate || b.total - a.total || a.name.localeCompare(b.name));
}

export interface RiskLead {
  leadId: string;
  customerId: string;
  label: string;
  assigneeId: string | null;
  reason: 'no_response' | 'silent';
  silentDays: number;
}

/**
 * Open leads of the last 30 days at risk of dying: no first response though the window has passed,
 * or no interaction with the customer for SURVIVAL_SILENT_DAYS days or more. Longest silence first.
 * The customer's last interaction comes from the rollup (0011_rollups.sql), not a max over its messages.
 */
export async function leadsAtRisk(tx: Tx, tenantId: string, s: Scope, minutes: number, now: Date, limit = 5): Promise<RiskLead[]> {
  const r = await analytic<Record<string, unknown>>(tx, sql`
    select l.id, l.customer_id, l.assignee_id, l.first_response_at is null as unanswered,
      coalesce(c.name, '') || coalesce(c.title, '') as who, c.company,
      extract(epoch from (${now}::timestamptz - coalesce(t.last, l.created_at))) / 86400 as silent
    from leads l join customers c on c.id = l.customer_id
    left join (select customer_id, last_interaction_at as last from insight_customer_state where tenant_id = ${tenantId}) t on t.customer_id = l.customer_id
    where l.tenant_id = ${tenantId} and l.status not in ('won', 'lost') and l.created_at >= ${new Date(now.getTime() - 30 * 86_400_000)}
      and ${inScope(sql`l.assignee_id`, s)}
      and ((l.first_response_at is null and l.created_at <= ${new Date(now.getTime() - minutes * 60_000)})
        or coalesce(t.last, l.created_at) <= ${new Date(now.getTime() - SURVIVAL_SILENT_DAYS * 86_400_000)})
    order by coalesce(t.last, l.created_at), l.id limit ${limit}`);
  return r.map((x) => ({
    leadId: String(x.id), customerId: String(x.customer_id), assigneeId: (x.assignee_id as string | null) ?? null,
    label: `${String(x.who) || '未具名客户'}${x.company ? `（${String(x.company)}）` : ''}`,
    reason: x.unanswered ? 'no_response' : 'silent', silentDays: Math.floor(Number(x.silent)),
  }));
}
