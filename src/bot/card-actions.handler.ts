import { and, eq, sql } from 'drizzle-orm';
import { interactions } from '../db/schema.js';
import { updateCustomer } from '../crm/customers.repo.js';
import type { Tx } from '../db/database.js';
import type { CardActionEvent } from '../channel/events.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { HandlerContext } from './bot.js';
import { compact, type FlowDeps } from './flow.js';
import { ACTIONS, CUSTOMER_IS, assignChoiceCard } from './cards.js';
import { claimMessages } from './leads.flow.js';
import { addCardRef, completeTask, createTask, getTask, type Task } from '../crm/tasks.repo.js';
import { undoCapture, markResponded, type CaptureUndo } from '../crm/capture.service.js';
import { assignLead, claimLead } from '../crm/assignment.service.js';
import { changeLeadStatus, getLead } from '../crm/leads.repo.js';
import { getUser, listUsers, type User } from '../crm/users.repo.js';
import { isUuid } from '../crm/ids.js';
import { stageOnClaim } from './stages.flow.js';

interface CardRef {
  platform: string;
  userIds?: string[];
  responseCode?: string;
  ref?: Record<string, unknown>;
}

/** Card clicks: the task behind the card decides what the click means. */
export function cardActionHandler(deps: FlowDeps) {
  return async (ctx: HandlerContext): Promise<OutboundMessage[] | undefined> => {
    if (ctx.event.kind !== 'cardAction') return undefined;
    const ev = ctx.event;
    if (!isUuid(ev.cardId)) return [];
    const task = await getTask(ctx.tx, ev.tenantId, ev.cardId, true);
    if (!task) return [];
    if (!ctx.user) return [ctx.replyTo({ kind: 'text', text: '你的账号还没有绑定客路用户，请联系管理员绑定后再操作。' })];
    const user = ctx.user;
    const update = (resultText: string) => updateForClicker(ev, resultText);
    switch (task.kind) {
      case 'capture.confirm':
        return captureConfirm(ctx.tx, ev, task, user, update, ctx);
      case 'lead.claim':
        return leadClaim(ctx.tx, deps, ev, task, user, update);
      case 'manager.todo':
        return managerAction(ctx.tx, deps, ev, task, user, ctx);
      case 'manager.assign':
        return managerAssign(ctx.tx, deps, ev, task, user, update);
      default:
        return [];
    }
  };
}

function updateForClicker(ev: CardActionEvent, resultText: string): OutboundMessage {
  return {
    platform: ev.platform,
    tenantId: ev.tenantId,
    to: { userIds: [ev.sender.userId], conversationId: ev.conversation?.id, conversationType: ev.conversation?.type },
    reply: { kind: 'cardUpdate', cardId: ev.cardId, resultText, responseCode: ev.responseCode },
  };
}

async function doneText(tx: Tx, task: Task): Promise<string> {
  const by = task.doneBy ? await getUser(tx, task.tenantId, task.doneBy) : null;
  return `已由${by?.name ?? '同事'}处理`;
}

async function captureConfirm(tx: Tx, ev: CardActionEvent, task: Task, user: User, update: (t: string) => OutboundMessage, ctx: HandlerContext) {
  if (task.status !== 'open') return [update(task.payload.outcome && (task.payload.outcome as { action?: string }).action === ACTIONS.notCustomer ? '已撤销' : '已确认')];
  if (ev.actionKey === ACTIONS.confirm) {
    await completeTask(tx, ev.tenantId, task.id, user.id, { action: ACTIONS.confirm });
    return [update('已确认 ✓')];
  }
  if (ev.actionKey.startsWith(CUSTOMER_IS)) return customerIs(tx, ev, task, user, update);
  if (ev.actionKey === ACTIONS.notCustomer) {
    await completeTask(tx, ev.tenantId, task.id, user.id, { action: ACTIONS.notCustomer });
    const { removedCustomer } = await undoCapture(tx, ev.tenantId, task.payload.undo as CaptureUndo, user.id);
    return [
      update('已撤销'),
      ctx.replyTo({ kind: 'text', text: removedCustomer ? '好的，不是客户：这条消息建的客户、线索和提醒都已删除。' : '好的，不是客户：已撤回这条消息给老客户加的记录，其余资料保持不变。' }),
    ];
  }
  return [];
}

