import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from '../../lib/logger.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { readRawBody } from '../../lib/body.js';
import type { DingtalkEnv } from './dingtalk.config.js';
import type { InboundEvent } from '../../channel/events.js';
import { DingtalkCryptoError, DingtalkEventCrypto, randomNonce, verifyRobotSign } from './dingtalk.crypto.js';
import { DingtalkPayloadError, mapDingtalkEvent, mapDingtalkRobotMessage } from './dingtalk.mapper.js';
import type { DingtalkEventPayload, DingtalkRobotMessage } from './dingtalk.types.js';
import { channelResolver } from '../channel-routing.js';

export interface DingtalkRouteDeps {
  defaultTenantId: string;
  bodyLimitBytes: number;
  logger: Logger;
  /** The tenant's DingTalk app settings, or null when the tenant or its DingTalk channel is unknown. */
  channel(tenantId: string): Promise<DingtalkEnv | null>;
  /** Durably stores the event; resolves once it is committed. */
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  now?: () => number;
}

/** DingTalk documents a one-hour window for the robot `timestamp`; event pushes get the same. */
export const MAX_SKEW_MS = 3_600_000;

const badSignature = () => new AppError('invalid_signature', 'signature check failed', 401);
const staleTimestamp = () => new AppError('stale_timestamp', 'timestamp is outside the allowed window', 401);
const malformedJson = () => badRequest('malformed_json', 'body is not valid JSON');

function fresh(timestamp: string, nowMs: number): boolean {
  return /^\d{10,16}$/.test(timestamp) && Math.abs(nowMs - Number(timestamp)) <= MAX_SKEW_MS;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw malformedJson();
  }
}

/**
 * Two inbound HTTP channels:
 *  - POST /dingtalk/robot: the robot's HTTP callback (when the robot is not in Stream mode), signed in headers;
 *  - POST /dingtalk/events: the event subscription push, encrypted JSON, answered with an encrypted "success".
 * Both verify before reading anything else and answer only after the event is stored.
 */
export function dingtalkRouter(deps: DingtalkRouteDeps): Router {
  const r = new Router();
  const now = deps.now ?? Date.now;
  const cryptoFor = new Map<string, DingtalkEventCrypto>();
  const eventCrypto = (tenantId: string, env: DingtalkEnv & { eventToken: string; eventAesKey: string }) => {
    const id = `${tenantId}:${env.appKey}:${env.eventToken}:${env.eventAesKey}`;
    let c = cryptoFor.get(id);
    if (!c) {
      // The receive id of an internal app's push is its app key.
      c = new DingtalkEventCrypto(env.eventToken, env.eventAesKey, env.appKey);
      cryptoFor.set(id, c);
    }
    return c;
  };

  const resolve = channelResolver(deps.defaultTenantId, deps.channel);

  const rejected = (ctx: Context, channel: string, tenantId: string, err: unknown) => {
    // The reason and code only: never the payload, the headers or a secret.
    const e = err as AppError;
    deps.logger.warn({ tenantId, channel, code: e.code, status: e.status, reqId: ctx.state.reqId }, 'dingtalk callback rejected');
  };

  const robot = async (ctx: Context) => {
    const { tenantId, env } = await resolve(ctx);
    try {
      const timestamp = ctx.get('timestamp');
      const sign = ctx.get('sign');
      // The signature first, with no window, so a stale but genuine request gets its own code.
      if (!verifyRobotSign(timestamp, sign, env.appSecret, now(), Number.POSITIVE_INFINITY)) throw badSignature();
      if (!fresh(timestamp, now())) throw staleTimestamp();
      const raw = parseJson(await readRawBody(ctx, deps.bodyLimitBytes));
      let event: InboundEvent;
      try {
        event = mapDingtalkRobotMessage(raw as DingtalkRobotMessage, tenantId);
      } catch (e) {
        if (e instanceof DingtalkPayloadError) throw badRequest('invalid_payload', 'not a robot message');
        throw e;
      }
      await deps.store(event);
    } catch (err) {
      rejected(ctx, 'robot', tenantId, err);
      throw err;
    }
    // An empty JSON object: a body with `msgtype` would be sent back as a synchronous reply, and replies go through the outbox.
    ctx.status = 200;
    ctx.body = {};
  };

  const events = async (ctx: Context) => {
    const { tenantId, env } = await resolve(ctx);
    // A channel without event subscription secrets has no such endpoint, rather than one that accepts unverifiable pushes.
    if (!env.eventToken || !env.eventAesKey) throw notFound('tenant');
    const crypto = eventCrypto(tenantId, { ...env, eventToken: env.eventToken, eventAesKey: env.eventAesKey });
    const q = ctx.query as Record<string, string | string[] | undefined>;
    const one = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '');
    const timestamp = one('timestamp');
    try {
      const body = parseJson(await readRawBody(ctx, deps.bodyLimitBytes)) as { encrypt?: unknown } | null;
      const encrypt = body && typeof body === 'object' && typeof body.encrypt === 'string' ? body.encrypt : '';
      if (!encrypt) throw badRequest('invalid_payload', 'body has no encrypt field');
      if (!crypto.verify(one('signature'), timestamp, one('nonce'), encrypt)) throw badSignature();
      if (!fresh(timestamp, now())) throw staleTimestamp();
      let message: string;
      try {
        ({ message } = crypto.decrypt(encrypt));
      } catch (e) {
        if (e instanceof DingtalkCryptoError) throw badRequest(`crypto_${e.reason}`, 'the encrypted payload could not be opened');
        throw e;
      }
      let payload: DingtalkEventPayload;
      try {
        payload = JSON.parse(message) as DingtalkEventPayload;
      } catch {
        throw malformedJson();
      }
      if (payload?.EventType !== 'check_url') {
        let mapped: InboundEvent[];
        try {
          mapped = mapDingtalkEvent(payload, tenantId);
        } catch (e) {
          if (e instanceof DingtalkPayloadError) throw badRequest('invalid_payload', 'not an event push');
          throw e;
        }
        for (const event of mapped) await deps.store(event);
      }
    } catch (err) {
      rejected(ctx, 'events', tenantId, err);
      throw err;
    }
    // Anything but an encrypted "success" makes DingTalk retry, and repeated failures disable the subscription.
    ctx.status = 200;
    ctx.body = crypto.encryptSuccess(String(now()), randomNonce());
  };

  r.post('/dingtalk/robot', robot);
  r.post('/dingtalk/robot/:tenantId', robot);
  r.post('/dingtalk/events', events);
  r.post('/dingtalk/events/:tenantId', events);
  return r;
}
