import type { HandlerContext } from './bot.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { FlowDeps } from './flow.js';
import { captureForRep } from './leads.flow.js';

/** A rep forwards or pastes a customer's words: capture them. */
export function textCaptureHandler(deps: FlowDeps) {
  return async (ctx: HandlerContext): Promise<OutboundMessage[] | undefined> => {
    const ev = ctx.event;
    const text = ev.kind === 'text' ? ev.text : ev.kind === 'media' && ev.text ? ev.text : null;
    if (text === null || !text.trim()) return undefined;
    if (!ctx.user) {
      // A customer writing to a personal account is not told to bind one; the message stays in the inbox.
      if (ev.sender.mayBeOutsider) return [];
      return [ctx.replyTo({ kind: 'text', text: '你的账号还没有绑定客路用户，消息没有建档。请联系管理员在客路后台绑定。' })];
    }
    return captureForRep(ctx.tx, deps, {
      tenantId: ev.tenantId,
      text,
      ref: new Date(ev.at),
      owner: ctx.user,
      sourceChannel: ev.platform,
      sourceEventId: ev.eventId,
      platform: ev.platform,
      platformMessageId: ev.eventId,
      actor: ctx.user.id,
    }, (reply) => ctx.replyTo(reply));
  };
}
