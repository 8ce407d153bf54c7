import NodeCache from 'node-cache';
import type { Tx } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { InboundEvent, Sender } from '../channel/events.js';
import type { OutboundMessage, Recipient, Reply } from '../channel/messages.js';
import { findUserByAccount, type PlatformAccount, type User } from '../crm/users.repo.js';

export interface BotDeps {
  logger: Logger;
  /** Which account a platform's sender is (platform, kind, id); supplied by the composition root. */
  accountOf(platform: string, sender: Sender): PlatformAccount | null;
  /** Feature handlers, tried in order; the first that returns replies (even none) wins. */
  handlers?: EventHandler[];
}

export interface HandlerContext {
  tx: Tx;
  event: InboundEvent;
  /** The CRM user who sent the event, when the sender's account is bound. */
  user: User | null;
  /** Data an adapter fetched before the transaction (e.g. an external contact's profile). */
  prepared?: unknown;
  logger: Logger;
  replyTo(reply: Reply): OutboundMessage;
}

/** Returns replies when it handled the event, or undefined to let the next handler try. */
export type EventHandler = (ctx: HandlerContext) => Promise<OutboundMessage[] | undefined>;

export function senderRecipient(event: InboundEvent): Recipient {
  return {
    userIds: [event.sender.userId],
    conversationId: event.conversation?.id,
    conversationType: event.conversation?.type,
    replyUrl: event.conversation?.replyUrl,
    replyUrlExpiresAt: event.conversation?.replyUrlExpiresAt,
  };
}

/** The platform-free event router: runs inside the inbox row's transaction and returns replies. */
export function createBot(deps: BotDeps) {
  // Every message looks its sender up; bindings change rarely, so a short cache saves a query each.
  const users = new NodeCache({ stdTTL: 15, useClones: false, checkperiod: 0 });
  return {
    forgetUsers: () => users.flushAll(),
    async handle(tx: Tx, event: InboundEvent, prepared?: unknown): Promise<OutboundMessage[]> {
      const account = deps.accountOf(event.platform, event.sender);
      let user: User | null = null;
      if (account) {
        const key = `${event.tenantId}\u0000${account.platform}\u0000${account.kind}\u0000${account.value}`;
        const hit = users.get<User | null>(key);
        user = hit !== undefined ? hit : await findUserByAccount(tx, event.tenantId, account);
        if (hit === undefined && user) users.set(key, user);
      }
      const ctx: HandlerContext = {
        tx,
        event,
        user,
        prepared,
        logger: deps.logger,
        replyTo: (reply) => ({ platform: event.platform, tenantId: event.tenantId, to: senderRecipient(event), reply }),
      };
      for (const h of deps.handlers ?? []) {
        const out = await h(ctx);
        if (out) return out;
      }
      return fallback(ctx);
    },
  };
}

/** No feature claimed the event: it stays recorded in the inbox, and nobody is messaged. */
async function fallback(ctx: HandlerContext): Promise<OutboundMessage[]> {
  ctx.logger.debug({ kind: ctx.event.kind, platform: ctx.event.platform }, 'event stored without a handler');
  return [];
}
