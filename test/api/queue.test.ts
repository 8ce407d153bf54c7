import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { fakeClock, outboxRows, startHarness, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';
import { upsertTenant } from '../../src/crm/tenants.repo.js';
import { createUser } from '../../src/crm/users.repo.js';

const OPERATOR = 'harness-admin-token-0123';

describe.each(backends)('source weights order the unassigned queue and assignment on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  const clock = fakeClock(new Date('2026-03-02T02:00:00Z'));
  const op = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, 'x-kelu-tenant': 'q', ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await upsertTenant(t.database.db, { tenantId: 'q', name: '排队公司' }, 'test');
    // A manager and no rep yet: every new lead waits in the queue.
    await createUser(t.database.db, 'q', { name: '经理', role: 'manager', accounts: [{ platform: 'wecom', kind: 'userid', value: 'q-mgr' }] }, 'test');
    h = await startHarness(t.database, { startWorkers: false, clock: clock.now });
  }, 120_000); // opening a database and a server is slow on a loaded machine
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('assigns a 老客转介 lead (2.0) before an older 展会 lead (1.2) when one rep can take one', async () => {
    const put = await op('/api/v1/settings/assignment', { method: 'PUT', body: { sourceWeights: { 老客转介: 2.0, 展会: 1.2 } } });
    expect(put.status).toBe(200);
    const expo = await json(await op('/api/v1/leads', { method: 'POST', body: { name: '周', phone: '13900000001', sourceChannel: '展会' } }));
    clock.advance(60 * 60_000);
    const site = await json(await op('/api/v1/leads', { method: 'POST', body: { name: '吴', phone: '13900000002', sourceChannel: '官网' } }));
    clock.advance(60 * 60_000);
    const referral = await json(await op('/api/v1/leads', { method: 'POST', body: { name: '郑', phone: '13900000003', sourceChannel: '老客转介' } }));
    for (const l of [expo, site, referral]) expect(l.assigneeId).toBeNull();

    const queue = await json(await op('/api/v1/leads/queue'));
    expect(queue.items.map((l: { id: string; priority: number }) => [l.id, l.priority])).toEqual([[referral.leadId, 2], [expo.leadId, 1.2], [site.leadId, 1]]);

    // One rep with room for one lead: the referral gets them, the older trade-show lead waits.
    const rep = await createUser(t.database.db, 'q', { name: '李销售', role: 'rep', capacity: 1, accounts: [{ platform: 'wecom', kind: 'userid', value: 'q-li' }] }, 'test');
    h.runtime.tenantInfo.invalidate('q');
    const drained = await json(await op('/api/v1/leads/queue/assign', { method: 'POST' }));
    expect(drained.assigned).toEqual([{ leadId: referral.leadId, assigneeId: rep.id, priority: 2 }]);
    const after = await json(await op('/api/v1/leads/queue'));
    expect(after.items.map((l: { id: string }) => l.id)).toEqual([expo.leadId, site.leadId]);
    const cards = (await outboxRows(t.database)).filter((m) => m.payload.to?.userIds?.[0] === 'q-li');
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0]!.payload)).toContain('新线索待认领：郑');

    // Room for more: the next in queue order is the trade-show lead, then the website one.
    await t.database.db.execute((await import('drizzle-orm')).sql`update users set capacity = 3 where id = ${rep.id}`);
    const more = await json(await op('/api/v1/leads/queue/assign', { method: 'POST' }));
    expect(more.assigned.map((a: { leadId: string }) => a.leadId)).toEqual([expo.leadId, site.leadId]);
  });

  it('hands a leaving rep\'s leads back in queue order: the 老客转介 lead gets the one free rep, the older 展会 lead waits', async () => {
    const on = (tenant: string) => (p: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, 'x-kelu-tenant': tenant, ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
    const hop = on('h');
    await upsertTenant(t.database.db, { tenantId: 'h', name: '交接公司' }, 'test');
    await createUser(t.database.db, 'h', { name: '经理', role: 'manager', accounts: [{ platform: 'wecom', kind: 'userid', value: 'h-mgr' }] }, 'test');
    const leaving = await createUser(t.database.db, 'h', { name: '要走的销售', role: 'rep', accounts: [{ platform: 'wecom', kind: 'userid', value: 'h-go' }] }, 'test');
    expect((await hop('/api/v1/settings/assignment', { method: 'PUT', body: { sourceWeights: { 老客转介: 2.0, 展会: 1.2 } } })).status).toBe(200);
    const expo = await json(await hop('/api/v1/leads', { method: 'POST', body: { name: '钱', phone: '13900000011', sourceChannel: '展会' } }));
    clock.advance(60 * 60_000);
    const referral = await json(await hop('/api/v1/leads', { method: 'POST', body: { name: '孙', phone: '13900000012', sourceChannel: '老客转介' } }));
    expect([expo.assigneeId, referral.assigneeId]).toEqual([leaving.id, leaving.id]);

    const stays = await createUser(t.database.db, 'h', { name: '留下的销售', role: 'rep', capacity: 1, accounts: [{ platform: 'wecom', kind: 'userid', value: 'h-stay' }] }, 'test');
    h.runtime.tenantInfo.invalidate('h');
    const res = await hop(`/api/v1/users/${leaving.id}/deactivate`, { method: 'POST', body: { handoverTo: null } });
    expect(res.status).toBe(200);
    const lead = async (id: string) => (await t.database.query<{ assignee_id: string | null; status: string }>((await import('drizzle-orm')).sql`select assignee_id, status from leads where id = ${id}`))[0]!;
    expect(await lead(referral.leadId)).toEqual({ assignee_id: stays.id, status: 'assigned' });
    expect(await lead(expo.leadId)).toEqual({ assignee_id: null, status: 'new' });
    expect((await json(await hop('/api/v1/leads/queue'))).items.map((l: { id: string }) => l.id)).toEqual([expo.leadId]);
  });

  it('is for managers and admins', async () => {
    const rep = await createUser(t.database.db, 'q', { name: '张销售', role: 'rep' }, 'test');
    const s = h.runtime.auth.sessions.issue('q', rep.id);
    expect((await fetch(`${h.server.url}/api/v1/leads/queue`, { headers: { cookie: `kelu_session=${s.value}` } })).status).toBe(403);
  });
});
