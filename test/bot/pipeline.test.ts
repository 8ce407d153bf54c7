import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { cardEventXml, dingtalkAnswers, inboxRows, nonEmpty, outboxRows, postWecom, settled, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, WECOM, type Harness } from '../helpers/harness.js';
import { postRobot, robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';
import { json } from '../helpers/test-app.js';
import { createUser } from '../../src/crm/users.repo.js';
import { NOTHING_FOUND_TEXT } from '../../src/bot/leads.flow.js';
import { REPLY_NOT_FOUND_TEXT } from '../../src/bot/replies-archive.handler.js';
import { listAudit } from '../../src/crm/audit.repo.js';
import { createCustomer } from '../../src/crm/customers.repo.js';

type Seeded = Awaited<ReturnType<typeof seedTenant>>;

describe.each(backends)('lead capture from chat on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let users: Seeded;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    users = await seedTenant(t.database);
    h = await startHarness(t.database);
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  // What the rep sees: a retried send that WeCom's duplicate check drops is not a second card.
  const sendsTo = (user: string) => h.wecom.shown.filter((r) => (r.body as { touser: string }).touser === user);
  const customers = () => t.database.query<{ id: string; name: string | null; title: string | null; company: string | null; owner_id: string | null; conflicts: any[]; merged_into: string | null }>(sql`select * from customers order by created_at`);
  const identitiesOf = (id: string) => t.database.query<{ kind: string; value: string }>(sql`select kind, value from customer_identities where customer_id = ${id} order by kind, value`);
  const forward = (from: string, text: string, msgId: string) => postWecom(h.server, wecomCallback(textMessageXml({ from, text, msgId })));
  const admin = { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' };

  it('a forwarded message becomes a customer with the right fields, a claimed lead, a follow-up task and one card to the rep', async () => {
    const text = '孙主任想下周四上午10点看一下移动DR的演示，联系电话 13688889999，上海市第六人民医院';
    const before = sendsTo('rep-li').length;
    const results = await Promise.all([1, 2, 3].map(() => forward('rep-li', text, '5001')));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(async () => sendsTo('rep-li').length > before, 10_000, 'card to the rep');
    await settled(h);
    const cards = sendsTo('rep-li').slice(before);
    expect(cards).toHaveLength(1);
    const card = (cards[0]!.body as { msgtype: string; template_card: any });
    expect(card.msgtype).toBe('template_card');
    const shown = JSON.stringify(card.template_card);
    expect(shown).toContain('确认');
    expect(shown).toContain('不是客户');
    expect(shown).toContain('136****9999');
    expect(shown).not.toContain('13688889999');

    const all = await customers();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ name: '孙', title: '主任', company: '上海市第六人民医院', owner_id: users.li.id });
    expect(await identitiesOf(all[0]!.id)).toEqual([{ kind: 'phone', value: '13688889999' }]);
    const leads = await t.database.query<{ status: string; assignee_id: string; intent_level: string }>(sql`select * from leads`);
    expect(leads).toEqual([expect.objectContaining({ status: 'claimed', assignee_id: users.li.id, intent_level: 'high' })]);
    const tasks = await t.database.query<{ kind: string; due_at: Date }>(sql`select kind, due_at from tasks where kind = 'follow_up'`);
    expect(tasks).toHaveLength(1);
    const timers = await t.database.query<{ kind: string }>(sql`select kind from timers where kind = 'task.remind'`);
    expect(timers).toHaveLength(1);
    const inter = await t.database.query<{ text: string; entities: any }>(sql`select text, entities from interactions`);
    expect(inter).toHaveLength(1);
    expect(inter[0]!.entities.products[0].id).toBe('sku-dr');
    // High intent (演示): the managers get a todo card.
    await waitFor(async () => sendsTo('mgr-chen').length > 0, 5_000, 'manager todo');
  });

  it('a message with no name, identity or product creates nothing and asks the rep', async () => {
    const n = (await customers()).length;
    const before = sendsTo('rep-zhang').length;
    await forward('rep-zhang', '好的，明天再说', '5002');
    await waitFor(async () => sendsTo('rep-zhang').length > before, 10_000, 'question');
    expect((sendsTo('rep-zhang').at(-1)!.body as any).text.content).toBe(NOTHING_FOUND_TEXT);
    expect((await customers()).length).toBe(n);
  });

  it('the customer is the contact, never the greeted rep; the company is next to the contact; the rep can pick another person from the card', async () => {
    const card = async (from: string, text: string, msgId: string) => {
      const before = sendsTo(from).length;
      await forward(from, text, msgId);
      await waitFor(async () => sendsTo(from).length > before, 10_000, 'card');
      return sendsTo(from).at(-1)!.body as any;
    };
    const byPhone = async (phone: string) => (await t.database.query<{ name: string | null; title: string | null; company: string | null }>(
      sql`select c.name, c.title, c.company from customers c join customer_identities i on i.customer_id = c.id where i.value = ${phone}`))[0];

    const first = await card('rep-li', '王经理您好，我是李强，13912345001，想了解一下便携式血糖仪', '5201');
    expect(await byPhone('13912345001')).toEqual({ name: '李强', title: null, company: null });
    const shown = JSON.stringify(first.template_card);
    expect(shown).toContain('李强');
    expect(shown).toContain('客户是王经理');

    await card('rep-li', '杭州康宁养老院采购部的张敏，13912345002，想要20台助行器', '5202');
    expect(await byPhone('13912345002')).toEqual({ name: '张敏', title: null, company: '杭州康宁养老院' });

    // Only the addressee: the customer is created without a name.
    const n = (await customers()).length;
    await card('rep-li', '赵总您好，助行器多少钱一台？', '5203');
    const all = await customers();
    expect(all).toHaveLength(n + 1);
    expect(all.at(-1)).toMatchObject({ name: null, title: null });

    // The rep says the customer is the other person: name and title follow, the card is updated.
    const c = await card('rep-li', '王总您好，我是孙强，13912345004，我们钱院长想看移动DR', '5204');
    expect(await byPhone('13912345004')).toMatchObject({ name: '孙强', title: null });
    const button = (c.template_card.button_list as Array<{ key: string; text: string }>).find((b) => b.text === '客户是钱院长')!;
    const updates = h.wecom.calls('/cgi-bin/message/update_template_card').length;
    await postWecom(h.server, wecomCallback(cardEventXml({ from: 'rep-li', taskId: c.template_card.task_id, eventKey: button.key })));
    await waitFor(async () => (await byPhone('13912345004'))?.name === '钱', 10_000, 'corrected customer');
    expect(await byPhone('13912345004')).toMatchObject({ name: '钱', title: '院长' });
    await waitFor(async () => h.wecom.calls('/cgi-bin/message/update_template_card').length > updates, 5_000, 'card updated');
  });

  it('the same phone from WeCom and DingTalk is one customer with every identity', async () => {
    h.wecom.externalContacts['wmEXT001'] = { name: '周总', corp_name: '周氏医疗', type: 1, follow_user: [{ userid: 'rep-zhang', remark_mobiles: ['13900001111'] }] };
    const add = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[rep-zhang]]></UserID><ExternalUserID><![CDATA[wmEXT001]]></ExternalUserID><WelcomeCode><![CDATA[w1]]></WelcomeCode></xml>`;
    expect((await postWecom(h.server, wecomCallback(add))).status).toBe(200);
    const c = await waitFor(async () => (await customers()).find((x) => x.name === '周总'), 10_000, 'customer from the contact');
    expect(c.owner_id).toBe(users.zhang.id);
    expect(c.company).toBe('周氏医疗');
    expect((await postRobot(h.server, robotMessage({ msgId: 'dt-5003', text: '周总 13900001111 邮箱 zhou@zhoumed.cn 想要血压计报价', staffId: 'dt-rep-li', fakeUrl: h.dingtalk.url }))).status).toBe(200);
    await waitFor(async () => nonEmpty(await dingtalkAnswers(h, t.database, 'dt-5003')), 10_000, 'DingTalk answer');
    const matches = (await customers()).filter((x) => x.name === '周总' && !x.merged_into);
    expect(matches).toHaveLength(1);
    expect(await identitiesOf(matches[0]!.id)).toEqual([
      { kind: 'email', value: 'zhou@zhoumed.cn' },
      { kind: 'phone', value: '13900001111' },
      { kind: 'wecom_external_userid', value: 'wmEXT001' },
    ]);
    const inter = await t.database.query<{ platform: string }>(sql`select platform from interactions where customer_id = ${matches[0]!.id}`);
    expect(inter.map((i) => i.platform)).toEqual(['dingtalk']);
  });

  it('merges customers that one message proves are the same person, keeping everything and the audit', async () => {
    const a = await createCustomer(t.database.db, 'default', { name: '钱', identities: [{ kind: 'phone', value: '13700002222' }] }, 'test');
    const b = await createCustomer(t.database.db, 'default', { name: '钱', title: '院长', identities: [{ kind: 'email', value: 'qian@h.cn' }] }, 'test');
    await forward('rep-li', '钱院长 13700002222 qian@h.cn 下个月要做气密性检漏仪的采购', '5004');
    await waitFor(async () => (await customers()).find((x) => x.id === b.id && x.merged_into === a.id), 10_000, 'merge');
    expect((await identitiesOf(a.id)).map((i) => i.kind)).toEqual(['email', 'phone']);
    const audit = await listAudit(t.database.db, 'default', 'customer', a.id);
    const merge = audit.find((r) => r.action === 'customer.merge')!;
    expect((merge.before as any).merged.identities).toEqual([{ kind: 'email', value: 'qian@h.cn' }]);
    expect((merge.before as any).primary.identities).toEqual([{ kind: 'phone', value: '13700002222' }]);
    const merged = (await customers()).find((x) => x.id === a.id)!;
    expect(merged.title).toBe('院长');
  });

  it('keeps two names for one phone as a recorded conflict, and never overwrites a hand-edited field', async () => {
    const c = await createCustomer(t.database.db, 'default', { name: '吴', identities: [{ kind: 'phone', value: '13600003333' }] }, 'test');
    await t.database.query(sql`update customers set company = '手填公司', manual_fields = '{company}' where id = ${c.id}`);
    await forward('rep-li', '郑经理 13600003333 北京协和医院 要血糖仪', '5005');
    const after = await waitFor(async () => (await customers()).find((x) => x.id === c.id && x.conflicts.length > 0), 10_000, 'conflict');
    expect(after.name).toBe('吴');
    expect(after.company).toBe('手填公司');
    expect(after.conflicts.find((x: any) => x.field === 'name').values).toEqual(['吴', '郑']);
  });

  it('不是客户 removes what that message created and only that', async () => {
    const existing = await createCustomer(t.database.db, 'default', { name: '冯', identities: [{ kind: 'phone', value: '13500004444' }] }, 'test');
    const before = sendsTo('rep-zhang').length;
    await forward('rep-zhang', '冯先生 13500004444 另外他同事 13500005555 陈女士 也要轮椅', '5006');
    await waitFor(async () => sendsTo('rep-zhang').length > before, 10_000, 'card');
    const card = sendsTo('rep-zhang').at(-1)!.body as any;
    const taskId = card.template_card.task_id as string;
    await postWecom(h.server, wecomCallback(cardEventXml({ from: 'rep-zhang', taskId, eventKey: 'not_customer' })));
    await waitFor(async () => (await identitiesOf(existing.id)).length === 1, 10_000, 'undo');
    expect(await identitiesOf(existing.id)).toEqual([{ kind: 'phone', value: '13500004444' }]);
    expect((await customers()).find((x) => x.id === existing.id)).toBeTruthy();
    expect(await t.database.query(sql`select * from interactions where platform_message_id = '5006'`)).toHaveLength(0);
    await waitFor(async () => h.wecom.calls('/cgi-bin/message/update_template_card').length > 0, 5_000, 'card updated');
  });

  it('POST /api/v1/leads resolves, assigns and answers { customerId, leadId, assigneeId }; GET shows status history', async () => {
    const res = await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: admin, body: JSON.stringify({ name: '蒋女士', phone: '13800006666', text: '想了解家用制氧机', sourceChannel: '官网', utm: { source: 'baidu', campaign: 'oxygen' } }) });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.assigneeId).toBeTruthy();
    const got = await json(await fetch(`${h.server.url}/api/v1/leads/${body.leadId}`, { headers: admin }));
    expect(got).toMatchObject({ id: body.leadId, status: 'assigned', assigneeId: body.assigneeId, sourceChannel: '官网', utm: { source: 'baidu', campaign: 'oxygen' } });
    expect(got.statusHistory.map((s: any) => s.status)).toEqual(['new', 'assigned']);
    const again = await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: admin, body: JSON.stringify({ phone: '138-0000-6666', sourceChannel: '官网' }) });
    expect(again.status).toBe(200);
    expect((await json(again)).customerId).toBe(body.customerId);
    const bad = await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: admin, body: JSON.stringify({ utm: { source: 'x' } }) });
    expect(bad.status).toBe(400);
    const key = (await json(await fetch(`${h.server.url}/api/v1/settings/form-key`, { method: 'POST', headers: admin }))).formKey;
    const viaForm = await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: { 'x-kelu-form-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ name: '韩先生', phone: '13800007777' }) });
    expect(viaForm.status).toBe(201);
    expect((await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: { 'x-kelu-form-key': 'fk_wrong_wrong_wrong_wrong', 'content-type': 'application/json' }, body: '{"name":"x"}' })).status).toBe(401);
    // A form key opens lead intake only, not the rest of the admin API.
    expect((await fetch(`${h.server.url}/api/v1/customers`, { headers: { 'x-kelu-form-key': key } })).status).toBe(401);
  });

  it('response time: 已联系 on the claim card, or the rep\'s archived reply (回复：…), sets first_response_at once; GET /api/v1/leads shows it', async () => {
    const leadRow = async (id: string) => (await t.database.query<{ first_response_at: Date | null; assignee_id: string; status: string }>(sql`select first_response_at, assignee_id, status from leads where id = ${id}`))[0]!;
    const listed = async (id: string) => ((await json(await fetch(`${h.server.url}/api/v1/leads?limit=100`, { headers: admin }))).items as any[]).find((l) => l.id === id);

    // An unowned lead goes to a rep with a claim card; 已联系 claims it and records the response.
    const res = await json(await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: admin, body: JSON.stringify({ name: '窦女士', phone: '13800008888', text: '想了解轮椅' }) }));
    expect((await leadRow(res.leadId)).first_response_at).toBeNull();
    expect((await listed(res.leadId)).responseTimeSeconds).toBeNull();
    const claim = (await t.database.query<{ id: string }>(sql`select id from tasks where lead_id = ${res.leadId} and kind = 'lead.claim'`))[0]!;
    const rep = res.assigneeId === users.li.id ? 'rep-li' : 'rep-zhang';
    expect((await postWecom(h.server, wecomCallback(cardEventXml({ from: rep, taskId: claim.id, eventKey: 'contacted' })))).status).toBe(200);
    await waitFor(async () => (await leadRow(res.leadId)).first_response_at !== null, 10_000, 'first response from 已联系');
    expect((await leadRow(res.leadId)).status).toBe('contacted');
    const view = await listed(res.leadId);
    expect(view.firstResponseAt).toBeTruthy();
    expect(view.responseTimeSeconds).toEqual(expect.any(Number));
    expect(view.responseTimeSeconds).toBeGreaterThanOrEqual(0);

    // A rep forwards a customer; then forwards the reply they sent. No identity in the reply: the
    // customer is the one the rep last captured.
    const before = sendsTo('rep-zhang').length;
    await forward('rep-zhang', '邵经理想了解一下制氧机，电话 13911112222', '5101');
    await waitFor(async () => sendsTo('rep-zhang').length > before, 10_000, 'capture card');
    const [c] = await t.database.query<{ id: string }>(sql`select customer_id as id from customer_identities where value = '13911112222'`);
    const [lead] = await t.database.query<{ id: string }>(sql`select id from leads where customer_id = ${c!.id}`);
    expect((await leadRow(lead!.id)).first_response_at).toBeNull();
    await forward('rep-zhang', '回复：邵经理您好，制氧机的报价单已发您邮箱', '5102');
    await waitFor(async () => (sendsTo('rep-zhang').at(-1)!.body as any).text?.content?.startsWith('已把你的回复归档到'), 10_000, 'reply archived');
    const first = (await leadRow(lead!.id)).first_response_at;
    expect(first).not.toBeNull();
    const out = await t.database.query<{ text: string; direction: string }>(sql`select text, direction from interactions where customer_id = ${c!.id} order by occurred_at, created_at`);
    expect(out.map((i) => i.direction)).toEqual(['in', 'out']);
    expect(out[1]!.text).toBe('邵经理您好，制氧机的报价单已发您邮箱');
    // No new customer, lead or capture card came from the reply; a second reply keeps the first response time.
    expect((await t.database.query(sql`select 1 from customers where name = '邵' `)).length).toBe(1);
    await forward('rep-zhang', '已回复：有问题随时联系我 13911112222', '5103');
    await waitFor(async () => (await t.database.query(sql`select 1 from interactions where customer_id = ${c!.id} and direction = 'out'`)).length === 2, 10_000, 'second reply');
    expect(String((await leadRow(lead!.id)).first_response_at)).toBe(String(first));
    // Someone with no recent capture and no identity in the reply is asked which customer it is.
    const m = sendsTo('mgr-chen').length;
    await forward('mgr-chen', '回复：好的', '5104');
    await waitFor(async () => sendsTo('mgr-chen').length > m, 10_000, 'question to the manager');
    expect((sendsTo('mgr-chen').at(-1)!.body as any).text.content).toBe(REPLY_NOT_FOUND_TEXT);
  });

  it('validates assignment settings', async () => {
    const put = (b: unknown) => fetch(`${h.server.url}/api/v1/settings/assignment`, { method: 'PUT', headers: admin, body: JSON.stringify(b) });
    expect((await put({ claimTimeoutSeconds: 5 })).status).toBe(400);
    expect((await put({ rules: [{ when: { region: ['华东'] }, target: { rep: '00000000-0000-4000-8000-000000000000' } }] })).status).toBe(400);
    expect((await put({ rules: [{ when: { colour: ['red'] }, target: { managers: true } }] })).status).toBe(400);
    const ok = await put({ claimTimeoutSeconds: 600, maxReassignments: 1, sourceWeights: { 官网: 1.5, 展会: 1.2, 老客转介: 2 }, rules: [{ name: '华东', when: { region: ['华东'] }, target: { pool: [users.li.id] } }] });
    expect(ok.status).toBe(200);
    expect((await json(await fetch(`${h.server.url}/api/v1/settings/assignment`, { headers: admin }))).sourceWeights['老客转介']).toBe(2);
  });
});

describe('assignment timers and manager cards (PostgreSQL, fake clock)', () => {
  it('reassigns an unclaimed lead after the timeout, escalates after the last one, and a restart in between changes nothing', async () => {
    const t = await openTestDatabase('postgres');
    const clock = { t: new Date('2026-03-10T02:00:00Z').getTime() }; // Tuesday 10:00 in Shanghai
    const now = () => new Date(clock.t);
    let h = await startHarness(t.database, { clock: now });
    try {
      const u = await seedTenant(t.database);
      const admin = { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' };
      await fetch(`${h.server.url}/api/v1/settings/assignment`, { method: 'PUT', headers: admin, body: JSON.stringify({ claimTimeoutSeconds: 600, maxReassignments: 1 }) });
      const res = await json(await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: admin, body: JSON.stringify({ name: '卫女士', phone: '13800008888', sourceChannel: '官网' }) }));
      const first = res.assigneeId as string;
      expect([u.li.id, u.zhang.id]).toContain(first);
      const lead = () => t.database.query<{ status: string; assignee_id: string | null; reassign_count: number }>(sql`select * from leads where id = ${res.leadId}`).then((r) => r[0]!);

      // Restart before the timeout: the timer is in the database, not in memory.
      await h.close();
      h = await startHarness(t.database, { clock: now });
      clock.t += 601_000;
      await waitFor(async () => (await lead()).reassign_count === 1, 10_000, 'reassigned');
      const second = (await lead()).assignee_id!;
      expect(second).not.toBe(first);
      expect((await lead()).status).toBe('assigned');
      // Firing again at the same time changes nothing.
      expect(await h.runtime.timers.runDue()).toBe(0);

      await h.close();
      h = await startHarness(t.database, { clock: now });
      clock.t += 601_000;
      await waitFor(async () => (await lead()).assignee_id === null, 10_000, 'escalated');
      expect((await lead()).status).toBe('new');
      const todo = await waitFor(async () => (await t.database.query<{ id: string }>(sql`select id from tasks where kind = 'manager.todo' and lead_id = ${res.leadId}`))[0], 5_000, 'todo');
      await waitFor(async () => h.wecom.calls('/cgi-bin/message/send').some((r) => (r.body as any).template_card?.task_id === todo.id), 10_000, 'todo card');
      const fired = await t.database.query<{ status: string }>(sql`select status from timers where kind = 'lead.claim'`);
      expect(fired.map((f) => f.status).sort()).toEqual(['fired', 'fired']);
    } finally {
      await h.close();
      await t.drop();
    }
  }, 60_000);

  it('two managers click the same todo card: one action wins and both cards are updated', async () => {
    const t = await openTestDatabase('postgres');
    const h = await startHarness(t.database);
    try {
      const u = await seedTenant(t.database);
      await createUser(t.database.db, 'default', { name: '周经理', role: 'manager', accounts: [{ platform: 'wecom', kind: 'userid', value: 'mgr-zhou' }] }, 'test');
      await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '褚总很着急，今天就要移动DR的报价 13611112222', msgId: '6001' })));
      const todo = await waitFor(async () => (await t.database.query<{ id: string }>(sql`select id from tasks where kind = 'manager.todo'`))[0], 10_000, 'todo');
      const cardSends = () => h.wecom.shown.filter((r) => (r.body as any).template_card?.task_id === todo.id);
      await waitFor(async () => cardSends().length === 2, 10_000, 'two manager cards');
      // Both sends returned a response_code, remembered per recipient.
      await waitFor(async () => (await t.database.query<{ n: number }>(sql`select jsonb_array_length(card_refs) as n from tasks where id = ${todo.id}`))[0]!.n === 2, 5_000, 'card refs');

      const clicks = await Promise.all([
        postWecom(h.server, wecomCallback(cardEventXml({ from: 'mgr-chen', taskId: todo.id, eventKey: 'take', responseCode: 'rc-chen-click' }))),
        postWecom(h.server, wecomCallback(cardEventXml({ from: 'mgr-zhou', taskId: todo.id, eventKey: 'take', responseCode: 'rc-zhou-click' }))),
      ]);
      expect(clicks.map((c) => c.status)).toEqual([200, 200]);
      await waitFor(async () => (await inboxRows(t.database)).filter((r) => r.kind === 'cardAction' && r.status === 'done').length === 2, 10_000, 'both clicks processed');
      await waitFor(async () => (await outboxRows(t.database)).every((r) => r.status === 'done'), 10_000, 'outbox drained');
      const task = (await t.database.query<{ status: string; done_by: string }>(sql`select status, done_by from tasks where id = ${todo.id}`))[0]!;
      expect(task.status).toBe('done');
      const winner = task.done_by === u.manager.id ? 'mgr-chen' : 'mgr-zhou';
      const lead = (await t.database.query<{ assignee_id: string; status: string }>(sql`select assignee_id, status from leads`))[0]!;
      expect(lead.assignee_id).toBe(task.done_by);
      const updates = h.wecom.calls('/cgi-bin/message/update_template_card');
      const updatedUsers = new Set(updates.flatMap((r) => (r.body as any).userids as string[]));
      expect(updatedUsers).toEqual(new Set(['mgr-chen', 'mgr-zhou']));
      const texts = updates.map((r) => (r.body as any).button?.replace_name as string);
      expect(texts.filter((x) => x?.includes('已跟进')).length).toBeGreaterThanOrEqual(2);
      const loser = winner === 'mgr-chen' ? 'mgr-zhou' : 'mgr-chen';
      const politeness = h.wecom.calls('/cgi-bin/message/send').filter((r) => (r.body as any).touser === loser && (r.body as any).text?.content?.includes('已由'));
      expect(politeness).toHaveLength(1);
    } finally {
      await h.close();
      await t.drop();
    }
  }, 60_000);
});
