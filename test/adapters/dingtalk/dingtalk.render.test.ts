import { describe, expect, it } from '@jest/globals';
import { renderCard, renderCardUpdate, renderRobotPayload, renderWebhookBody } from '../../../src/adapters/dingtalk/dingtalk.render.js';
import type { Card, Reply } from '../../../src/channel/messages.js';

const card: Card = {
  cardId: 'task_01',
  title: '新线索：李总',
  description: '来自 *华东* 群',
  fields: [{ label: '电话', value: '138****5678' }, { label: '预算', value: '50 万' }],
  buttons: [{ key: 'claim', text: '认领', style: 'primary' }, { key: 'skip', text: '忽略' }],
  url: 'https://kelu.example/leads/1',
};

describe('renderRobotPayload / renderWebhookBody', () => {
  it.each<[string, Reply, unknown, unknown]>([
    ['text', { kind: 'text', text: '收到' }, { msgKey: 'sampleText', msgParam: { content: '收到' } }, { msgtype: 'text', text: { content: '收到' } }],
    [
      'markdown with title',
      { kind: 'markdown', title: '日报', text: '**3** 条' },
      { msgKey: 'sampleMarkdown', msgParam: { title: '日报', text: '**3** 条' } },
      { msgtype: 'markdown', markdown: { title: '日报', text: '**3** 条' } },
    ],
    [
      'markdown title from first line',
      { kind: 'markdown', text: '## 今日待办\n- 回访' },
      { msgKey: 'sampleMarkdown', msgParam: { title: '今日待办', text: '## 今日待办\n- 回访' } },
      { msgtype: 'markdown', markdown: { title: '今日待办', text: '## 今日待办\n- 回访' } },
    ],
    ['cardUpdate as text', { kind: 'cardUpdate', cardId: 'c', resultText: '已认领' }, { msgKey: 'sampleText', msgParam: { content: '已认领' } }, { msgtype: 'text', text: { content: '已认领' } }],
  ])('%s', (_n, reply, robot, webhook) => {
    expect(renderRobotPayload(reply)).toEqual(robot);
    expect(renderWebhookBody(reply)).toEqual(webhook);
  });

  it('degrades a card to markdown with escaped customer text and a link', () => {
    const p = renderRobotPayload({ kind: 'card', card });
    expect(p.msgKey).toBe('sampleMarkdown');
    expect(p.msgParam.text).toBe('### 新线索：李总\n\n来自 \\*华东\\* 群\n\n**电话**：138\\*\\*\\*\\*5678\n\n**预算**：50 万\n\n[在客路中打开](https://kelu.example/leads/1)');
  });
});

describe('renderCard / renderCardUpdate', () => {
  it('fills our template parameters, all strings, buttons carrying actionKey', () => {
    const { outTrackId, cardParamMap } = renderCard(card);
    expect(outTrackId).toBe('task_01');
    expect(Object.values(cardParamMap).every((v) => typeof v === 'string')).toBe(true);
    expect(cardParamMap).toMatchObject({ title: '新线索：李总', url: 'https://kelu.example/leads/1', handled: 'false', resultText: '' });
    expect(JSON.parse(cardParamMap.buttons)).toEqual([
      { text: '认领', actionKey: 'claim', style: 'primary' },
      { text: '忽略', actionKey: 'skip', style: 'default' },
    ]);
    expect(cardParamMap).not.toHaveProperty('question');
  });

  it('renders a choice card', () => {
    const { cardParamMap } = renderCard({ cardId: 'q1', title: '预算', choice: { questionKey: 'budget', title: '预算区间', options: [{ id: 'a', text: '<10万' }, { id: 'b', text: '10-50万' }] } });
    expect(JSON.parse(cardParamMap.question)).toEqual({ questionKey: 'budget', title: '预算区间', multiple: false, submitText: '提交' });
    expect(JSON.parse(cardParamMap.options)).toEqual([{ id: 'a', text: '<10万' }, { id: 'b', text: '10-50万' }]);
  });

  it('renders several selectors as one JSON parameter, and lists them when degraded to markdown', () => {
    const selects = [{ questionKey: 'way', title: '采购方式？', options: [{ id: 't', text: '公开招标' }, { id: 'n', text: '谈判' }] }, { questionKey: 'dm', title: '决策人？', options: [{ id: 'd', text: '院长' }] }];
    const c: Card = { cardId: 'q2', title: '王总：2 个问题', selects };
    expect(JSON.parse(renderCard(c).cardParamMap.selects)).toEqual(selects);
    expect(renderRobotPayload({ kind: 'card', card: c }).msgParam.text).toBe('### 王总：2 个问题\n\n采购方式？：公开招标 / 谈判\n\n决策人？：院长');
  });

  it('an update removes the buttons and shows who handled it', () => {
    expect(renderCardUpdate({ kind: 'cardUpdate', cardId: 'task_01', resultText: '王小明 已认领' })).toEqual({
      outTrackId: 'task_01',
      cardParamMap: { buttons: '[]', handled: 'true', resultText: '王小明 已认领' },
    });
    const full = renderCardUpdate({ kind: 'cardUpdate', cardId: 'task_01', resultText: '已忽略', card });
    expect(full.cardParamMap).toMatchObject({ title: '新线索：李总', buttons: '[]', handled: 'true', resultText: '已忽略' });
  });
});