/** 客户是X: the rep picks another person of the message as the customer; name and title follow. */
async function customerIs(tx: Tx, ev: CardActionEvent, task: Task, user: User, update: (t: string) => OutboundMessage) {
  const undo = task.payload.undo as CaptureUndo;
  const index = Number(ev.actionKey.slice(CUSTOMER_IS.length));
  const rows = undo.interactionId
    ? await tx.select({ entities: interactions.entities }).from(interactions).where(and(eq(interactions.tenantId, ev.tenantId), eq(interactions.id, undo.interactionId)))
    : [];
  const person = (rows[0]?.entities as { persons?: Array<{ name: string; title: string | null }> } | null)?.persons?.[index];
  if (!Number.isInteger(index) || !person) return [update('找不到这个人，请在客户资料里修改')];
  await updateCustomer(tx, ev.tenantId, undo.customerId, { name: person.name, title: person.title || null }, user.id);
  await completeTask(tx, ev.tenantId, task.id, user.id, { action: ACTIONS.confirm, customerIs: index });
  return [update(`已确认，客户改为 ${person.name}${person.title ?? ''} ✓`)];
}

async function leadClaim(tx: Tx, deps: FlowDeps, ev: CardActionEvent, task: Task, user: User, update: (t: string) => OutboundMessage) {
  const leadId = task.leadId!;
  const now = deps.now();
  if (ev.actionKey === ACTIONS.claim || ev.actionKey === ACTIONS.contacted) {
    let lead = await getLead(tx, ev.tenantId, leadId);
    if (!lead) return [update('线索已不存在')];
    if (lead.assigneeId !== user.id) {
      const holder = lead.assigneeId ? await getUser(tx, ev.tenantId, lead.assigneeId) : null;
      return [update(holder ? `已转给${holder.name}` : '线索已转给经理处理')];
    }
    // Claimed now: the customer starts at the first stage and the rep gets its first question.
    const stage: OutboundMessage[] = [];
    if (lead.status === 'assigned') {
      const r = await claimLead(tx, ev.tenantId, leadId, user, now);
      if (!r.ok) return [update('认领失败，线索状态已变化')];
      lead = r.lead;
      await completeTask(tx, ev.tenantId, task.id, user.id, { action: ACTIONS.claim });
      stage.push(...(await stageOnClaim(tx, deps, ev.tenantId, lead.customerId, user, ev.platform)));
    }
    if (ev.actionKey === ACTIONS.contacted) {
      if (lead.status === 'claimed') await changeLeadStatus(tx, ev.tenantId, leadId, { status: 'contacted', by: user.id }, now);
      await markResponded(tx, ev.tenantId, lead.customerId, user.id, now);
      return [update('已联系 ✓'), ...stage];
    }
    return [update('已认领 ✓'), ...stage];
  }
  return [];
}

/** Every recipient's card shows the result; the clicker's with the fresh code from the click. */
function updateAll(ev: CardActionEvent, task: Task, resultText: string): OutboundMessage[] {
  // The clicker's copy: the fresh code from the click, plus what the adapter remembered when it sent it.
  const own = (task.cardRefs as unknown as CardRef[]).find((r) => r.platform === ev.platform && (r.userIds ?? []).includes(ev.sender.userId));
  const mine = updateForClicker(ev, resultText);
  if (own?.ref && mine.reply.kind === 'cardUpdate') mine.reply.ref = own.ref;
  const out: OutboundMessage[] = [mine];
  for (const ref of task.cardRefs as unknown as CardRef[]) {
    const others = (ref.userIds ?? []).filter((u) => !(ref.platform === ev.platform && u === ev.sender.userId));
    if (others.length === 0) continue;
    out.push({ platform: ref.platform, tenantId: ev.tenantId, to: { userIds: others }, reply: { kind: 'cardUpdate', cardId: task.id, resultText, responseCode: ref.responseCode, ...(ref.ref ? { ref: ref.ref } : {}) } });
  }
  return out;
}

