import { and, eq, gte, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { interactions } from '../db/schema.js';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './pagination.js';

export type Interaction = typeof interactions.$inferSelect;
export type NewInteraction = Omit<typeof interactions.$inferInsert, 'tenantId' | 'id' | 'createdAt'>;

/** Inserts unless this platform message is already archived; returns the row and whether it is new. */
export async function addInteraction(tx: Tx, tenantId: string, i: NewInteraction): Promise<{ row: Interaction; created: boolean }> {
  const [row] = await tx.insert(interactions).values({ ...i, tenantId }).onConflictDoNothing().returning();
  if (row) return { row, created: true };
  const [existing] = await tx
    .select()
    .from(interactions)
    .where(and(eq(interactions.tenantId, tenantId), eq(interactions.platform, i.platform!), eq(interactions.platformMessageId, i.platformMessageId!)));
  return { row: existing!, created: false };
}

export async function listInteractions(tx: Tx, tenantId: string, customerId: string, page: PageRequest): Promise<Page<Interaction>> {
  const conds = [eq(interactions.tenantId, tenantId), eq(interactions.customerId, customerId)];
  const c = afterCursor(interactions.createdAt, interactions.id, page.cursor);
  if (c) conds.push(c);
  const rows = await tx.select().from(interactions).where(and(...conds)).orderBy(...newestFirst(interactions.createdAt, interactions.id)).limit(page.limit + 1);
  return toPage(rows, page.limit);
}

export interface HeatCell {
  weekday: number; // 1 = Monday .. 7 = Sunday
  hour: number;
  count: number;
}

/** Weekday-by-hour interaction counts for one customer in the tenant's time zone (the sidebar heat map). */
export async function interactionHeatmap(tx: Tx, tenantId: string, customerId: string, timeZone: string, since: Date): Promise<HeatCell[]> {
  const local = sql`(${interactions.occurredAt} at time zone ${timeZone})`;
  const rows = await tx
    .select({
      weekday: sql<number>`extract(isodow from ${local})::int`,
      hour: sql<number>`extract(hour from ${local})::int`,
      count: sql<number>`count(*)::int`,
    })
    .from(interactions)
    .where(and(eq(interactions.tenantId, tenantId), eq(interactions.customerId, customerId), gte(interactions.occurredAt, since)))
    .groupBy(sql`1`, sql`2`);
  return rows.map((r) => ({ weekday: Number(r.weekday), hour: Number(r.hour), count: Number(r.count) }));
}

/** The customer a platform message was archived on, if it was. */
export async function customerOfMessage(tx: Tx, tenantId: string, platform: string, platformMessageId: string): Promise<string | null> {
  const [row] = await tx.select({ customerId: interactions.customerId }).from(interactions)
    .where(and(eq(interactions.tenantId, tenantId), eq(interactions.platform, platform), eq(interactions.platformMessageId, platformMessageId))).limit(1);
  return row?.customerId ?? null;
}
