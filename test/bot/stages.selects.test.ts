import { describe, expect, it, jest, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { box, DINGTALK, dingtalkStream, postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, WECOM, type Harness } from '../helpers/harness.js';
import { robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';
import { setChannelCredentials } from '../../src/crm/tenants.repo.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { testModel } from './stages.helpers.js';

// Two one-answer questions in a row share one card: WeCom multiple_interaction (select_list),
// DingTalk selectors; one submit answers both.
describe('several stage questions on one card (PGlite)', () => {
  let t: TestDatabase;
  let h: Harness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    t = await openTestDatabase('pglite');
    const u = await seedTenant(t.database);
    await setChannelCredentials(t.database.db, 'default', 'dingtalk', box.sealJson({ ...DINGTALK, cardTemplateId: 'tpl.schema' }), 'test');
    for (const [k, phone] of [['w', '13912340011'], ['d', '13912340012']] as const) {
      ids[k] = (await createCustomer(t.database.db, 'default', { name: k === 'w' ? '甲' : '乙', ownerId: u.li.id, identities: [{ kind: 'phone', value: phone }] }, 'test')).id;
    }
    h = await startHarness(t.database, { env: { DINGTALK_STREAM: 'on' } });
    await waitFor(async () => h.dingtalk.openConnections === 1 && (dingtalkStream(h.runtime)?.running ?? false), 10_000, 'stream connection');
    const m = testModel(u.zhang.id);
    m.questions.unshift({ key: 'purchase_way', text: '采购方式？', kind: 'single', options: [{ key: 'tender', label: '公开招标' }, { key: 'talks', label: '竞争性谈判' }, { key: 'single', label: '单一来源' }] });
    const put = await fetch(`${h.server.url}/api/v1/stages/model`, { method: 'PUT', headers: { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' }, body: JSON.stringify(m) });
    expect(put.status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
    jest.restoreAllMocks();
  });

  const answers = (customerId: string) => t.database.query<{ question_key: string; values: string[] }>(sql`select question_key, values from stage_answers where customer_id = ${customerId} order by question_key`);

  it('WeCom: one multiple_interaction card, both answers from one submit, the card updated', async () => {
    await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '阶段 13912340011', msgId: '9301' })));
    const card = await waitFor(async () => h.wecom.calls('/cgi-bin/message/send').map((r) => r.body as any).find((b) => b.msgtype === 'template_card')?.template_card, 10_000, 'card');
    expect(card.card_type).toBe('multiple_interaction');
    expect(card.select_list.map((x: any) => [x.question_key, x.option_list.length])).toEqual([['purchase_way', 3], ['decision_maker', 4]]);
    const item = (q: string, o: string) => `<SelectedItem><QuestionKey><![CDATA[${q}]]></QuestionKey><OptionIds><OptionId><![CDATA[${o}]]></OptionId></OptionIds></SelectedItem>`;
    const xml = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[rep-li]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[submit]]></EventKey><TaskId><![CDATA[${card.task_id}]]></TaskId><CardType><![CDATA[multiple_interaction]]></CardType><ResponseCode><![CDATA[rc-multi]]></ResponseCode><AgentID>${WECOM.agentId}</AgentID><SelectedItems>${item('purchase_way', 'tender')}${item('decision_maker', 'director')}</SelectedItems></xml>`;
    expect((await postWecom(h.server, wecomCallback(xml))).status).toBe(200);
    await waitFor(async () => (await answers(ids.w!)).length === 2, 10_000, 'two answers');
    expect(await answers(ids.w!)).toEqual([{ question_key: 'decision_maker', values: ['director'] }, { question_key: 'purchase_way', values: ['tender'] }]);
    const update = await waitFor(async () => h.wecom.calls('/cgi-bin/message/update_template_card').map((r) => r.body as any).find((b) => b.response_code === 'rc-multi'), 10_000, 'card updated');
    expect(update.button.replace_name).toBe('李销售：公开招标 → 初步接触；李销售：科主任');
  });

  it('DingTalk: the selectors in one card parameter, both answers from one callback', async () => {
    h.dingtalk.pushRobotMessage(robotMessage({ msgId: 'sel-dt-1', text: '阶段 13912340012', staffId: 'dt-rep-li', fakeUrl: h.dingtalk.url }));
    const card = await waitFor(async () => h.dingtalk.requestsTo('/v1.0/card/instances/createAndDeliver').map((r) => r.body as any)[0], 10_000, 'card');
    expect(JSON.parse(card.cardData.cardParamMap.selects).map((x: any) => x.questionKey)).toEqual(['purchase_way', 'decision_maker']);
    h.dingtalk.pushCardCallback({
      outTrackId: card.outTrackId, userId: 'dt-rep-li', spaceType: 'IM_ROBOT', spaceId: 'dt-rep-li',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['submit'], params: { actionKey: 'submit', selected: [{ questionKey: 'purchase_way', optionIds: ['talks'] }, { questionKey: 'decision_maker', optionIds: ['dean'] }] } } }),
    });
    await waitFor(async () => (await answers(ids.d!)).length === 2, 10_000, 'two answers');
    expect(await answers(ids.d!)).toEqual([{ question_key: 'decision_maker', values: ['dean'] }, { question_key: 'purchase_way', values: ['talks'] }]);
    await waitFor(async () => h.dingtalk.requestsTo('/v1.0/card/instances').some((r) => r.method === 'PUT' && (r.body as any).cardData.cardParamMap.resultText === '李销售：竞争性谈判 → 初步接触；李销售：院长'), 10_000, 'card updated');
  });
});
