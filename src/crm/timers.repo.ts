import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { timers } from '../db/schema.js';

export type Timer = typeof timers.$inferSelect;

/** Schedules a timer once per (kind, refId): scheduling the same one twice is a no-op. */
export async function scheduleTimer(tx: Tx, tenantId: string, t: { kind: string; refId: string; fireAt: Date; payload?: Record<string, unknown> }): Promise<void> {
  await tx.insert(timers).values({ tenantId, kind: t.kind, refId: t.refId, fireAt: t.fireAt, payload: t.payload ?? {} }).onConflictDoNothing();
}

export async function cancelTimers(tx: Tx, tenantId: string, kind: string, refPrefix: string): Promise<void> {
  await tx
    .update(timers)
    .set({ status: 'cancelled' })
    .where(and(eq(timers.tenantId, tenantId), eq(timers.kind, kind), eq(timers.status, 'pending'), sql`${timers.refId} like ${`${refPrefix.replace(/[\\%_]/g, '\\$&')}%`}`));
}

/**
 * Moves a tenant's pending timers earlier by ms: that tenant's clock jumps ahead (the playground's
 * sped-up clock), no other tenant's timer moves. Answers how many moved.
 */
export async function advanceTimers(tx: Tx, tenantId: string, ms: number): Promise<number> {
  const rows = await tx
    .update(timers)
    .set({ fireAt: sql`${timers.fireAt} - make_interval(secs => ${ms / 1000})` })
    .where(and(eq(timers.tenantId, tenantId), eq(timers.status, 'pending')))
    .returning({ id: timers.id });
  return rows.length;
}
