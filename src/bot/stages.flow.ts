import type { Tx } from '../db/database.js';
import type { Card, OutboundMessage, Reply } from '../channel/messages.js';
import { compact, toUser, type FlowDeps } from './flow.js';
import { fmtLocal } from './cards.js';
import { createTask } from '../crm/tasks.repo.js';
import { getUser, type User } from '../crm/users.repo.js';
import { enqueueOutbound } from '../queue/outbox.js';
import { STAGE_QUESTION, type StageEffect } from '../crm/stages/stage.actions.js';
import { answersOf, currentEntry, latestModel } from '../crm/stages/stage.repo.js';
import { questionsToShow } from '../crm/stages/stage.rules.js';
import { answerMap } from '../crm/stages/stage.repo.js';
import { labelOf, lockCustomer, startStage, type AnswerOutcome, type Moved } from '../crm/stages/stage.service.js';
import { optionsOf, type Actor, type QuestionDef } from '../crm/stages/stage.types.js';

// Stage work in chat, platform-free: question cards to reps, and what entering a stage says.

/** The todo card's button. */
export const TODO_DONE = 'done';

/** One question as a card: yes/no as two buttons, choices as a choice list (single or multiple). */
export function questionCard(cardId: string, label: string, stageName: string | null, q: QuestionDef): Card {
  const options = optionsOf(q);
  const base = { cardId, track: true, title: `${label}：${q.text}`, description: stageName ? `当前阶段：${stageName}` : '尚未进入阶段' };
  if (q.kind === 'yesno') return { ...base, buttons: options.map((o, i) => ({ key: o.key, text: o.label, style: i === 0 ? 'primary' as const : 'default' as const })) };
  return { ...base, choice: { questionKey: q.key, title: q.text, options: options.map((o) => ({ id: o.key, text: o.label })), multiple: q.kind === 'multiple', submitText: '提交' } };
}

const selectable = (q: QuestionDef) => q.kind === 'single' && optionsOf(q).length <= 10;

/** Several one-answer questions on one card (Card.selects: each adapter draws its own selectors). */
export function selectsCard(cardId: string, label: string, stageName: string | null, qs: QuestionDef[]): Card {
  return {
    cardId, track: true, title: `${label}：${qs.length} 个问题`, description: stageName ? `当前阶段：${stageName}` : '尚未进入阶段',
    selects: qs.map((q) => ({ questionKey: q.key, title: q.text, options: optionsOf(q).map((o) => ({ id: o.key, text: o.label })) })),
  };
}

function effectReply(e: StageEffect, timeZone: string): Reply {
  if (e.kind === 'todo') {
    return {
      kind: 'card',
      card: {
        cardId: e.taskId, track: true, title: `待办：${e.title}`, description: e.description,
        fields: [{ label: '截止', value: fmtLocal(e.dueAt, timeZone) }],
        buttons: [{ key: TODO_DONE, text: '完成', style: 'primary' }],
        todo: { subject: e.title, description: e.description, dueAt: e.dueAt.toISOString() },
      },
    };
  }
  const text = e.url ? `${e.text}\n${e.url}` : e.text;
  return e.title ? { kind: 'markdown', title: e.title, text: `**${e.title}**\n${text}` } : { kind: 'text', text };
}

/** Effects of a stage entry as messages, each to the user it names. */
export async function effectMessages(tx: Tx, deps: FlowDeps, tenantId: string, effects: StageEffect[], preferredPlatform?: string): Promise<OutboundMessage[]> {
  const tenant = await deps.tenantInfo.get(tx, tenantId);
  const out: (OutboundMessage | null)[] = [];
  for (const e of effects) {
    const user = await getUser(tx, tenantId, e.userId);
    if (user) out.push(toUser(deps, tenantId, user, effectReply(e, tenant.timeZone), preferredPlatform));
  }
  return compact(out);
}

/** Queues a move's messages in its transaction; the entry id keys them, so a retry queues nothing new. */
export async function queueMoved(tx: Tx, deps: FlowDeps, tenantId: string, moved: Moved | null, preferredPlatform?: string): Promise<void> {
  if (!moved) return;
  let i = 0;
  for (const m of await effectMessages(tx, deps, tenantId, moved.effects, preferredPlatform)) await enqueueOutbound(tx, m, `stage:${moved.entry.id}:${i++}`);
}

/**
 * The next open question for a customer as a card to each of `to` (one task: the first answer on
 * any copy wins), or null when nothing is open.
 */
export async function nextQuestionCards(tx: Tx, deps: FlowDeps, tenantId: string, customerId: string, to: User[], preferredPlatform?: string, intro?: string): Promise<OutboundMessage[] | null> {
  const customer = await lockCustomer(tx, tenantId, customerId);
  const v = await latestModel(tx, tenantId);
  const entry = await currentEntry(tx, tenantId, customerId);
  const open = questionsToShow(v.model, entry?.stageKey ?? null, answerMap(await answersOf(tx, tenantId, customerId))).filter((x) => x.open).map((x) => x.question);
  if (open.length === 0 || to.length === 0) return null;
  const label = labelOf(customer);
  // Up to three one-answer questions in a row (10 options at most each) share one card.
  const batch = open.slice(0, 3).filter((q, i, all) => all.slice(0, i + 1).every(selectable));
  const task = await createTask(tx, tenantId, {
    kind: STAGE_QUESTION, title: `${label}：${open[0]!.text}`, assigneeId: to[0]!.id, customerId,
    payload: { question: open[0]!.key, ...(batch.length > 1 ? { questions: batch.map((q) => q.key) } : {}), label, modelVersion: v.version, recipients: to.map((u) => u.id) },
  }, 'stage');
  const card = batch.length > 1 ? selectsCard(task.id, label, entry?.stageName ?? null, batch) : questionCard(task.id, label, entry?.stageName ?? null, open[0]!);
  if (intro) card.description = `${intro}\n${card.description}`;
  return compact(to.map((u) => toUser(deps, tenantId, u, { kind: 'card', card }, preferredPlatform)));
}

/** A lead was claimed: the customer starts at the first stage and the rep gets the first question. */
export async function stageOnClaim(tx: Tx, deps: FlowDeps, tenantId: string, customerId: string, rep: User, platform: string): Promise<OutboundMessage[]> {
  const by: Actor = { userId: rep.id, actor: `user:${rep.id}`, name: rep.name };
  const moved = await startStage(tx, tenantId, customerId, by, deps.now(), '认领线索', platform);
  await queueMoved(tx, deps, tenantId, moved, platform);
  return (await nextQuestionCards(tx, deps, tenantId, customerId, [rep], platform)) ?? [];
}

/** The line a question card shows once answered: who, what, and the stage it led to. */
export function resultLine(name: string, o: Extract<AnswerOutcome, { ok: true }>): string {
  const what = `${name}：${o.answer.labels.join('、')}`;
  if (o.moved) return `${what} → ${o.moved.entry.stageName}`;
  if (o.blocked) return `${what}（进入${o.blocked.stage.name}需先填写${o.blocked.missing.map((m) => m.label).join('、')}）`;
  return what;
}
