import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { leads, type WorkingHours } from '../db/schema.js';
import type { AssignmentRule, AssignmentSettings } from './settings.js';
import { changeLeadStatus, getLead, type Lead } from './leads.repo.js';
import { cancelTimers, scheduleTimer } from './timers.repo.js';
import { recordAudit } from './audit.repo.js';
import { listActiveUsers, type User } from './users.repo.js';

export interface LeadFacts {
  sourceChannel?: string | null;
  region?: string | null;
  products: string[];
  intent?: string | null;
}

export type Choice = { kind: 'rep'; user: User; rule?: string } | { kind: 'managers'; reason: string };

export const OPEN_STATUSES = ['assigned', 'claimed', 'contacted', 'qualified'] as const;
export const CLAIM_TIMER = 'lead.claim';

function ruleMatches(rule: AssignmentRule, f: LeadFacts): boolean {
  const w = rule.when;
  if (w.sourceChannel && !(f.sourceChannel && w.sourceChannel.includes(f.sourceChannel))) return false;
  if (w.region && !(f.region && w.region.includes(f.region))) return false;
  if (w.product && !f.products.some((p) => w.product!.includes(p))) return false;
  if (w.intent && !(f.intent && (w.intent as string[]).includes(f.intent))) return false;
  return true;
}

/** Local weekday (1 = Monday) and minutes since midnight in a zone. */
export function localClock(at: Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function withinHours(h: WorkingHours | null, at: Date, timeZone: string): boolean {
  if (!h) return true; // no hours set: always reachable
  const { weekday, minutes } = localClock(at, timeZone);
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const start = toMin(h.start);
  const end = toMin(h.end);
  const inWindow = start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
  return h.days.includes(weekday) && inWindow;
}

/**
 * Picks the rep for a lead: the first matching rule's target (or every rep), reachable now (else the
 * on-duty pool), under capacity, fewest open leads first, then whoever waited longest (round robin).
 */
export async function chooseAssignee(
  tx: Tx,
  tenantId: string,
  facts: LeadFacts,
  settings: AssignmentSettings,
  opts: { exclude?: string[]; now: Date; timeZone: string },
): Promise<Choice> {
  const rule = settings.rules.find((r) => ruleMatches(r, facts));
  if (rule && 'managers' in rule.target) return { kind: 'managers', reason: `rule ${rule.name ?? 'managers'}` };
  const all = await listActiveUsers(tx, tenantId);
  const exclude = new Set(opts.exclude ?? []);
  const reps = all.filter((u) => u.role === 'rep' && !exclude.has(u.id));
  let pool: User[];
  if (rule && 'pool' in rule.target) {
    const ids = new Set(rule.target.pool);
    pool = all.filter((u) => ids.has(u.id) && !exclude.has(u.id));
  } else if (rule && 'rep' in rule.target) {
    const id = rule.target.rep;
    pool = all.filter((u) => u.id === id && !exclude.has(u.id));
  } else {
    pool = reps;
  }
  let reachable = pool.filter((u) => withinHours(u.workingHours, opts.now, opts.timeZone));
  if (reachable.length === 0) {
    // Outside working hours the on-duty reps cover, first from the rule's pool, else from everyone.
    reachable = pool.filter((u) => u.onDuty);
    if (reachable.length === 0) reachable = reps.filter((u) => u.onDuty);
  }
  if (reachable.length === 0) return { kind: 'managers', reason: 'no eligible rep' };

  const stats = await tx
    .select({
      assigneeId: leads.assigneeId,
      open: sql<number>`count(*) filter (where ${leads.status} in ('assigned', 'claimed', 'contacted', 'qualified'))::int`,
      last: sql<Date | null>`max(${leads.assignedAt})`,
    })
    .from(leads)
    .where(and(eq(leads.tenantId, tenantId), inArray(leads.assigneeId, reachable.map((u) => u.id))))
    .groupBy(leads.assigneeId);
  const by = new Map(stats.map((s) => [s.assigneeId!, { open: Number(s.open), last: s.last ? new Date(s.last).getTime() : 0 }]));
  const ranked = reachable
    .map((u) => ({ u, open: by.get(u.id)?.open ?? 0, last: by.get(u.id)?.last ?? 0 }))
    .filter((x) => x.u.capacity == null || x.open < x.u.capacity)
    .sort((a, b) => a.open - b.open || a.last - b.last || a.u.id.localeCompare(b.u.id));
  const chosen = ranked[0];
  if (!chosen) return { kind: 'managers', reason: 'every eligible rep is at capacity' };
  return { kind: 'rep', user: chosen.u, rule: rule?.name };
}

/** Assigns and arms the claim timer (durable: one timer per lead and round). */
export async function assignLead(tx: Tx, tenantId: string, lead: Lead, user: User, settings: AssignmentSettings, now: Date, by = 'assignment', facts?: LeadFacts): Promise<Lead> {
  const updated = await changeLeadStatus(tx, tenantId, lead.id, { status: 'assigned', by, assigneeId: user.id }, now);
  await scheduleTimer(tx, tenantId, {
    kind: CLAIM_TIMER,
    refId: `${lead.id}:${updated!.reassignCount}`,
    fireAt: new Date(now.getTime() + settings.claimTimeoutSeconds * 1000),
    payload: { leadId: lead.id, round: updated!.reassignCount, assigneeId: user.id, facts: facts ?? null },
  });
  return updated!;
}

export type ClaimOutcome = { ok: true; lead: Lead } | { ok: false; reason: 'not_found' | 'not_assignee' | 'already_claimed'; lead?: Lead };

export async function claimLead(tx: Tx, tenantId: string, leadId: string, user: User, now: Date): Promise<ClaimOutcome> {
  const [lead] = await tx.select().from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId))).for('update');
  if (!lead) return { ok: false, reason: 'not_found' };
  if (lead.status !== 'assigned') return { ok: false, reason: lead.assigneeId === user.id && lead.status !== 'new' ? 'already_claimed' : 'not_assignee', lead };
  if (lead.assigneeId !== user.id) return { ok: false, reason: 'not_assignee', lead };
  const claimed = await changeLeadStatus(tx, tenantId, leadId, { status: 'claimed', by: user.id }, now);
  await tx.execute(sql`update customers set owner_id = ${user.id}, updated_at = ${now} where tenant_id = ${tenantId} and id = ${lead.customerId}`);
  await cancelTimers(tx, tenantId, CLAIM_TIMER, `${leadId}:`);
  return { ok: true, lead: claimed! };
}

