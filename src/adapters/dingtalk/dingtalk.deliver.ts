import type { DingtalkEnv } from './dingtalk.config.js';
import type { HttpFetch } from '../../lib/http.js';
import type { OutboundMessage, Reply } from '../../channel/messages.js';
import type { Deliverer, DeliveryAttempt } from '../../channel/adapter.js';
import type { TokenCache } from '../../lib/token-cache.js';
import type { Logger } from '../../lib/logger.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import { DingtalkClient } from './dingtalk.client.js';
import { renderRobotPayload } from './dingtalk.render.js';
import { completeTodos, createTodos, DingtalkUnionIds, resolveExecutors, todosOf, type TodoDeps, type TodoOutcome } from './dingtalk.todo.js';

export interface DingtalkDelivererDeps {
  apiBase: string;
  oapiBase: string;
  tokens: TokenCache;
  channel(tenantId: string): Promise<DingtalkEnv | null>;
  fetchImpl?: HttpFetch;
  /** Todo failures that do not fail the delivery are logged here (and kept in the outbox row's result). */
  logger?: Logger;
  /** Pause before the one in-place retry of a todo create that failed transiently; default 500 ms. */
  todoRetryDelayMs?: number;
}

/** The client's one deliver() per message; one client per tenant, rebuilt when the tenant's credentials change. */
export function createDingtalkDeliverer(deps: DingtalkDelivererDeps): Deliverer & { client(tenantId: string): Promise<DingtalkClient> } {
  const clients = new Map<string, { key: string; client: DingtalkClient }>();
  const unionIds = new DingtalkUnionIds();
  const open = async (tenantId: string) => {
    const env = await deps.channel(tenantId);
    if (!env) throw new PlatformApiError('tenant has no DingTalk channel', false, 'no_channel');
    const key = `${env.appKey}:${env.appSecret}:${env.robotCode ?? ''}:${env.cardTemplateId ?? ''}`;
    const hit = clients.get(tenantId);
    if (hit && hit.key === key) return { env, client: hit.client };
    const client = new DingtalkClient({
      tenantId,
      appKey: env.appKey,
      appSecret: env.appSecret,
      // DingTalk's robot code for an internal app's robot is the app key unless the console shows another.
      robotCode: env.robotCode ?? env.appKey,
      ...(env.cardTemplateId ? { cardTemplateId: env.cardTemplateId } : {}),
      tokens: deps.tokens,
      apiBase: deps.apiBase,
      oapiBase: deps.oapiBase,
      ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
    });
    clients.set(tenantId, { key, client });
    return { env, client };
  };
  return {
    client: async (tenantId) => (await open(tenantId)).client,
    async deliver(msg: OutboundMessage, attempt?: DeliveryAttempt) {
      const { env, client } = await open(msg.tenantId);
      // Without a card template a card cannot be sent at all; the same content as markdown beats a dead message.
      // The todo still follows the original card: it is where a manager without the card sees the work.
      const reply = env.cardTemplateId ? msg.reply : withoutCards(msg.reply);
      const original = msg.reply;
      const todo: TodoDeps = { tenantId: msg.tenantId, client, unionIds, retryDelayMs: deps.todoRetryDelayMs ?? 500, ...(deps.logger ? { logger: deps.logger } : {}) };

      if (original.kind === 'card' && original.card.todo && msg.to.userIds?.length) {
        // Look-ups before the card: a transient failure here retries the message with nothing sent yet.
        const { executors, errors } = await resolveExecutors(todo, msg.to.userIds);
        await client.deliver(msg.to, reply, attempt?.key);
        // After the card: from here on nothing throws, or the outbox's retry would send the card twice.
        return todoResult(await createTodos(todo, original.card, executors, errors));
      }
      if (original.kind === 'cardUpdate') {
        const refs = todosOf(original.ref);
        // Todos first: done is idempotent, so a transient failure may retry the message before the card changes.
        const done = refs.length ? await completeTodos(todo, refs) : undefined;
        await client.deliver(msg.to, reply);
        return done?.error ? { todoError: done.error } : undefined;
      }
      await client.deliver(msg.to, reply, attempt?.key);
      return undefined;
    },
  };
}

function todoResult(o: TodoOutcome): Record<string, unknown> {
  return { ...(o.todos.length ? { cardRef: { todos: o.todos } } : {}), ...(o.error ? { todoError: o.error } : {}) };
}

function withoutCards(reply: Reply): Reply {
  if (reply.kind !== 'card' && reply.kind !== 'cardUpdate') return reply;
  const p = renderRobotPayload(reply);
  if (p.msgKey === 'sampleText') return { kind: 'text', text: String(p.msgParam.content) };
  return { kind: 'markdown', title: String(p.msgParam.title), text: String(p.msgParam.text) };
}
