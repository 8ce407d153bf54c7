import type Router from '@koa/router';
import type { Config } from '../config.js';
import type { Database, Tx } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { SecretBox } from '../lib/secret-box.js';
import { TokenCache } from '../lib/token-cache.js';
import { createDbTokenStore } from '../db/token-store.js';
import { ChannelDirectory } from './channels.js';
import { tenantsRouter } from '../api/tenants.routes.js';
import { DEFAULT_TENANT_ID } from './bootstrap.js';
import { adminRouter } from '../api/admin.routes.js';
import { QueueWorker, type QueueRow, type OutsideResult } from '../queue/worker.js';
import { InboxWriter } from '../queue/inbox.js';
import { DelivererRegistry, enqueueOutbound, outboundRows } from '../queue/outbox.js';
import { createBot, type EventHandler } from '../bot/bot.js';
import type { InboundEvent } from '../channel/events.js';
import { TimerWorker } from '../queue/timer-worker.js';
import { TenantInfoCache } from '../bot/tenant-info.js';
import type { Address, FlowDeps } from '../bot/flow.js';
import type { User } from '../crm/users.repo.js';
import { cardActionHandler, rememberCard } from '../bot/card-actions.handler.js';
import { textCaptureHandler } from '../bot/messages.handler.js';
import { stageCardHandler } from '../bot/stages.handler.js';
import { stageCommandHandler } from '../bot/stages.command.js';
import { stagesRouter } from '../api/stages.routes.js';
import { replyArchiveHandler } from '../bot/replies-archive.handler.js';
import { contactAddHandler } from '../bot/contacts.handler.js';
import type { AdapterInstance, AnyAdapter, ContactProfile } from '../channel/adapter.js';
import { adapters as allAdapters } from '../adapters/index.js';
import { listTenantsWithChannel } from '../crm/tenants.repo.js';
import { timerHandler } from '../bot/timers.handler.js';
import { leadsRouter } from '../api/leads.routes.js';
import { accessRouter } from '../api/access.routes.js';
import { peopleRouter } from '../api/people.routes.js';
import { createAuth, type Auth } from '../auth/guard.js';
import { SessionCodec } from '../auth/session.js';
import { RateLimiter, type RateLimit } from '../auth/rate-limit.js';
import { SignInProviders } from '../auth/signin.js';
import { signInRouter } from '../auth/signin.routes.js';
import { channelsRouter } from '../api/channels.routes.js';
import { pagesRouter } from '../admin/pages.routes.js';
import { sidebarPlatforms, sidebarRouters } from '../sidebar/index.js';
import type { OutboundMessage } from '../channel/messages.js';
import { insightRouters, startInsight } from './insight.js';
import { createImports } from './imports.js';
import { trackingRouters } from './tracking.js';
import { DEFAULT_TRACKING_LIMITS } from '../api/tracking.routes.js';
import { Playground } from '../playground/playground.service.js';
import { playgroundRouter } from '../playground/playground.routes.js';

export interface RuntimeOptions {
  config: Config;
  database: Database;
  logger: Logger;
  box: SecretBox;
  fetchImpl?: typeof fetch;
  handlers?: EventHandler[];
  /** Worker tuning (tests shorten leases and polls). */
  worker?: { leaseMs?: number; idlePollMs?: number; maxAttempts?: number; backoff?: (n: number) => number; yieldMaxMs?: number };
  /** The clock the warm-up is timed on (performance.now() by default; tests move it). */
  uptimeMs?: () => number;
  /** How often the heat rows' deltas are folded in (ms; 2000). */
  heatFoldMs?: number;
  /** The clock for timers and lead timestamps (tests move it). */
  clock?: () => Date;
  timerPollMs?: number;
  /** The platforms to open (default: every adapter in src/adapters). */
  adapters?: readonly AnyAdapter[];
  /** Session lifetimes and the clock sessions and rate limits read (tests move it). */
  sessions?: { idleSeconds?: number; absoluteSeconds?: number; now?: () => number };
  /** Overrides of the default rate limits. */
  limits?: Partial<Limits>;
}

