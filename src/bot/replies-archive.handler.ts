import type { HandlerContext } from './bot.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { FlowDeps } from './flow.js';
import { extract } from '../nlp/index.js';
import { identitiesOf } from './leads.flow.js';
import { archiveReply } from '../crm/capture.service.js';
import { getCustomer } from '../crm/customers.repo.js';
import { customerLabel } from './cards.js';

/** 回复：… / 已回复：… / 我回复客户：… — the rep forwards what they answered a customer. */
const REPLY_PREFIX = /^\s*(?:我)?(?:已)?(?:回复|答复)(?:了)?(?:客户)?\s*[:：]\s*/;

export const REPLY_NOT_FOUND_TEXT = '没找到这条回复属于哪位客户：请在回复里带上客户的电话、邮箱或微信号，或先把客户的话转给我。';

/** A rep's own reply, archived to the customer; the first one is the lead's response time. */
export function replyArchiveHandler(deps: FlowDeps) {
  return async (ctx: HandlerContext): Promise<OutboundMessage[] | undefined> => {
    const ev = ctx.event;
    if (ev.kind !== 'text' || !ctx.user) return undefined;
    const m = REPLY_PREFIX.exec(ev.text);
    const body = m ? ev.text.slice(m[0].length).trim() : '';
    if (!m || !body) return undefined;
    const tenant = await deps.tenantInfo.get(ctx.tx, ev.tenantId);
    const entities = extract(body.slice(0, 20_000), { ref: new Date(ev.at), timeZone: tenant.timeZone, catalog: tenant.catalog });
    const done = await archiveReply(ctx.tx, ev.tenantId, {
      repId: ctx.user.id, text: body, identities: identitiesOf(entities), platform: ev.platform, platformMessageId: ev.eventId, at: deps.now(),
    });
    if (!done) return [ctx.replyTo({ kind: 'text', text: REPLY_NOT_FOUND_TEXT })];
    if (done.duplicate) return [];
    const customer = await getCustomer(ctx.tx, ev.tenantId, done.customerId);
    return [ctx.replyTo({ kind: 'text', text: `已把你的回复归档到 ${customer ? customerLabel(customer) : '客户'}。` })];
  };
}
