import { z } from 'zod';
import { AppError } from './lib/errors.js';

// The only reader of process.env in the product. Everything else receives a Config.

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (name: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: `${name} must be an http(s) URL` });

const envSchema = z.object({
  NODE_ENV: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'DATABASE_URL must start with postgres:// or postgresql://',
  }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  KELU_DATA_DIR: z.string().default('./data'),
  KELU_PUBLIC_URL: url('KELU_PUBLIC_URL'),
  KELU_MASTER_KEY: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'KELU_MASTER_KEY must be at least 16 characters (32 random bytes in base64 recommended)',
  }),
  KELU_ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'KELU_ADMIN_TOKEN must be at least 16 characters',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KELU_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  KELU_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  KELU_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),

  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: optionalString,
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_ENCODING_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
    message: 'WECOM_ENCODING_AES_KEY must be the 43-character key from the WeCom console',
  }),
  WECOM_API_BASE: url('WECOM_API_BASE').default('https://qyapi.weixin.qq.com'),

  DINGTALK_APP_KEY: optionalString,
  DINGTALK_APP_SECRET: optionalString,
  DINGTALK_ROBOT_CODE: optionalString,
  DINGTALK_API_BASE: url('DINGTALK_API_BASE').default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: url('DINGTALK_OAPI_BASE').default('https://oapi.dingtalk.com'),
  DINGTALK_GATEWAY_URL: url('DINGTALK_GATEWAY_URL'),
  DINGTALK_STREAM: z.enum(['on', 'off']).default('off'),
  DINGTALK_EVENT_TOKEN: optionalString,
  DINGTALK_EVENT_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
    message: 'DINGTALK_EVENT_AES_KEY must be the 43-character aes_key from the DingTalk console',
  }),
  DINGTALK_CARD_TEMPLATE_ID: optionalString,
});

export interface WecomEnv {
  corpId: string;
  agentId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
}

export interface DingtalkEnv {
  appKey: string;
  appSecret: string;
  robotCode?: string;
  /** Event subscription (HTTP push): token and aes_key, set together. */
  eventToken?: string;
  eventAesKey?: string;
  cardTemplateId?: string;
}

export interface Config {
  env: string;
  port: number;
  host: string;
  databaseUrl?: string;
  databasePoolSize: number;
  dataDir: string;
  publicUrl?: string;
  masterKey?: string;
  adminToken?: string;
  logLevel: string;
  bodyLimitBytes: number;
  workers: number;
  /** Server processes sharing the port (node cluster); more than one needs a PostgreSQL server. */
  processes: number;
  wecom: { apiBase: string; default?: WecomEnv };
  dingtalk: { apiBase: string; oapiBase: string; gatewayUrl?: string; stream: boolean; default?: DingtalkEnv };
}

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('invalid_config', `invalid configuration:\n  - ${problems.join('\n  - ')}`, 500, { expose: true });
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.KELU_PROCESSES > 1 && !e.DATABASE_URL) {
    problems.push('KELU_PROCESSES: more than one process needs DATABASE_URL (the embedded database belongs to one process)');
  }
  if (e.DATABASE_URL && !e.KELU_MASTER_KEY) {
    problems.push('KELU_MASTER_KEY: required when DATABASE_URL is set (tenant secrets are encrypted with it)');
  }

  const wecomVars = { corpId: e.WECOM_CORP_ID, agentId: e.WECOM_AGENT_ID, secret: e.WECOM_SECRET, token: e.WECOM_TOKEN, encodingAesKey: e.WECOM_ENCODING_AES_KEY };
  const wecomSet = Object.values(wecomVars).filter(Boolean).length;
  if (wecomSet > 0 && wecomSet < 5) {
    // Refuse half a channel rather than accept unverifiable traffic.
    const missing = Object.entries({ WECOM_CORP_ID: e.WECOM_CORP_ID, WECOM_AGENT_ID: e.WECOM_AGENT_ID, WECOM_SECRET: e.WECOM_SECRET, WECOM_TOKEN: e.WECOM_TOKEN, WECOM_ENCODING_AES_KEY: e.WECOM_ENCODING_AES_KEY })
      .filter(([, v]) => !v)
      .map(([k]) => k);
    problems.push(`WeCom channel is partly configured; missing ${missing.join(', ')}`);
  }
  const dtSet = [e.DINGTALK_APP_KEY, e.DINGTALK_APP_SECRET].filter(Boolean).length;
  if (dtSet === 1) problems.push('DingTalk channel needs both DINGTALK_APP_KEY and DINGTALK_APP_SECRET');
  if (!e.DINGTALK_EVENT_TOKEN !== !e.DINGTALK_EVENT_AES_KEY) problems.push('DingTalk event subscription needs both DINGTALK_EVENT_TOKEN and DINGTALK_EVENT_AES_KEY');
  if (e.DINGTALK_EVENT_TOKEN && dtSet !== 2) problems.push('DINGTALK_EVENT_TOKEN needs DINGTALK_APP_KEY and DINGTALK_APP_SECRET (the app key is the receive id)');
  if (problems.length) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV ?? 'development',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    // Each inbox and outbox worker can hold a connection; acknowledgements need their own.
    databasePoolSize: e.DATABASE_POOL_SIZE ?? Math.max(10, 2 * e.KELU_WORKERS + 8),
    dataDir: e.KELU_DATA_DIR,
    publicUrl: e.KELU_PUBLIC_URL,
    masterKey: e.KELU_MASTER_KEY,
    adminToken: e.KELU_ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.KELU_BODY_LIMIT_BYTES,
    workers: e.KELU_WORKERS,
    processes: e.KELU_PROCESSES,
    wecom: { apiBase: e.WECOM_API_BASE, default: wecomSet === 5 ? (wecomVars as WecomEnv) : undefined },
    dingtalk: {
      apiBase: e.DINGTALK_API_BASE,
      oapiBase: e.DINGTALK_OAPI_BASE,
      gatewayUrl: e.DINGTALK_GATEWAY_URL,
      stream: e.DINGTALK_STREAM === 'on',
      default: dtSet === 2 ? dingtalkDefault(e) : undefined,
    },
  };
}

function dingtalkDefault(e: z.infer<typeof envSchema>): DingtalkEnv {
  const d: DingtalkEnv = { appKey: e.DINGTALK_APP_KEY!, appSecret: e.DINGTALK_APP_SECRET! };
  if (e.DINGTALK_ROBOT_CODE) d.robotCode = e.DINGTALK_ROBOT_CODE;
  if (e.DINGTALK_EVENT_TOKEN && e.DINGTALK_EVENT_AES_KEY) {
    d.eventToken = e.DINGTALK_EVENT_TOKEN;
    d.eventAesKey = e.DINGTALK_EVENT_AES_KEY;
  }
  if (e.DINGTALK_CARD_TEMPLATE_ID) d.cardTemplateId = e.DINGTALK_CARD_TEMPLATE_ID;
  return d;
}
