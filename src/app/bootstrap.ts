import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { SecretBox } from '../lib/secret-box.js';
import type { Logger } from '../lib/logger.js';
import { getTenant, setChannelCredentials, updateTenantSettings, upsertTenant } from '../crm/tenants.repo.js';
import { listProducts, upsertProducts, type Product } from '../crm/products.repo.js';
import { createUser, listUsers, type PlatformAccount } from '../crm/users.repo.js';
import type { AnyAdapter } from '../channel/adapter.js';
import { adapters as allAdapters } from '../adapters/index.js';
import { createCustomer } from '../crm/customers.repo.js';
import { addInteraction } from '../crm/interactions.repo.js';
import { createLead } from '../crm/leads.repo.js';

export const DEFAULT_TENANT_ID = 'default';
/** The demo tenant's rep and manager accounts (the same id on every platform): the playground writes as them. */
export const DEMO_REP_ACCOUNT = 'demo-rep-li';
export const DEMO_MANAGER_ACCOUNT = 'demo-manager';
const SEED_CATALOG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed/demo-catalog.json');

export function loadSeedCatalog(): Product[] {
  return JSON.parse(readFileSync(SEED_CATALOG, 'utf8')) as Product[];
}

/**
 * The default tenant follows the environment: channel credentials in env create or update it;
 * with none, a demo tenant with demo users, customers and the demo catalog exists.
 */
export async function bootstrapDefaultTenant(config: Config, database: Database, box: SecretBox, logger: Logger, adapters: readonly AnyAdapter[] = allAdapters): Promise<{ demo: boolean }> {
  const { db } = database;
  const fromEnv = Object.entries(config.adapters).filter(([, s]) => s.defaultCredentials !== undefined);
  if (fromEnv.length > 0) {
    await db.transaction(async (tx) => {
      const existing = await getTenant(tx, DEFAULT_TENANT_ID);
      await upsertTenant(tx, { tenantId: DEFAULT_TENANT_ID, name: existing?.name ?? '默认租户' }, 'bootstrap');
      for (const [platform, s] of fromEnv) await setChannelCredentials(tx, DEFAULT_TENANT_ID, platform, box.sealJson(s.defaultCredentials), 'bootstrap');
      if ((await listProducts(tx, DEFAULT_TENANT_ID)).length === 0) await upsertProducts(tx, DEFAULT_TENANT_ID, loadSeedCatalog());
    });
    logger.info({ channels: fromEnv.map(([platform]) => platform) }, 'default tenant configured from environment');
    return { demo: false };
  }
  await seedDemoTenant(database, DEFAULT_TENANT_ID, adapters);
  return { demo: true };
}

/** A demo person's accounts: the same id on every platform, `<id>-<kind>` for a platform's other kinds. */
export function demoAccounts(id: string, adapters: readonly AnyAdapter[]): PlatformAccount[] {
  return adapters.flatMap((a) => a.accountKinds.map((kind, i) => ({ platform: a.name, kind, value: i === 0 ? id : `${id}-${kind}` })));
}

export async function seedDemoTenant(database: Database, tenantId = DEFAULT_TENANT_ID, adapters: readonly AnyAdapter[] = allAdapters): Promise<void> {
  await database.db.transaction(async (tx) => {
    const { created, tenant } = await upsertTenant(tx, { tenantId, name: '客路演示公司' }, 'bootstrap');
    // Only a tenant marked demo offers the demo sign-in (pick a user, no platform), and only while it has no channel.
    if (tenant.settings.demo !== true) await updateTenantSettings(tx, tenantId, 'demo', true, 'bootstrap');
    if (!created && (await listUsers(tx, tenantId, {}, { limit: 1 })).items.length > 0) return;
    await upsertProducts(tx, tenantId, loadSeedCatalog());
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
    const accounts = (id: string) => demoAccounts(id, adapters);
    await createUser(tx, tenantId, { name: '王管理', role: 'admin', accounts: accounts('demo-admin') }, 'bootstrap');
    await createUser(tx, tenantId, { name: '陈经理', role: 'manager', region: '华东', accounts: accounts(DEMO_MANAGER_ACCOUNT) }, 'bootstrap');
    const li = await createUser(tx, tenantId, { name: '李销售', role: 'rep', region: '华东', accounts: accounts(DEMO_REP_ACCOUNT), workingHours: hours, capacity: 50 }, 'bootstrap');
    await createUser(tx, tenantId, { name: '张销售', role: 'rep', region: '华北', accounts: accounts('demo-rep-zhang'), workingHours: hours, capacity: 50, onDuty: true }, 'bootstrap');
    const c = await createCustomer(tx, tenantId, {
      name: '孙', title: '主任', company: '上海市第六人民医院', ownerId: li.id, sourceChannel: '展会', tags: ['医院'],
      identities: [{ kind: 'phone', value: '13688889999' }],
    }, 'bootstrap');
    await createLead(tx, tenantId, { customerId: c.id, status: 'claimed', assigneeId: li.id, sourceChannel: '展会', intentLevel: 'high', urgencyLevel: 'medium' }, 'bootstrap');
    await addInteraction(tx, tenantId, {
      customerId: c.id, channel: 'demo', direction: 'in', authorId: li.id, platform: 'demo', platformMessageId: 'demo-1',
      text: '孙主任想下周四上午10点看一下移动DR的演示', occurredAt: new Date(),
    });
  });
}
