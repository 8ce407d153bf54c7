import type { ContactProfile, PlatformAdapter } from '../../channel/adapter.js';
import { wecomCredentialFields, wecomCredentials, wecomEnvShape, wecomSettings, type WecomEnv, type WecomSettings } from './wecom.config.js';
import { wecomRouter } from './wecom.routes.js';
import { createWecomDeliverer } from './wecom.deliver.js';
import type { WecomExternalContact } from './wecom.types.js';
import { wecomSignIn } from './wecom.signin.js';
import { signInMembers } from '../../channel/sign-in.js';
import { jsSdkSignature } from './wecom.client.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import { randomBytes } from 'node:crypto';
import { wecomPlayground } from './wecom.playground.js';

export const WECOM = 'wecom';

/** WeCom (企业微信): a self-built app's encrypted callbacks in, its message API out. */
export const wecomAdapter: PlatformAdapter<WecomSettings, WecomEnv> = {
  name: WECOM,
  label: '企业微信',
  envShape: wecomEnvShape,
  settings: wecomSettings,
  credentialsSchema: wecomCredentials,
  credentialFields: wecomCredentialFields,
  accountKinds: ['userid'],
  accountOf: (sender) => (sender.userId ? { platform: WECOM, kind: 'userid', value: sender.userId } : null),
  contactIdentity: 'wecom_external_userid',
  playground: wecomPlayground,
  open(ctx) {
    const deliverer = createWecomDeliverer({ apiBase: ctx.env.apiBase, tokens: ctx.tokens, channel: ctx.credentials, fetchImpl: ctx.fetchImpl });
    const signIn = wecomSignIn({ channel: ctx.credentials, client: (t) => deliverer.client(t) });
    return {
      routers: [wecomRouter({ defaultTenantId: ctx.defaultTenantId, bodyLimitBytes: ctx.bodyLimitBytes, logger: ctx.logger, channel: ctx.credentials, store: ctx.store })],
      deliverer,
      ...signInMembers(signIn),
      capabilities: { cards: true, todos: false },
      // 聊天工具栏: getCurExternalContact names the customer and sendChatMessage puts text in the chat (app identity: both signatures).
      pageBridge: { userAgent: /wxwork\//i, contact: 'sdk', send: async () => 'sdk', signs: true },
      async signJsSdk(tenantId, url) {
        const env = await ctx.credentials(tenantId);
        if (!env) throw new PlatformApiError('tenant has no WeCom channel', false, 'no_channel');
        const client = await deliverer.client(tenantId);
        const [ticket, agentTicket] = await Promise.all([client.getJsapiTicket(), client.getAgentJsapiTicket()]);
        const timestamp = Math.floor(Date.now() / 1000);
        const nonceStr = randomBytes(8).toString('hex');
        return {
          appId: env.corpId,
          agentId: env.agentId,
          timestamp,
          nonceStr,
          signature: jsSdkSignature({ ticket, nonceStr, timestamp, url }),
          agentSignature: jsSdkSignature({ ticket: agentTicket, nonceStr, timestamp, url }),
        };
      },
      async fetchContactProfile(tenantId, externalUserId, repUserId) {
        return contactProfile(await (await deliverer.client(tenantId)).getExternalContact(externalUserId), repUserId);
      },
      describe: (baseUrl) => [`WeCom       ${baseUrl}/wecom/callback   (回调 URL; /wecom/callback/<tenantId> for other tenants)`],
    };
  },
};

/** externalcontact/get -> profile: the rep's remark phones for this customer, the corp's full name first. */
export function contactProfile(r: WecomExternalContact, repUserId: string): ContactProfile {
  const ext = (r.external_contact ?? {}) as Record<string, unknown>;
  const follow = (r.follow_user ?? []).find((f) => f.userid === repUserId);
  const phones = Array.isArray(follow?.remark_mobiles) ? (follow!.remark_mobiles as string[]) : [];
  return {
    name: typeof ext.name === 'string' ? ext.name : undefined,
    company: typeof ext.corp_full_name === 'string' && ext.corp_full_name ? ext.corp_full_name : typeof ext.corp_name === 'string' ? ext.corp_name : undefined,
    title: typeof ext.position === 'string' ? ext.position : undefined,
    phones,
    unionId: typeof ext.unionid === 'string' ? ext.unionid : undefined,
  };
}
