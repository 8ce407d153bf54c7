import Router from '@koa/router';
import type { Context } from 'koa';
import { renderSVG } from 'uqr';
import { AppError } from '../lib/errors.js';
import type { Auth } from '../auth/guard.js';
import type { AdapterInstance, ChannelState, CredentialField } from '../channel/adapter.js';

/** One platform as the console sees it: its adapter's name, label and form, and the opened instance. */
export interface ConsoleChannel {
  platform: string;
  label: string;
  fields: readonly CredentialField[];
  instance: Pick<AdapterInstance, 'callbackPaths' | 'sessionState' | 'testConnection'>;
}

export interface ChannelRouteDeps {
  auth: Auth;
  channels: readonly ConsoleChannel[];
  /** Whether the tenant holds credentials for the platform. */
  configured(tenantId: string, platform: string): Promise<boolean>;
  publicUrl?: string;
}

// A QR code is drawn here, so the page needs no QR library and the code's text stays with the admin.
const stateView = (s: ChannelState) => {
  const { qrCode, ...rest } = s;
  return qrCode ? { ...rest, qrSvg: renderSVG(qrCode) } : rest;
};

/**
 * The channels tab of the admin console, for a tenant's admins: every adapter's label, credential
 * form, whether it is configured (never with what), the callback URLs to paste into the platform's
 * console, a long-lived link's state, and "test connection". The page names no platform.
 */
export function channelsRouter(deps: ChannelRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { auth } = deps;
  const admin = auth.guard('admin');
  const base = (ctx: Context) => deps.publicUrl ?? `${ctx.protocol}://${ctx.host}`;

  r.get('/channels', admin, async (ctx) => {
    const { tenantId } = auth.principal(ctx);
    const items = [];
    for (const c of deps.channels) {
      const configured = await deps.configured(tenantId, c.platform);
      items.push({
        platform: c.platform,
        label: c.label,
        fields: c.fields,
        configured,
        callbackUrls: (c.instance.callbackPaths?.(tenantId) ?? []).map((x) => `${base(ctx)}${x}`),
        ...(configured && c.instance.sessionState ? { session: stateView(c.instance.sessionState(tenantId)) } : {}),
      });
    }
    ctx.body = { items, nextCursor: null };
  });

  r.post('/channels/:platform/test', admin, async (ctx) => {
    const { tenantId } = auth.principal(ctx);
    const c = deps.channels.find((x) => x.platform === ctx.params.platform);
    if (!c || !c.instance.testConnection || !(await deps.configured(tenantId, c.platform))) throw new AppError('platform_not_configured', 'save this channel\'s credentials first', 404);
    let state: ChannelState;
    try {
      state = await c.instance.testConnection(tenantId);
    } catch {
      throw new AppError('connection_failed', `${c.label} refused these credentials or could not be reached`, 502, { expose: true });
    }
    ctx.body = stateView(state);
  });

  return r;
}
