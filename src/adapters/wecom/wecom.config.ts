import { z } from 'zod';
import { optionalString, optionalUrl } from '../../lib/env.js';
import type { AdapterSettings, CredentialField } from '../../channel/adapter.js';

/** One tenant's WeCom self-built app: what PUT /api/v1/tenants/:id/channels/wecom stores (sealed). */
export interface WecomEnv {
  corpId: string;
  agentId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export interface WecomSettings {
  apiBase: string;
}

export const wecomEnvShape = {
  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: optionalString,
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_ENCODING_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
    message: 'WECOM_ENCODING_AES_KEY must be the 43-character key from the WeCom console',
  }),
  WECOM_API_BASE: optionalUrl('WECOM_API_BASE').default('https://qyapi.weixin.qq.com'),
};

export const wecomCredentials = z.object({
  corpId: z.string().trim().regex(/^[A-Za-z0-9]{4,64}$/, 'a WeCom corp id (企业ID)'),
  agentId: z.union([z.string().trim().regex(/^\d{1,12}$/), z.number().int().positive()]).transform(String),
  secret: z.string().trim().min(1).max(256),
  token: z.string().trim().regex(/^[A-Za-z0-9]{1,32}$/, 'WeCom tokens are up to 32 letters and digits'),
  encodingAesKey: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, 'EncodingAESKey is 43 letters and digits'),
}).strict();

/** The console's form for wecomCredentials, named as WeCom's admin console names them. */
export const wecomCredentialFields: readonly CredentialField[] = [
  { name: 'corpId', label: '企业ID（CorpID）', hint: '我的企业 → 企业信息' },
  { name: 'agentId', label: '应用 AgentId' },
  { name: 'secret', label: '应用 Secret', secret: true },
  { name: 'token', label: '接收消息 Token', secret: true, hint: '应用 → 接收消息 → API 接收' },
  { name: 'encodingAesKey', label: 'EncodingAESKey', secret: true, hint: '43 位字母和数字' },
];

type Vars = { [K in keyof typeof wecomEnvShape]: z.infer<(typeof wecomEnvShape)[K]> };

/** The default tenant's app comes from all five variables, or none (half a channel is refused). */
export function wecomSettings(raw: Record<string, unknown>, problems: string[]): AdapterSettings<WecomSettings, WecomEnv> {
  const e = raw as Vars;
  const vars = { WECOM_CORP_ID: e.WECOM_CORP_ID, WECOM_AGENT_ID: e.WECOM_AGENT_ID, WECOM_SECRET: e.WECOM_SECRET, WECOM_TOKEN: e.WECOM_TOKEN, WECOM_ENCODING_AES_KEY: e.WECOM_ENCODING_AES_KEY };
  const missing = Object.entries(vars).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0 && missing.length < 5) problems.push(`WeCom channel is partly configured; missing ${missing.join(', ')}`);
  return {
    env: { apiBase: e.WECOM_API_BASE! },
    defaultCredentials: missing.length === 0
      ? { corpId: e.WECOM_CORP_ID!, agentId: e.WECOM_AGENT_ID!, secret: e.WECOM_SECRET!, token: e.WECOM_TOKEN!, encodingAesKey: e.WECOM_ENCODING_AES_KEY! }
      : undefined,
  };
}
