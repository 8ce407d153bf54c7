import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';
import { upsertTenant } from '../../src/crm/tenants.repo.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { createLead } from '../../src/crm/leads.repo.js';
import { createTask } from '../../src/crm/tasks.repo.js';
import { addInteraction } from '../../src/crm/interactions.repo.js';
import { seedDemoTenant } from '../../src/app/bootstrap.js';
import type { User } from '../../src/crm/users.repo.js';

const OPERATOR = 'harness-admin-token-0123';
/** The secret part of a key `kelu_<12-char id>_<43-char secret>`; the secret may itself contain `_`. */
const secretOf = (key: string) => key.slice('kelu_'.length + 12 + 1);

describe.each(backends)('sign-in, sessions, keys, roles and handover on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let now = Date.now();
  let people: { manager: User; li: User; zhang: User };
  const c: Record<string, string> = {};

  const url = (p: string) => `${h.server.url}${p}`;
  const op = (p: string, init: { method?: string; body?: unknown; tenant?: string } = {}) =>
    fetch(url(p), { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, ...(init.tenant ? { 'x-kelu-tenant': init.tenant } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const withKey = (key: string, p: string, init: { method?: string; body?: unknown; tenant?: string } = {}) =>
    fetch(url(p), { method: init.method ?? 'GET', headers: { authorization: `Bearer ${key}`, ...(init.tenant ? { 'x-kelu-tenant': init.tenant } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const cookieOf = (res: Response) => res.headers.getSetCookie().find((x) => x.startsWith('kelu_session=') && !x.startsWith('kelu_session=;'))?.split(';')[0];
  const asUser = (cookie: string, p: string, init: { method?: string; body?: unknown; csrf?: string } = {}) =>
    fetch(url(p), { method: init.method ?? 'GET', redirect: 'manual', headers: { cookie, ...(init.csrf ? { 'x-kelu-csrf': init.csrf } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const post = (p: string, body: unknown) => fetch(url(p), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const signInWecom = async (userid: string) => {
    const res = await fetch(url(`/auth/callback/wecom?tenant=default&code=${h.wecom.issueOAuthCode(userid)}&state=signin`), { redirect: 'manual' });
    expect(res.status).toBe(302);
    return { cookie: cookieOf(res)!, res };
  };
  const count = async (q: ReturnType<typeof sql>) => Number((await t.database.query<{ n: number }>(q))[0]!.n);
  const audit = async (action: string, entityId?: string) =>
    (await json(await op(`/api/v1/audit?action=${encodeURIComponent(action)}${entityId ? `&entityId=${entityId}` : ''}`))).items;

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    const { db } = t.database;
    people = await seedTenant(t.database);
    await seedDemoTenant(t.database, 'demo');
    await upsertTenant(db, { tenantId: 'other', name: '别家' }, 'test');
    await db.execute(sql`update users set region = '华东' where id in (${people.manager.id}, ${people.li.id})`);
    await db.execute(sql`update users set region = '华北' where id = ${people.zhang.id}`);
    const mk = async (name: string, ownerId: string | null, phone: string, extra: { email?: string; tags?: string[] } = {}) =>
      (await createCustomer(db, 'default', { name, ownerId, tags: extra.tags ?? [], identities: [{ kind: 'phone', value: phone }, ...(extra.email ? [{ kind: 'email' as const, value: extra.email }] : [])] }, 'test')).id;
    c.li = await mk('李的客户', people.li.id, '13811110001');
    c.zhang = await mk('张的客户', people.zhang.id, '13822220002', { email: 'wang@example.com', tags: ['vip'] });
    c.zhang2 = await mk('张的老客户', people.zhang.id, '13822220003', { tags: ['老客户', '医院'] });
    c.pool = await mk('待分配客户', null, '13833330003', { email: 'pool@example.com' });
    await createLead(db, 'default', { customerId: c.li, status: 'claimed', assigneeId: people.li.id }, 'test');
    await createLead(db, 'default', { customerId: c.zhang, status: 'claimed', assigneeId: people.zhang.id }, 'test');
    await createLead(db, 'default', { customerId: c.zhang2, status: 'won', assigneeId: people.zhang.id }, 'test');
    await createLead(db, 'default', { customerId: c.pool, status: 'new' }, 'test');
    await createTask(db, 'default', { kind: 'follow_up', title: '回访', assigneeId: people.zhang.id, customerId: c.zhang }, 'test');
    await addInteraction(db, 'default', { customerId: c.zhang, channel: 'chat', direction: 'note', text: '王总说下周付款，电话13822220002', platform: 'x', platformMessageId: 'n1', occurredAt: new Date() });
    await createCustomer(db, 'other', { name: '别家客户', identities: [{ kind: 'phone', value: '13900000009' }] }, 'test');
    h = await startHarness(t.database, {
      startWorkers: false,
      sessions: { now: () => now, idleSeconds: 600, absoluteSeconds: 3600 },
      limits: { intakePerKey: { limit: 3, windowSeconds: 60 }, bindPerAddress: { limit: 12, windowSeconds: 60 } },
    });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('signs people in through the fake WeCom OAuth and the fake DingTalk 免登, with a secure cookie and audit rows', async () => {
    const { cookie, res } = await signInWecom('rep-li');
    expect(res.headers.get('location')).toBe('/me');
    const set = res.headers.getSetCookie().join('\n');
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/Secure/);
    expect(set).toMatch(/SameSite=None/);
    const me = await json(await asUser(cookie, '/api/v1/me'));
    expect(me).toMatchObject({ tenantId: 'default', via: 'session', user: { id: people.li.id, role: 'rep' } });
    expect(h.wecom.requests.some((r) => r.path === '/cgi-bin/auth/getuserinfo')).toBe(true);

    const dt = await post('/auth/signin', { tenantId: 'default', platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-mgr-chen', 'u-mgr-chen') });
    expect(dt.status).toBe(200);
    expect(await json(dt)).toMatchObject({ redirect: '/me', user: { id: people.manager.id } });
    expect((await json(await asUser(cookieOf(dt)!, '/api/v1/me'))).user.name).toBe('陈经理');
    const starts = await audit('session.start');
    expect(starts.map((a: { entityId: string; after: { via: string } }) => [a.entityId, a.after.via])).toEqual(expect.arrayContaining([[people.li.id, 'wecom'], [people.manager.id, 'dingtalk']]));
  });

  it('refuses a code for another corp, a replayed code and an unbound account, each with its code and no session', async () => {
    const sessionsBefore = (await audit('session.start')).length;
    const foreign = await fetch(url(`/auth/callback/wecom?tenant=default&code=${h.wecom.issueOAuthCode('rep-li', 'wwanothercorp00001')}`), { redirect: 'manual' });
    expect(foreign.status).toBe(401);
    expect(await foreign.text()).toContain('invalid_code');
    expect(cookieOf(foreign)).toBeUndefined();
    const dtForeign = await post('/auth/signin', { platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-rep-li', 'u-rep-li', 'another-corp-app') });
    expect(dtForeign.status).toBe(401);
    expect((await json(dtForeign)).error.code).toBe('invalid_code');
    const code = h.dingtalk.issueAuthCode('dt-rep-li', 'u-rep-li');
    expect((await post('/auth/signin', { platform: 'dingtalk', code })).status).toBe(200);
    const replay = await post('/auth/signin', { platform: 'dingtalk', code });
    expect([replay.status, (await json(replay)).error.code]).toEqual([401, 'invalid_code']);
    const stranger = await post('/auth/signin', { platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-stranger', 'u-stranger') });
    expect(stranger.status).toBe(403);
    const body = await json(stranger);
    expect(body.error).toMatchObject({ code: 'account_not_bound', details: { label: '钉钉' } });
    expect(cookieOf(stranger)).toBeUndefined();
    const page = await fetch(url(`/auth/callback/wecom?tenant=default&code=${h.wecom.issueOAuthCode('stranger')}`), { redirect: 'manual' });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('account_not_bound');
    expect((await audit('session.start')).length).toBe(sessionsBefore + 1); // only the good code
    const refused = (await audit('session.refused')).map((a: { after: { reason: string } }) => a.after.reason);
    expect(refused.filter((r: string) => r === 'invalid_code')).toHaveLength(3);
    expect(refused.filter((r: string) => r === 'not_bound')).toHaveLength(2);
  });

  it('shows a rep their customers and unassigned leads, masking other people\'s phones in the API and the export', async () => {
    const { cookie } = await signInWecom('rep-li');
    const list = await json(await asUser(cookie, '/api/v1/customers'));
    const byName = Object.fromEntries(list.items.map((x: { name: string; identities: { value: string }[] }) => [x.name, x.identities.map((i) => i.value)]));
    expect(Object.keys(byName).sort()).toEqual(['待分配客户', '李的客户']);
    expect(byName['李的客户']).toEqual(['13811110001']);
    expect(byName['待分配客户']).toEqual(['138****0003', 'p***@example.com']);
    expect((await asUser(cookie, `/api/v1/customers/${c.zhang}`)).status).toBe(404);
    expect((await asUser(cookie, `/api/v1/customers/${c.zhang}/interactions`)).status).toBe(404);
    const leads = await json(await asUser(cookie, '/api/v1/leads'));
    expect(leads.items.map((l: { customerId: string }) => l.customerId).sort()).toEqual([c.li, c.pool].sort());
    const csv = await (await asUser(cookie, '/api/v1/customers/export')).text();
    expect(csv).toContain('13811110001');
    expect(csv).toContain('138****0003');
    expect(csv).not.toContain('13833330003');
    expect(csv).not.toContain('13822220002');
    // The admin-side view of the same customer is whole.
    const full = await json(await op(`/api/v1/customers/${c.pool}`));
    expect(full.identities.map((i: { value: string }) => i.value)).toEqual(['13833330003', 'pool@example.com']);
  });

  it('shows a manager their region\'s team, or the whole tenant without a region; field access is per tenant', async () => {
    const { cookie } = await signInWecom('mgr-chen');
    const names = async () => (await json(await asUser(cookie, '/api/v1/customers'))).items.map((x: { name: string }) => x.name).sort();
    expect(await names()).toEqual(['待分配客户', '李的客户']);
    const pool = await json(await asUser(cookie, `/api/v1/customers/${c.pool}`));
    expect(pool.identities[0].value).toBe('13833330003'); // managers see phones by default
    await t.database.db.execute(sql`update users set region = null where id = ${people.manager.id}`);
    expect(await names()).toEqual(['张的客户', '张的老客户', '待分配客户', '李的客户'].sort());
    const zhang = await json(await asUser(cookie, `/api/v1/customers/${c.zhang}/interactions`));
    expect(zhang.items[0].text).toContain('13822220002');
    // This tenant masks phones for managers too: interactions' text included.
    expect((await op('/api/v1/settings/fields', { method: 'PUT', body: { phone: ['admin'] } })).status).toBe(200);
    const masked = await json(await asUser(cookie, `/api/v1/customers/${c.zhang}/interactions`));
    expect(masked.items[0].text).toBe('王总说下周付款，电话138****0002');
    expect((await op('/api/v1/settings/fields', { method: 'PUT', body: { phone: ['admin', 'manager'], email: ['admin', 'manager'] } })).status).toBe(200);
    expect((await op('/api/v1/settings/fields', { method: 'PUT', body: { phone: ['boss'] } })).status).toBe(400);
    await t.database.db.execute(sql`update users set region = '华东' where id = ${people.manager.id}`);
  });

  it('refuses forged and expired cookies, renews a used one, and wants the CSRF header on changes', async () => {
    const { cookie } = await signInWecom('rep-li');
    const [name, value] = cookie.split('=') as [string, string];
    const [body, mac] = value.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, userId: people.manager.id })).toString('base64url');
    for (const forged of [`${name}=${forgedBody}.${mac}`, `${name}=${body}.${mac.slice(0, -2)}xx`, `${name}=garbage`]) {
      const res = await asUser(forged, '/api/v1/customers');
      expect([forged.slice(0, 30), res.status, (await json(res)).error.code]).toEqual([forged.slice(0, 30), 401, 'invalid_session']);
    }
    now += 6 * 60_000; // past half of the 10-minute idle window: renewed
    const renewedRes = await asUser(cookie, '/api/v1/me');
    const renewed = cookieOf(renewedRes)!;
    expect(renewed).toBeDefined();
    const csrf = (await json(renewedRes)).csrf as string;
    now += 6 * 60_000; // the first cookie has expired, the renewed one has not
    const expired = await asUser(cookie, '/api/v1/me');
    expect([expired.status, (await json(expired)).error.code]).toEqual([401, 'session_expired']);
    expect((await asUser(renewed, '/api/v1/me')).status).toBe(200);
    const noCsrf = await asUser(renewed, '/api/v1/users', { method: 'POST', body: { name: '不该有', role: 'rep' } });
    expect([noCsrf.status, (await json(noCsrf)).error.code]).toEqual([403, 'csrf_required']);
    const notAdmin = await asUser(renewed, '/api/v1/users', { method: 'POST', body: { name: '不该有', role: 'rep' }, csrf });
    expect([notAdmin.status, (await json(notAdmin)).error.code]).toEqual([403, 'insufficient_scope']);
    expect(await count(sql`select count(*)::int as n from users where name = '不该有'`)).toBe(0);
    now += 20 * 60_000;
  });

  it('issues API keys once, stores them hashed, enforces their scope and refuses a revoked key at once', async () => {
    const created = await op('/api/v1/keys', { method: 'POST', body: { name: '报表', scope: 'read' } });
    expect(created.status).toBe(201);
    const { id, key } = await json(created);
    expect(key).toMatch(/^kelu_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const listed = await json(await op('/api/v1/keys'));
    expect(JSON.stringify(listed)).not.toContain(secretOf(key));
    expect(listed.items[0]).toMatchObject({ id, name: '报表', scope: 'read', revokedAt: null });
    const rows = await t.database.query<{ secret_hash: string }>(sql`select secret_hash from api_keys where id = ${id}`);
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(secretOf(key));

    expect((await withKey(key, '/api/v1/customers')).status).toBe(200);
    const users = await count(sql`select count(*)::int as n from users`);
    const wrongScope = await withKey(key, '/api/v1/users', { method: 'POST', body: { name: '读钥匙建的人', role: 'rep' } });
    expect([wrongScope.status, (await json(wrongScope)).error.code]).toEqual([403, 'insufficient_scope']);
    expect((await withKey(key, '/api/v1/keys', { method: 'POST', body: { name: 'x', scope: 'admin' } })).status).toBe(403);
    expect(await count(sql`select count(*)::int as n from users`)).toBe(users);
    const forms = (await json(await op('/api/v1/keys', { method: 'POST', body: { name: '官网表单', scope: 'forms' } }))).key;
    expect((await withKey(forms, '/api/v1/customers')).status).toBe(403);
    const lead = await withKey(forms, '/api/v1/leads', { method: 'POST', body: { name: '官网访客', phone: '13544445555' } });
    expect(lead.status).toBe(201);
    const other = await withKey(key, '/api/v1/customers', { tenant: 'other' });
    expect([other.status, (await json(other)).error.code]).toEqual([403, 'tenant_mismatch']);

    expect((await op(`/api/v1/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await withKey(key, '/api/v1/customers');
    expect([revoked.status, (await json(revoked)).error.code]).toEqual([401, 'key_revoked']);
    expect((await op(`/api/v1/keys/${id}`, { method: 'DELETE' })).status).toBe(404);
    const actions = (await json(await op(`/api/v1/audit?entity=api_key&entityId=${id}`))).items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(['key.revoke', 'key.use', 'key.use', 'key.use', 'key.create']);
    const since = new Date(Date.now() - 60_000).toISOString();
    const filtered = await json(await op(`/api/v1/audit?action=key.*&since=${encodeURIComponent(since)}&limit=2`));
    expect(filtered.items).toHaveLength(2);
    expect(filtered.nextCursor).not.toBeNull();
    expect((await op('/api/v1/audit?since=yesterday')).status).toBe(400);
  });

  it('binds an invited person by a one-time link; a replayed link, a taken account or a foreign code change nothing', async () => {
    const inv = await op('/api/v1/users/invite', { method: 'POST', body: { name: '赵销售', role: 'rep', region: '华东' } });
    expect(inv.status).toBe(201);
    const { user, bindingUrl, qrSvg } = await json(inv);
    expect(qrSvg).toMatch(/^<svg/);
    const token = new URL(bindingUrl).pathname.split('/').pop()!;
    const page = await fetch(url(`/bind/${token}`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('赵销售');

    const foreign = await post('/auth/bind', { token, platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-zhao', 'u-zhao', 'another-corp-app') });
    expect([foreign.status, (await json(foreign)).error.code]).toEqual([401, 'invalid_code']);
    const taken = await post('/auth/bind', { token, platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-rep-li', 'u-rep-li') });
    expect([taken.status, (await json(taken)).error.code]).toEqual([409, 'account_already_bound']);
    expect((await json(await op(`/api/v1/users/${user.id}`))).accounts).toEqual([]);

    const bound = await post('/auth/bind', { token, platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-zhao', 'u-zhao') });
    expect(bound.status).toBe(200);
    expect((await json(await asUser(cookieOf(bound)!, '/api/v1/me'))).user.id).toBe(user.id);
    const accounts = (await json(await op(`/api/v1/users/${user.id}`))).accounts;
    expect(accounts).toHaveLength(2);
    expect(accounts).toEqual(expect.arrayContaining([{ platform: 'dingtalk', kind: 'userid', value: 'dt-zhao' }, { platform: 'dingtalk', kind: 'unionid', value: 'u-zhao' }]));

    const replay = await post('/auth/bind', { token, platform: 'dingtalk', code: h.dingtalk.issueAuthCode('dt-intruder', 'u-intruder') });
    expect([replay.status, (await json(replay)).error.code]).toEqual([410, 'binding_link_used']);
    expect((await json(await op(`/api/v1/users/${user.id}`))).accounts).toEqual(accounts);
    expect((await fetch(url(`/bind/${token}`))).status).toBe(410);
    // WeCom binds through its OAuth redirect, the link's token riding in state.
    const second = await json(await op(`/api/v1/users/${user.id}/binding-link`, { method: 'POST' }));
    const t2 = new URL(second.bindingUrl).pathname.split('/').pop()!;
    const start = await fetch(url(`/auth/start/wecom?bind=${t2}`), { redirect: 'manual' });
    expect(start.headers.get('location')).toMatch(/^https:\/\/open\.weixin\.qq\.com\/connect\/oauth2\/authorize\?appid=ww0123456789abcdef&.*scope=snsapi_base&state=bind\./);
    const cb = await fetch(url(`/auth/callback/wecom?tenant=default&code=${h.wecom.issueOAuthCode('zhao')}&state=bind.${t2}`), { redirect: 'manual' });
    expect(cb.status).toBe(302);
    expect((await json(await op(`/api/v1/users/${user.id}`))).accounts).toContainEqual({ platform: 'wecom', kind: 'userid', value: 'zhao' });
    const binds = await audit('user.bind', user.id);
    expect(binds).toHaveLength(2);
    expect((await audit('user.binding_link', user.id))).toHaveLength(2);
  });

  it('deactivates a rep, handing customers, open leads and tasks to a chosen rep in one audited step, tags and notes kept', async () => {
    const { cookie: zhangCookie } = await signInWecom('rep-zhang');
    const before = await json(await op(`/api/v1/users/${people.zhang.id}/holdings`));
    expect(before).toEqual({ customers: 2, leads: 1, tasks: 1 });
    const liBefore = await json(await op(`/api/v1/users/${people.li.id}/holdings`));
    const tagsBefore = await t.database.query<{ id: string; tags: string[] }>(sql`select id, tags from customers order by id`);
    const notesBefore = await count(sql`select count(*)::int as n from interactions`);

    const res = await op(`/api/v1/users/${people.zhang.id}/deactivate`, { method: 'POST', body: { handoverTo: people.li.id } });
    expect(res.status).toBe(200);
    const out = await json(res);
    expect(out).toMatchObject({ user: { active: false }, handedOver: before, handoverTo: people.li.id });
    expect(await json(await op(`/api/v1/users/${people.zhang.id}/holdings`))).toEqual({ customers: 0, leads: 0, tasks: 0 });
    expect(await json(await op(`/api/v1/users/${people.li.id}/holdings`))).toEqual({ customers: liBefore.customers + 2, leads: liBefore.leads + 1, tasks: liBefore.tasks + 1 });
    expect(await t.database.query(sql`select id, tags from customers order by id`)).toEqual(tagsBefore);
    expect(await count(sql`select count(*)::int as n from interactions`)).toBe(notesBefore);
    // The won lead stays with the rep who won it.
    expect(await count(sql`select count(*)::int as n from leads where assignee_id = ${people.zhang.id} and status = 'won'`)).toBe(1);
    const row = (await audit('user.deactivate', people.zhang.id))[0];
    expect(row.after).toEqual({ active: false, handoverTo: people.li.id, customers: 2, leads: 1, tasks: 1 });
    const gone = await asUser(zhangCookie, '/api/v1/me');
    expect([gone.status, (await json(gone)).error.code]).toEqual([401, 'session_revoked']);
    const again = await op(`/api/v1/users/${people.zhang.id}/deactivate`, { method: 'POST', body: { handoverTo: people.li.id } });
    expect([again.status, (await json(again)).error.code]).toEqual([409, 'user_inactive']);
    // Back to assignment: the customer is ownerless and the lead goes through the rules again (to an active rep, with a claim card).
    const inv = await json(await op('/api/v1/users/invite', { method: 'POST', body: { name: '钱销售', role: 'rep' } }));
    const cust = await createCustomer(t.database.db, 'default', { name: '钱的客户', ownerId: inv.user.id }, 'test');
    const lead = await createLead(t.database.db, 'default', { customerId: cust.id, status: 'assigned', assigneeId: inv.user.id }, 'test');
    const bad = await op(`/api/v1/users/${inv.user.id}/deactivate`, { method: 'POST', body: { handoverTo: people.zhang.id } });
    expect([bad.status, (await json(bad)).error.code]).toEqual([400, 'invalid_handover']);
    const pooled = await json(await op(`/api/v1/users/${inv.user.id}/deactivate`, { method: 'POST', body: { handoverTo: null } }));
    expect(pooled.handedOver).toEqual({ customers: 1, leads: 1, tasks: 0 });
    const rerouted = await json(await op(`/api/v1/leads/${lead.id}`));
    expect(rerouted.status).toBe('assigned');
    const taker = await json(await op(`/api/v1/users/${rerouted.assigneeId}`));
    expect(taker).toMatchObject({ role: 'rep', active: true });
    expect(rerouted.statusHistory.map((x: { status: string; note?: string }) => [x.status, x.note ?? null])).toEqual([['assigned', null], ['new', 'handover'], ['assigned', null]]);
    expect(await count(sql`select count(*)::int as n from customers where id = ${cust.id} and owner_id is null`)).toBe(1);
    const cards = await t.database.query<{ payload: { to: { userIds: string[] } } }>(sql`select payload from outbox_messages where dedupe_key like ${`handover:${inv.user.id}:%`}`);
    const takerIds = taker.accounts.map((a: { value: string }) => a.value);
    expect(cards).toHaveLength(1);
    expect(takerIds).toContain(cards[0]!.payload.to.userIds[0]);
  });

  it('changes roles with an audit row; the new role applies to a live session at once', async () => {
    const { cookie } = await signInWecom('rep-li');
    expect((await asUser(cookie, '/api/v1/audit')).status).toBe(403);
    const res = await op(`/api/v1/users/${people.li.id}/role`, { method: 'PUT', body: { role: 'admin' } });
    expect((await json(res)).role).toBe('admin');
    expect((await asUser(cookie, '/api/v1/audit')).status).toBe(200);
    expect((await audit('user.role', people.li.id))[0]).toMatchObject({ before: { role: 'rep' }, after: { role: 'admin' } });
    await op(`/api/v1/users/${people.li.id}/role`, { method: 'PUT', body: { role: 'rep' } });
    expect((await asUser(cookie, '/api/v1/audit')).status).toBe(403);
  });

  it('lists channels with their callback URLs and tests the stored credentials', async () => {
    const list = await json(await op('/api/v1/channels'));
    const byPlatform = Object.fromEntries(list.items.map((c: { platform: string }) => [c.platform, c]));
    expect(byPlatform.wecom).toMatchObject({ label: '企业微信', configured: true });
    expect(byPlatform.wecom.callbackUrls).toContain(`${h.server.url}/wecom/callback/default`);
    expect(byPlatform.dingtalk.callbackUrls).toContain(`${h.server.url}/dingtalk/robot/default`);
    expect(await json(await op('/api/v1/channels/wecom/test', { method: 'POST' }))).toMatchObject({ ok: true, state: 'connected' });
    expect(await json(await op('/api/v1/channels/dingtalk/test', { method: 'POST' }))).toMatchObject({ ok: true });
    // New, wrong credentials: the test fails at once (the old app's cached token is not used).
    const put = await op('/api/v1/tenants/default/channels/dingtalk', { method: 'PUT', body: { appKey: 'fake-app-key', appSecret: 'a-wrong-secret' } });
    expect(put.status).toBe(200);
    const bad = await op('/api/v1/channels/dingtalk/test', { method: 'POST' });
    expect([bad.status, (await json(bad)).error.code]).toEqual([502, 'connection_failed']);
    await op('/api/v1/tenants/default/channels/dingtalk', { method: 'PUT', body: { appKey: 'fake-app-key', appSecret: 'fake-app-secret', robotCode: 'fake-robot-code' } });
    expect(await json(await op('/api/v1/channels/dingtalk/test', { method: 'POST' }))).toMatchObject({ ok: true });
    const none = await op('/api/v1/channels/wecom/test', { method: 'POST', tenant: 'other' });
    expect([none.status, (await json(none)).error.code]).toEqual([404, 'platform_not_configured']);
  });

  it('describes every adapter\'s form and the assistant\'s session, never a secret', async () => {
    const list = await json(await op('/api/v1/channels'));
    expect(list.items.map((c: { platform: string }) => c.platform)).toEqual(['wecom', 'dingtalk', 'wechaty']);
    expect(JSON.stringify(list)).not.toContain('fake-app-secret');
    const byPlatform = Object.fromEntries(list.items.map((c: { platform: string }) => [c.platform, c]));
    expect(byPlatform.dingtalk.fields).toContainEqual(expect.objectContaining({ name: 'appSecret', secret: true }));
    expect(byPlatform.wechaty).toMatchObject({ label: '个人微信助手', configured: false, callbackUrls: [] });
    expect(byPlatform.wechaty.fields.map((f: { name: string }) => f.name)).toEqual(['puppet', 'token']);
    const unset = await op('/api/v1/channels/wechaty/test', { method: 'POST' });
    expect([unset.status, (await json(unset)).error.code]).toEqual([404, 'platform_not_configured']);

    const put = await op('/api/v1/tenants/default/channels/wechaty', { method: 'PUT', body: { puppet: 'wechaty-puppet-mock' } });
    expect(await json(put)).toEqual({ tenantId: 'default', platform: 'wechaty', configured: true });
    const after = Object.fromEntries((await json(await op('/api/v1/channels'))).items.map((c: { platform: string }) => [c.platform, c]));
    // This harness runs no workers, so no session was started: the console says so rather than "connected".
    expect(after.wechaty).toMatchObject({ configured: true, session: { ok: false, state: 'stopped' } });
    expect(await json(await op('/api/v1/channels/wechaty/test', { method: 'POST' }))).toMatchObject({ ok: false, state: 'stopped', message: expect.stringContaining('未启动') });
    await op('/api/v1/tenants/default/channels/wechaty', { method: 'DELETE' });
  });

  it('lists demo users on the demo tenant only', async () => {
    const page = await (await fetch(url('/signin?tenant=demo'))).text();
    expect(page).toContain('王管理');
    const demoUsers = await json(await op('/api/v1/users', { tenant: 'demo' }));
    const admin = demoUsers.items.find((u: { role: string }) => u.role === 'admin');
    const ok = await post('/auth/demo', { tenantId: 'demo', userId: admin.id });
    expect(await json(ok)).toMatchObject({ redirect: '/admin' });
    const adminPage = await asUser(cookieOf(ok)!, '/admin');
    expect(adminPage.status).toBe(200);
    const refused = await post('/auth/demo', { tenantId: 'default', userId: people.manager.id });
    expect([refused.status, (await json(refused)).error.code]).toEqual([403, 'demo_signin_disabled']);
    // A tenant without channels that was not seeded as the demo (a real one not configured yet) is no demo.
    const bare = await json(await op('/api/v1/users', { method: 'POST', tenant: 'other', body: { name: '别家管理员', role: 'admin' } }));
    const notDemo = await post('/auth/demo', { tenantId: 'other', userId: bare.id });
    expect([notDemo.status, (await json(notDemo)).error.code]).toEqual([403, 'demo_signin_disabled']);
    expect(await (await fetch(url('/signin?tenant=other'))).text()).not.toContain('别家管理员');
    expect(await (await fetch(url('/signin?tenant=default'))).text()).not.toContain('陈经理');
  });

  it('answers 429 with Retry-After per key on lead intake and per address on binding', async () => {
    const forms = (await json(await op('/api/v1/keys', { method: 'POST', body: { name: '限流', scope: 'forms' } }))).key;
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await withKey(forms, '/api/v1/leads', { method: 'POST', body: { name: `访客${i}`, phone: `1356666000${i}` } });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(limited!)).error.code).toBe('rate_limited');
    expect(await count(sql`select count(*)::int as n from customers where name = '访客3'`)).toBe(0);
    let bind: Response | null = null;
    for (let i = 0; i < 13 && !bind; i++) {
      const r = await post('/auth/bind', { token: 'x'.repeat(32), platform: 'dingtalk', code: 'c' });
      if (r.status === 429) bind = r;
    }
    expect(bind).not.toBeNull();
    expect(Number(bind!.headers.get('retry-after'))).toBeGreaterThan(0);
    let signIn: Response | null = null;
    for (let i = 0; i < 21 && !signIn; i++) {
      const r = await post('/auth/signin', { platform: 'dingtalk', code: `nope-${i}` });
      if (r.status === 429) signIn = r;
    }
    expect(signIn).not.toBeNull();
    expect((await json(signIn!)).error.code).toBe('rate_limited');
    now += 61_000;
    expect((await withKey(forms, '/api/v1/leads', { method: 'POST', body: { name: '访客3', phone: '13566660003' } })).status).toBe(201);
  });
});
