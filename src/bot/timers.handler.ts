import type { Tx } from '../db/database.js';
import type { Timer } from '../crm/timers.repo.js';
import type { OutboundMessage } from '../channel/messages.js';
import { compact, toUser, type FlowDeps } from './flow.js';
import { CLAIM_TIMER, onClaimTimeout, type LeadFacts } from '../crm/assignment.service.js';
import { REMIND_TIMER } from '../crm/capture.service.js';
import { getTask } from '../crm/tasks.repo.js';
import { getUser } from '../crm/users.repo.js';
import { getCustomer } from '../crm/customers.repo.js';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../db/schema.js';
import { claimMessages, managerTodo } from './leads.flow.js';
import { customerLabel, fmtLocal } from './cards.js';
import { isStageTimer, stageTimerHandler } from './stages.timers.js';
import { insightTimerHandler, isInsightTimer } from './insight.handler.js';
import type { InsightCardOptions } from './insight.cards.js';

/** What fired timers say in chat. Returns the messages; the caller queues them in the same transaction. */
export function timerHandler(deps: FlowDeps, insightOptions: InsightCardOptions = {}) {
  const stageTimer = stageTimerHandler(deps);
  const insight = insightTimerHandler(deps, insightOptions);
  return async (tx: Tx, timer: Timer): Promise<OutboundMessage[]> => {
    if (isStageTimer(timer.kind)) return stageTimer(tx, timer);
    if (isInsightTimer(timer)) return insight(tx, timer);
    if (timer.kind === REMIND_TIMER) {
      const task = await getTask(tx, timer.tenantId, String(timer.payload.taskId));
      if (!task || task.status !== 'open' || !task.assigneeId) return [];
      const user = await getUser(tx, timer.tenantId, task.assigneeId);
      if (!user) return [];
      const tenant = await deps.tenantInfo.get(tx, timer.tenantId);
      const when = task.dueAt ? fmtLocal(task.dueAt, tenant.timeZone, !task.payload.allDay) : '';
      return compact([toUser(deps, timer.tenantId, user, { kind: 'text', text: `提醒：${task.title}${when ? `（${when}）` : ''}` })]);
    }
    if (timer.kind === CLAIM_TIMER) {
      const leadId = String(timer.payload.leadId);
      const round = Number(timer.payload.round);
      const tenant = await deps.tenantInfo.get(tx, timer.tenantId);
      const [claimTask] = await tx.select().from(tasks).where(and(eq(tasks.tenantId, timer.tenantId), eq(tasks.leadId, leadId), eq(tasks.kind, 'lead.claim'))).orderBy(tasks.createdAt);
      const facts = (timer.payload.facts as LeadFacts | null) ?? { products: [] };
      const outcome = await onClaimTimeout(tx, timer.tenantId, leadId, round, tenant.assignment, facts, deps.now(), tenant.timeZone);
      if (outcome.kind === 'stale') return [];
      const customer = await getCustomer(tx, timer.tenantId, outcome.lead.customerId);
      const label = customer ? customerLabel(customer) : '客户';
      const fields = (claimTask?.payload.fields as never) ?? [];
      const out: OutboundMessage[] = [];
      const prevId = outcome.kind === 'reassigned' ? outcome.previousAssigneeId : (timer.payload.assigneeId as string | undefined);
      const prev = prevId ? await getUser(tx, timer.tenantId, prevId) : null;
      if (prev) {
        const note = toUser(deps, timer.tenantId, prev, { kind: 'text', text: `线索 ${label} 超时未认领，已${outcome.kind === 'reassigned' ? '转给其他同事' : '交给经理处理'}。` });
        if (note) out.push(note);
      }
      if (outcome.kind === 'reassigned') {
        out.push(...(await claimMessages(tx, deps, timer.tenantId, outcome.lead, outcome.user, label, fields, tenant)));
      } else {
        out.push(...(await managerTodo(tx, deps, timer.tenantId, outcome.lead, label, `超时未认领（${outcome.reason}），请经理处理`, fields)));
      }
      return out;
    }
    return [];
  };
}
