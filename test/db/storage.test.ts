import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { upsertTenant } from '../../src/crm/tenants.repo.js';
import { addIdentity, createCustomer, findCustomersByIdentities, getCustomer, listCustomers, updateCustomer } from '../../src/crm/customers.repo.js';
import { createUser, findUserByAccount, listUsers } from '../../src/crm/users.repo.js';
import { changeLeadStatus, createLead, getLead, listLeads } from '../../src/crm/leads.repo.js';
import { addInteraction, interactionHeatmap, listInteractions } from '../../src/crm/interactions.repo.js';
import { listAudit } from '../../src/crm/audit.repo.js';
import { loadMigrations } from '../../src/db/migrate.js';
import { customerIdentities } from '../../src/db/schema.js';

describe.each(backends)('storage on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    const { db } = t.database;
    await upsertTenant(db, { tenantId: 'a', name: 'Tenant A' }, 'test');
    await upsertTenant(db, { tenantId: 'b', name: 'Tenant B' }, 'test');
  });
  afterAll(async () => t?.drop());

  it('applies every migration once and is idempotent on a second run', async () => {
    expect(await t.database.migrate()).toEqual([]);
    const rows = await t.database.query<{ name: string }>(sql`select name from kelu_migrations order by name`);
    expect(rows.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
    const tables = await t.database.query<{ table_name: string }>(sql`select table_name from information_schema.columns where column_name = 'tenant_id' and table_schema = 'public'`);
    expect(new Set(tables.map((r) => r.table_name))).toEqual(
      new Set(['tenants', 'users', 'products', 'customers', 'customer_identities', 'leads', 'interactions', 'tasks', 'inbox_events', 'outbox_messages', 'audit_log', 'platform_tokens', 'timers', 'user_accounts', 'api_keys', 'binding_tokens', 'stage_models', 'stage_entries', 'stage_answers', 'quick_replies', 'insight_spend', 'automation_firings', 'insight_alerts', 'import_jobs', 'import_files', 'import_results', 'import_mappings', 'tracking_settings', 'tracked_links', 'link_clicks', 'tracking_visitors', 'behaviour_events', 'deal_credits', 'intake_sources', 'intake_deliveries', 'intake_unknown_fields', 'insight_collab_months', 'insight_customer_state', 'insight_lead_state', 'insight_heat_months', 'insight_heat_deltas']),
    );
  });

  it('keeps tenants apart: tenant A never sees tenant B', async () => {
    const { db } = t.database;
    const ca = await createCustomer(db, 'a', { name: '甲客户', identities: [{ kind: 'phone', value: '13800000001' }] }, 'test');
    const cb = await createCustomer(db, 'b', { name: '乙客户', identities: [{ kind: 'phone', value: '13800000001' }] }, 'test');
    expect((await listCustomers(db, 'a', {}, { limit: 50 })).items.map((c) => c.id)).toEqual([ca.id]);
    expect((await listCustomers(db, 'b', { q: '客户' }, { limit: 50 })).items.map((c) => c.id)).toEqual([cb.id]);
    expect(await getCustomer(db, 'a', cb.id)).toBeNull();
    expect((await findCustomersByIdentities(db, 'a', [{ kind: 'phone', value: '13800000001' }])).map((c) => c.id)).toEqual([ca.id]);
    expect(await updateCustomer(db, 'a', cb.id, { name: 'hijack' }, 'test')).toBeNull();
    expect((await getCustomer(db, 'b', cb.id))!.name).toBe('乙客户');
    const same = { platform: 'p1', kind: 'userid', value: 'same' };
    const ua = await createUser(db, 'a', { name: 'A rep', role: 'rep', accounts: [same] }, 'test');
    await createUser(db, 'b', { name: 'B rep', role: 'rep', accounts: [same] }, 'test');
    expect((await findUserByAccount(db, 'a', same))!.id).toBe(ua.id);
    expect((await listUsers(db, 'a', {}, { limit: 10 })).items.every((u) => u.tenantId === 'a')).toBe(true);
    const la = await createLead(db, 'a', { customerId: ca.id }, 'test');
    expect(await getLead(db, 'b', la.id)).toBeNull();
    expect((await listLeads(db, 'b', {}, { limit: 10 })).items).toHaveLength(0);
  });

  it('enforces one customer per identity (tenant, kind, normalized value)', async () => {
    const { db } = t.database;
    const c1 = await createCustomer(db, 'a', { name: '王', identities: [{ kind: 'phone', value: '+86 139-1234-5678' }] }, 'test');
    expect(c1.identities).toEqual([{ kind: 'phone', value: '13912345678' }]);
    await expect(createCustomer(db, 'a', { name: '另一个', identities: [{ kind: 'phone', value: '13912345678' }] }, 'test')).rejects.toThrow();
    // The raw insert is refused by the database itself, not only by the repository.
    await expect(db.insert(customerIdentities).values({ tenantId: 'a', customerId: c1.id, kind: 'phone', value: '13912345678' })).rejects.toThrow();
    const c2 = await createCustomer(db, 'a', { name: '赵' }, 'test');
    await expect(addIdentity(db, 'a', c2.id, { kind: 'phone', value: '0086 13912345678' })).rejects.toMatchObject({ code: 'identity_taken', customerId: c1.id });
    expect(await addIdentity(db, 'a', c1.id, { kind: 'phone', value: '13912345678' })).toBe(false);
    expect(await addIdentity(db, 'a', c1.id, { kind: 'email', value: 'Wang@Example.com' })).toBe(true);
    expect((await getCustomer(db, 'a', c1.id))!.identities).toContainEqual({ kind: 'email', value: 'wang@example.com' });
    // Unknown identity kinds are refused by a CHECK constraint.
    await expect(db.insert(customerIdentities).values({ tenantId: 'a', customerId: c1.id, kind: 'fax' as 'phone', value: 'x' })).rejects.toThrow();
  });

  it('rolls back a failed transaction completely', async () => {
    const { db } = t.database;
    await expect(
      db.transaction(async (tx) => {
        await createCustomer(tx, 'a', { name: '回滚', identities: [{ kind: 'phone', value: '13700000009' }] }, 'test');
        await createCustomer(tx, 'a', { name: '回滚2', identities: [{ kind: 'phone', value: '13700000009' }] }, 'test');
      }),
    ).rejects.toThrow();
    expect(await findCustomersByIdentities(db, 'a', [{ kind: 'phone', value: '13700000009' }])).toHaveLength(0);
    expect((await listCustomers(db, 'a', { q: '回滚' }, { limit: 10 })).items).toHaveLength(0);
  });

  it('writes audit rows for creates, updates and lead status changes', async () => {
    const { db } = t.database;
    const c = await createCustomer(db, 'a', { name: '审计' }, 'rep-1');
    await updateCustomer(db, 'a', c.id, { company: '某医院' }, 'rep-2');
    const audit = await listAudit(db, 'a', 'customer', c.id);
    expect(audit.map((r) => [r.action, r.actor])).toEqual([['customer.create', 'rep-1'], ['customer.update', 'rep-2']]);
    expect((audit[1]!.before as { company: string | null }).company).toBeNull();
    expect((audit[1]!.after as { company: string }).company).toBe('某医院');
    expect(await listAudit(db, 'b', 'customer', c.id)).toHaveLength(0);
    const lead = await createLead(db, 'a', { customerId: c.id }, 'system');
    const u = await createUser(db, 'a', { name: 'rep', role: 'rep' }, 'test');
    const moved = await db.transaction((tx) => changeLeadStatus(tx, 'a', lead.id, { status: 'assigned', by: 'engine', assigneeId: u.id }));
    expect(moved!.statusHistory.map((h) => h.status)).toEqual(['new', 'assigned']);
    expect(moved!.assigneeId).toBe(u.id);
    expect((await listAudit(db, 'a', 'lead', lead.id)).map((r) => r.action)).toEqual(['lead.create', 'lead.assigned']);
  });

  it('pages customers with a stable cursor and no duplicates or gaps', async () => {
    const { db } = t.database;
    await upsertTenant(db, { tenantId: 'pages', name: 'P' }, 'test');
    const ids = new Set<string>();
    for (let i = 0; i < 23; i++) ids.add((await createCustomer(db, 'pages', { name: `客户${i}`, tags: i % 2 ? ['odd'] : [] }, 'test')).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCustomers(db, 'pages', {}, { limit: 5, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(ids);
    expect((await listCustomers(db, 'pages', { tag: 'odd' }, { limit: 50 })).items).toHaveLength(11);
  });

  it('archives an interaction once per platform message and answers the heat map in the tenant zone', async () => {
    const { db } = t.database;
    const c = await createCustomer(db, 'a', { name: '热图' }, 'test');
    // 2026-03-09 is a Monday; 01:30Z is 09:30 in Shanghai.
    const first = await addInteraction(db, 'a', { customerId: c.id, channel: 'chat', direction: 'in', text: 'hi', platform: 'p', platformMessageId: 'm1', occurredAt: new Date('2026-03-09T01:30:00Z') });
    const again = await addInteraction(db, 'a', { customerId: c.id, channel: 'chat', direction: 'in', text: 'hi', platform: 'p', platformMessageId: 'm1', occurredAt: new Date('2026-03-09T01:30:00Z') });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.row.id).toBe(first.row.id);
    await addInteraction(db, 'a', { customerId: c.id, channel: 'chat', direction: 'out', text: 'yo', platform: 'p', platformMessageId: 'm2', occurredAt: new Date('2026-03-15T15:10:00Z') });
    expect((await listInteractions(db, 'a', c.id, { limit: 10 })).items).toHaveLength(2);
    const cells = await interactionHeatmap(db, 'a', c.id, 'Asia/Shanghai', new Date('2026-01-01T00:00:00Z'));
    expect(cells.sort((x, y) => x.weekday - y.weekday)).toEqual([
      { weekday: 1, hour: 9, count: 1 },
      { weekday: 7, hour: 23, count: 1 },
    ]);
  });
});