export interface Limits {
  signInPerAddress: RateLimit;
  bindPerAddress: RateLimit;
  intakePerKey: RateLimit;
  intakePerAddress: RateLimit;
  /** Tracked-link clicks and landing-page behaviour events (issue 17). */
  clicksPerAddress: RateLimit;
  eventsPerAddress: RateLimit;
  eventsPerKey: RateLimit;
}

export const DEFAULT_LIMITS: Limits = {
  signInPerAddress: { limit: 20, windowSeconds: 60 },
  bindPerAddress: { limit: 10, windowSeconds: 60 },
  intakePerKey: { limit: 120, windowSeconds: 60 },
  intakePerAddress: { limit: 60, windowSeconds: 60 },
  ...DEFAULT_TRACKING_LIMITS,
};

export interface Runtime {
  routers: Router[];
  auth: Auth;
  signIn: SignInProviders;
  inbox: QueueWorker;
  outbox: QueueWorker;
  channels: ChannelDirectory;
  tokens: TokenCache;
  deliverers: DelivererRegistry;
  timers: TimerWorker;
  tenantInfo: TenantInfoCache;
  /** The demo tenant's playground (fake platforms in this process), started per platform on first use. */
  playground: Playground;
  /** Each opened adapter, by platform name (its deliverer, routes and connection). */
  platforms: Map<string, AdapterInstance>;
  /** Connection states for /readyz details, by platform. */
  status(): Record<string, unknown>;
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  /**
   * Tells the workers how busy the HTTP side is: the most callbacks in flight at once lately
   * (RunningServer.pressure). Above BUSY_IN_FLIGHT they yield to acknowledgements.
   */
  setLoadGauge(pressure: () => number): void;
  /** True during the warm-up after start() (see config.warmupMs). */
  warming(): boolean;
  start(): void;
  stop(): Promise<void>;
}

