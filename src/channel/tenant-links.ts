import type { Connection } from './adapter.js';

/** One tenant's long-lived link to its platform (a stream, a logged-in puppet). */
export interface TenantLink {
  start(): Promise<void>;
  stop(): Promise<void> | void;
  status(): Record<string, unknown>;
}

export interface TenantLinksOptions<C, L extends TenantLink> {
  /** Off: no link opens (the platform's HTTP mode, say). */
  enabled?: boolean;
  /** Tenants holding credentials for the platform. */
  tenants(): Promise<string[]>;
  credentials(tenantId: string): Promise<C | null>;
  /** The part of the credentials whose change needs a new link. */
  key(creds: C): string;
  create(tenantId: string, creds: C): L;
  /** Platform-wide status fields next to the tenants'. */
  status?(): Record<string, unknown>;
  onNoTenants?(): void;
  onError?(tenantId: string, err: unknown): void;
  onClosed?(tenantId: string): void;
}

export interface TenantLinks<L> extends Connection {
  link(tenantId: string): L | undefined;
}

/**
 * One link per tenant with credentials: opened at start, reopened or closed when the tenant's
 * credentials change. Changes for one tenant run one at a time, so two quick updates never leave
 * two links behind; a link is registered before it starts, so stop() reaches one still starting.
 */
export function createTenantLinks<C, L extends TenantLink>(o: TenantLinksOptions<C, L>): TenantLinks<L> {
  const open = new Map<string, { key: string; link: L }>();
  const queues = new Map<string, Promise<void>>();
  let started = false;
  let stopped = false;

  const sync = async (tenantId: string) => {
    const creds = stopped ? null : await o.credentials(tenantId);
    const key = creds ? o.key(creds) : null;
    const cur = open.get(tenantId);
    if (cur && cur.key === key) return;
    if (cur) {
      open.delete(tenantId);
      await cur.link.stop();
      o.onClosed?.(tenantId);
    }
    if (!creds || key === null) return;
    const link = o.create(tenantId, creds);
    open.set(tenantId, { key, link });
    await link.start();
  };
  const enqueue = (tenantId: string) => {
    const next = (queues.get(tenantId) ?? Promise.resolve()).then(() => sync(tenantId)).catch((err: unknown) => o.onError?.(tenantId, err));
    queues.set(tenantId, next);
    return next;
  };

  return {
    link: (tenantId) => open.get(tenantId)?.link,
    async start() {
      if (o.enabled === false || started) return;
      started = true;
      const tenants = await o.tenants();
      if (tenants.length === 0) o.onNoTenants?.();
      await Promise.all(tenants.map(enqueue));
    },
    async credentialsChanged(tenantId) {
      if (started && !stopped) await enqueue(tenantId);
    },
    async stop() {
      stopped = true;
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map(({ link }) => link.stop()));
    },
    status() {
      return { ...(o.status?.() ?? {}), tenants: Object.fromEntries([...open].map(([id, { link }]) => [id, link.status()])) };
    },
  };
}
