import type { WecomEnv } from './wecom.config.js';
import type { SignInProvider } from '../../channel/sign-in.js';
import type { WecomClient } from './wecom.client.js';
import { signInError } from '../signin-errors.js';

const AUTHORIZE = 'https://open.weixin.qq.com/connect/oauth2/authorize';

/** WeCom web sign-in: OAuth snsapi_base redirect -> code -> auth/getuserinfo -> the member's userid. */
export function wecomSignIn(deps: { channel(tenantId: string): Promise<WecomEnv | null>; client(tenantId: string): Promise<WecomClient> }): SignInProvider {
  return {
    platform: 'wecom',
    label: '企业微信',
    userAgent: /wxwork/i,
    mode: 'redirect',
    pageOrigins: { script: [], frame: ['https://*.qq.com'] },
    async configured(tenantId) {
      return !!(await deps.channel(tenantId));
    },
    async start(tenantId, redirectUri, state) {
      const env = await deps.channel(tenantId);
      if (!env) throw new Error('wecom not configured');
      const q = new URLSearchParams({ appid: env.corpId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state, agentid: env.agentId });
      return { kind: 'redirect', url: `${AUTHORIZE}?${q.toString()}#wechat_redirect` };
    },
    async resolveCode(tenantId, code) {
      try {
        const userId = await (await deps.client(tenantId)).getUserInfoByCode(code);
        return [{ platform: 'wecom', kind: 'userid', value: userId }];
      } catch (e) {
        throw signInError(e, '企业微信');
      }
    },
    callbackPaths(tenantId) {
      return [`/wecom/callback/${tenantId}`, `/auth/callback/wecom?tenant=${tenantId}`];
    },
    async testConnection(tenantId) {
      await (await deps.client(tenantId)).getAccessToken();
    },
  };
}
