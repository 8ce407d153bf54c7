import type { PlatformAdapter } from '../../channel/adapter.js';
import { dingtalkCredentialFields, dingtalkCredentials, dingtalkEnvShape, dingtalkSettings, type DingtalkEnv, type DingtalkSettings } from './dingtalk.config.js';
import { dingtalkRouter } from './dingtalk.routes.js';
import { createDingtalkDeliverer } from './dingtalk.deliver.js';
import { createDingtalkStreams } from './dingtalk.channel.js';
import { dingtalkSignIn } from './dingtalk.signin.js';
import { signInMembers } from '../../channel/sign-in.js';
import { dingtalkPlayground } from './dingtalk.playground.js';

export const DINGTALK = 'dingtalk';

/** DingTalk (钉钉): an internal app's robot (HTTP or Stream), event subscription, cards and todos. */
export const dingtalkAdapter: PlatformAdapter<DingtalkSettings, DingtalkEnv> = {
  name: DINGTALK,
  label: '钉钉',
  envShape: dingtalkEnvShape,
  settings: dingtalkSettings,
  credentialsSchema: dingtalkCredentials,
  credentialFields: dingtalkCredentialFields,
  // staffId addresses messages; the unionId is what some events carry instead.
  accountKinds: ['userid', 'unionid'],
  accountOf(sender) {
    if (sender.userId) return { platform: DINGTALK, kind: 'userid', value: sender.userId };
    if (sender.unionId) return { platform: DINGTALK, kind: 'unionid', value: sender.unionId };
    return null;
  },
  contactIdentity: 'dingtalk_unionid',
  playground: dingtalkPlayground,
  open(ctx) {
    const deliverer = createDingtalkDeliverer({ apiBase: ctx.env.apiBase, oapiBase: ctx.env.oapiBase, tokens: ctx.tokens, channel: ctx.credentials, fetchImpl: ctx.fetchImpl, logger: ctx.logger });
    const streams = createDingtalkStreams({
      enabled: ctx.env.stream,
      tenants: ctx.tenantsWithCredentials,
      channel: ctx.credentials,
      gatewayUrl: ctx.env.gatewayUrl,
      logger: ctx.logger,
      store: ctx.store,
      fetchImpl: ctx.fetchImpl,
    });
    const signIn = dingtalkSignIn({ channel: ctx.credentials, client: (t) => deliverer.client(t) });
    return {
      routers: [dingtalkRouter({ defaultTenantId: ctx.defaultTenantId, bodyLimitBytes: ctx.bodyLimitBytes, logger: ctx.logger, channel: ctx.credentials, store: ctx.store })],
      connection: streams,
      deliverer,
      ...signInMembers(signIn),
      // Cards need the tenant's card template; without one the deliverer sends them as markdown.
      capabilities: { cards: true, todos: true },
      // A cool app's group entry gives the page the group, not the customer: the rep searches. With a
      // cool app configured (coolAppCode) the app's robot may post a quick reply to that group.
      pageBridge: {
        userAgent: /DingTalk/i,
        contact: 'search',
        send: async (tenantId) => ((await ctx.credentials(tenantId))?.coolAppCode ? 'robot' : 'copy'),
        signs: false,
      },
      describe: (baseUrl) => [`DingTalk    ${baseUrl}/dingtalk/robot   (robot HTTP mode; /dingtalk/robot/<tenantId>, /dingtalk/events/<tenantId>)`],
    };
  },
};
