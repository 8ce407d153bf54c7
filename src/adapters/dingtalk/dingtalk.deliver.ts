import type { DingtalkEnv } from '../../config.js';
import type { OutboundMessage, Reply } from '../../bot/replies.js';
import type { Deliverer } from '../../queue/outbox.js';
import type { TokenCache } from '../../lib/token-cache.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import { DingtalkClient } from './dingtalk.client.js';
import { renderRobotPayload } from './dingtalk.render.js';

export interface DingtalkDelivererDeps {
  apiBase: string;
  oapiBase: string;
  tokens: TokenCache;
  channel(tenantId: string): Promise<DingtalkEnv | null>;
  fetchImpl?: typeof fetch;
}

/** The client's one deliver() per message; one client per tenant, rebuilt when the tenant's credentials change. */
export function createDingtalkDeliverer(deps: DingtalkDelivererDeps): Deliverer & { client(tenantId: string): Promise<DingtalkClient> } {
  const clients = new Map<string, { key: string; client: DingtalkClient }>();
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
    async deliver(msg: OutboundMessage) {
      const { env, client } = await open(msg.tenantId);
      // Without a card template a card cannot be sent at all; the same content as markdown beats a dead message.
      const reply = env.cardTemplateId ? msg.reply : withoutCards(msg.reply);
      await client.deliver(msg.to, reply);
    },
  };
}

function withoutCards(reply: Reply): Reply {
  if (reply.kind !== 'card' && reply.kind !== 'cardUpdate') return reply;
  const p = renderRobotPayload(reply);
  if (p.msgKey === 'sampleText') return { kind: 'text', text: String(p.msgParam.content) };
  return { kind: 'markdown', title: String(p.msgParam.title), text: String(p.msgParam.text) };
}
