import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customers, leads } from '../db/schema.js';
import type { AssignmentSettings } from './settings.js';
import { assignLead, chooseAssignee, type LeadFacts } from './assignment.service.js';
import type { Lead } from './leads.repo.js';
import type { User } from './users.repo.js';

/**
 * The unassigned queue: leads waiting for a rep or a manager, highest source weight first
 * (leads.priority = the source's weight, x1.5 for high intent), then oldest first.
 */
export async function listQueue(tx: Tx, tenantId: string, limit = 50): Promise<Lead[]> {
  return tx.select().from(leads)
    .where(and(eq(leads.tenantId, tenantId), isNull(leads.assigneeId), eq(leads.status, 'new')))
    .orderBy(desc(leads.priority), asc(leads.createdAt), asc(leads.id))
    .limit(limit);
}

/** listQueue's order for leads already in hand: highest priority, then oldest, then id. */
export function byQueueOrder(a: Lead, b: Lead): number {
  return b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Offers queued leads to reps in queue order, so when reps are scarce the weightier lead gets the
 * rep first (a 老客转介 lead at 2.0 before an older 展会 lead at 1.2). Stops at the first lead no rep
 * can take (nobody reachable or everyone at capacity). Same transaction as the caller's messages.
 */
export async function drainQueue(
  tx: Tx, tenantId: string, settings: AssignmentSettings, now: Date, timeZone: string, max = 50,
): Promise<{ lead: Lead; user: User; facts: LeadFacts }[]> {
  const out: { lead: Lead; user: User; facts: LeadFacts }[] = [];
  for (const lead of await listQueue(tx, tenantId, max)) {
    const [c] = await tx.select({ region: customers.region }).from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, lead.customerId)));
    const facts: LeadFacts = { sourceChannel: lead.sourceChannel, region: c?.region ?? null, products: [], intent: lead.intentLevel };
    const choice = await chooseAssignee(tx, tenantId, facts, settings, { now, timeZone });
    if (choice.kind !== 'rep') break;
    out.push({ lead: await assignLead(tx, tenantId, lead, choice.user, settings, now, 'queue', facts), user: choice.user, facts });
  }
  return out;
}
