import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { box, DINGTALK, seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { createLead } from '../../src/crm/leads.repo.js';
import { createUser, type User } from '../../src/crm/users.repo.js';
import { setChannelCredentials, upsertTenant } from '../../src/crm/tenants.repo.js';
import { sidebarBundle } from '../../src/sidebar/page-bundle.js';

describe.each(backends)('sidebar API on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let li: User;
  let zhang: User;
  let manager: User;
  let outsider: User;
  let mine: string;
  let zhangs: string;
  const count = async (table: string) => Number((await t.database.query<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

  /** A signed-in person's requests, with the session's CSRF token on changes. */
  const as = (u: User) => {
    const s = h.runtime.auth.sessions.issue(u.tenantId, u.id);
    return (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => fetch(`${h.server.url}${path}`, {
      method,
      headers: { cookie: `kelu_session=${s.value}`, 'x-kelu-csrf': s.claims.csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extra },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  };

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    ({ li, zhang, manager } = await seedTenant(t.database));
    await upsertTenant(t.database.db, { tenantId: 'other', name: '别家公司' }, 'test');
    outsider = await createUser(t.database.db, 'other', { name: '外人', role: 'admin' }, 'test');
    const { db } = t.database;
    const c = await createCustomer(db, 'default', { name: '周', title: '院长', company: '杭州第一医院', ownerId: li.id, identities: [{ kind: 'phone', value: '13900001111' }] }, 'test');
    await createLead(db, 'default', { customerId: c.id, status: 'claimed', assigneeId: li.id }, 'test');
    mine = c.id;
    zhangs = (await createCustomer(db, 'default', { name: '吴', ownerId: zhang.id, identities: [{ kind: 'wecom_external_userid', value: 'wm_zhangs_customer' }, { kind: 'phone', value: '13655556666' }] }, 'test')).id;
    h = await startHarness(t.database, { startWorkers: false });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('signs only this server\'s sidebar URL, with tickets from the cache (one ticket fetch for many views)', async () => {
    const get = as(li);
    const page = `${h.server.url}/sidebar?tenant=default`;
    const ok = await get('GET', `/api/v1/sidebar/signature?platform=wecom&url=${encodeURIComponent(`${page}#x`)}`);
    expect(ok.status).toBe(200);
    const s = (await ok.json()) as { corpId: string; agentId: string; timestamp: number; nonceStr: string; signature: string; agentSignature: string };
    expect(s.corpId).toBe('ww0123456789abcdef');
    expect(s.agentId).toBe('1000002');
    expect(h.wecom.jsSdkSignatureValid('corp', { ...s, url: page })).toBe(true);
    expect(h.wecom.jsSdkSignatureValid('agent', { ...s, signature: s.agentSignature, url: page })).toBe(true);
    for (let i = 0; i < 5; i++) expect((await get('GET', `/api/v1/sidebar/signature?platform=wecom&url=${encodeURIComponent(page)}`)).status).toBe(200);
    expect(h.wecom.calls('/cgi-bin/get_jsapi_ticket')).toHaveLength(1);
    expect(h.wecom.calls('/cgi-bin/ticket/get')).toHaveLength(1);

    for (const other of ['https://evil.example.com/sidebar', `${h.server.url.replace('127.0.0.1', 'localhost')}/sidebar`, `${h.server.url}/admin`]) {
      const bad = await get('GET', `/api/v1/sidebar/signature?platform=wecom&url=${encodeURIComponent(other)}`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).error.code).toBe('url_not_ours');
    }
    expect((await fetch(`${h.server.url}/api/v1/sidebar/signature?platform=wecom&url=${encodeURIComponent(page)}`)).status).toBe(401);
  });

  it('opens a chat\'s unknown contact as a new customer owned by the rep; a colleague\'s customer is refused and nothing is stored', async () => {
    h.wecom.externalContacts.wm_new_contact = { name: '钱进', corp_full_name: '宁波康复中心', position: '采购主管', follow_user: [{ userid: 'rep-li', remark_mobiles: ['13722223333'] }] };
    const r = await as(li)('POST', '/api/v1/sidebar/open', { platform: 'wecom', contactId: 'wm_new_contact' });
    expect(r.status).toBe(201);
    const body = (await r.json()) as any;
    expect(body.customer).toMatchObject({ name: '钱进', title: '采购主管', company: '宁波康复中心', ownerId: li.id });
    const again = await as(li)('POST', '/api/v1/sidebar/open', { platform: 'wecom', contactId: 'wm_new_contact' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as any).customer.id).toBe(body.customer.id);

    const before = { customers: await count('customers'), identities: await count('customer_identities'), leads: await count('leads') };
    const refused = await as(li)('POST', '/api/v1/sidebar/open', { platform: 'wecom', contactId: 'wm_zhangs_customer' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe('customer_not_visible');
    expect({ customers: await count('customers'), identities: await count('customer_identities'), leads: await count('leads') }).toEqual(before);
    expect((await as(li)('GET', `/api/v1/sidebar/customers/${zhangs}`)).status).toBe(404);
    // A new chat contact whose remark phone is the colleague's customer's: the same refusal, and the
    // contact id is not added to the colleague's customer either.
    h.wecom.externalContacts.wm_same_phone = { name: '吴', follow_user: [{ userid: 'rep-li', remark_mobiles: ['13655556666'] }] };
    const samePhone = await as(li)('POST', '/api/v1/sidebar/open', { platform: 'wecom', contactId: 'wm_same_phone' });
    expect(samePhone.status).toBe(403);
    expect(((await samePhone.json()) as any).error.code).toBe('customer_not_visible');
    expect({ customers: await count('customers'), identities: await count('customer_identities'), leads: await count('leads') }).toEqual(before);
    // Not the rep's external contact on WeCom: a clear refusal, nothing created.
    const unknown = await as(li)('POST', '/api/v1/sidebar/open', { platform: 'wecom', contactId: 'wm_nobody' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('contact_not_found');
    expect(await count('customers')).toBe(before.customers);
  });

  it('refuses a session from another tenant, on the API and on the page', async () => {
    const other = as(outsider);
    expect((await other('GET', `/api/v1/sidebar/customers/${mine}`)).status).toBe(404);
    const mismatch = await other('GET', `/api/v1/sidebar/customers/${mine}`, undefined, { 'x-kelu-tenant': 'default' });
    expect(mismatch.status).toBe(403);
    expect(((await mismatch.json()) as any).error.code).toBe('tenant_mismatch');
    const page = await other('GET', '/sidebar?tenant=default');
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('"otherTenant":true');
    expect(html).not.toContain(outsider.id);
    // The API's own tokens are not the sidebar's: it is a person's tool.
    const op = await fetch(`${h.server.url}/api/v1/sidebar/customers/${mine}`, { headers: { authorization: 'Bearer harness-admin-token-0123' } });
    expect(op.status).toBe(403);
  });

  it('previews and archives fragments once each, fills what is empty, keeps manual fields, counts a reply as the first response', async () => {
    const call = as(li);
    const text = '我是杭州第一医院的周大伟，电话13811112222，下周三下午3点来看血糖仪，预算20万左右';
    const pv = (await (await call('POST', `/api/v1/sidebar/customers/${mine}/preview`, { text })).json()) as any;
    expect(pv.changes.identities).toEqual([{ kind: 'phone', value: '13811112222', taken: false }]);
    expect(pv.changes.tasks).toHaveLength(1);
    expect(pv.changes.budget).toContain('20万');
    expect(await count('interactions')).toBe(0); // a preview stores nothing
    const own = (await (await call('POST', `/api/v1/sidebar/customers/${mine}/preview`, { text: '我的手机 13800001234，有事随时打', direction: 'out' })).json()) as any;
    expect(own.changes.identities).toEqual([]); // the rep's own number is not the customer's

    expect((await call('PATCH', `/api/v1/sidebar/customers/${mine}`, { name: '周主任' })).status).toBe(200);
    const r1 = (await (await call('POST', `/api/v1/sidebar/customers/${mine}/archive`, { fragments: [{ text }, { text: '好的，下周三下午三点见', direction: 'out' }] })).json()) as any;
    expect(r1.items.map((x: any) => x.duplicate)).toEqual([false, false]);
    const r2 = (await (await call('POST', `/api/v1/sidebar/customers/${mine}/archive`, { fragments: [{ text: `  ${text} ` }] })).json()) as any;
    expect(r2.items[0]).toMatchObject({ duplicate: true, interactionId: r1.items[0].interactionId });
    const [c] = await t.database.query<any>(sql`select name, manual_fields, custom_fields, conflicts from customers where id = ${mine}`);
    expect(c.name).toBe('周主任'); // edited by hand: extraction never overwrites it
    expect(c.manual_fields).toContain('name');
    expect(c.custom_fields.budget).toContain('20万');
    expect(await t.database.query(sql`select 1 from customer_identities where customer_id = ${mine} and value = '13811112222'`)).toHaveLength(1);
    expect(await t.database.query(sql`select 1 from tasks where customer_id = ${mine} and kind = 'follow_up' and status = 'open'`)).toHaveLength(1);
    const [lead] = await t.database.query<any>(sql`select first_response_at from leads where customer_id = ${mine}`);
    expect(lead.first_response_at).not.toBeNull();
    expect(await count('interactions')).toBe(2);
  });

  it('refuses a 1 MB fragment and an over-long one with a clear code, storing nothing', async () => {
    const before = await count('interactions');
    const huge = await as(li)('POST', `/api/v1/sidebar/customers/${mine}/archive`, { fragments: [{ text: '电'.repeat(1024 * 1024) }] });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe('payload_too_large');
    const long = await as(li)('POST', `/api/v1/sidebar/customers/${mine}/preview`, { text: '电'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as any).error.message).toContain('at most 5000');
    expect(await count('interactions')).toBe(before);
  });

  it('edits a field and settles a conflict; moves and completes a follow-up', async () => {
    const call = as(li);
    await t.database.query(sql`update customers set conflicts = ${JSON.stringify([{ field: 'company', values: ['杭州第一医院', '杭州市一医'], at: new Date().toISOString() }])}::jsonb where id = ${mine}`);
    const both = (await (await call('POST', `/api/v1/sidebar/customers/${mine}/conflicts`, { field: 'company', keep: ['杭州第一医院', '杭州市一医'] })).json()) as any;
    expect(both.customer.conflicts).toEqual([]);
    expect(both.customer.company).toBe('杭州第一医院');
    expect(both.customer.manualFields).toContain('company');
    expect((await call('POST', `/api/v1/sidebar/customers/${mine}/conflicts`, { field: 'company', keep: ['x'] })).status).toBe(409);

    const due = new Date(Date.now() + 3 * 86400_000).toISOString();
    const made = (await (await call('POST', `/api/v1/sidebar/customers/${mine}/tasks`, { title: '回电确认报价', dueAt: due })).json()) as any;
    const later = new Date(Date.now() + 5 * 86400_000).toISOString();
    expect((await call('PATCH', `/api/v1/sidebar/customers/${mine}/tasks/${made.id}`, { dueAt: later })).status).toBe(200);
    const [timer] = await t.database.query<any>(sql`select fire_at from timers where ref_id = ${made.id}`);
    expect(new Date(timer.fire_at).getTime()).toBe(new Date(later).getTime() - 30 * 60_000);
    expect((await call('POST', `/api/v1/sidebar/customers/${mine}/tasks/${made.id}/done`)).status).toBe(200);
    expect((await call('POST', `/api/v1/sidebar/customers/${mine}/tasks/${made.id}/done`)).status).toBe(409);
    const [timerAfter] = await t.database.query<any>(sql`select status from timers where ref_id = ${made.id}`);
    expect(timerAfter.status).toBe('cancelled');
    // Without the CSRF token a cookie cannot change anything.
    const s = h.runtime.auth.sessions.issue('default', li.id);
    const forged = await fetch(`${h.server.url}/api/v1/sidebar/customers/${mine}`, { method: 'PATCH', headers: { cookie: `kelu_session=${s.value}`, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(forged.status).toBe(403);
  });

  it('counts the heat map by weekday and hour in the tenant\'s zone, flags 7 silent days, and keeps the team map for managers', async () => {
    const fresh = (await createCustomer(t.database.db, 'default', { name: '郑', ownerId: li.id }, 'test')).id;
    // Two messages in one hour two days ago (its weekday and hour read in Asia/Shanghai below), the last reply 10 days ago.
    const now = Date.now();
    const at = new Date(Math.floor((now - 2 * 86400_000) / 3600_000) * 3600_000);
    const ins = (direction: string, when: Date) => t.database.query(sql`insert into interactions (tenant_id, customer_id, channel, direction, text, occurred_at) values ('default', ${fresh}, 'chat', ${direction}, 'x', ${when.toISOString()})`);
    await ins('in', at);
    await ins('in', at);
    await ins('out', new Date(now - 10 * 86400_000));
    await ins('in', new Date(now - 40 * 86400_000)); // outside 4 weeks, inside 12
    const heat = (await (await as(li)('GET', `/api/v1/sidebar/customers/${fresh}/heat?weeks=4`)).json()) as any;
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at);
    const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(local.find((p) => p.type === 'weekday')!.value) + 1;
    const hour = Number(local.find((p) => p.type === 'hour')!.value);
    expect(heat.cells).toContainEqual({ weekday, hour, in: 2, out: 0 });
    expect(heat.totals).toEqual({ in: 2, out: 1 });
    expect(heat).toMatchObject({ silent: true, silentDays: 10, timeZone: 'Asia/Shanghai' });
    const twelve = (await (await as(li)('GET', `/api/v1/sidebar/customers/${fresh}/heat?weeks=12`)).json()) as any;
    expect(twelve.totals).toEqual({ in: 3, out: 1 });
    const cell = (await (await as(li)('GET', `/api/v1/sidebar/customers/${fresh}/heat/cell?weeks=4&weekday=${weekday}&hour=${hour}`)).json()) as any;
    expect(cell.items).toHaveLength(2);
    expect((await as(li)('GET', `/api/v1/sidebar/customers/${fresh}/heat?weeks=5`)).status).toBe(400);
    expect((await as(li)('GET', '/api/v1/sidebar/team/heat?weeks=4')).status).toBe(403);
    const team = (await (await as(manager)('GET', '/api/v1/sidebar/team/heat?weeks=12')).json()) as any;
    expect(team.totals.in).toBeGreaterThanOrEqual(3);
  });

  it('keeps quick replies per tenant (managers add them), fills variables, records sends and refuses a robot send without a cool app', async () => {
    expect((await as(li)('POST', '/api/v1/sidebar/replies', { title: 'x', body: 'y' })).status).toBe(403);
    const made = await as(manager)('POST', '/api/v1/sidebar/replies', { title: '问候', body: '{客户称呼}您好，{产品}的报价发您了' });
    expect(made.status).toBe(201);
    const reply = (await made.json()) as any;
    expect(((await (await as(outsider)('GET', '/api/v1/sidebar/replies')).json()) as any).items).toEqual([]);
    const list = (await (await as(li)('GET', `/api/v1/sidebar/customers/${mine}/replies`)).json()) as any;
    expect(list.items.find((x: any) => x.id === reply.id).text).toBe('周主任院长您好，便携式血糖仪的报价发您了');

    const key = randomUUID();
    const send = () => as(li)('POST', `/api/v1/sidebar/customers/${mine}/sent`, { text: '周主任院长您好', replyId: reply.id, via: 'sdk', platform: 'wecom', key });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(200); // the same tap retried is one interaction
    expect(await t.database.query(sql`select 1 from interactions where platform_message_id = ${`send:${key}`} and direction = 'out'`)).toHaveLength(1);

    const robot = await as(li)('POST', `/api/v1/sidebar/customers/${mine}/sent`, { text: 'hi', via: 'robot', platform: 'dingtalk', conversationId: 'cid1', key: randomUUID() });
    expect(robot.status).toBe(409);
    expect(((await robot.json()) as any).error.code).toBe('robot_not_configured');
    await setChannelCredentials(t.database.db, 'default', 'dingtalk', box.sealJson({ ...DINGTALK, coolAppCode: 'COOLAPP_1' }), 'test');
    h.runtime.channels.invalidate('default');
    const k2 = randomUUID();
    expect((await as(li)('POST', `/api/v1/sidebar/customers/${mine}/sent`, { text: '报价已发', via: 'robot', platform: 'dingtalk', conversationId: 'cidGROUP', key: k2 })).status).toBe(201);
    const [row] = await t.database.query<any>(sql`select platform, payload from outbox_messages where dedupe_key = ${`sidebar:send:${k2}`}`);
    expect(row.platform).toBe('dingtalk');
    expect(row.payload.to).toEqual({ conversationId: 'cidGROUP', conversationType: 'group' });
  });

  it('signs a person in through WeCom OAuth from the sidebar and lands back on it', async () => {
    const page = await fetch(`${h.server.url}/sidebar?tenant=default`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('"user":null');
    const start = await fetch(`${h.server.url}/auth/start/wecom?tenant=default&next=sidebar`, { redirect: 'manual' });
    expect(new URL(start.headers.get('location')!).searchParams.get('state')).toBe('sidebar');
    const code = h.wecom.issueOAuthCode('rep-li');
    const back = await fetch(`${h.server.url}/auth/callback/wecom?tenant=default&code=${code}&state=sidebar`, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('/sidebar?tenant=default');
    const cookie = back.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await fetch(`${h.server.url}/sidebar?tenant=default`, { headers: { cookie } })).text()).toContain(`"id":"${li.id}"`);
    expect((await fetch(`${h.server.url}/auth/start/wecom?tenant=default&next=/evil`, { redirect: 'manual' })).status).toBe(400);
  });

  it('serves the page light: its JS and CSS at most 150 KB gzipped together', async () => {
    const [kelu, side] = await Promise.all([fetch(`${h.server.url}/assets/kelu.css`).then((r) => r.text()), fetch(`${h.server.url}/sidebar/app.css`).then((r) => r.text())]);
    const js = await sidebarBundle();
    const total = js.gzipBytes + gzipSync(kelu).length + gzipSync(side).length;
    expect(total).toBeLessThanOrEqual(150 * 1024);
    const served = await fetch(`${h.server.url}/sidebar/app.js`);
    expect(served.headers.get('content-type')).toContain('javascript');
    expect((await served.text()).length).toBe(js.js.length);
  });
});
