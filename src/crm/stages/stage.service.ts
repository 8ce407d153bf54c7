import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { StageAnswerSnapshot } from '../../db/schema.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { recordAudit } from '../audit.repo.js';
import { scheduleTimer } from '../timers.repo.js';
import { getUser } from '../users.repo.js';
import { closeOnOutcome } from './stage.outcome.js';
import { runStageActions, STUCK_TIMER, type StageEffect } from './stage.actions.js';
import { answerMap, answersOf, currentEntry, getAnswer, insertAnswer, latestModel, moveTo, type StageAnswer, type StageEntry } from './stage.repo.js';
import { decide, fieldLabel, missingFields, ruleName, stageOrder, type AnswerMap } from './stage.rules.js';
import { optionsOf, type Actor, type StageDef, type Versioned } from './stage.types.js';

interface CustomerFacts {
  id: string;
  name: string | null;
  title: string | null;
  company: string | null;
  region: string | null;
  owner_id: string | null;
  custom_fields: Record<string, unknown>;
}

/** Locks the customer row: every stage change of one customer runs one at a time. */
export async function lockCustomer(tx: Tx, tenantId: string, customerId: string): Promise<CustomerFacts> {
  const r = (await tx.execute(sql`select id, name, title, company, region, owner_id, custom_fields from customers
    where tenant_id = ${tenantId} and id = ${customerId} and merged_into is null for update`)) as unknown as { rows: CustomerFacts[] };
  if (!r.rows[0]) throw notFound('customer');
  return r.rows[0];
}

export function labelOf(c: { name: string | null; title: string | null; company: string | null }): string {
  const who = `${c.name ?? ''}${c.title ?? ''}` || '未具名客户';
  return c.company ? `${who}（${c.company}）` : who;
}

export interface Moved {
  entry: StageEntry;
  effects: StageEffect[];
}

interface EnterInput {
  customer: CustomerFacts;
  model: Versioned;
  stage: StageDef;
  from: StageEntry | null;
  by: Actor;
  rule: string | null;
  answers: StageAnswerSnapshot[];
  reason?: string | null;
  details?: Record<string, unknown>;
  now: Date;
  via?: string;
}

async function enter(tx: Tx, tenantId: string, i: EnterInput): Promise<Moved> {
  const { model } = i.model;
  const { stage } = i;
  const entry = await moveTo(tx, tenantId, {
    customerId: i.customer.id, modelVersion: i.model.version, stageKey: stage.key, stageName: stage.name, stageOrder: stageOrder(model, stage.key),
    outcome: stage.outcome ?? null, fromKey: i.from?.stageKey ?? null, ownerId: i.customer.owner_id, by: i.by, rule: i.rule,
    answers: i.answers, reason: i.reason ?? null, details: i.details ?? {}, at: i.now,
  });
  await recordAudit(tx, tenantId, { actor: i.by.actor, action: 'customer.stage', entityType: 'customer', entityId: i.customer.id, before: i.from ? { stage: i.from.stageKey } : null, after: { stage: stage.key, rule: i.rule, entryId: entry.id } });
  if (stage.outcome) await closeOnOutcome(tx, tenantId, i.customer.id, { outcome: stage.outcome, stageName: stage.name, reason: i.reason ?? null, actor: i.by.actor, now: i.now, amount: typeof i.details?.amount === 'number' ? i.details.amount : null });
  if (!stage.outcome) {
    const days = stage.limitDays ?? model.stuckDays;
    await scheduleTimer(tx, tenantId, { kind: STUCK_TIMER, refId: entry.id, fireAt: new Date(i.now.getTime() + days * 86_400_000), payload: { customerId: i.customer.id, days } });
  }
  const ownerId = i.customer.owner_id ?? i.by.userId;
  const rep = ownerId ? await getUser(tx, tenantId, ownerId) : null;
  const effects = await runStageActions(tx, { tenantId, model, stage, entry, rep, label: labelOf(i.customer), now: i.now, ...(i.via ? { via: i.via } : {}) });
  return { entry, effects };
}

function snapshot(v: Versioned, rows: StageAnswer[], keys: string[]): StageAnswerSnapshot[] {
  return keys.flatMap((k) => {
    const a = rows.find((r) => r.questionKey === k);
    return a ? [{ question: k, text: a.questionText, values: a.values, labels: a.labels }] : [];
  });
}

export interface Blocked {
  stage: { key: string; name: string };
  missing: { field: string; label: string }[];
}

export type AnswerOutcome =
  | { ok: false; code: 'already_answered'; answer: StageAnswer }
  | { ok: true; answer: StageAnswer; entry: StageEntry | null; moved: Moved | null; rule: string | null; blocked: Blocked | null };

/**
 * Records one answer and moves the customer when the model's rules say so. Answers only move a
 * customer forward (back is a hand move); a stage whose required fields are missing is not entered.
 */
