import NodeCache from 'node-cache';
import type { Tx } from '../db/database.js';
import { getTenant } from '../crm/tenants.repo.js';
import { listProducts } from '../crm/products.repo.js';
import { getAssignmentSettings, type AssignmentSettings } from '../crm/settings.js';
import type { Catalog } from '../nlp/index.js';

export interface TenantInfo {
  timeZone: string;
  catalog: Catalog;
  assignment: AssignmentSettings;
}

/**
 * Per-tenant facts every message needs (zone, catalog, rules), cached briefly: a catalog or rule
 * change is picked up within the TTL, or at once after invalidate(), with no restart.
 */
export class TenantInfoCache {
  private readonly cache: NodeCache;

  constructor(ttlSeconds = 30) {
    this.cache = new NodeCache({ stdTTL: ttlSeconds, useClones: false, checkperiod: 0 });
  }

  async get(tx: Tx, tenantId: string): Promise<TenantInfo> {
    const hit = this.cache.get<TenantInfo>(tenantId);
    if (hit) return hit;
    const tenant = await getTenant(tx, tenantId);
    const info: TenantInfo = {
      timeZone: tenant?.timeZone ?? 'Asia/Shanghai',
      catalog: await listProducts(tx, tenantId),
      assignment: await getAssignmentSettings(tx, tenantId),
    };
    this.cache.set(tenantId, info);
    return info;
  }

  invalidate(tenantId: string): void {
    this.cache.del(tenantId);
  }
}
