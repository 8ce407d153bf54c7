import type { OutboundMessage } from '../channel/messages.js';
import type { HandlerContext } from './bot.js';
import type { FlowDeps } from './flow.js';
import { fmtLocal } from './cards.js';
import { listCustomers } from '../crm/customers.repo.js';
import { customersVisible, visibilityOf } from '../crm/visibility.js';
import { currentEntry } from '../crm/stages/stage.repo.js';
import { labelOf } from '../crm/stages/stage.service.js';
import { maskPhonesInText } from '../lib/mask.js';
import { nextQuestionCards } from './stages.flow.js';

const COMMAND = /^\s*阶段(?:$|[\s:：]+([\s\S]*)$)/;
export const STAGE_USAGE = '发送“阶段 客户姓名或电话”，查看客户所处阶段并回答阶段问题。';

/** `阶段 <name or phone>`: the customer's stage, and the next open question as a card. */
export function stageCommandHandler(deps: FlowDeps) {
  return async (ctx: HandlerContext): Promise<OutboundMessage[] | undefined> => {
    const ev = ctx.event;
    if (ev.kind !== 'text' || ev.forwarded) return undefined;
    const m = COMMAND.exec(ev.text);
    if (!m || !ctx.user) return undefined;
    const q = (m[1] ?? '').trim().slice(0, 50);
    if (!q) return [ctx.replyTo({ kind: 'text', text: STAGE_USAGE })];
    const visible = customersVisible(ctx.tx, ev.tenantId, await visibilityOf(ctx.tx, ev.tenantId, ctx.user));
    const page = await listCustomers(ctx.tx, ev.tenantId, { q: /^[\d\s-]{7,}$/.test(q) ? q.replace(/[\s-]/g, '') : q, visible }, { limit: 6 });
    if (page.items.length === 0) return [ctx.replyTo({ kind: 'text', text: `没有找到“${maskPhonesInText(q)}”对应的客户。${STAGE_USAGE}` })];
    if (page.items.length > 1) {
      const list = page.items.slice(0, 5).map((c, i) => `${i + 1}. ${labelOf(c)}`).join('\n');
      return [ctx.replyTo({ kind: 'text', text: `找到多位客户，请写得更具体（姓名全称或电话）：\n${list}` })];
    }
    const c = page.items[0]!;
    const tenant = await deps.tenantInfo.get(ctx.tx, ev.tenantId);
    const entry = await currentEntry(ctx.tx, ev.tenantId, c.id);
    const where = entry ? `当前阶段：${entry.stageName}（${fmtLocal(entry.enteredAt, tenant.timeZone, false)}起）` : '尚未进入任何阶段';
    const cards = await nextQuestionCards(ctx.tx, deps, ev.tenantId, c.id, [ctx.user], ev.platform);
    return [ctx.replyTo({ kind: 'text', text: `${labelOf(c)}\n${where}${cards ? '' : '\n当前阶段没有待回答的问题。'}`.trim() }), ...(cards ?? [])];
  };
}
