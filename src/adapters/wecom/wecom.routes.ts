import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from '../../lib/logger.js';
import { AppError } from '../../lib/errors.js';
import { readRawBody } from '../../lib/body.js';
import type { WecomEnv } from './wecom.config.js';
import type { InboundEvent } from '../../channel/events.js';
import { WecomCrypto, isTimestampFresh } from './wecom.crypto.js';
import { parseWecomEnvelope, parseWecomXml } from './wecom.xml.js';
import { mapWecomMessage } from './wecom.mapper.js';
import { channelResolver } from '../channel-routing.js';

export interface WecomRouteDeps {
  defaultTenantId: string;
  bodyLimitBytes: number;
  logger: Logger;
  /** The tenant's WeCom app settings, or null when the tenant or its WeCom channel is unknown. */
  channel(tenantId: string): Promise<WecomEnv | null>;
  /** Durably stores the event; resolves once it is committed. */
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  now?: () => number;
}

const badSignature = () => new AppError('invalid_signature', 'signature check failed', 401);
const staleTimestamp = () => new AppError('stale_timestamp', 'timestamp is outside the allowed window', 401);

/**
 * GET verifies the callback URL; POST receives encrypted XML. Order matters: nothing is decrypted
 * before the signature and timestamp check out, nothing is parsed before it decrypts for our corp.
 */
export function wecomRouter(deps: WecomRouteDeps): Router {
  const r = new Router();
  const now = deps.now ?? Date.now;
  const cryptoFor = new Map<string, WecomCrypto>();
  const crypto = (tenantId: string, env: WecomEnv) => {
    const id = `${tenantId}:${env.token}:${env.encodingAesKey}`;
    let c = cryptoFor.get(id);
    if (!c) {
      c = new WecomCrypto(env.token, env.encodingAesKey);
      cryptoFor.set(id, c);
    }
    return c;
  };

  const resolve = channelResolver(deps.defaultTenantId, deps.channel);

  const query = (ctx: Context) => {
    const q = ctx.query as Record<string, string | string[] | undefined>;
    const one = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
    return { signature: one('msg_signature'), timestamp: one('timestamp'), nonce: one('nonce'), echostr: one('echostr') };
  };

  const rejected = (ctx: Context, tenantId: string, err: unknown) => {
    // The reason and code only: never the payload, the query or a secret.
    deps.logger.warn({ tenantId, code: (err as AppError).code, status: (err as AppError).status, reqId: ctx.state.reqId }, 'wecom callback rejected');
  };

  const verifyUrl = async (ctx: Context) => {
    const { tenantId, env } = await resolve(ctx);
    const q = query(ctx);
    try {
      const c = crypto(tenantId, env);
      if (!q.echostr || !c.verify(q.signature, q.timestamp, q.nonce, q.echostr)) throw badSignature();
      if (!isTimestampFresh(q.timestamp, now())) throw staleTimestamp();
      const { message } = c.decrypt(q.echostr, env.corpId);
      ctx.type = 'text/plain';
      ctx.body = message;
    } catch (err) {
      rejected(ctx, tenantId, err);
      throw err;
    }
  };

  const receive = async (ctx: Context) => {
    const { tenantId, env } = await resolve(ctx);
    const q = query(ctx);
    const body = await readRawBody(ctx, deps.bodyLimitBytes);
    try {
      const envelope = parseWecomEnvelope(body.toString('utf8'));
      const c = crypto(tenantId, env);
      if (!c.verify(q.signature, q.timestamp, q.nonce, envelope.encrypt)) throw badSignature();
      if (!isTimestampFresh(q.timestamp, now())) throw staleTimestamp();
      const { message } = c.decrypt(envelope.encrypt, env.corpId);
      const raw = parseWecomXml(message);
      const event = mapWecomMessage(raw, tenantId);
      await deps.store(event);
    } catch (err) {
      rejected(ctx, tenantId, err);
      throw err;
    }
    // WeCom wants an empty 200 (or "success"); a reply would be sent through the API instead.
    ctx.status = 200;
    ctx.body = '';
  };

  r.get('/wecom/callback', verifyUrl);
  r.get('/wecom/callback/:tenantId', verifyUrl);
  r.post('/wecom/callback', receive);
  r.post('/wecom/callback/:tenantId', receive);
  return r;
}
