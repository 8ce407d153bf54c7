import { z } from 'zod';
import { optionalString } from '../../lib/env.js';
import type { AdapterSettings, CredentialField } from '../../channel/adapter.js';

/** One tenant's assistant account: which puppet logs it in, and the puppet's token where it needs one. */
export interface WechatyEnv {
  puppet: string;
  token?: string;
}

export interface WechatySettings {
  /** First restart delay after a puppet drops; doubles per failed attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const wechatyEnvShape = {
  WECHATY_PUPPET: optionalString.refine((v) => v === undefined || /^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/.test(v), {
    message: 'WECHATY_PUPPET must name a puppet package (wechaty-puppet-service, wechaty-puppet-wechat4u, ...)',
  }),
  WECHATY_PUPPET_SERVICE_TOKEN: optionalString,
  WECHATY_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
};

export const wechatyCredentials = z.object({
  puppet: z.string().trim().regex(/^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/, 'a puppet package name'),
  token: z.string().trim().min(1).max(256).optional(),
}).strict().refine((c) => c.puppet !== 'wechaty-puppet-service' || !!c.token, 'wechaty-puppet-service needs a token');

/** The console's form for wechatyCredentials. */
export const wechatyCredentialFields: readonly CredentialField[] = [
  { name: 'puppet', label: 'Puppet 包名', hint: '如 wechaty-puppet-service' },
  { name: 'token', label: 'Puppet Token', secret: true, optional: true, hint: 'wechaty-puppet-service 必填' },
];

type Vars = { [K in keyof typeof wechatyEnvShape]: z.infer<(typeof wechatyEnvShape)[K]> };

export function wechatySettings(raw: Record<string, unknown>, problems: string[]): AdapterSettings<WechatySettings, WechatyEnv> {
  const e = raw as Vars;
  if (e.WECHATY_PUPPET === 'wechaty-puppet-service' && !e.WECHATY_PUPPET_SERVICE_TOKEN) {
    problems.push('WECHATY_PUPPET=wechaty-puppet-service needs WECHATY_PUPPET_SERVICE_TOKEN');
  }
  if (e.WECHATY_PUPPET_SERVICE_TOKEN && !e.WECHATY_PUPPET) problems.push('WECHATY_PUPPET_SERVICE_TOKEN needs WECHATY_PUPPET');
  return {
    env: { backoffMs: e.WECHATY_BACKOFF_MS!, maxBackoffMs: 60_000 },
    defaultCredentials: e.WECHATY_PUPPET
      ? { puppet: e.WECHATY_PUPPET, ...(e.WECHATY_PUPPET_SERVICE_TOKEN ? { token: e.WECHATY_PUPPET_SERVICE_TOKEN } : {}) }
      : undefined,
  };
}
