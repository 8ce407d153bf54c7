import type { DingtalkEnv } from './dingtalk.config.js';
import type { SignInProvider } from '../../channel/sign-in.js';
import type { DingtalkClient } from './dingtalk.client.js';
import { signInError } from '../signin-errors.js';

/**
 * DingTalk 免登: the page calls dd.runtime.permission.requestAuthCode({ corpId }) inside DingTalk
 * (corpId comes from the app's homepage URL, ?corpId=$CORPID$), posts the code, and the server
 * exchanges it with topapi/v2/user/getuserinfo for the member's userid and unionid.
 */
export function dingtalkSignIn(deps: { channel(tenantId: string): Promise<DingtalkEnv | null>; client(tenantId: string): Promise<DingtalkClient> }): SignInProvider {
  return {
    platform: 'dingtalk',
    label: '钉钉',
    userAgent: /DingTalk/i,
    mode: 'jsapi',
    // dd.runtime.permission.requestAuthCode comes from DingTalk's JS API on its CDN.
    pageOrigins: { script: ['https://g.alicdn.com'], frame: ['https://*.dingtalk.com'] },
    async configured(tenantId) {
      return !!(await deps.channel(tenantId));
    },
    async start() {
      return { kind: 'jsapi', api: 'dd.runtime.permission.requestAuthCode', params: { corpIdFrom: 'query:corpId' } };
    },
    async resolveCode(tenantId, code) {
      try {
        const u = await (await deps.client(tenantId)).getUserInfoByCode(code);
        return [{ platform: 'dingtalk', kind: 'userid', value: u.userId }, ...(u.unionId ? [{ platform: 'dingtalk', kind: 'unionid', value: u.unionId }] : [])];
      } catch (e) {
        throw signInError(e, '钉钉');
      }
    },
    callbackPaths(tenantId) {
      return [`/dingtalk/robot/${tenantId}`, `/dingtalk/events/${tenantId}`, `/signin?tenant=${tenantId}&corpId=$CORPID$`];
    },
    async testConnection(tenantId) {
      await (await deps.client(tenantId)).getAccessToken();
    },
  };
}
