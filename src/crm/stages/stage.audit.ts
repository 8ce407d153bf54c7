import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { customers, stageEntries } from '../../db/schema.js';
import { labelOf } from './stage.service.js';

/**
 * A sample of stage decisions made by rules (answers), each next to what happened to the customer
 * afterwards: the next stage, how long it took, and where the customer stands now. A manager reads
 * it to check that the rules tell the truth. The sample is pseudo-random by `seed` (same seed, same sample).
 */
export async function auditSample(tx: Tx, tenantId: string, o: { limit: number; seed: string; ownerIds: string[] | null }) {
  const conds: (SQL | undefined)[] = [eq(stageEntries.tenantId, tenantId), isNotNull(stageEntries.rule), o.ownerIds ? inArray(stageEntries.ownerId, o.ownerIds) : undefined];
  const picked = await tx.select().from(stageEntries).where(and(...conds))
    .orderBy(sql`md5(${stageEntries.id}::text || ${o.seed})`).limit(o.limit);
  const out = [];
  for (const e of picked) {
    const later = await tx.select().from(stageEntries)
      .where(and(eq(stageEntries.tenantId, tenantId), eq(stageEntries.customerId, e.customerId), gt(stageEntries.seq, e.seq)))
      .orderBy(asc(stageEntries.seq));
    const [c] = await tx.select({ name: customers.name, title: customers.title, company: customers.company }).from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, e.customerId)));
    const next = later[0];
    const now = later.at(-1) ?? e;
    out.push({
      entryId: e.id,
      customer: { id: e.customerId, label: c ? labelOf(c) : '' },
      decided: { stage: { key: e.stageKey, name: e.stageName }, at: e.enteredAt.toISOString(), rule: e.rule, answers: e.answers, by: { id: e.actor, name: e.actorName ?? e.actor } },
      later: {
        next: next ? { key: next.stageKey, name: next.stageName, at: next.enteredAt.toISOString(), daysAfter: Math.round(((next.enteredAt.getTime() - e.enteredAt.getTime()) / 86_400_000) * 10) / 10 } : null,
        now: { key: now.stageKey, name: now.stageName, since: now.enteredAt.toISOString(), outcome: now.outcome },
        forward: later.filter((l) => l.stageOrder > e.stageOrder && l.outcome !== 'lost').length > 0,
      },
    });
  }
  return out;
}
