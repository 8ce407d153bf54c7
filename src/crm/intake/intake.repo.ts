import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { intakeDeliveries, intakeSources, intakeUnknownFields } from '../../db/schema.js';
import type { SourceMapping } from './intake.types.js';

export type IntakeSource = Omit<typeof intakeSources.$inferSelect, 'mapping'> & { mapping: SourceMapping };

async function query(tx: Tx, q: SQL): Promise<Record<string, unknown>[]> {
  return ((await tx.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

export async function insertSource(tx: Tx, tenantId: string, s: { slug: string; name: string; preset: string; mapping: SourceMapping; secrets: string }, actor: string): Promise<IntakeSource | null> {
  const [row] = await tx.insert(intakeSources).values({ tenantId, ...s, mapping: s.mapping as unknown as Record<string, unknown>, createdBy: actor }).onConflictDoNothing().returning();
  return (row as IntakeSource | undefined) ?? null;
}

export async function getSource(tx: Tx, tenantId: string, id: string): Promise<IntakeSource | null> {
  const [row] = await tx.select().from(intakeSources).where(and(eq(intakeSources.tenantId, tenantId), eq(intakeSources.id, id)));
  return (row as IntakeSource | undefined) ?? null;
}

export async function sourceBySlug(tx: Tx, tenantId: string, slug: string): Promise<IntakeSource | null> {
  const [row] = await tx.select().from(intakeSources).where(and(eq(intakeSources.tenantId, tenantId), eq(intakeSources.slug, slug)));
  return (row as IntakeSource | undefined) ?? null;
}

export async function listSources(tx: Tx, tenantId: string) {
  const rows = (await tx.select().from(intakeSources).where(eq(intakeSources.tenantId, tenantId)).orderBy(desc(intakeSources.createdAt))) as IntakeSource[];
  const counts = await query(tx, sql`
    select s.id,
      (select count(*) from intake_deliveries d where d.tenant_id = ${tenantId} and d.source_id = s.id and d.status = 'captured')::int as captured,
      (select count(*) from intake_deliveries d where d.tenant_id = ${tenantId} and d.source_id = s.id and d.status = 'uncaptured')::int as uncaptured,
      (select count(*) from intake_unknown_fields u where u.tenant_id = ${tenantId} and u.source_id = s.id and u.resolved_at is null)::int as notices
    from intake_sources s where s.tenant_id = ${tenantId}`);
  const by = new Map(counts.map((c) => [String(c.id), c]));
  return rows.map((s) => ({ ...s, captured: Number(by.get(s.id)?.captured ?? 0), uncaptured: Number(by.get(s.id)?.uncaptured ?? 0), notices: Number(by.get(s.id)?.notices ?? 0) }));
}

export async function updateMapping(tx: Tx, tenantId: string, id: string, mapping: SourceMapping, at: Date): Promise<void> {
  await tx.update(intakeSources).set({ mapping: mapping as unknown as Record<string, unknown>, updatedAt: at }).where(and(eq(intakeSources.tenantId, tenantId), eq(intakeSources.id, id)));
}

export async function updateSecrets(tx: Tx, tenantId: string, id: string, sealed: string, at: Date): Promise<void> {
  await tx.update(intakeSources).set({ secrets: sealed, updatedAt: at }).where(and(eq(intakeSources.tenantId, tenantId), eq(intakeSources.id, id)));
}

/** Claims a delivery id; false when this source already delivered it (a retry). */
export async function claimDelivery(tx: Tx, d: typeof intakeDeliveries.$inferInsert): Promise<string | null> {
  const [row] = await tx.insert(intakeDeliveries).values(d).onConflictDoNothing().returning({ id: intakeDeliveries.id });
  return row?.id ?? null;
}

export async function finishDelivery(tx: Tx, tenantId: string, id: string, o: { status: 'captured' | 'uncaptured'; customerId?: string | null; leadId?: string | null }): Promise<void> {
  await tx.update(intakeDeliveries).set({ status: o.status, customerId: o.customerId ?? null, leadId: o.leadId ?? null }).where(and(eq(intakeDeliveries.tenantId, tenantId), eq(intakeDeliveries.id, id)));
}

/** Counts an unknown field; true the first time this source sent it (or the first time since it was resolved). */
export async function noteUnknownField(tx: Tx, tenantId: string, sourceId: string, field: string, sample: string, at: Date): Promise<boolean> {
  const r = await query(tx, sql`
    insert into intake_unknown_fields (tenant_id, source_id, field, sample, seen, first_seen_at, last_seen_at)
    values (${tenantId}, ${sourceId}, ${field}, ${sample}, 1, ${at}, ${at})
    on conflict (tenant_id, source_id, field) do update set
      seen = case when intake_unknown_fields.resolved_at is null then intake_unknown_fields.seen + 1 else 1 end,
      first_seen_at = case when intake_unknown_fields.resolved_at is null then intake_unknown_fields.first_seen_at else excluded.first_seen_at end,
      last_seen_at = excluded.last_seen_at, sample = excluded.sample, resolved_at = null
    returning seen`);
  return Number(r[0]?.seen) === 1;
}

export async function openNotices(tx: Tx, tenantId: string) {
  return tx.select({
    sourceId: intakeUnknownFields.sourceId, source: intakeSources.name, field: intakeUnknownFields.field, sample: intakeUnknownFields.sample,
    seen: intakeUnknownFields.seen, firstSeenAt: intakeUnknownFields.firstSeenAt, lastSeenAt: intakeUnknownFields.lastSeenAt,
  }).from(intakeUnknownFields)
    .innerJoin(intakeSources, and(eq(intakeSources.id, intakeUnknownFields.sourceId), eq(intakeSources.tenantId, intakeUnknownFields.tenantId)))
    .where(and(eq(intakeUnknownFields.tenantId, tenantId), isNull(intakeUnknownFields.resolvedAt)))
    .orderBy(desc(intakeUnknownFields.lastSeenAt)).limit(200);
}

export async function resolveNotices(tx: Tx, tenantId: string, sourceId: string, fields: string[], at: Date): Promise<void> {
  if (fields.length === 0) return;
  await tx.update(intakeUnknownFields).set({ resolvedAt: at })
    .where(and(eq(intakeUnknownFields.tenantId, tenantId), eq(intakeUnknownFields.sourceId, sourceId), inArray(intakeUnknownFields.field, fields), isNull(intakeUnknownFields.resolvedAt)));
}

export async function recentDeliveries(tx: Tx, tenantId: string, sourceId: string, limit = 20) {
  return tx.select({ id: intakeDeliveries.id, externalId: intakeDeliveries.externalId, status: intakeDeliveries.status, unknownFields: intakeDeliveries.unknownFields, leadId: intakeDeliveries.leadId, customerId: intakeDeliveries.customerId, receivedAt: intakeDeliveries.receivedAt })
    .from(intakeDeliveries).where(and(eq(intakeDeliveries.tenantId, tenantId), eq(intakeDeliveries.sourceId, sourceId))).orderBy(desc(intakeDeliveries.receivedAt)).limit(limit);
}
