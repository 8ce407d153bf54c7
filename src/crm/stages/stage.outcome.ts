import { and, eq, notInArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { customers, leads } from '../../db/schema.js';
import { changeLeadStatus } from '../leads.repo.js';
import { creditWonDeal } from '../tracking/tracking.service.js';

/**
 * A won or lost stage closes the customer's open leads with the same outcome and marks the customer:
 * the lead lists, assignment, first-response tracking and the insight metrics (survival, revisits,
 * funnel by source) read won and lost from the leads, so the stage engine's decision reaches them too.
 */
export async function closeOnOutcome(
  tx: Tx,
  tenantId: string,
  customerId: string,
  o: { outcome: 'won' | 'lost'; stageName: string; reason: string | null; actor: string; now: Date; amount?: number | null },
): Promise<void> {
  const open = await tx.select({ id: leads.id }).from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, customerId), notInArray(leads.status, ['won', 'lost'])));
  const note = `阶段「${o.stageName}」${o.reason ? `：${o.reason}` : ''}`;
  for (const l of open) await changeLeadStatus(tx, tenantId, l.id, { status: o.outcome, by: o.actor, note }, o.now);
  await tx.update(customers).set({ stage: o.outcome, updatedAt: o.now }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  // A won deal's credit goes to the channels that brought the customer, by the points each earned.
  if (o.outcome === 'won') await creditWonDeal(tx, tenantId, customerId, o.amount ?? null, o.actor, o.now);
}