export async function answerQuestion(tx: Tx, tenantId: string, customerId: string, input: { question: string; values: string[]; by: Actor; via: string; now: Date }): Promise<AnswerOutcome> {
  const customer = await lockCustomer(tx, tenantId, customerId);
  const v = await latestModel(tx, tenantId);
  const q = v.model.questions.find((x) => x.key === input.question);
  if (!q) throw badRequest('unknown_question', `question ${input.question} is not in the stage model`);
  const values = [...new Set(input.values)];
  const options = optionsOf(q);
  if (values.length === 0) throw badRequest('invalid_answer', 'choose at least one option');
  if (q.kind !== 'multiple' && values.length > 1) throw badRequest('invalid_answer', 'this question takes one answer');
  const unknown = values.filter((x) => !options.some((o) => o.key === x));
  if (unknown.length) throw badRequest('invalid_answer', `unknown option ${unknown.join(', ')}`);
  const answer = await insertAnswer(tx, tenantId, {
    customerId, modelVersion: v.version, questionKey: q.key, questionText: q.text, values,
    labels: values.map((x) => options.find((o) => o.key === x)!.label),
    userId: input.by.userId, actor: input.by.actor, actorName: input.by.name, via: input.via, answeredAt: input.now,
  });
  if (!answer) return { ok: false, code: 'already_answered', answer: (await getAnswer(tx, tenantId, customerId, q.key))! };
  await recordAudit(tx, tenantId, { actor: input.by.actor, action: 'customer.stage_answer', entityType: 'customer', entityId: customerId, after: { question: q.key, values } });

  const rows = await answersOf(tx, tenantId, customerId);
  const answers = answerMap(rows);
  const current = await currentEntry(tx, tenantId, customerId);
  const d = decide(v.model, answers);
  const currentOrder = current ? (stageOrder(v.model, current.stageKey) >= 0 ? stageOrder(v.model, current.stageKey) : current.stageOrder) : -1;
  if (d && stageOrder(v.model, d.stage.key) > currentOrder && !current?.outcome) {
    const rule = ruleName(v.model, d.rule);
    const missing = missingFields(d.stage, customer as unknown as Record<string, unknown>, customer.custom_fields ?? {}, answers);
    if (missing.length) {
      return { ok: true, answer, entry: current, moved: null, rule: null, blocked: { stage: { key: d.stage.key, name: d.stage.name }, missing: missing.map((f) => ({ field: f, label: fieldLabel(f) })) } };
    }
    const moved = await enter(tx, tenantId, { customer, model: v, stage: d.stage, from: current, by: input.by, rule, answers: snapshot(v, rows, d.rule.when.map((c) => c.question)), now: input.now, via: input.via });
    return { ok: true, answer, entry: moved.entry, moved, rule, blocked: null };
  }
  if (!current) {
    // A first answer that decides nothing still starts the customer at the first stage.
    const moved = await enter(tx, tenantId, { customer, model: v, stage: v.model.stages[0]!, from: null, by: input.by, rule: null, answers: snapshot(v, rows, [q.key]), now: input.now, via: input.via });
    return { ok: true, answer, entry: moved.entry, moved, rule: null, blocked: null };
  }
  return { ok: true, answer, entry: current, moved: null, rule: null, blocked: null };
}

/** Starts a customer at the first stage unless they have one (a lead claimed). */
export async function startStage(tx: Tx, tenantId: string, customerId: string, by: Actor, now: Date, rule: string, via?: string): Promise<Moved | null> {
  const customer = await lockCustomer(tx, tenantId, customerId);
  if (await currentEntry(tx, tenantId, customerId)) return null;
  const v = await latestModel(tx, tenantId);
  return enter(tx, tenantId, { customer, model: v, stage: v.model.stages[0]!, from: null, by, rule, answers: [], now, ...(via ? { via } : {}) });
}

/** A hand move (any direction; won and lost need a reason). Returns null when the customer is there already. */
export async function moveStage(tx: Tx, tenantId: string, customerId: string, input: { stage: string; reason?: string; details?: Record<string, unknown>; by: Actor; now: Date }): Promise<Moved | null> {
  const customer = await lockCustomer(tx, tenantId, customerId);
  const v = await latestModel(tx, tenantId);
  const stage = v.model.stages.find((s) => s.key === input.stage);
  if (!stage) throw badRequest('unknown_stage', `stage ${input.stage} is not in the stage model`);
  if (stage.outcome && !input.reason?.trim()) throw badRequest('reason_required', `${stage.name} needs a reason`);
  const current = await currentEntry(tx, tenantId, customerId);
  if (current?.stageKey === stage.key) return null;
  const rows = await answersOf(tx, tenantId, customerId);
  const missing = missingFields(stage, customer as unknown as Record<string, unknown>, customer.custom_fields ?? {}, answerMap(rows));
  if (missing.length && !stage.outcome) {
    throw new AppError('stage_requirements', `进入「${stage.name}」需要先填写：${missing.map(fieldLabel).join('、')}`, 409, { details: { missing } });
  }
  return enter(tx, tenantId, { customer, model: v, stage, from: current, by: input.by, rule: null, answers: [], reason: input.reason?.trim() ?? null, details: input.details ?? {}, now: input.now });
}

export type { AnswerMap };