async function managerAction(tx: Tx, deps: FlowDeps, ev: CardActionEvent, task: Task, user: User, ctx: HandlerContext) {
  if (task.status !== 'open') return [updateForClicker(ev, await doneText(tx, task)), ctx.replyTo({ kind: 'text', text: `${await doneText(tx, task)}，无需重复操作。` })];
  const label = String(task.payload.label ?? '客户');
  const now = deps.now();
  if (ev.actionKey === ACTIONS.take) {
    const won = await completeTask(tx, ev.tenantId, task.id, user.id, { action: ACTIONS.take, by: user.name });
    if (!won) return [updateForClicker(ev, await doneText(tx, (await getTask(tx, ev.tenantId, task.id))!))];
    if (task.leadId) {
      await changeLeadStatus(tx, ev.tenantId, task.leadId, { status: 'claimed', by: user.id, assigneeId: user.id }, now);
      const lead = await getLead(tx, ev.tenantId, task.leadId);
      if (lead) await tx.execute(sql`update customers set owner_id = ${user.id} where tenant_id = ${ev.tenantId} and id = ${lead.customerId} and owner_id is null`);
    }
    return updateAll(ev, task, `${user.name} 已跟进`);
  }
  if (ev.actionKey === ACTIONS.ignore) {
    const won = await completeTask(tx, ev.tenantId, task.id, user.id, { action: ACTIONS.ignore, by: user.name });
    if (!won) return [updateForClicker(ev, await doneText(tx, (await getTask(tx, ev.tenantId, task.id))!))];
    return updateAll(ev, task, `${user.name} 已忽略`);
  }
  if (ev.actionKey === ACTIONS.assign) {
    const reps = (await listUsers(tx, ev.tenantId, { role: 'rep' }, { limit: 200 })).items.filter((r) => r.active);
    const pick = await createTask(tx, ev.tenantId, { kind: 'manager.assign', title: `指派 ${label}`, assigneeId: user.id, customerId: task.customerId, leadId: task.leadId, payload: { todoId: task.id, label } }, user.id);
    return [ctx.replyTo({ kind: 'card', card: assignChoiceCard(pick.id, label, reps.map((r) => ({ id: r.id, name: r.name }))) })];
  }
  return [];
}

async function managerAssign(tx: Tx, deps: FlowDeps, ev: CardActionEvent, pick: Task, user: User, update: (t: string) => OutboundMessage) {
  const repId = ev.selected?.flatMap((s) => s.optionIds)[0] ?? (isUuid(ev.actionKey) ? ev.actionKey : undefined);
  if (!repId || !isUuid(repId)) return [update('请选择一位同事')];
  const rep = await getUser(tx, ev.tenantId, repId);
  if (!rep) return [update('这位同事已不在名单中')];
  const todo = await getTask(tx, ev.tenantId, String(pick.payload.todoId), true);
  if (!todo || todo.status !== 'open') {
    await completeTask(tx, ev.tenantId, pick.id, user.id, { action: 'late' }, 'cancelled');
    return [update(todo ? await doneText(tx, todo) : '待办已不存在')];
  }
  await completeTask(tx, ev.tenantId, todo.id, user.id, { action: ACTIONS.assign, by: user.name, repId: rep.id, repName: rep.name });
  await completeTask(tx, ev.tenantId, pick.id, user.id, { repId: rep.id });
  const out: OutboundMessage[] = [update(`已指派给${rep.name}`)];
  // The todo cards of every manager show the result (the clicker's original card included).
  for (const ref of todo.cardRefs as unknown as CardRef[]) {
    out.push({ platform: ref.platform, tenantId: ev.tenantId, to: { userIds: ref.userIds ?? [] }, reply: { kind: 'cardUpdate', cardId: todo.id, resultText: `${user.name} 已指派给 ${rep.name}`, responseCode: ref.responseCode, ...(ref.ref ? { ref: ref.ref } : {}) } });
  }
  if (todo.leadId) {
    const lead = await getLead(tx, ev.tenantId, todo.leadId);
    if (lead) {
      const tenant = await deps.tenantInfo.get(tx, ev.tenantId);
      const assigned = await assignLead(tx, ev.tenantId, lead, rep, tenant.assignment, deps.now(), user.id);
      out.push(...(await claimMessages(tx, deps, ev.tenantId, assigned, rep, String(todo.payload.label ?? '客户'), (todo.payload.fields as never) ?? [], tenant)));
    }
  }
  return compact(out);
}

/** After a card is delivered: remember where it went (and the platform's code to update it later). */
export async function rememberCard(tx: Tx, tenantId: string, msg: OutboundMessage, result: Record<string, unknown>): Promise<void> {
  if (msg.reply.kind !== 'card' || !msg.reply.card.track || !isUuid(msg.reply.card.cardId)) return;
  const responseCode = typeof result.responseCode === 'string' ? result.responseCode : undefined;
  const ref = result.cardRef && typeof result.cardRef === 'object' ? (result.cardRef as Record<string, unknown>) : undefined;
  await addCardRef(tx, tenantId, msg.reply.card.cardId, { platform: msg.platform, userIds: msg.to.userIds ?? [], ...(responseCode ? { responseCode } : {}), ...(ref ? { ref } : {}) });
}

