import { z } from 'zod';
import { optionalString, optionalUrl } from '../../lib/env.js';
import type { AdapterSettings, CredentialField } from '../../channel/adapter.js';

/** One tenant's DingTalk internal app: what PUT /api/v1/tenants/:id/channels/dingtalk stores (sealed). */
export interface DingtalkEnv {
  appKey: string;
  appSecret: string;
  robotCode?: string;
  /** Event subscription (HTTP push): token and aes_key, set together. */
  eventToken?: string;
  eventAesKey?: string;
  cardTemplateId?: string;
  /** The cool app (酷应用) whose group entry opens the sidebar; set, its robot may post quick replies to that group. */
  coolAppCode?: string;
}

export interface DingtalkSettings {
  apiBase: string;
  oapiBase: string;
  gatewayUrl?: string;
  /** Stream mode: one outbound connection per tenant with DingTalk credentials. */
  stream: boolean;
}

const aesKey = (name: string) => optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
  message: `${name} must be the 43-character aes_key from the DingTalk console`,
});

export const dingtalkEnvShape = {
  DINGTALK_APP_KEY: optionalString,
  DINGTALK_APP_SECRET: optionalString,
  DINGTALK_ROBOT_CODE: optionalString,
  DINGTALK_API_BASE: optionalUrl('DINGTALK_API_BASE').default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: optionalUrl('DINGTALK_OAPI_BASE').default('https://oapi.dingtalk.com'),
  DINGTALK_GATEWAY_URL: optionalUrl('DINGTALK_GATEWAY_URL'),
  DINGTALK_STREAM: z.enum(['on', 'off']).default('off'),
  DINGTALK_EVENT_TOKEN: optionalString,
  DINGTALK_EVENT_AES_KEY: aesKey('DINGTALK_EVENT_AES_KEY'),
  DINGTALK_CARD_TEMPLATE_ID: optionalString,
};

export const dingtalkCredentials = z.object({
  appKey: z.string().trim().min(1).max(128),
  appSecret: z.string().trim().min(1).max(256),
  robotCode: z.string().trim().min(1).max(128).optional(),
  eventToken: z.string().trim().min(1).max(128).optional(),
  eventAesKey: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, 'aes_key is 43 letters and digits').optional(),
  cardTemplateId: z.string().trim().min(1).max(128).optional(),
  coolAppCode: z.string().trim().min(1).max(128).optional(),
}).strict().refine((b) => !b.eventToken === !b.eventAesKey, 'eventToken and eventAesKey go together');

/** The console's form for dingtalkCredentials, named as DingTalk's developer console names them. */
export const dingtalkCredentialFields: readonly CredentialField[] = [
  { name: 'appKey', label: 'Client ID（AppKey）' },
  { name: 'appSecret', label: 'Client Secret（AppSecret）', secret: true },
  { name: 'robotCode', label: '机器人编码', optional: true, hint: '不填则同 AppKey' },
  { name: 'eventToken', label: '事件订阅 签名 token', secret: true, optional: true, hint: '与 aes_key 一起填写' },
  { name: 'eventAesKey', label: '事件订阅 加密 aes_key', secret: true, optional: true, hint: '43 位字母和数字' },
  { name: 'cardTemplateId', label: '卡片模板 ID', optional: true, hint: '不填则以 Markdown 发送卡片' },
  { name: 'coolAppCode', label: '酷应用编码', optional: true, hint: '填写后侧边栏的话术可由机器人发到群里' },
];

type Vars = { [K in keyof typeof dingtalkEnvShape]: z.infer<(typeof dingtalkEnvShape)[K]> };

export function dingtalkSettings(raw: Record<string, unknown>, problems: string[]): AdapterSettings<DingtalkSettings, DingtalkEnv> {
  const e = raw as Vars;
  const appSet = [e.DINGTALK_APP_KEY, e.DINGTALK_APP_SECRET].filter(Boolean).length;
  if (appSet === 1) problems.push('DingTalk channel needs both DINGTALK_APP_KEY and DINGTALK_APP_SECRET');
  if (!e.DINGTALK_EVENT_TOKEN !== !e.DINGTALK_EVENT_AES_KEY) problems.push('DingTalk event subscription needs both DINGTALK_EVENT_TOKEN and DINGTALK_EVENT_AES_KEY');
  if (e.DINGTALK_EVENT_TOKEN && appSet !== 2) problems.push('DINGTALK_EVENT_TOKEN needs DINGTALK_APP_KEY and DINGTALK_APP_SECRET (the app key is the receive id)');
  return {
    env: { apiBase: e.DINGTALK_API_BASE!, oapiBase: e.DINGTALK_OAPI_BASE!, gatewayUrl: e.DINGTALK_GATEWAY_URL, stream: e.DINGTALK_STREAM === 'on' },
    defaultCredentials: appSet === 2 ? defaultApp(e) : undefined,
  };
}

function defaultApp(e: Vars): DingtalkEnv {
  const d: DingtalkEnv = { appKey: e.DINGTALK_APP_KEY!, appSecret: e.DINGTALK_APP_SECRET! };
  if (e.DINGTALK_ROBOT_CODE) d.robotCode = e.DINGTALK_ROBOT_CODE;
  if (e.DINGTALK_EVENT_TOKEN && e.DINGTALK_EVENT_AES_KEY) {
    d.eventToken = e.DINGTALK_EVENT_TOKEN;
    d.eventAesKey = e.DINGTALK_EVENT_AES_KEY;
  }
  if (e.DINGTALK_CARD_TEMPLATE_ID) d.cardTemplateId = e.DINGTALK_CARD_TEMPLATE_ID;
  return d;
}
