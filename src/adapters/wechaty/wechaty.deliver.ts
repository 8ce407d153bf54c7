import type { Deliverer } from '../../channel/adapter.js';
import type { OutboundMessage } from '../../channel/messages.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import { renderWechatyText } from './wechaty.render.js';
import type { WechatySession } from './wechaty.channel.js';

/** Sends a reply as text in the chat it answers (a group, or the person), through the tenant's logged-in assistant. */
export function createWechatyDeliverer(session: (tenantId: string) => WechatySession | undefined): Deliverer {
  return {
    async deliver(msg: OutboundMessage) {
      const s = session(msg.tenantId);
      if (!s) throw new PlatformApiError('tenant has no WeChat assistant', false, 'no_channel');
      // Not logged in (scanning, reconnecting): retryable, the outbox tries again with backoff.
      if (s.state !== 'logged_in') throw new PlatformApiError(`assistant is ${s.state}`, true, 'not_logged_in');
      const to = msg.to.conversationId ?? msg.to.userIds?.[0];
      if (!to) throw new PlatformApiError('reply without a recipient', false, 'no_recipient');
      const id = await s.sendText(to, renderWechatyText(msg.reply));
      return id ? { messageId: id } : undefined;
    },
  };
}
