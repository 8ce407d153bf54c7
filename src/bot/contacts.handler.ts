import type { HandlerContext } from './bot.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { FlowDeps } from './flow.js';
import type { IdentityKind } from '../db/schema.js';
import { captureMessage } from './leads.flow.js';
import type { ContactProfile } from '../channel/adapter.js';


/**
 * A customer added a rep (external contact): create or merge the customer with that identity, owned
 * by that rep. The profile was fetched before the transaction (see the inbox's prepare step).
 */
export function contactAddHandler(deps: FlowDeps, identityKind: (platform: string) => IdentityKind) {
  return async (ctx: HandlerContext): Promise<OutboundMessage[] | undefined> => {
    const ev = ctx.event;
    const profile = ctx.prepared as ContactProfile | null | undefined;
    if (ev.kind !== 'contactChange') return undefined;
    if (ev.change !== 'add' && ev.change !== 'addHalf') return [];
    if (!ctx.user) return [];
    const out = await captureMessage(ctx.tx, deps, {
      tenantId: ev.tenantId,
      text: '',
      ref: new Date(ev.at),
      owner: ctx.user,
      sourceChannel: ev.platform,
      sourceEventId: ev.eventId,
      platform: ev.platform,
      platformMessageId: null,
      actor: ctx.user.id,
      given: {
        name: profile?.name,
        company: profile?.company,
        phone: profile?.phones?.[0],
        externalIds: [{ kind: identityKind(ev.platform), value: ev.externalUserId }],
      },
    });
    if (!out.result) return [];
    const who = out.result.customer.name ?? profile?.name ?? '新客户';
    return [ctx.replyTo({ kind: 'text', text: out.result.created ? `新客户 ${who} 加了你，已建档并归你跟进。` : `${who} 加了你，已关联到已有客户档案。` }), ...out.messages];
  };
}
