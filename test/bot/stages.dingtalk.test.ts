import { describe, expect, it, jest, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { box, DINGTALK, dingtalkStream, fakeClock, seedTenant, startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';
import { setChannelCredentials } from '../../src/crm/tenants.repo.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { testModel } from './stages.helpers.js';

type Seeded = Awaited<ReturnType<typeof seedTenant>>;

// The same questionnaire as stages.wecom.test.ts, through DingTalk: interactive cards from our card
// template, answers as Stream card callbacks, updates through PUT /v1.0/card/instances.
describe('the stage questionnaire in DingTalk (PostgreSQL)', () => {
  let t: TestDatabase;
  let h: Harness;
  let u: Seeded;
  let customerId: string;
  const clock = fakeClock(new Date('2026-03-02T01:00:00.000Z'));

  beforeAll(async () => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    t = await openTestDatabase('postgres');
    u = await seedTenant(t.database);
    await setChannelCredentials(t.database.db, 'default', 'dingtalk', box.sealJson({ ...DINGTALK, cardTemplateId: 'tpl.schema' }), 'test');
    customerId = (await createCustomer(t.database.db, 'default', { name: '钱', title: '院长', ownerId: u.li.id, identities: [{ kind: 'phone', value: '13912340002' }] }, 'test')).id;
    h = await startHarness(t.database, { env: { DINGTALK_STREAM: 'on' }, clock: clock.now });
    await waitFor(async () => h.dingtalk.openConnections === 1 && (dingtalkStream(h.runtime)?.running ?? false), 10_000, 'stream connection');
    const put = await fetch(`${h.server.url}/api/v1/stages/model`, { method: 'PUT', headers: { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' }, body: JSON.stringify(testModel(u.zhang.id)) });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
    jest.restoreAllMocks();
  });

  const cardsTo = (user: string) => h.dingtalk.requestsTo('/v1.0/card/instances/createAndDeliver').map((r) => r.body as any).filter((b) => b.openSpaceId === `dtv1.card//IM_ROBOT.${user}`);
  const nextCard = async (user: string, n: number) => (await waitFor(async () => cardsTo(user).length > n && cardsTo(user), 10_000, `card ${n + 1} to ${user}`))[n];
  const updates = () => h.dingtalk.requestsTo('/v1.0/card/instances').filter((r) => r.method === 'PUT').map((r) => r.body as any);
  // What a user was told outside cards (robot messages, or the robot's keyed ordinary cards), as text.
  const robotTo = (user: string) => h.dingtalk.shown.filter((m) => m.to === user && (m.via === 'robot' || m.via === 'standardCard')).map((m) => m.text);
  const stageOf = async () => (await t.database.query<{ stage_key: string }>(sql`select stage_key from stage_entries where customer_id = ${customerId} and left_at is null`))[0]?.stage_key;
  const answer = (user: string, card: any, params: Record<string, unknown>) => h.dingtalk.pushCardCallback({
    outTrackId: card.outTrackId, userId: user, corpId: 'ding0123', type: 'actionCallback', spaceType: 'IM_ROBOT', spaceId: user,
    content: JSON.stringify({ cardPrivateData: { actionIds: [String(params.actionKey)], params } }),
  });

  it('阶段 <phone> → a choice card, then yes/no cards; answers move the stage and update the card; material, todo and escalation follow', async () => {
    h.dingtalk.pushRobotMessage(robotMessage({ msgId: 'stage-dt-1', text: '阶段 13912340002', staffId: 'dt-rep-li', fakeUrl: h.dingtalk.url }));
    const choice = await nextCard('dt-rep-li', 0);
    expect(JSON.parse(choice.cardData.cardParamMap.question)).toMatchObject({ questionKey: 'decision_maker', multiple: false });
    expect(JSON.parse(choice.cardData.cardParamMap.options).map((o: any) => o.text)).toEqual(['院长', '科主任', '采购部', '其他']);
    answer('dt-rep-li', choice, { actionKey: 'submit', questionKey: 'decision_maker', optionIds: ['director'] });
    await waitFor(async () => updates().some((b) => b.outTrackId === choice.outTrackId && b.cardData.cardParamMap.resultText === '李销售：科主任 → 初步接触' && b.cardData.cardParamMap.handled === 'true'), 10_000, 'choice card updated');

    const need = await nextCard('dt-rep-li', 1);
    expect(JSON.parse(need.cardData.cardParamMap.buttons)).toEqual([{ text: '是', actionKey: 'yes', style: 'primary' }, { text: '否', actionKey: 'no', style: 'default' }]);
    answer('dt-rep-li', need, { actionKey: 'yes' });
    const budget = await nextCard('dt-rep-li', 2);
    expect(await stageOf()).toBe('needs');
    answer('dt-rep-li', budget, { actionKey: 'yes' });
    await waitFor(async () => robotTo('dt-rep-li').some((text) => text.includes('国产替代方案对比模板')), 10_000, 'the template');
    expect(await stageOf()).toBe('solution');

    const tech = await nextCard('dt-rep-li', 3);
    answer('dt-rep-li', tech, { actionKey: 'yes' });
    const todo = await nextCard('dt-rep-zhang', 0);
    expect(todo.cardData.cardParamMap.title).toBe('待办：提交技术参数：钱院长');
    await waitFor(async () => [...h.dingtalk.todos.values()].some((x) => x.sourceId === todo.outTrackId && x.subject === '提交技术参数：钱院长'), 10_000, 'a DingTalk todo');
    const todoBody = [...h.dingtalk.todos.values()].find((x) => x.sourceId === todo.outTrackId)!.body;
    expect(todoBody.dueTime).toBe(clock.now().getTime() + 2 * 3600_000);

    clock.advance(2 * 3600_000 + 60_000);
    await waitFor(async () => robotTo('dt-mgr-chen').some((text) => text.startsWith('逾期未完成：提交技术参数：钱院长')), 10_000, 'escalation to the manager');
    expect(await t.database.query(sql`select * from stage_entries where customer_id = ${customerId}`)).toHaveLength(4);
    // 完成 on the todo card closes the task, updates the card and completes the DingTalk todo.
    await waitFor(async () => (await t.database.query<{ n: number }>(sql`select jsonb_array_length(card_refs) as n from tasks where id = ${todo.outTrackId}`))[0]!.n === 1, 10_000, 'todo card remembered');
    answer('dt-rep-zhang', todo, { actionKey: 'done' });
    await waitFor(async () => [...h.dingtalk.todos.values()].find((x) => x.sourceId === todo.outTrackId)!.done, 10_000, 'DingTalk todo done');
    // The deliverer completes the todo first, then updates the card.
    await waitFor(async () => updates().some((b) => b.outTrackId === todo.outTrackId && b.cardData.cardParamMap.resultText === '张销售 已完成'), 10_000, 'todo card updated');
  }, 60_000);

  it('two people answer one card: the first wins, the second card says who answered', async () => {
    const before = cardsTo('dt-rep-li').length;
    clock.advance(15 * 86_400_000);
    const [li, chen] = [await nextCard('dt-rep-li', before), await nextCard('dt-mgr-chen', 0)];
    expect(li.outTrackId).toBe(chen.outTrackId);
    answer('dt-mgr-chen', chen, { actionKey: 'no' });
    await waitFor(async () => (await t.database.query(sql`select 1 from stage_answers where customer_id = ${customerId} and question_key = 'tender_no'`)).length === 1, 10_000, 'the first answer');
    answer('dt-rep-li', li, { actionKey: 'yes' });
    await waitFor(async () => updates().some((b) => b.cardData.cardParamMap.resultText === '已由陈经理回答：否'), 10_000, 'the second told who answered');
    expect(await stageOf()).toBe('technical');
    expect(await t.database.query(sql`select * from stage_answers where customer_id = ${customerId} and question_key = 'tender_no'`)).toHaveLength(1);
  }, 60_000);
});
