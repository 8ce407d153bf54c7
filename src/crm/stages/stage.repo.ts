import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { stageAnswers, stageEntries, stageModels, type StageAnswerSnapshot } from '../../db/schema.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../pagination.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { DEFAULT_STAGE_MODEL } from './default-model.js';
import { stageModelSchema, type Actor, type Versioned } from './stage.types.js';
import type { AnswerMap } from './stage.rules.js';

export type StageEntry = typeof stageEntries.$inferSelect;
export type StageAnswer = typeof stageAnswers.$inferSelect;

/** The tenant's current model; version 0 (the built-in default) until one is saved. */
export async function latestModel(tx: Tx, tenantId: string): Promise<Versioned> {
  const [row] = await tx.select().from(stageModels).where(eq(stageModels.tenantId, tenantId)).orderBy(desc(stageModels.version)).limit(1);
  return row ? { version: row.version, model: stageModelSchema.parse(row.definition) } : { version: 0, model: DEFAULT_STAGE_MODEL };
}

export async function modelVersion(tx: Tx, tenantId: string, version: number): Promise<Versioned | null> {
  if (version === 0) return { version: 0, model: DEFAULT_STAGE_MODEL };
  const [row] = await tx.select().from(stageModels).where(and(eq(stageModels.tenantId, tenantId), eq(stageModels.version, version)));
  return row ? { version: row.version, model: stageModelSchema.parse(row.definition) } : null;
}

/** Stores a validated model as the next version (never overwrites one). */
export async function saveModel(tx: Tx, tenantId: string, def: Versioned['model'], actor: string): Promise<number> {
  const rows = await tx.insert(stageModels).values({
    tenantId,
    version: sql`(select coalesce(max(version), 0) + 1 from stage_models where tenant_id = ${tenantId})`,
    definition: def as unknown as Record<string, unknown>,
    createdBy: actor,
  }).onConflictDoNothing().returning({ version: stageModels.version });
  if (!rows[0]) throw conflict('stage_model_conflict', 'another change to the stage model was saved at the same time; reload and try again');
  return rows[0].version;
}

export async function currentEntry(tx: Tx, tenantId: string, customerId: string, forUpdate = false): Promise<StageEntry | null> {
  const q = tx.select().from(stageEntries).where(and(eq(stageEntries.tenantId, tenantId), eq(stageEntries.customerId, customerId), isNull(stageEntries.leftAt)));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function getEntry(tx: Tx, tenantId: string, id: string): Promise<StageEntry | null> {
  const [row] = await tx.select().from(stageEntries).where(and(eq(stageEntries.tenantId, tenantId), eq(stageEntries.id, id)));
  return row ?? null;
}

export interface NewEntry {
  customerId: string;
  modelVersion: number;
  stageKey: string;
  stageName: string;
  stageOrder: number;
  outcome?: 'won' | 'lost' | null;
  fromKey: string | null;
  ownerId: string | null;
  by: Actor;
  rule: string | null;
  answers: StageAnswerSnapshot[];
  reason?: string | null;
  details?: Record<string, unknown>;
  at: Date;
}

/** Closes the current stay (if any) and opens the next; the partial unique index refuses a second current one. */
export async function moveTo(tx: Tx, tenantId: string, e: NewEntry): Promise<StageEntry> {
  await tx.update(stageEntries).set({ leftAt: e.at })
    .where(and(eq(stageEntries.tenantId, tenantId), eq(stageEntries.customerId, e.customerId), isNull(stageEntries.leftAt)));
  const [row] = await tx.insert(stageEntries).values({
    tenantId, customerId: e.customerId, modelVersion: e.modelVersion, stageKey: e.stageKey, stageName: e.stageName, stageOrder: e.stageOrder,
    outcome: e.outcome ?? null, fromKey: e.fromKey, ownerId: e.ownerId, actor: e.by.actor, actorName: e.by.name, rule: e.rule,
    answers: e.answers, reason: e.reason ?? null, details: e.details ?? {}, enteredAt: e.at,
  }).returning();
  await tx.execute(sql`update customers set stage = ${e.stageKey}, updated_at = now() where tenant_id = ${tenantId} and id = ${e.customerId}`);
  return row!;
}

/** A customer's stays, newest first, in the API's list shape. */
export async function listEntries(tx: Tx, tenantId: string, customerId: string, page: PageRequest): Promise<Page<StageEntry>> {
  const c = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await tx.select().from(stageEntries)
    .where(and(
      eq(stageEntries.tenantId, tenantId), eq(stageEntries.customerId, customerId),
      c ? or(lt(stageEntries.enteredAt, c.at), and(eq(stageEntries.enteredAt, c.at), lt(stageEntries.seq, seqOf(c.id)))) : undefined,
    ))
    .orderBy(desc(stageEntries.enteredAt), desc(stageEntries.seq))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.enteredAt, String(last.seq)) : null };
}

function seqOf(id: string): number {
  if (!/^\d{1,15}$/.test(id)) throw badRequest('invalid_cursor', 'cursor is not one this API issued');
  return Number(id);
}

export async function answersOf(tx: Tx, tenantId: string, customerId: string): Promise<StageAnswer[]> {
  return tx.select().from(stageAnswers).where(and(eq(stageAnswers.tenantId, tenantId), eq(stageAnswers.customerId, customerId))).orderBy(stageAnswers.answeredAt);
}

export function answerMap(rows: StageAnswer[]): AnswerMap {
  return new Map(rows.map((a) => [a.questionKey, a.values]));
}

/** Records an answer unless the question was answered already; returns null then (the first answer wins). */
export async function insertAnswer(tx: Tx, tenantId: string, a: Omit<typeof stageAnswers.$inferInsert, 'tenantId' | 'id'>): Promise<StageAnswer | null> {
  const [row] = await tx.insert(stageAnswers).values({ ...a, tenantId }).onConflictDoNothing().returning();
  return row ?? null;
}

export async function getAnswer(tx: Tx, tenantId: string, customerId: string, questionKey: string): Promise<StageAnswer | null> {
  const [row] = await tx.select().from(stageAnswers)
    .where(and(eq(stageAnswers.tenantId, tenantId), eq(stageAnswers.customerId, customerId), eq(stageAnswers.questionKey, questionKey)));
  return row ?? null;
}
