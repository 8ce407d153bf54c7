import type { PlatformAdapter } from '../../channel/adapter.js';
import { wechatyCredentialFields, wechatyCredentials, wechatyEnvShape, wechatySettings, type WechatyEnv, type WechatySettings } from './wechaty.config.js';
import { createWechatySessions, sessionState } from './wechaty.channel.js';
import { createWechatyDeliverer } from './wechaty.deliver.js';
import { WECHATY } from './wechaty.mapper.js';
import { wechatyPlayground } from './wechaty.playground.js';

/** Personal WeChat through Wechaty: a logged-in account (puppet) is the tenant's Kelu assistant. */
export const wechatyAdapter: PlatformAdapter<WechatySettings, WechatyEnv> = {
  name: WECHATY,
  label: '个人微信助手',
  envShape: wechatyEnvShape,
  settings: wechatySettings,
  credentialsSchema: wechatyCredentials,
  credentialFields: wechatyCredentialFields,
  // The contact id the puppet gives (wxid on most puppets) addresses messages.
  accountKinds: ['userid'],
  accountOf: (sender) => (sender.userId ? { platform: WECHATY, kind: 'userid', value: sender.userId } : null),
  contactIdentity: 'wechat_id',
  playground: wechatyPlayground,
  open(ctx) {
    const sessions = createWechatySessions({
      tenants: ctx.tenantsWithCredentials,
      credentials: ctx.credentials,
      logger: ctx.logger,
      store: ctx.store,
      backoffMs: ctx.env.backoffMs,
      maxBackoffMs: ctx.env.maxBackoffMs,
    });
    return {
      connection: sessions,
      // Personal WeChat shows text: cards are rendered as text, todos stay in Kelu.
      capabilities: { cards: false, todos: false },
      deliverer: createWechatyDeliverer((tenantId) => sessions.link(tenantId)),
      fetchContactProfile: async (tenantId, contactId) => (await sessions.link(tenantId)?.profile(contactId)) ?? null,
      // No callback URL: the puppet keeps its own connection. The session's state is all we can say.
      sessionState: (tenantId) => sessionState(sessions.link(tenantId)),
      testConnection: async (tenantId) => sessionState(sessions.link(tenantId)),
      describe: () => ['WeChat      Wechaty assistant per tenant (WECHATY_PUPPET; state on /readyz)'],
    };
  },
};
