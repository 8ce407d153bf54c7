import type { WecomEnv } from './wecom.config.js';
import type { HttpFetch } from '../../lib/http.js';
import type { OutboundMessage } from '../../channel/messages.js';
import type { Deliverer, DeliveryAttempt } from '../../channel/adapter.js';
import type { TokenCache } from '../../lib/token-cache.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import { WecomClient } from './wecom.client.js';
import { renderWecomCardUpdate, renderWecomMessage } from './wecom.render.js';

/** How far back WeCom looks for the same message (its default; at most 4 h): beyond a lease, retries and backoff. */
export const DUPLICATE_CHECK_SECONDS = 1800;

export interface WecomDelivererDeps {
  apiBase: string;
  tokens: TokenCache;
  channel(tenantId: string): Promise<WecomEnv | null>;
  fetchImpl?: HttpFetch;
}

/** One deliver() for every reply kind: render, then message/send or update_template_card. */
export function createWecomDeliverer(deps: WecomDelivererDeps): Deliverer & { client(tenantId: string): Promise<WecomClient> } {
  const clients = new Map<string, { key: string; client: WecomClient }>();
  const client = async (tenantId: string) => {
    const env = await deps.channel(tenantId);
    if (!env) throw new PlatformApiError('tenant has no WeCom channel', false, 'no_channel');
    const key = `${env.corpId}:${env.agentId}:${env.secret}`;
    const hit = clients.get(tenantId);
    if (hit && hit.key === key) return hit.client;
    const c = new WecomClient({ tenantId, apiBase: deps.apiBase, corpId: env.corpId, agentId: env.agentId, secret: env.secret, tokens: deps.tokens, fetchImpl: deps.fetchImpl });
    clients.set(tenantId, { key, client: c });
    return c;
  };
  return {
    client,
    // A retry carries enable_duplicate_check (message/send); card updates are idempotent.
    suppressesDuplicates: true,
    async deliver(msg: OutboundMessage, attempt?: DeliveryAttempt) {
      const c = await client(msg.tenantId);
      const env = (await deps.channel(msg.tenantId))!;
      if (msg.reply.kind === 'cardUpdate') {
        const res = await c.updateTemplateCard(renderWecomCardUpdate(env.agentId, msg.to, msg.reply));
        return { ...res };
      }
      const payload = renderWecomMessage(env.agentId, msg.to, msg.reply);
      // A send that may already have gone out goes again with WeCom's duplicate check: the same
      // content to the same people within the interval is dropped. Only then: the check compares
      // content, and two different messages that read alike (two 已记录 replies) must both arrive.
      // An update needs none: update_template_card sets a state, a second identical one changes nothing.
      if (attempt?.retry) Object.assign(payload, { enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_SECONDS });
      const res = await c.sendMessage(payload);
      // Interactive cards come back with the one-time code that later updates them.
      return { ...res, ...(res.response_code ? { responseCode: res.response_code } : {}) };
    },
  };
}
