import type { Tx } from '../db/database.js';
import type { Timer } from '../crm/timers.repo.js';
import type { OutboundMessage } from '../channel/messages.js';
import { compact, toUser, type FlowDeps } from './flow.js';
import { getUser } from '../crm/users.repo.js';
import { runAutomation, type Notice } from '../crm/insight/automation.service.js';
import { DAILY_TIMER, scheduleInsight, SWEEP_TIMER, WEEKLY_TIMER } from '../crm/insight/schedule.js';
import { insightCards, type InsightCardOptions } from './insight.cards.js';

export const isInsightTimer = (t: Timer): boolean => t.kind.startsWith('insight.');

/** Insight timers: a rules sweep, the daily threshold check, the weekly report; each schedules its next. */
export function insightTimerHandler(deps: FlowDeps, opts: InsightCardOptions = {}) {
  return async (tx: Tx, timer: Timer): Promise<OutboundMessage[]> => {
    const now = deps.now();
    const { tenantId } = timer;
    const tenant = await deps.tenantInfo.get(tx, tenantId);
    const out: OutboundMessage[] = [];
    if (timer.kind === SWEEP_TIMER) out.push(...(await noticesToMessages(tx, deps, tenantId, await runAutomation(tx, tenantId, now, tenant.timeZone))));
    if (timer.kind === DAILY_TIMER || timer.kind === WEEKLY_TIMER) out.push(...(await insightCards(tx, deps, timer, now, tenant.timeZone, opts)));
    await scheduleInsight(tx, tenantId, now);
    return out;
  };
}

async function noticesToMessages(tx: Tx, deps: FlowDeps, tenantId: string, notices: Notice[]): Promise<OutboundMessage[]> {
  const out: (OutboundMessage | null)[] = [];
  for (const n of notices) {
    const user = await getUser(tx, tenantId, n.userId);
    if (user?.active) out.push(toUser(deps, tenantId, user, { kind: 'text', text: n.text }));
  }
  return compact(out);
}
