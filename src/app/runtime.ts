import type Router from '@koa/router';
import type { Config, DingtalkEnv, WecomEnv } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { SecretBox } from '../lib/secret-box.js';
import { TokenCache } from '../lib/token-cache.js';
import { createDbTokenStore } from '../db/token-store.js';
import { ChannelDirectory } from './channels.js';
import { DEFAULT_TENANT_ID } from './bootstrap.js';
import { adminRouter } from '../api/admin.routes.js';
import { QueueWorker, type QueueRow, type OutsideResult } from '../queue/worker.js';
import { storeInboundEvent } from '../queue/inbox.js';
import { DelivererRegistry, enqueueOutbound, recordDelivered } from '../queue/outbox.js';
import { createBot, type EventHandler } from '../bot/bot.js';
import type { InboundEvent } from '../bot/events.js';
import type { PlatformAccount } from '../crm/users.repo.js';
import { wecomRouter } from '../adapters/wecom/wecom.routes.js';
import { createWecomDeliverer } from '../adapters/wecom/wecom.deliver.js';
import { dingtalkRouter } from '../adapters/dingtalk/dingtalk.routes.js';
import { createDingtalkDeliverer } from '../adapters/dingtalk/dingtalk.deliver.js';
import { createDingtalkStreamChannel, type DingtalkStreamChannel } from '../adapters/dingtalk/dingtalk.channel.js';

export interface RuntimeOptions {
  config: Config;
  database: Database;
  logger: Logger;
  box: SecretBox;
  fetchImpl?: typeof fetch;
  handlers?: EventHandler[];
  /** Worker tuning (tests shorten leases and polls). */
  worker?: { leaseMs?: number; idlePollMs?: number; maxAttempts?: number; backoff?: (n: number) => number };
}

export interface Runtime {
  routers: Router[];
  inbox: QueueWorker;
  outbox: QueueWorker;
  channels: ChannelDirectory;
  tokens: TokenCache;
  deliverers: DelivererRegistry;
  /** DingTalk Stream mode for the default tenant; started by start() when DINGTALK_STREAM=on. */
  dingtalkStream: DingtalkStreamChannel;
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  start(): void;
  stop(): Promise<void>;
}

// The one place that knows which CRM user column holds which platform's account.
const ACCOUNT_FIELDS: Record<string, (userId: string, unionId?: string) => PlatformAccount> = {
  wecom: (userId) => ({ field: 'wecomUserId', value: userId }),
  dingtalk: (userId, unionId) => (userId ? { field: 'dingtalkUserId', value: userId } : { field: 'dingtalkUnionId', value: unionId ?? '' }),
};

export function createRuntime(o: RuntimeOptions): Runtime {
  const { config, database, logger } = o;
  const channels = new ChannelDirectory(database, o.box);
  const tokens = new TokenCache(createDbTokenStore(database, o.box));
  const deliverers = new DelivererRegistry();
  const wecomChannel = async (tenantId: string) => (await channels.get<WecomEnv>(tenantId, 'wecom'))?.creds ?? null;
  deliverers.register('wecom', createWecomDeliverer({ apiBase: config.wecom.apiBase, tokens, channel: wecomChannel, fetchImpl: o.fetchImpl }));
  const dingtalkChannel = async (tenantId: string) => (await channels.get<DingtalkEnv>(tenantId, 'dingtalk'))?.creds ?? null;
  deliverers.register('dingtalk', createDingtalkDeliverer({ apiBase: config.dingtalk.apiBase, oapiBase: config.dingtalk.oapiBase, tokens, channel: dingtalkChannel, fetchImpl: o.fetchImpl }));

  const bot = createBot({
    logger,
    accountOf: (platform, userId, unionId) => ACCOUNT_FIELDS[platform]?.(userId, unionId) ?? null,
    handlers: o.handlers,
  });

  const w = o.worker ?? {};
  const outbox: QueueWorker = new QueueWorker(
    database,
    async (tx, row: QueueRow, outside: OutsideResult) => recordDelivered(tx, row.id, outside.result ?? {}),
    logger,
    { table: 'outbox_messages', name: 'outbox', concurrency: Math.max(1, config.workers), ...w },
    (row) => deliverers.send(row),
  );
  const inbox: QueueWorker = new QueueWorker(
    database,
    async (tx, row) => {
      const event = row.payload as unknown as InboundEvent;
      const replies = await bot.handle(tx, event);
      let i = 0;
      for (const m of replies) await enqueueOutbound(tx, m, `in:${event.platform}:${event.eventId}:${i++}`);
    },
    logger,
    { table: 'inbox_events', name: 'inbox', concurrency: Math.max(1, config.workers), onDone: () => outbox.notify(), ...w },
  );

  const store = async (event: InboundEvent) => {
    const r = await storeInboundEvent(database, event);
    if (r.stored) inbox.notify();
    return r;
  };

  const routers: Router[] = [
    adminRouter({ database, adminToken: config.adminToken, defaultTenantId: DEFAULT_TENANT_ID, bodyLimitBytes: config.bodyLimitBytes }),
    wecomRouter({ defaultTenantId: DEFAULT_TENANT_ID, bodyLimitBytes: config.bodyLimitBytes, logger, channel: wecomChannel, store }),
    dingtalkRouter({ defaultTenantId: DEFAULT_TENANT_ID, bodyLimitBytes: config.bodyLimitBytes, logger, channel: dingtalkChannel, store }),
  ];
  const dingtalkStream = createDingtalkStreamChannel({ tenantId: DEFAULT_TENANT_ID, channel: dingtalkChannel, gatewayUrl: config.dingtalk.gatewayUrl, logger, store, fetchImpl: o.fetchImpl });

  return {
    routers,
    inbox,
    outbox,
    channels,
    tokens,
    deliverers,
    dingtalkStream,
    store,
    start() {
      if (config.workers > 0) {
        inbox.start();
        outbox.start();
      }
      if (config.dingtalk.stream) {
        dingtalkStream.start().catch((err: unknown) => logger.error({ err: (err as Error)?.message }, 'dingtalk stream failed to start'));
      }
    },
    async stop() {
      // Stop taking frames first: whatever is not acknowledged yet stays with the gateway for the next start.
      dingtalkStream.stop();
      await inbox.stop();
      await outbox.stop();
    },
  };
}