export function createRuntime(o: RuntimeOptions): Runtime {
  const { config, database, logger } = o;
  const channels = new ChannelDirectory(database, o.box);
  const tokens = new TokenCache(createDbTokenStore(database, o.box));
  const deliverers = new DelivererRegistry();
  const list = o.adapters ?? allAdapters;
  const byName = new Map(list.map((a) => [a.name, a]));

  const clock = o.clock ?? (() => new Date());
  const tenantInfo = new TenantInfoCache();
  // How to reach a CRM user in chat: an account of the kind its platform addresses messages to,
  // preferring the platform a lead came from.
  // On the demo tenant with nothing preferred (a timer, a web lead), the platform being played.
  const addressOf = (user: User, preferred?: string): Address | null => {
    const all: Address[] = user.accounts
      .filter((a) => byName.get(a.platform)?.accountKinds[0] === a.kind)
      .map((a) => ({ platform: a.platform, userId: a.value }));
    const want = preferred ?? playground.playing(user.tenantId);
    return all.find((a) => a.platform === want) ?? all[0] ?? null;
  };
  const flow: FlowDeps = { tenantInfo, addressOf, now: clock };
  const bot = createBot({
    logger,
    accountOf: (platform, sender) => byName.get(platform)?.accountOf(sender) ?? null,
    handlers: [
      ...(o.handlers ?? []),
      stageCardHandler(flow),
      cardActionHandler(flow),
      contactAddHandler(flow, (platform) => byName.get(platform)?.contactIdentity ?? 'openid'),
      replyArchiveHandler(flow),
      stageCommandHandler(flow),
      textCaptureHandler(flow),
    ],
  });

  // Network look-ups an event needs, done before its transaction opens.
  const contactProfiles = new Map<string, (tenantId: string, externalUserId: string, repUserId: string) => Promise<ContactProfile | null>>();
  const prepare = async (row: QueueRow): Promise<OutsideResult> => {
    const event = row.payload as unknown as InboundEvent;
    if (event.kind === 'contactChange' && (event.change === 'add' || event.change === 'addHalf')) {
      const fetchProfile = contactProfiles.get(event.platform);
      if (fetchProfile) {
        try {
          return { ok: true, result: { profile: await fetchProfile(event.tenantId, event.externalUserId, event.sender.userId) } };
        } catch (err) {
          const e = err as { retryable?: boolean; message?: string };
          return { ok: false, error: `contact profile: ${e.message ?? String(err)}`, retryable: e.retryable !== false };
        }
      }
    }
    return { ok: true };
  };
  const queue = async (tx: Tx, messages: OutboundMessage[], keyPrefix: string) => {
    let i = 0;
    for (const m of messages) await enqueueOutbound(tx, m, `${keyPrefix}:${i++}`);
  };

  const w = o.worker ?? {};
  // The HTTP server's recent peak of callbacks in flight; null until the server is listening.
  let gauge: (() => number) | null = null;
  let gaugeSince = 0;
  const inFlight = () => gauge?.() ?? 0;
  // Workers pause while more acknowledgements than this were in flight at once lately. 4 (an earlier
  // value) is the normal in-flight count at 350 callbacks/s, so workers paused in steady traffic and
  // the inbox backlog grew (bench:pipeline p99 ack->lead 1.4 s); 24 is reached only in real bursts.
  // The gauge is a recent peak, not the instantaneous count: that count drops to almost nothing each
  // time a shared inbox commit answers its batch, and workers sampling it then kept processing
  // through bursts (bench:wecom: 240 messages/s processed during the load, acks 1,530-1,810/s,
  // p99 61-62 ms; with the peak and pauses of up to 2 s: 80-100/s processed, 2,210-2,840/s, p99 36-40 ms).
  const BUSY_IN_FLIGHT = 24;
  // A fresh process (a restart, a deploy) took up the backlog with cold code before its own
  // acknowledgements and answered WeCom in up to 4 s for its first seconds (issue 19, while the warm
  // instance answered in 40-110 ms). For config.warmupMs after start its workers claim nothing while
  // any callback was in flight lately (the warm instances take the backlog) and one row per claim
  // otherwise; a single instance with no traffic still processes from its first second.
  // Until the server listens, and for QUIET_MS after, a warming instance cannot know whether callbacks
  // are coming, so it holds too: started before the server (main.ts), the workers used to read "no
  // traffic" while the server was still starting and took up the backlog with cold code anyway.
  const QUIET_MS = 500;
  const uptime = o.uptimeMs ?? (() => performance.now());
  let warmUntil = Number.POSITIVE_INFINITY;
  const warming = () => uptime() < warmUntil;
  const holdWhile = () => warming() && (gauge === null || uptime() - gaugeSince < QUIET_MS || gauge() > 0);
  const outbox: QueueWorker = new QueueWorker(
    database,
    async (tx, row: QueueRow, outside: OutsideResult) => {
      await rememberCard(tx, row.tenantId, row.payload as unknown as OutboundMessage, outside.result ?? {});
    },
    logger,
    { table: 'outbox_messages', name: 'outbox', concurrency: Math.max(1, config.workers), yieldWhile: () => inFlight() > BUSY_IN_FLIGHT, holdWhile, singleWhile: warming, ...w },
    (row) => deliverers.send(row),
  );
  const inbox: QueueWorker = new QueueWorker(
    database,
    async (tx, row) => {
      const event = row.payload as unknown as InboundEvent;
      const prepared = (row as { prepared?: unknown }).prepared;
      const replies = await bot.handle(tx, event, prepared);
      return outboundRows(replies, `in:${event.platform}:${event.eventId}`);
    },
    logger,
    { table: 'inbox_events', name: 'inbox', concurrency: Math.max(1, config.workers), onDone: () => outbox.notify(), yieldWhile: () => inFlight() > BUSY_IN_FLIGHT, holdWhile, singleWhile: warming, ...w },
    async (row) => {
      const r = await prepare(row);
      if (r.ok && r.result) (row as { prepared?: unknown }).prepared = r.result.profile;
      return r;
    },
  );
  const onTimer = timerHandler(flow, { publicUrl: config.publicUrl });
  const timers = new TimerWorker(
    database,
    async (tx, timer) => {
      await queue(tx, await onTimer(tx, timer), `timer:${timer.id}`);
      outbox.notify();
    },
    logger,
    clock,
    o.timerPollMs ?? 1000,
  );

  const inboxWriter = new InboxWriter(database);
  const store = async (event: InboundEvent) => {
    const r = await inboxWriter.store(event);
    if (r.stored) inbox.notify();
    return r;
  };

  const playground = new Playground({
    adapters: list, envOf: (name) => config.adapters[name]?.env, tenantId: DEFAULT_TENANT_ID,
    bodyLimitBytes: config.bodyLimitBytes, logger: logger.child({ playground: true }), store,
  });
  deliverers.routeBy((tenantId, platform) => playground.deliverer(tenantId, platform));

  const signIn = new SignInProviders();
  const platforms = new Map<string, AdapterInstance>();
  for (const a of list) {
    const instance = a.open({
      env: config.adapters[a.name]?.env,
      defaultTenantId: DEFAULT_TENANT_ID,
      bodyLimitBytes: config.bodyLimitBytes,
      logger: logger.child({ platform: a.name }),
      tokens,
      // The demo tenant's playground credentials (while it runs) only where the tenant has none of its own.
      credentials: async (tenantId) => (await channels.get(tenantId, a.name))?.creds ?? playground.credentials(tenantId, a.name),
      tenantsWithCredentials: () => listTenantsWithChannel(database.db, a.name),
      store,
      ...(o.fetchImpl ? { fetchImpl: o.fetchImpl } : {}),
    });
    platforms.set(a.name, instance);
    deliverers.register(a.name, instance.deliverer);
    if (instance.fetchContactProfile) contactProfiles.set(a.name, instance.fetchContactProfile.bind(instance));
    if (instance.signIn) {
      // Nobody signs in through a playground's fake platform: only stored credentials count.
      const provider = instance.signIn;
      const configured = provider.configured.bind(provider);
      provider.configured = async (tenantId) => !!(await channels.get(tenantId, a.name)) && configured(tenantId);
      signIn.register(provider);
    }
  }
  const connections = [...platforms.entries()].filter(([, p]) => p.connection).map(([name, p]) => ({ name, c: p.connection! }));

  const sessions = new SessionCodec({ key: o.box.deriveKey('session-cookie'), ...(o.sessions ?? {}) });
  const auth = createAuth({ database, adminToken: config.adminToken, defaultTenantId: DEFAULT_TENANT_ID, sessions });
  const limits: Limits = { ...DEFAULT_LIMITS, ...(o.limits ?? {}) };
  const limiter = new RateLimiter(o.sessions?.now);
  // New credentials: drop what was cached under the old ones, tokens included (else "test connection"
  // and sends would go on with the old app's token until it expired), and reopen connections.
  const onChannelChange = async (tenantId: string, platform?: string) => {
    // Real credentials end the playground: its deliverer must not take the tenant's rows any more.
    if (tenantId === playground.tenantId) await playground.stop();
    channels.invalidate(tenantId);
    tenantInfo.invalidate(tenantId);
    for (const a of list) {
      if (platform && platform !== a.name) continue;
      for (const kind of ['access_token', 'jsapi_ticket', 'agent_jsapi_ticket']) await tokens.forget({ tenantId, platform: a.name, kind });
    }
    for (const { name, c } of connections) {
      if (platform && platform !== name) continue;
      await c.credentialsChanged?.(tenantId);
    }
  };

  const imports = createImports({ database, auth, bodyLimitBytes: config.bodyLimitBytes, logger });
  const routers: Router[] = [
    ...imports.routers,
    pagesRouter({ database, auth, providers: signIn }),
    signInRouter({ database, auth, providers: signIn, bodyLimitBytes: config.bodyLimitBytes, publicUrl: config.publicUrl, limiter, limits: { signIn: limits.signInPerAddress, bind: limits.bindPerAddress } }),
    channelsRouter({
      auth, publicUrl: config.publicUrl,
      channels: list.map((a) => ({ platform: a.name, label: a.label, fields: a.credentialFields, instance: platforms.get(a.name)! })),
      configured: async (tenantId, platform) => !!(await channels.get(tenantId, platform)),
    }),
    peopleRouter({ database, auth, providers: signIn, bodyLimitBytes: config.bodyLimitBytes, publicUrl: config.publicUrl, onPeopleChange: (tenantId) => tenantInfo.invalidate(tenantId), flow, afterCommit: () => outbox.notify() }),
    adminRouter({ database, auth, bodyLimitBytes: config.bodyLimitBytes }),
    ...insightRouters({ database, auth, bodyLimitBytes: config.bodyLimitBytes, flow, afterCommit: () => outbox.notify() }),
    accessRouter({ database, auth, bodyLimitBytes: config.bodyLimitBytes }),
    tenantsRouter({
      database, box: o.box, auth, bodyLimitBytes: config.bodyLimitBytes,
      credentials: Object.fromEntries(list.map((a) => [a.name, a.credentialsSchema])),
      onChannelChange,
    }),
    leadsRouter({ database, auth, bodyLimitBytes: config.bodyLimitBytes, limiter, intakeLimits: { perKey: limits.intakePerKey, perAddress: limits.intakePerAddress }, flow, logger, afterCommit: () => outbox.notify() }),
    stagesRouter({ database, auth, bodyLimitBytes: config.bodyLimitBytes, flow, afterCommit: () => outbox.notify() }),
    ...trackingRouters({ database, auth, box: o.box, bodyLimitBytes: config.bodyLimitBytes, limiter, trackingLimits: { clicksPerAddress: limits.clicksPerAddress, eventsPerAddress: limits.eventsPerAddress, eventsPerKey: limits.eventsPerKey }, flow, logger, publicUrl: config.publicUrl, afterCommit: () => outbox.notify() }),
    playgroundRouter({ database, playground, flow, bodyLimitBytes: config.bodyLimitBytes, afterCommit: () => outbox.notify() }),
    ...sidebarRouters({ database, auth, flow, providers: signIn, platforms: sidebarPlatforms(list, platforms), publicUrl: config.publicUrl, afterCommit: () => outbox.notify() }),
    ...[...platforms.values()].flatMap((p) => p.routers ?? []),
  ];

  let insight: { stop(): Promise<void> } | null = null;
  return {
    routers, auth, signIn, inbox, outbox, channels, tokens, deliverers, timers, tenantInfo, platforms, store, playground,
    status: () => Object.fromEntries(connections.map(({ name, c }) => [name, c.status()])),
    warming,
    setLoadGauge(pressure) {
      gauge = pressure;
      gaugeSince = uptime();
    },
    start() {
      warmUntil = uptime() + config.warmupMs;
      if (config.workers > 0) {
        inbox.start();
        outbox.start();
        timers.start();
        insight = startInsight(database, clock(), logger, o.heatFoldMs);
        imports.runner.start();
      }
      for (const { name, c } of connections) {
        c.start().catch((err: unknown) => logger.error({ platform: name, err: (err as Error)?.message }, 'connection failed to start'));
      }
    },
    async stop() {
      // Stop taking platform traffic first: whatever is not acknowledged stays with the platform for the next start.
      for (const { c } of connections) await c.stop();
      await playground.close();
      await inbox.stop();
      await imports.runner.stop();
      await timers.stop();
      await insight?.stop();
      await outbox.stop();
    },
  };
}
