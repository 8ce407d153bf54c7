import type { Context } from 'koa';
import { notFound } from '../lib/errors.js';

/**
 * Every platform route names its tenant the same way: `/:tenantId`, or the default tenant on the
 * bare path. An unknown tenant, or one without this channel, is a 404 (never a hint which one).
 */
export function channelResolver<T>(defaultTenantId: string, channel: (tenantId: string) => Promise<T | null>) {
  return async (ctx: Context): Promise<{ tenantId: string; env: T }> => {
    const tenantId = (ctx.params as { tenantId?: string }).tenantId ?? defaultTenantId;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId)) throw notFound('tenant');
    const env = await channel(tenantId);
    if (!env) throw notFound('tenant');
    return { tenantId, env };
  };
}
