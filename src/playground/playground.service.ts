import type { AnyAdapter, Deliverer, PlaygroundBubble, PlaygroundDriver } from '../channel/adapter.js';
import type { InboundEvent } from '../channel/events.js';
import type { Logger } from '../lib/logger.js';
import { TokenCache } from '../lib/token-cache.js';
import { MemoryTokenStore } from '../lib/memory-token-store.js';
import { AppError } from '../lib/errors.js';

// The demo tenant's playground: per platform, that adapter's fake platform runs in this process and a
// second copy of the adapter is opened against it. The copy delivers the demo tenant's outbox rows
// (to the fake) and keeps any connection (a puppet); inbound goes through the real routes of the
// runtime's own adapter, which reads the playground's credentials for the demo tenant only.

export interface PlaygroundDeps {
  adapters: readonly AnyAdapter[];
  /** Each adapter's settings env, by name (as config.adapters holds them). */
  envOf(platform: string): unknown;
  tenantId: string;
  bodyLimitBytes: number;
  logger: Logger;
  store(event: InboundEvent): Promise<{ stored: boolean }>;
}

/** A line of the customer's chat with the rep (that chat is not the platform's app: the playground keeps it). */
export interface CustomerLine {
  id: number;
  from: 'customer' | 'rep';
  text: string;
  at: string;
}

/** What a person of the demo tenant wrote to the app, shown on their side of the chat. */
export interface SaidLine {
  id: string;
  from: string;
  text: string;
  at: string;
  eventId: string;
}

interface Running {
  driver: PlaygroundDriver;
  deliverer: Deliverer;
  stopConnection?: () => Promise<void>;
  customerChat: CustomerLine[];
  said: SaidLine[];
}

export class Playground {
  private readonly running = new Map<string, Promise<Running>>();
  private readonly live = new Map<string, Running>();
  private origin = '';
  private last?: string;
  private stopped = false;

  constructor(private readonly deps: PlaygroundDeps) {}

  get tenantId(): string {
    return this.deps.tenantId;
  }

  /** The platforms that can play (their adapter has a playground kit). */
  platforms(): { name: string; label: string }[] {
    return this.deps.adapters.filter((a) => a.playground).map((a) => ({ name: a.name, label: a.label }));
  }

  /** A person's account on a platform: the kind its messages are addressed to (the adapter's first). */
  accountOf(user: { accounts: { platform: string; kind: string; value: string }[] }, platform: string): string | null {
    const kind = this.deps.adapters.find((a) => a.name === platform)?.accountKinds[0];
    return user.accounts.find((a) => a.platform === platform && a.kind === kind)?.value ?? null;
  }

  /** Where this server answers (learned from the playground's own requests: the socket's local port). */
  setOrigin(origin: string): void {
    this.origin = origin;
  }

  /** The playground's credentials for a platform, while it runs for this tenant (the runtime's adapters read them). */
  credentials(tenantId: string, platform: string): unknown {
    if (tenantId !== this.deps.tenantId || !this.live.has(platform)) return null;
    return this.deps.adapters.find((a) => a.name === platform)?.playground?.credentials ?? null;
  }

  /** The deliverer of the playground's copy of the adapter, for the demo tenant's outbox rows. */
  deliverer(tenantId: string, platform: string): Deliverer | undefined {
    return tenantId === this.deps.tenantId ? this.live.get(platform)?.deliverer : undefined;
  }

  /** The platform last played on this tenant (where a message with no platform of its own should go), if any. */
  playing(tenantId: string): string | undefined {
    return tenantId === this.deps.tenantId && this.last && this.live.has(this.last) ? this.last : undefined;
  }

  /** Starts (once) and answers a platform's playground. */
  async get(platform: string): Promise<Running> {
    if (this.stopped) throw new AppError('playground_stopped', 'the playground is stopped', 503);
    this.last = platform;
    let r = this.running.get(platform);
    if (!r) {
      r = this.start(platform);
      this.running.set(platform, r);
      r.catch(() => this.running.delete(platform));
    }
    return r;
  }

  private async start(platform: string): Promise<Running> {
    const adapter = this.deps.adapters.find((a) => a.name === platform);
    const kit = adapter?.playground;
    if (!adapter || !kit) throw new AppError('unknown_platform', 'no playground for that platform', 404, { expose: true });
    const { tenantId } = this.deps;
    const post = async (pathAndQuery: string, body: string, headers: Record<string, string>) => {
      if (!this.origin) throw new Error('the playground does not know this server\'s address yet');
      const res = await fetch(`${this.origin}${pathAndQuery}`, { method: 'POST', body, headers });
      return { status: res.status, body: await res.text() };
    };
    const started = await kit.start(this.deps.envOf(platform), { tenantId, post });
    const instance = adapter.open({
      env: started.env,
      defaultTenantId: tenantId,
      bodyLimitBytes: this.deps.bodyLimitBytes,
      logger: this.deps.logger.child({ platform, playground: true }),
      // Its own tokens: the fake's tokens never land in the shared store.
      tokens: new TokenCache(new MemoryTokenStore()),
      credentials: async (t) => (t === tenantId ? kit.credentials : null),
      tenantsWithCredentials: async () => [tenantId],
      store: this.deps.store,
    });
    const running: Running = { driver: undefined as unknown as PlaygroundDriver, deliverer: instance.deliverer, customerChat: [], said: [] };
    if (instance.connection) {
      await instance.connection.start();
      running.stopConnection = () => instance.connection!.stop();
    }
    running.driver = await started.driver(instance);
    this.live.set(platform, running);
    this.deps.logger.info({ platform, tenantId }, 'playground started');
    return running;
  }

  /** What the platform showed a person, and what they wrote, merged by time. */
  chatOf(r: Running, account: string): Array<PlaygroundBubble & { mine?: boolean }> {
    const shown = r.driver.shown().filter((b) => b.to === account);
    const mine = r.said.filter((s) => s.from === account).map((s) => ({ id: s.id, to: '', at: s.at, text: s.text, mine: true }));
    return [...shown, ...mine].sort((a, b) => a.at.localeCompare(b.at));
  }

  /** For good (the process stops). */
  async close(): Promise<void> {
    this.stopped = true;
    await this.stop();
  }

  /** Stops every platform's playground; a later request starts it again (e.g. the tenant's credentials went away). */
  async stop(): Promise<void> {
    const all = [...this.running.values()];
    this.running.clear();
    this.live.clear();
    for (const p of all) {
      const r = await p.catch(() => null);
      if (!r) continue;
      await r.stopConnection?.().catch(() => undefined);
      await r.driver.stop().catch(() => undefined);
    }
  }
}
