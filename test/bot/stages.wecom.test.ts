import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { cardEventXml, fakeClock, postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, WECOM, type Harness } from '../helpers/harness.js';
import { FakeWecomServer } from '../fakes/fake-wecom-server.js';
import { FakeDingtalkServer } from '../fakes/fake-dingtalk-server.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { testModel } from './stages.helpers.js';

type Seeded = Awaited<ReturnType<typeof seedTenant>>;
const admin = { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' };

describe.each(backends)('the stage questionnaire in WeCom on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let u: Seeded;
  let customerId: string;
  const wecom = new FakeWecomServer({ corpId: WECOM.corpId, secrets: [WECOM.secret] });
  let wecomUrl = '';
  const dingtalk = new FakeDingtalkServer({ redeliverDelayMs: 50 });
  const clock = fakeClock(new Date('2026-03-02T01:00:00.000Z'));
  const start = () => startHarness(t.database, { wecom: { server: wecom, url: wecomUrl }, dingtalk, clock: clock.now });

  beforeAll(async () => {
    wecomUrl = (await wecom.start()).url;
    await dingtalk.start();
    t = await openTestDatabase(backend);
    u = await seedTenant(t.database);
    customerId = (await createCustomer(t.database.db, 'default', { name: '孙', title: '主任', company: '第六人民医院', ownerId: u.li.id, identities: [{ kind: 'phone', value: '13912340001' }] }, 'test')).id;
    await t.database.query(sql`insert into interactions (tenant_id, customer_id, channel, direction, text, occurred_at, entities) values ('default', ${customerId}, 'chat', 'in', '移动DR', now(), '{"products":[{"id":"sku-dr"}]}')`);
    h = await start();
    const put = await fetch(`${h.server.url}/api/v1/stages/model`, { method: 'PUT', headers: admin, body: JSON.stringify(testModel(u.zhang.id)) });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await wecom.stop();
    await dingtalk.stop();
    await t?.drop();
  });

  const sends = (user: string) => wecom.calls('/cgi-bin/message/send').map((r) => r.body as any).filter((b) => b.touser === user);
  const cardsTo = (user: string) => sends(user).filter((b) => b.msgtype === 'template_card').map((b) => b.template_card);
  const updates = () => wecom.calls('/cgi-bin/message/update_template_card').map((r) => r.body as any);
  const stageOf = async () => (await t.database.query<{ stage_key: string }>(sql`select stage_key from stage_entries where customer_id = ${customerId} and left_at is null`))[0]?.stage_key;
  const nextCard = async (user: string, n: number) => (await waitFor(async () => cardsTo(user).length > n && cardsTo(user), 10_000, `card ${n + 1} to ${user}`))[n];
  const click = (from: string, card: any, o: { key?: string; options?: string[] }) => postWecom(h.server, wecomCallback(cardEventXml({
    from, taskId: card.task_id, eventKey: o.key ?? 'submit', ...(o.options ? { selected: { questionKey: card.checkbox.question_key, optionIds: o.options } } : {}),
  })));

  it('阶段 <phone> → a vote card; answers move the customer, update the card, send the material and a todo that escalates when missed', async () => {
    await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '阶段 13912340001', msgId: '9101' })));
    const vote = await nextCard('rep-li', 0);
    expect(vote).toMatchObject({ card_type: 'vote_interaction', main_title: { title: '孙主任（第六人民医院）：最终决策人是谁？' }, checkbox: { question_key: 'decision_maker', mode: 0 } });
    expect(vote.checkbox.option_list.map((o: any) => o.text)).toEqual(['院长', '科主任', '采购部', '其他']);
    expect(sends('rep-li').some((b) => b.msgtype === 'text' && b.text.content.includes('尚未进入任何阶段'))).toBe(true);

    // A choice that decides no stage starts the customer at the first one; the card shows the answer.
    expect((await click('rep-li', vote, { options: ['dean'] })).status).toBe(200);
    const yesno = await nextCard('rep-li', 1);
    expect(await stageOf()).toBe('contact');
    await waitFor(async () => updates().some((b) => b.button?.replace_name === '李销售：院长 → 初步接触'), 10_000, 'vote card updated');
    expect(yesno).toMatchObject({ card_type: 'button_interaction', button_list: [{ text: '是', key: 'yes' }, { text: '否', key: 'no' }] });

    await click('rep-li', yesno, { key: 'yes' });
    const budget = await nextCard('rep-li', 2);
    expect(await stageOf()).toBe('needs');
    expect(budget.main_title.title).toContain('预算已批复');
    await click('rep-li', budget, { key: 'yes' });
    await waitFor(async () => sends('rep-li').some((b) => b.msgtype === 'markdown' && b.markdown.content.includes('国产替代方案对比模板')), 10_000, 'the template');
    await waitFor(async () => updates().some((b) => b.button?.replace_name === '李销售：是 → 方案确认'), 10_000, 'budget card updated');
    expect(await stageOf()).toBe('solution');

    const tech = await nextCard('rep-li', 3);
    await click('rep-li', tech, { key: 'yes' });
    // 技术对接: 售后工程师 (张销售) gets a todo due in two hours.
    const todo = await nextCard('rep-zhang', 0);
    expect(todo).toMatchObject({ card_type: 'button_interaction', main_title: { title: '待办：提交技术参数：孙主任（第六人民医院）' }, button_list: [{ key: 'done', text: '完成' }] });
    const [task] = await t.database.query<{ due_at: string; status: string }>(sql`select due_at, status from tasks where id = ${todo.task_id}`);
    expect(new Date(task!.due_at).getTime()).toBe(clock.now().getTime() + 2 * 3600_000);
    expect(sends('mgr-chen').filter((b) => b.msgtype === 'text' && b.text.content.includes('逾期'))).toHaveLength(0);

    clock.advance(2 * 3600_000 + 60_000);
    await waitFor(async () => sends('mgr-chen').some((b) => b.msgtype === 'text' && b.text.content.startsWith('逾期未完成：提交技术参数')), 10_000, 'escalation to the manager');
    await waitFor(async () => sends('rep-zhang').some((b) => b.msgtype === 'text' && b.text.content.startsWith('待办已超时')), 10_000, 'the assignee told');
    await click('rep-zhang', todo, { key: 'done' });
    await waitFor(async () => updates().some((b) => b.userids[0] === 'rep-zhang' && b.button?.replace_name === '张销售 已完成'), 10_000, 'todo card done');
    expect((await t.database.query<{ status: string }>(sql`select status from tasks where id = ${todo.task_id}`))[0]!.status).toBe('done');

    const history = await (await fetch(`${h.server.url}/api/v1/customers/${customerId}/stages`, { headers: admin })).json() as any;
    expect(history.items.map((e: any) => [e.stage.name, e.rule, e.by.name])).toEqual([
      ['技术对接', '约定提交技术参数 = 是', '李销售'], ['方案确认', '预算已批复 = 是', '李销售'], ['需求确认', '客户已明确采购需求 = 是', '李销售'], ['初步接触', null, '李销售'],
    ]);
    expect(history.nextCursor).toBeNull();
  }, 60_000);

  it('a restart after the answer is committed and before anything is sent changes nothing; a retried callback is a no-op', async () => {
    const tender = await nextCard('rep-li', 4);
    expect(tender.main_title.title).toContain('招标文件编号');
    const managerTexts = () => sends('mgr-chen').filter((b) => b.msgtype === 'text' && b.text.content.includes('进入「投标准备」'));
    await h.runtime.stop();
    const cb = wecomCallback(cardEventXml({ from: 'rep-li', taskId: tender.task_id, eventKey: 'yes', createTime: 1_780_000_000 }));
    expect((await postWecom(h.server, cb)).status).toBe(200);
    expect(await h.runtime.inbox.runOnce()).toBe(1);
    expect(await stageOf()).toBe('bidding');
    await h.close();
    expect(managerTexts()).toHaveLength(0);

    h = await start();
    await waitFor(async () => managerTexts().length === 1, 10_000, 'the manager told after the restart');
    await waitFor(async () => sends('rep-li').some((b) => b.msgtype === 'markdown' && b.markdown.content.includes('可比成交案例')), 10_000, 'comparable deals');
    expect((await postWecom(h.server, wecomCallback(cardEventXml({ from: 'rep-li', taskId: tender.task_id, eventKey: 'yes', createTime: 1_780_000_000, responseCode: undefined })))).status).toBe(200);
    await waitFor(async () => (await t.database.query<{ n: number }>(sql`select count(*)::int as n from outbox_messages where status <> 'done'`))[0]!.n === 0, 10_000, 'outbox drained');
    expect(managerTexts()).toHaveLength(1);
    expect(await t.database.query(sql`select * from stage_entries where customer_id = ${customerId} and stage_key = 'bidding'`)).toHaveLength(1);
  }, 60_000);

  it('a stage sitting past its limit sends the question to the rep and the manager; of two answers on that card, one wins', async () => {
    const liBefore = cardsTo('rep-li').length;
    clock.advance(15 * 86_400_000);
    const [li, chen] = [await nextCard('rep-li', liBefore), await nextCard('mgr-chen', 0)];
    expect(li.task_id).toBe(chen.task_id);
    expect(li.main_title.title).toContain('已开始谈价格');
    await Promise.all([click('rep-li', li, { key: 'yes' }), click('mgr-chen', chen, { key: 'no' })]);
    await waitFor(async () => updates().filter((b) => b.button?.replace_name?.startsWith('已由')).length === 1, 10_000, 'the loser told who answered');
    const answers = await t.database.query<{ actor_name: string; values: string[] }>(sql`select actor_name, values from stage_answers where customer_id = ${customerId} and question_key = 'price_talks'`);
    expect(answers).toHaveLength(1);
    const loser = updates().find((b) => b.button?.replace_name?.startsWith('已由'))!;
    expect(loser.button.replace_name).toBe(`已由${answers[0]!.actor_name}回答：${answers[0]!.values[0] === 'yes' ? '是' : '否'}`);
    expect(await stageOf()).toBe(answers[0]!.values[0] === 'yes' ? 'negotiation' : 'bidding');
  }, 60_000);
  it('claiming a lead starts the customer at the first stage and sends the rep the first question', async () => {
    const before = { 'rep-li': cardsTo('rep-li').length, 'rep-zhang': cardsTo('rep-zhang').length };
    const res = await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: admin, body: JSON.stringify({ name: '冯主任', phone: '13912340009', text: '想了解移动DR' }) });
    const lead = await res.json() as { customerId: string; assigneeId: string };
    const rep = lead.assigneeId === u.li.id ? 'rep-li' : 'rep-zhang';
    const n = before[rep];
    const claim = (await waitFor(async () => cardsTo(rep).slice(n).find((c) => c.main_title.title.startsWith('新线索待认领')), 10_000, 'claim card'));
    await click(rep, claim, { key: 'claim' });
    const question = (await waitFor(async () => cardsTo(rep).slice(n).find((c) => c.main_title.title.startsWith('冯主任：')), 10_000, 'first question'));
    expect(question.card_type).toBe('vote_interaction');
    const [entry] = await t.database.query<{ stage_key: string; rule: string; actor_name: string }>(sql`select stage_key, rule, actor_name from stage_entries where customer_id = ${lead.customerId}`);
    expect(entry).toEqual({ stage_key: 'contact', rule: '认领线索', actor_name: rep === 'rep-li' ? '李销售' : '张销售' });
  }, 60_000);
});