export type TimeoutOutcome =
  | { kind: 'stale' }
  | { kind: 'reassigned'; lead: Lead; user: User; previousAssigneeId: string | null }
  | { kind: 'escalated'; lead: Lead; reason: string };

/**
 * The claim timer fired. A timer for a round that is no longer current (claimed, reassigned) is
 * stale and does nothing, so a timer that fires twice or late cannot move a lead twice.
 */
export async function onClaimTimeout(tx: Tx, tenantId: string, leadId: string, round: number, settings: AssignmentSettings, facts: LeadFacts, now: Date, timeZone: string): Promise<TimeoutOutcome> {
  const [lead] = await tx.select().from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.id, leadId))).for('update');
  if (!lead || lead.status !== 'assigned' || lead.reassignCount !== round) return { kind: 'stale' };
  if (lead.reassignCount < settings.maxReassignments) {
    const tried = [...new Set(lead.statusHistory.map((h) => h.assigneeId).filter((x): x is string => !!x))];
    const choice = await chooseAssignee(tx, tenantId, facts, settings, { exclude: tried, now, timeZone });
    if (choice.kind === 'rep') {
      await tx.update(leads).set({ reassignCount: lead.reassignCount + 1 }).where(eq(leads.id, lead.id));
      const next = await assignLead(tx, tenantId, { ...lead, reassignCount: lead.reassignCount + 1 }, choice.user, settings, now, 'claim-timeout', facts);
      return { kind: 'reassigned', lead: next, user: choice.user, previousAssigneeId: lead.assigneeId };
    }
    return escalate(tx, tenantId, lead, choice.reason, now);
  }
  return escalate(tx, tenantId, lead, `unclaimed after ${lead.reassignCount + 1} assignments`, now);
}

export async function escalate(tx: Tx, tenantId: string, lead: Lead, reason: string, now: Date): Promise<TimeoutOutcome & { kind: 'escalated' }> {
  const updated = await changeLeadStatus(tx, tenantId, lead.id, { status: 'new', by: 'assignment', assigneeId: null, note: `escalated: ${reason}` }, now);
  await recordAudit(tx, tenantId, { actor: 'assignment', action: 'lead.escalate', entityType: 'lead', entityId: lead.id, after: { reason } });
  return { kind: 'escalated', lead: updated!, reason };
}

export async function reloadLead(tx: Tx, tenantId: string, id: string): Promise<Lead | null> {
  return getLead(tx, tenantId, id);
}
