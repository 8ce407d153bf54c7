import { and, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customers, interactions } from '../db/schema.js';
import type { Interaction } from './interactions.repo.js';

/** One weekday x hour cell in the tenant's time zone: messages from the customer (in) and to them (out). */
export interface HeatCell {
  /** 1 = Monday .. 7 = Sunday */
  weekday: number;
  hour: number;
  in: number;
  out: number;
}

export interface Heat {
  cells: HeatCell[];
  /** The last message sent to the customer (any time, not only in the window), or null. */
  lastOutAt: Date | null;
}

const local = (tz: string) => sql`(${interactions.occurredAt} at time zone ${tz})`;
const cellColumns = (tz: string) => ({
  weekday: sql<number>`extract(isodow from ${local(tz)})::int`,
  hour: sql<number>`extract(hour from ${local(tz)})::int`,
  in: sql<number>`(count(*) filter (where ${interactions.direction} = 'in'))::int`,
  out: sql<number>`(count(*) filter (where ${interactions.direction} = 'out'))::int`,
});
const toCells = (rows: { weekday: number; hour: number; in: number; out: number }[]): HeatCell[] =>
  rows.map((r) => ({ weekday: Number(r.weekday), hour: Number(r.hour), in: Number(r.in), out: Number(r.out) }));

/** One customer's messages since `since`, by weekday and hour (notes are not messages). */
export async function customerHeat(tx: Tx, tenantId: string, customerId: string, timeZone: string, since: Date): Promise<Heat> {
  const [rows, last] = await Promise.all([
    tx.select(cellColumns(timeZone)).from(interactions)
      .where(and(eq(interactions.tenantId, tenantId), eq(interactions.customerId, customerId), gte(interactions.occurredAt, since), inArray(interactions.direction, ['in', 'out'])))
      .groupBy(sql`1`, sql`2`),
    tx.select({ at: interactions.occurredAt }).from(interactions)
      .where(and(eq(interactions.tenantId, tenantId), eq(interactions.customerId, customerId), eq(interactions.direction, 'out')))
      .orderBy(desc(interactions.occurredAt)).limit(1),
  ]);
  return { cells: toCells(rows), lastOutAt: last[0]?.at ?? null };
}

/** The team's messages since `since` (customers owned by `ownerIds`; null = the whole tenant). */
export async function teamHeat(tx: Tx, tenantId: string, ownerIds: string[] | null, timeZone: string, since: Date): Promise<HeatCell[]> {
  const conds: SQL[] = [eq(interactions.tenantId, tenantId), gte(interactions.occurredAt, since), inArray(interactions.direction, ['in', 'out'])];
  if (ownerIds === null) {
    const rows = await tx.select(cellColumns(timeZone)).from(interactions).where(and(...conds)).groupBy(sql`1`, sql`2`);
    return toCells(rows);
  }
  const rows = await tx.select(cellColumns(timeZone)).from(interactions)
    .innerJoin(customers, and(eq(customers.id, interactions.customerId), eq(customers.tenantId, tenantId), isNull(customers.mergedInto)))
    .where(and(...conds, ownerIds.length ? inArray(customers.ownerId, ownerIds) : sql`false`))
    .groupBy(sql`1`, sql`2`);
  return toCells(rows);
}

/** The messages of one cell (newest first, at most `limit`). */
export async function cellMessages(tx: Tx, tenantId: string, customerId: string, timeZone: string, since: Date, weekday: number, hour: number, limit = 50): Promise<Interaction[]> {
  return tx.select().from(interactions)
    .where(and(
      eq(interactions.tenantId, tenantId), eq(interactions.customerId, customerId), gte(interactions.occurredAt, since), inArray(interactions.direction, ['in', 'out']),
      sql`extract(isodow from ${local(timeZone)}) = ${weekday}`, sql`extract(hour from ${local(timeZone)}) = ${hour}`,
    ))
    .orderBy(desc(interactions.occurredAt)).limit(limit);
}
