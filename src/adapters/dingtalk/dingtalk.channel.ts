import type { DingtalkEnv } from './dingtalk.config.js';
import type { InboundEvent } from '../../channel/events.js';
import type { Logger } from '../../lib/logger.js';
import { createTenantLinks, type TenantLinks } from '../../channel/tenant-links.js';
import { DingtalkPayloadError, mapDingtalkCardCallback, mapDingtalkRobotMessage } from './dingtalk.mapper.js';
// The stream client (dingtalk-stream, ~1 s of imports) is loaded only when a stream starts.
import type { DingtalkStream, StreamStats } from './dingtalk.stream.js';
import type { DingtalkCardCallback, DingtalkRobotMessage } from './dingtalk.types.js';

export interface DingtalkStreamChannelDeps {
  tenantId: string;
  /** Resolves the tenant's credentials when the channel starts; null = no DingTalk channel. */
  channel(tenantId: string): Promise<DingtalkEnv | null>;
  gatewayUrl?: string;
  logger: Logger;
  /** Durably stores the event; the frame is acknowledged only after this resolves. */
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  backoffMs?: number;
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

export interface DingtalkStreamChannel {
  /** Connects; resolves once the first connection attempt is over (it keeps retrying in the background). */
  start(): Promise<void>;
  stop(): void;
  status(): Record<string, unknown>;
  readonly stats: StreamStats | undefined;
  readonly running: boolean;
}

/**
 * Stream mode for one tenant: the same map -> store path as the HTTP routes, with the gateway's ACK in
 * place of the HTTP 200. A payload that cannot be mapped is logged and acknowledged: redelivering it
 * would never succeed. A failed store rejects, so the frame is nacked and the gateway delivers it again.
 */
export function createDingtalkStreamChannel(deps: DingtalkStreamChannelDeps): DingtalkStreamChannel {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ channel: 'dingtalk-stream', tenantId: deps.tenantId });
  let stream: DingtalkStream | undefined;
  let stopped = false;

  const storeMapped = async (kind: string, map: () => InboundEvent) => {
    let event: InboundEvent;
    try {
      event = map();
    } catch (e) {
      if (!(e instanceof DingtalkPayloadError)) throw e;
      log.warn({ event: 'dingtalk_stream_unmappable', kind, reason: e.message }, 'dropping a stream payload that cannot be mapped');
      return;
    }
    await deps.store(event);
  };

  return {
    get stats() {
      return stream?.stats;
    },
    get running() {
      return stream !== undefined;
    },
    status() {
      return { running: stream !== undefined, ...(stream?.stats ?? {}) };
    },
    async start() {
      if (stream || stopped) return;
      const env = await deps.channel(deps.tenantId);
      if (!env) {
        // Refuse rather than half-start: nothing to connect with.
        log.warn({ event: 'dingtalk_stream_no_credentials' }, 'DINGTALK_STREAM is on but the tenant has no DingTalk credentials; stream not started');
        return;
      }
      const { startDingtalkStream } = await import('./dingtalk.stream.js');
      const s = await startDingtalkStream({
        appKey: env.appKey,
        appSecret: env.appSecret,
        ...(deps.gatewayUrl ? { gatewayUrl: deps.gatewayUrl } : {}),
        logger: log,
        ...(deps.backoffMs !== undefined ? { backoffMs: deps.backoffMs } : {}),
        ...(deps.maxBackoffMs !== undefined ? { maxBackoffMs: deps.maxBackoffMs } : {}),
        ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
        onRobotMessage: (raw) => storeMapped('robot', () => mapDingtalkRobotMessage(raw as DingtalkRobotMessage, deps.tenantId)),
        onCardCallback: async (raw) => {
          await storeMapped('card', () => mapDingtalkCardCallback(raw as DingtalkCardCallback, deps.tenantId, new Date(now())));
          // The card is updated from the outbox once the action is processed, not in this response.
          return {};
        },
      });
      if (stopped) s.stop();
      else stream = s;
    },
    stop() {
      stopped = true;
      stream?.stop();
      stream = undefined;
    },
  };
}

export interface DingtalkStreamsDeps extends Omit<DingtalkStreamChannelDeps, 'tenantId' | 'channel'> {
  /** DINGTALK_STREAM: off keeps every tenant on HTTP mode. */
  enabled: boolean;
  /** Tenants holding DingTalk credentials. */
  tenants(): Promise<string[]>;
  channel(tenantId: string): Promise<DingtalkEnv | null>;
}

export type DingtalkStreams = TenantLinks<DingtalkStreamChannel>;

/** Stream mode for every tenant with DingTalk credentials, following credential changes (see createTenantLinks). */
export function createDingtalkStreams(deps: DingtalkStreamsDeps): DingtalkStreams {
  const log = deps.logger.child({ channel: 'dingtalk-stream' });
  return createTenantLinks<DingtalkEnv, DingtalkStreamChannel>({
    enabled: deps.enabled,
    tenants: deps.tenants,
    credentials: deps.channel,
    key: (env) => `${env.appKey}\u0000${env.appSecret}`,
    create: (tenantId, env) => createDingtalkStreamChannel({ ...deps, tenantId, channel: async () => env }),
    status: () => ({ mode: deps.enabled ? 'stream' : 'http' }),
    onNoTenants: () => log.warn({ event: 'dingtalk_stream_no_credentials' }, 'DINGTALK_STREAM is on but no tenant has DingTalk credentials; no stream opened'),
    onClosed: (tenantId) => log.info({ event: 'dingtalk_stream_closed', tenantId }, 'closed the stream connection of a tenant whose credentials changed'),
    onError: (tenantId, err) => log.error({ event: 'dingtalk_stream_failed', tenantId, err: (err as Error)?.message }, 'stream connection failed to open'),
  });
}
