import type { Tx } from '../db/database.js';
import type { Timer } from '../crm/timers.repo.js';
import type { OutboundMessage } from '../channel/messages.js';
import { compact, toUser, type FlowDeps } from './flow.js';
import { fmtLocal } from './cards.js';
import { getTask } from '../crm/tasks.repo.js';
import { getUser } from '../crm/users.repo.js';
import { getCustomer } from '../crm/customers.repo.js';
import { managersFor, STUCK_TIMER, TODO_DUE_TIMER } from '../crm/stages/stage.actions.js';
import { answersOf, getEntry } from '../crm/stages/stage.repo.js';
import { labelOf } from '../crm/stages/stage.service.js';
import { nextQuestionCards } from './stages.flow.js';
import { sql } from 'drizzle-orm';

export const isStageTimer = (kind: string) => kind === TODO_DUE_TIMER || kind === STUCK_TIMER;

/** A stage todo's deadline passed while it is open: its assignee and the managers hear of it, once. */
async function todoDue(tx: Tx, deps: FlowDeps, timer: Timer): Promise<OutboundMessage[]> {
  const task = await getTask(tx, timer.tenantId, String(timer.payload.taskId), true);
  if (!task || task.status !== 'open') return [];
  await tx.execute(sql`update tasks set payload = payload || ${JSON.stringify({ escalatedAt: deps.now().toISOString() })}::jsonb, updated_at = now() where tenant_id = ${timer.tenantId} and id = ${task.id}`);
  const tenant = await deps.tenantInfo.get(tx, timer.tenantId);
  const assignee = task.assigneeId ? await getUser(tx, timer.tenantId, task.assigneeId) : null;
  const rep = task.payload.repId ? await getUser(tx, timer.tenantId, String(task.payload.repId)) : null;
  const due = task.dueAt ? fmtLocal(task.dueAt, tenant.timeZone) : '';
  const via = typeof task.payload.via === 'string' ? task.payload.via : undefined;
  const managers = (await managersFor(tx, timer.tenantId, assignee ?? rep)).filter((m) => m.id !== assignee?.id);
  const out = managers.map((m) => toUser(deps, timer.tenantId, m, { kind: 'text', text: `逾期未完成：${task.title}（截止 ${due}），负责人：${assignee?.name ?? '无人'}。` }, via));
  if (assignee) out.push(toUser(deps, timer.tenantId, assignee, { kind: 'text', text: `待办已超时：${task.title}（截止 ${due}），已告知经理。` }, via));
  return compact(out);
}

/** A customer sat in a stage past its limit: the owner and their managers get the open question again. */
async function stuck(tx: Tx, deps: FlowDeps, timer: Timer): Promise<OutboundMessage[]> {
  const entry = await getEntry(tx, timer.tenantId, timer.refId);
  if (!entry || entry.leftAt) return [];
  const customer = await getCustomer(tx, timer.tenantId, entry.customerId);
  const owner = customer?.ownerId ? await getUser(tx, timer.tenantId, customer.ownerId) : null;
  if (!customer || !owner) return [];
  const to = [owner, ...(await managersFor(tx, timer.tenantId, owner)).filter((m) => m.id !== owner.id)];
  const intro = `已在「${entry.stageName}」阶段 ${String(timer.payload.days ?? '')} 天，请更新：`;
  // The platform the customer's questions were last answered on.
  const via = (await answersOf(tx, timer.tenantId, customer.id)).at(-1)?.via;
  const cards = await nextQuestionCards(tx, deps, timer.tenantId, customer.id, to, via, intro);
  if (cards) return cards;
  return compact(to.map((u) => toUser(deps, timer.tenantId, u, { kind: 'text', text: `${labelOf(customer)} ${intro.replace('，请更新：', '')}，请跟进或更新阶段。` }, via)));
}

export function stageTimerHandler(deps: FlowDeps) {
  return (tx: Tx, timer: Timer): Promise<OutboundMessage[]> => (timer.kind === TODO_DUE_TIMER ? todoDue(tx, deps, timer) : stuck(tx, deps, timer));
}
