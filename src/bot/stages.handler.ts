import type { Tx } from '../db/database.js';
import type { CardActionEvent } from '../channel/events.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { HandlerContext } from './bot.js';
import type { FlowDeps } from './flow.js';
import { completeTask, getTask, type Task } from '../crm/tasks.repo.js';
import { isUuid } from '../crm/ids.js';
import { AppError } from '../lib/errors.js';
import { STAGE_QUESTION, STAGE_TODO } from '../crm/stages/stage.actions.js';
import { answerQuestion } from '../crm/stages/stage.service.js';
import { nextQuestionCards, queueMoved, resultLine, TODO_DONE } from './stages.flow.js';
import type { User } from '../crm/users.repo.js';

interface CardRef {
  platform: string;
  userIds?: string[];
  responseCode?: string;
  ref?: Record<string, unknown>;
}

/** Every copy of a card shows the result: the clicker's with the code from the click, the others with the code from their send. */
function updateCopies(ev: CardActionEvent, task: Task, resultText: string, onlyOwn = false): OutboundMessage[] {
  const refs = task.cardRefs as unknown as CardRef[];
  const own = refs.find((r) => r.platform === ev.platform && (r.userIds ?? []).includes(ev.sender.userId));
  const out: OutboundMessage[] = [{
    platform: ev.platform, tenantId: ev.tenantId,
    to: { userIds: [ev.sender.userId], conversationId: ev.conversation?.id, conversationType: ev.conversation?.type },
    reply: { kind: 'cardUpdate', cardId: ev.cardId, resultText, responseCode: ev.responseCode, ...(own?.ref ? { ref: own.ref } : {}) },
  }];
  for (const ref of onlyOwn ? [] : refs) {
    const others = (ref.userIds ?? []).filter((u) => !(ref.platform === ev.platform && u === ev.sender.userId));
    if (others.length === 0) continue;
    out.push({ platform: ref.platform, tenantId: ev.tenantId, to: { userIds: others }, reply: { kind: 'cardUpdate', cardId: task.id, resultText, ...(ref.responseCode ? { responseCode: ref.responseCode } : {}), ...(ref.ref ? { ref: ref.ref } : {}) } });
  }
  return out;
}

/** Answers on stage question cards, and 完成 on stage todo cards. Other cards pass through. */
export function stageCardHandler(deps: FlowDeps) {
  return async (ctx: HandlerContext): Promise<OutboundMessage[] | undefined> => {
    if (ctx.event.kind !== 'cardAction' || !isUuid(ctx.event.cardId)) return undefined;
    const ev = ctx.event;
    const task = await getTask(ctx.tx, ev.tenantId, ev.cardId, true);
    if (!task || (task.kind !== STAGE_QUESTION && task.kind !== STAGE_TODO)) return undefined;
    if (!ctx.user) return [ctx.replyTo({ kind: 'text', text: '你的账号还没有绑定客路用户，请联系管理员绑定后再操作。' })];
    if (task.kind === STAGE_TODO) return todoDone(ctx.tx, ev, task, ctx.user);
    return answerCard(ctx, deps, ev, task, ctx.user);
  };
}

async function todoDone(tx: Tx, ev: CardActionEvent, task: Task, user: User): Promise<OutboundMessage[]> {
  if (ev.actionKey !== TODO_DONE) return [];
  const won = await completeTask(tx, ev.tenantId, task.id, user.id, { action: TODO_DONE, by: user.name });
  if (!won) return updateCopies(ev, task, '已处理', true);
  return updateCopies(ev, task, `${user.name} 已完成`);
}

async function answerCard(ctx: HandlerContext, deps: FlowDeps, ev: CardActionEvent, task: Task, user: User): Promise<OutboundMessage[]> {
  if (Array.isArray(task.payload.questions)) return answerSelects(ctx, deps, ev, task, user, task.payload.questions.map(String));
  const question = String(task.payload.question);
  const picked = ev.selected?.find((s) => s.questionKey === question)?.optionIds ?? ev.selected?.flatMap((s) => s.optionIds);
  const values = picked?.length ? picked : ev.actionKey && ev.actionKey !== 'submit' ? [ev.actionKey] : [];
  if (!values.length) return [ctx.replyTo({ kind: 'text', text: '请先选择一个选项再提交。' })];
  let outcome;
  try {
    outcome = await answerQuestion(ctx.tx, ev.tenantId, task.customerId!, { question, values, by: { userId: user.id, actor: `user:${user.id}`, name: user.name }, via: ev.platform, now: deps.now() });
  } catch (e) {
    if (e instanceof AppError && e.status < 500) return [ctx.replyTo({ kind: 'text', text: '这个问题已不在当前的阶段问卷中，请发送“阶段 客户名”重新获取。' })];
    throw e;
  }
  if (!outcome.ok) {
    // The first answer won (on another card, another copy, or the sidebar): say who gave it.
    await completeTask(ctx.tx, ev.tenantId, task.id, outcome.answer.userId, { action: 'answered_elsewhere' });
    // The winner's handler updated the other copies already; only the clicker's changes here.
    return updateCopies(ev, task, `已由${outcome.answer.actorName ?? '同事'}回答：${outcome.answer.labels.join('、')}`, true);
  }
  await completeTask(ctx.tx, ev.tenantId, task.id, user.id, { action: 'answer', values });
  await queueMoved(ctx.tx, deps, ev.tenantId, outcome.moved, ev.platform);
  const next = await nextQuestionCards(ctx.tx, deps, ev.tenantId, task.customerId!, [user], ev.platform);
  return [...updateCopies(ev, task, resultLine(user.name, outcome)), ...(next ?? [])];
}

/** A card of several selectors: each chosen answer is recorded in order; the card lists what happened to each. */
async function answerSelects(ctx: HandlerContext, deps: FlowDeps, ev: CardActionEvent, task: Task, user: User, questions: string[]): Promise<OutboundMessage[]> {
  const chosen = questions.flatMap((q) => {
    const ids = ev.selected?.find((x) => x.questionKey === q)?.optionIds ?? [];
    return ids.length ? [{ q, ids }] : [];
  });
  if (!chosen.length) return [ctx.replyTo({ kind: 'text', text: '请先选择再提交。' })];
  const lines: string[] = [];
  let mine = false;
  for (const { q, ids } of chosen) {
    let o;
    try {
      o = await answerQuestion(ctx.tx, ev.tenantId, task.customerId!, { question: q, values: ids.slice(0, 1), by: { userId: user.id, actor: `user:${user.id}`, name: user.name }, via: ev.platform, now: deps.now() });
    } catch (e) {
      if (e instanceof AppError && e.status < 500) continue;
      throw e;
    }
    if (!o.ok) {
      lines.push(`已由${o.answer.actorName ?? '同事'}回答：${o.answer.labels.join('、')}`);
      continue;
    }
    mine = true;
    lines.push(resultLine(user.name, o));
    await queueMoved(ctx.tx, deps, ev.tenantId, o.moved, ev.platform);
  }
  if (!mine) return updateCopies(ev, task, lines.join('；') || '问题已更新', true);
  await completeTask(ctx.tx, ev.tenantId, task.id, user.id, { action: 'answer', questions: chosen.map((c) => c.q) });
  const next = await nextQuestionCards(ctx.tx, deps, ev.tenantId, task.customerId!, [user], ev.platform);
  return [...updateCopies(ev, task, lines.join('；')), ...(next ?? [])];
}
