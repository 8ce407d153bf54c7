import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';
import { createUser } from '../../src/crm/users.repo.js';
import { douyinClue, douyinHeaders, webformHeaders } from '../crm/intake/douyin.fixture.js';

const OPERATOR = 'harness-admin-token-0123';

describe.each(backends)('lead intake by mapping on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  const op = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const count = async (table: string) => Number((await t.database.query<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
  let douyin: { id: string; url: string; secrets: { key: string; token: string } };
  const push = (body: Record<string, unknown>, secrets = douyin.secrets) =>
    fetch(douyin.url, { method: 'POST', headers: douyinHeaders(body, secrets), body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    await createUser(t.database.db, 'default', { name: '周管理', role: 'admin', accounts: [{ platform: 'wecom', kind: 'userid', value: 'adm-zhou' }] }, 'test');
    h = await startHarness(t.database, { startWorkers: false });
    douyin = await json(await op('/api/v1/intake/sources', { method: 'POST', body: { name: '抖音-春季', preset: 'douyin' } }));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('captures a signed Douyin push through the chat capture path, once', async () => {
    expect(douyin.url).toMatch(new RegExp(`/intake/default/douyin-[0-9a-f]{6}$`));
    expect(Object.keys(douyin.secrets)).toEqual(['key', 'token']);
    const r = await push(douyinClue());
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual({ code: 0, message: 'success', received: 1, captured: 1, uncaptured: 0, duplicates: 0, unknownFields: [] });
    const [lead] = await t.database.query<{ id: string; source_channel: string; utm: Record<string, string>; customer_id: string }>(sql`select id, source_channel, utm, customer_id from leads order by created_at desc limit 1`);
    expect(lead).toMatchObject({ source_channel: '抖音', utm: { source: '抖音', campaign: '移动DR-春季-抖音信息流' } });
    const c = await json(await op(`/api/v1/customers/${lead!.customer_id}`));
    expect(c).toMatchObject({ name: '孙主任', company: '上海市第六人民医院' });
    const [cr] = await t.database.query<{ region: string }>(sql`select region from customers where id = ${lead!.customer_id}`);
    expect(cr!.region).toBe('上海');
    expect(c.identities).toContainEqual({ kind: 'phone', value: '13812345678' });
    const [msg] = await t.database.query<{ text: string }>(sql`select text from interactions where customer_id = ${lead!.customer_id}`);
    expect(msg!.text).toContain('医院名称：上海市第六人民医院');
    // The platform retries: nothing new.
    expect(await json(await push(douyinClue()))).toMatchObject({ received: 1, captured: 0, duplicates: 1 });
    expect(await count('leads')).toBe(1);
    expect(h.logs.join('\n')).not.toContain('13812345678');
  });

  it('refuses an unsigned or forged push before reading it, and writes nothing', async () => {
    const before = [await count('intake_deliveries'), await count('leads')];
    const forged = await push(douyinClue({ id: 'forged-1' }), { key: 'not-the-key-000000000', token: douyin.secrets.token });
    expect([forged.status, (await json(forged)).error.code]).toEqual([401, 'signature_invalid']);
    const unsigned = await fetch(douyin.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(douyinClue({ id: 'u-1' })) });
    expect([unsigned.status, (await json(unsigned)).error.code]).toEqual([401, 'signature_missing']);
    expect((await fetch(`${h.server.url}/intake/default/nosuch`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect([await count('intake_deliveries'), await count('leads')]).toEqual(before);
  });

  it('still captures a lead whose phone field was renamed, tells the admin which field, and learns it in one step', async () => {
    const renamed = douyinClue({ id: 'r-1', name: '吴经理', phone_number: '13987654321', telphone: undefined });
    delete renamed.telphone;
    const r = await json(await push(renamed));
    expect(r).toMatchObject({ captured: 1, unknownFields: ['phone_number'] });
    const [row] = await t.database.query<{ value: string }>(sql`select i.value from customer_identities i join customers c on c.id = i.customer_id where c.name = '吴经理'`);
    expect(row!.value).toBe('13987654321'); // found in the lead text by extraction
    await push({ ...renamed, id: 'r-2' });
    const notices = await json(await op('/api/v1/intake/notices'));
    expect(notices.items).toEqual([expect.objectContaining({ sourceId: douyin.id, source: '抖音-春季', field: 'phone_number', sample: '139****4321', seen: 2 })]);
    // The admin hears of it in chat once, through the outbox (the same field again is not news).
    const told = await t.database.query<{ payload: { to: { userIds: string[] }; reply: { text: string } } }>(sql`select payload from outbox_messages where dedupe_key like 'intake-notice:%'`);
    expect(told).toHaveLength(1);
    expect(told[0]!.payload.to.userIds).toEqual(['adm-zhou']);
    expect(told[0]!.payload.reply.text).toContain('phone_number');
    expect(told[0]!.payload.reply.text).not.toContain('13987654321');
    const audit = await json(await op('/api/v1/audit?action=intake.unknown_field'));
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0].after).toMatchObject({ field: 'phone_number' });
    const [raw] = await t.database.query<{ raw: Record<string, unknown>; unknown_fields: string[] }>(sql`select raw, unknown_fields from intake_deliveries where external_id = 'r-1'`);
    expect(raw).toMatchObject({ raw: { phone_number: '13987654321' }, unknown_fields: ['phone_number'] });

    const taught = await json(await op(`/api/v1/intake/sources/${douyin.id}/fields`, { method: 'POST', body: { field: 'phone_number', as: 'phone' } }));
    expect(taught.mapping.fields.phone[0]).toBe('phone_number');
    expect((await json(await op('/api/v1/intake/notices'))).items).toEqual([]);
    expect(await json(await push({ ...renamed, id: 'r-3', name: '郑', phone_number: '13700001111' }))).toMatchObject({ captured: 1, unknownFields: [] });
    const bad = await op(`/api/v1/intake/sources/${douyin.id}/mapping`, { method: 'PUT', body: { ...taught.mapping, signature: { header: 'x' } } });
    expect([bad.status, (await json(bad)).error.code]).toEqual([400, 'invalid_mapping']);
  });

  it('takes a web form batch whole: every lead stored raw, the ones with a contact captured, none rejected', async () => {
    const form = await json(await op('/api/v1/intake/sources', { method: 'POST', body: { name: '官网', preset: 'webform', slug: 'site' } }));
    const body = JSON.stringify({ leads: [
      { submission_id: 's1', 姓名: '钱院长', 手机号: '13600002222', 单位: '南京鼓楼医院' },
      { submission_id: 's2', name: '冯', phone: '12345', message: '请联系我 13500003333' },
      { submission_id: 's3', rating: 5 },
    ] });
    const r = await fetch(form.url, { method: 'POST', headers: webformHeaders(body, form.secrets.key), body });
    expect(await json(r)).toMatchObject({ received: 3, captured: 2, uncaptured: 1, unknownFields: ['rating'] });
    const rows = await t.database.query<{ external_id: string; status: string }>(sql`select external_id, status from intake_deliveries where source_id = ${form.id} order by external_id`);
    expect(rows).toEqual([{ external_id: 's1', status: 'captured' }, { external_id: 's2', status: 'captured' }, { external_id: 's3', status: 'uncaptured' }]);
    const ids = await t.database.query<{ value: string }>(sql`select i.value from customer_identities i join customers c on c.id = i.customer_id where c.name in ('钱院长', '冯') order by 1`);
    expect(ids.map((x) => x.value)).toEqual(['13500003333', '13600002222']); // a bad phone field is text, not an identity
    const list = await json(await op('/api/v1/intake/sources'));
    expect(list.items.find((s: { slug: string }) => s.slug === 'site')).toMatchObject({ captured: 2, uncaptured: 1, notices: 1 });
    expect((await op('/api/v1/intake/sources', { method: 'POST', body: { name: 'x', preset: 'site-builder' } })).status).toBe(400);
    expect((await op('/api/v1/intake/sources', { method: 'POST', body: { name: 'x', preset: 'webform', slug: 'site' } })).status).toBe(409);
  });
});
