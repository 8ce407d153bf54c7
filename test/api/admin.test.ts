import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { json, serve } from '../helpers/test-app.js';
import type { RunningServer } from '../../src/server.js';
import { adminRouter } from '../../src/api/admin.routes.js';
import { accessRouter } from '../../src/api/access.routes.js';
import { testAuth } from '../helpers/auth.js';
import { upsertTenant } from '../../src/crm/tenants.repo.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { createLead } from '../../src/crm/leads.repo.js';
import { addInteraction } from '../../src/crm/interactions.repo.js';

const TOKEN = 'test-admin-token-0123456789';

describe.each(backends)('admin API on %s', (backend) => {
  let t: TestDatabase;
  let srv: RunningServer;
  const call = (path: string, init: RequestInit & { token?: string | null; tenant?: string } = {}) =>
    fetch(`${srv.url}${path}`, {
      ...init,
      headers: {
        ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }),
        ...(init.tenant ? { 'x-kelu-tenant': init.tenant } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  let customerId = '';

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    const { db } = t.database;
    await upsertTenant(db, { tenantId: 'default', name: 'D' }, 'test');
    await upsertTenant(db, { tenantId: 'other', name: 'O' }, 'test');
    for (let i = 0; i < 7; i++) {
      const c = await createCustomer(db, 'default', { name: `客户${i}`, company: i === 3 ? '第六人民医院' : null, tags: i < 2 ? ['vip'] : [], stage: i === 4 ? 'won' : 'new', identities: [{ kind: 'phone', value: `1380000100${i}` }] }, 'test');
      if (i === 0) customerId = c.id;
      await createLead(db, 'default', { customerId: c.id, status: i % 2 ? 'claimed' : 'new' }, 'test');
    }
    await createCustomer(db, 'other', { name: '别人的客户' }, 'test');
    for (let i = 0; i < 3; i++) {
      await addInteraction(db, 'default', { customerId, channel: 'chat', direction: 'in', text: `m${i}`, platform: 'x', platformMessageId: `m${i}`, occurredAt: new Date() });
    }
    const auth = testAuth(t.database, TOKEN);
    srv = await serve(t.database, [adminRouter({ database: t.database, auth, bodyLimitBytes: 1024 }), accessRouter({ database: t.database, auth, bodyLimitBytes: 1024 })]);
  });
  afterAll(async () => {
    await srv?.close();
    await t?.drop();
  });

  it('refuses requests without the right bearer token (401 with a code)', async () => {
    for (const token of [null, 'wrong-token', `${TOKEN}x`]) {
      const res = await call('/api/v1/customers', { token });
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe('unauthorized');
    }
  });

  it('lists customers with identities, filters and cursor pagination', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await call(`/api/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((c: { id: string }) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(7);
    const vip = await json(await call('/api/v1/customers?tag=vip'));
    expect(vip.items).toHaveLength(2);
    const byCompany = await json(await call(`/api/v1/customers?q=${encodeURIComponent('人民医院')}`));
    expect(byCompany.items.map((c: { name: string }) => c.name)).toEqual(['客户3']);
    const byPhone = await json(await call('/api/v1/customers?q=13800001005'));
    expect(byPhone.items[0].identities).toEqual([{ kind: 'phone', value: '13800001005' }]);
    const won = await json(await call('/api/v1/customers?stage=won'));
    expect(won.items).toHaveLength(1);
  });

  it('shows one customer with identities and its interactions', async () => {
    const c = await json(await call(`/api/v1/customers/${customerId}`));
    expect(c).toMatchObject({ id: customerId, name: '客户0', identities: [{ kind: 'phone', value: '13800001000' }] });
    const page1 = await json(await call(`/api/v1/customers/${customerId}/interactions?limit=2`));
    expect(page1.items).toHaveLength(2);
    const page2 = await json(await call(`/api/v1/customers/${customerId}/interactions?limit=2&cursor=${page1.nextCursor}`));
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
  });

  it('never lets a tenant key read another tenant, whatever X-Kelu-Tenant says', async () => {
    const created = await json(await call('/api/v1/keys', { method: 'POST', body: JSON.stringify({ name: 'crm sync', scope: 'read' }) }));
    const key = created.key as string;
    const [other] = (await json(await call('/api/v1/customers', { tenant: 'other' }))).items;
    for (const tenant of ['other', 'nope', 'DEFAULT']) {
      const list = await call('/api/v1/customers', { token: key, tenant });
      expect([tenant, list.status]).toEqual([tenant, 403]);
      expect((await json(list)).error.code).toBe('tenant_mismatch');
      const one = await call(`/api/v1/customers/${other.id}`, { token: key, tenant });
      expect(one.status).toBe(403);
    }
    // Without the header, or naming its own tenant, the key reads its own tenant only.
    for (const tenant of [undefined, 'default']) {
      const names = (await json(await call('/api/v1/customers?limit=200', { token: key, ...(tenant ? { tenant } : {}) }))).items.map((c: { name: string }) => c.name);
      expect(names).toHaveLength(7);
      expect(names).not.toContain('别人的客户');
      expect((await call(`/api/v1/customers/${other.id}`, { token: key })).status).toBe(404);
    }
    // The operator's bootstrap token still manages every tenant (its job), and each use is audited there.
    const list = await json(await call('/api/v1/customers', { tenant: 'other' }));
    expect(list.items.map((c: { name: string }) => c.name)).toEqual(['别人的客户']);
    expect((await call('/api/v1/customers', { tenant: 'nope' })).status).toBe(404);
    const audit = await json(await call('/api/v1/audit?actor=operator&action=operator.use', { tenant: 'other' }));
    expect(audit.items[0]).toMatchObject({ actor: 'operator', action: 'operator.use', entity: 'api', entityId: 'GET /api/v1/customers', after: { status: 200 } });
  });

  it('answers bad parameters with 400 and a code', async () => {
    const cases: [string, string][] = [
      ['/api/v1/customers?limit=0', 'invalid_parameter'],
      ['/api/v1/customers?limit=abc', 'invalid_parameter'],
      ['/api/v1/customers?limit=1000', 'invalid_parameter'],
      ['/api/v1/customers?owner=not-a-uuid', 'invalid_parameter'],
      ['/api/v1/customers?cursor=garbage', 'invalid_cursor'],
      ['/api/v1/customers?bogus=1', 'invalid_parameter'],
      ['/api/v1/customers/123', 'invalid_id'],
      ['/api/v1/leads?status=maybe', 'invalid_parameter'],
      ['/api/v1/leads?assignee=x', 'invalid_parameter'],
    ];
    for (const [path, code] of cases) {
      const res = await call(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect((await json(res)).error.code).toBe(code);
    }
    expect((await call('/api/v1/customers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('filters leads by status and assignee', async () => {
    const claimed = await json(await call('/api/v1/leads?status=claimed'));
    expect(claimed.items).toHaveLength(3);
    expect(claimed.items[0]).toHaveProperty('statusHistory');
  });

  it('creates users, validates them, and refuses binding one account twice', async () => {
    const liu = { platform: 'wecom', kind: 'userid', value: 'liu' };
    const liuDt = { platform: 'dingtalk', kind: 'userid', value: 'dt-liu' };
    const res = await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: '刘销售', role: 'rep', accounts: [liu, liuDt], region: '华南' }) });
    expect(res.status).toBe(201);
    const u = await json(res);
    expect(u).toMatchObject({ name: '刘销售', role: 'rep', accounts: [liu, liuDt], region: '华南' });
    const dup = await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: '冒名', role: 'rep', accounts: [liu] }) });
    expect(dup.status).toBe(409);
    expect((await json(dup)).error.code).toBe('account_already_bound');
    // The refused user was not created half-way.
    expect((await json(await call('/api/v1/users?limit=200'))).items.map((x: { name: string }) => x.name)).not.toContain('冒名');
    const badAccount = await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: '错', role: 'rep', accounts: [{ platform: 'WeCom!', kind: 'userid', value: 'x' }] }) });
    expect(badAccount.status).toBe(400);
    const bad = await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: '', role: 'boss' }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('invalid_body');
    const malformed = await call('/api/v1/users', { method: 'POST', body: '{"name":' });
    expect((await json(malformed)).error.code).toBe('malformed_json');
    const big = await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(5000), role: 'rep' }) });
    expect(big.status).toBe(413);
    const list = await json(await call('/api/v1/users?role=rep'));
    expect(list.items.map((x: { name: string }) => x.name)).toContain('刘销售');
  });

  it('binds and unbinds a user\'s accounts', async () => {
    const u = await json(await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: '周销售', role: 'rep' }) }));
    expect(u.accounts).toEqual([]);
    const a = { platform: 'dingtalk', kind: 'unionid', value: 'u-zhou' };
    const added = await call(`/api/v1/users/${u.id}/accounts`, { method: 'POST', body: JSON.stringify(a) });
    expect(added.status).toBe(201);
    expect((await json(added)).accounts).toEqual([a]);
    expect((await call(`/api/v1/users/${u.id}/accounts`, { method: 'POST', body: JSON.stringify(a) })).status).toBe(200);
    const other = await json(await call('/api/v1/users', { method: 'POST', body: JSON.stringify({ name: '吴销售', role: 'rep' }) }));
    expect((await call(`/api/v1/users/${other.id}/accounts`, { method: 'POST', body: JSON.stringify(a) })).status).toBe(409);
    expect((await json(await call(`/api/v1/users/${u.id}`))).accounts).toEqual([a]);
    const removed = await call(`/api/v1/users/${u.id}/accounts`, { method: 'DELETE', body: JSON.stringify(a) });
    expect(removed.status).toBe(200);
    expect((await json(removed)).accounts).toEqual([]);
    expect((await call(`/api/v1/users/${u.id}/accounts`, { method: 'DELETE', body: JSON.stringify(a) })).status).toBe(404);
    expect((await call('/api/v1/users/00000000-0000-4000-8000-000000000000/accounts', { method: 'POST', body: JSON.stringify(a) })).status).toBe(404);
  });

  it('serves health and readiness without auth', async () => {
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
    const ready = await json(await fetch(`${srv.url}/readyz`));
    expect(ready).toEqual({ status: 'ready', database: backend });
  });
});
