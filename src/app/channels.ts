import NodeCache from 'node-cache';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../lib/secret-box.js';
import { getTenant, type Tenant } from '../crm/tenants.repo.js';

export interface TenantChannel<T> {
  tenant: Tenant;
  creds: T;
}

/**
 * Tenant channel credentials, opened from their sealed form and cached briefly so the callback
 * hot path does not read and decrypt them on every request.
 */
export class ChannelDirectory {
  private readonly cache: NodeCache;

  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    ttlSeconds = 30,
  ) {
    this.cache = new NodeCache({ stdTTL: ttlSeconds, useClones: false, checkperiod: 0 });
  }

  async get<T>(tenantId: string, platform: string): Promise<TenantChannel<T> | null> {
    const id = `${tenantId}\u0000${platform}`;
    const hit = this.cache.get<TenantChannel<T> | null>(id);
    if (hit !== undefined) return hit;
    const tenant = await getTenant(this.database.db, tenantId);
    const sealed = tenant?.channels[platform];
    let value: TenantChannel<T> | null = null;
    if (tenant && sealed) value = { tenant, creds: this.box.openJson<T>(sealed) };
    this.cache.set(id, value);
    return value;
  }

  invalidate(tenantId?: string): void {
    if (!tenantId) this.cache.flushAll();
    else for (const k of this.cache.keys()) if (k.startsWith(`${tenantId}\u0000`)) this.cache.del(k);
  }
}
