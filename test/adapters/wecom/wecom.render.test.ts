import { describe, expect, it } from '@jest/globals';
import type { Card } from '../../../src/channel/messages.js';
import { renderWecomCardUpdate, renderWecomMessage } from '../../../src/adapters/wecom/wecom.render.js';

const to = { userIds: ['LiLei', 'HanMeimei'] };

const leadCard: Card = {
  cardId: 'lead_8f2k1',
  title: '新线索：王总（星河贸易）',
  description: '展会扫码添加',
  fields: [
    { label: '电话', value: '138****5678' },
    { label: '预算', value: '50万' },
  ],
  buttons: [
    { key: 'claim', text: '认领', style: 'primary' },
    { key: 'skip', text: '忽略', style: 'default' },
  ],
  url: 'https://crm.example.com/leads/8f2k1',
};

const errCode = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  throw new Error('expected a throw');
};

describe('renderWecomMessage', () => {
  it('text', () => {
    expect(renderWecomMessage('1000002', to, { kind: 'text', text: '你好' })).toEqual({
      touser: 'LiLei|HanMeimei', agentid: 1000002, msgtype: 'text', text: { content: '你好' },
    });
  });

  it('markdown, with and without a title', () => {
    expect(renderWecomMessage(1000002, to, { kind: 'markdown', title: '今日跟进', text: '- 王总' })).toMatchObject({
      msgtype: 'markdown', markdown: { content: '**今日跟进**\n- 王总' },
    });
    expect(renderWecomMessage(1000002, to, { kind: 'markdown', text: '- 王总' })).toMatchObject({ markdown: { content: '- 王总' } });
  });

  it('button card -> button_interaction with task_id, fields, card_action and button_list', () => {
    expect(renderWecomMessage(1000002, { userIds: ['LiLei'] }, { kind: 'card', card: leadCard })).toEqual({
      touser: 'LiLei',
      agentid: 1000002,
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        task_id: 'lead_8f2k1',
        main_title: { title: '新线索：王总（星河贸易）' },
        sub_title_text: '展会扫码添加',
        horizontal_content_list: [
          { keyname: '电话', value: '138****5678' },
          { keyname: '预算', value: '50万' },
        ],
        card_action: { type: 1, url: 'https://crm.example.com/leads/8f2k1' },
        button_list: [
          { text: '认领', style: 1, key: 'claim' },
          { text: '忽略', style: 2, key: 'skip' },
        ],
      },
    });
  });

  it('more than six fields: six in the list, the rest in the sub-title', () => {
    const fields = Array.from({ length: 8 }, (_, i) => ({ label: `k${i}`, value: `v${i}` }));
    const out = renderWecomMessage(1, to, { kind: 'card', card: { ...leadCard, description: undefined, fields } });
    const card = out.template_card as Record<string, unknown>;
    expect(card.horizontal_content_list).toHaveLength(6);
    expect(card.sub_title_text).toBe('k6：v6\nk7：v7');
  });

  const choiceCard: Card = {
    cardId: 'q_budget_1',
    title: '客户预算',
    description: '王总',
    choice: { questionKey: 'budget', title: '预算区间', options: [{ id: 'b1', text: '50万以下' }, { id: 'b2', text: '50-100万' }] },
  };

  it('single choice -> vote_interaction, checkbox mode 0, submit key', () => {
    expect(renderWecomMessage(1, to, { kind: 'card', card: choiceCard }).template_card).toEqual({
      card_type: 'vote_interaction',
      task_id: 'q_budget_1',
      main_title: { title: '客户预算', desc: '王总' },
      submit_button: { text: '提交', key: 'submit' },
      checkbox: { question_key: 'budget', mode: 0, option_list: [{ id: 'b1', text: '50万以下' }, { id: 'b2', text: '50-100万' }] },
    });
  });

  it('multiple choice -> checkbox mode 1 with the given submit text', () => {
    const card = { ...choiceCard, choice: { ...choiceCard.choice!, multiple: true, submitText: '确定' } };
    expect(renderWecomMessage(1, to, { kind: 'card', card }).template_card).toMatchObject({
      card_type: 'vote_interaction', checkbox: { mode: 1 }, submit_button: { text: '确定', key: 'submit' },
    });
  });

  it('dropdown style -> multiple_interaction with one select_list; refuses multi-answer', () => {
    expect(renderWecomMessage(1, to, { kind: 'card', card: choiceCard }, { choiceStyle: 'dropdown' }).template_card).toEqual({
      card_type: 'multiple_interaction',
      task_id: 'q_budget_1',
      main_title: { title: '客户预算', desc: '王总' },
      submit_button: { text: '提交', key: 'submit' },
      select_list: [{ question_key: 'budget', title: '预算区间', option_list: [{ id: 'b1', text: '50万以下' }, { id: 'b2', text: '50-100万' }] }],
    });
    const multi = { ...choiceCard, choice: { ...choiceCard.choice!, multiple: true } };
    expect(errCode(() => renderWecomMessage(1, to, { kind: 'card', card: multi }, { choiceStyle: 'dropdown' }))).toBe('wecom_card_choice');
  });

  it('selects -> multiple_interaction with one select_list per question; at most 3 of 10 options', () => {
    const opts = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `o${i}`, text: `选项${i}` }));
    const card: Card = { cardId: 'q_many_1', title: '王总：2 个问题', description: '当前阶段：需求确认', selects: [
      { questionKey: 'way', title: '采购方式？', options: opts(2) }, { questionKey: 'dm', title: '决策人？', options: opts(10) },
    ] };
    expect(renderWecomMessage(1, to, { kind: 'card', card }).template_card).toEqual({
      card_type: 'multiple_interaction',
      task_id: 'q_many_1',
      main_title: { title: '王总：2 个问题', desc: '当前阶段：需求确认' },
      select_list: [
        { question_key: 'way', title: '采购方式？', option_list: opts(2) },
        { question_key: 'dm', title: '决策人？', option_list: opts(10) },
      ],
      submit_button: { text: '提交', key: 'submit' },
    });
    const four = { ...card, selects: [...card.selects!, ...card.selects!] };
    expect(errCode(() => renderWecomMessage(1, to, { kind: 'card', card: four }))).toBe('wecom_card_selects');
    const eleven = { ...card, selects: [{ questionKey: 'x', title: 'x', options: opts(11) }] };
    expect(errCode(() => renderWecomMessage(1, to, { kind: 'card', card: eleven }))).toBe('wecom_card_selects');
  });

  it('link-only card -> text_notice (card_action required there)', () => {
    const card = { cardId: 'n1', title: '日报', url: 'https://crm.example.com/daily' };
    expect(renderWecomMessage(1, to, { kind: 'card', card }).template_card).toEqual({
      card_type: 'text_notice', task_id: 'n1', main_title: { title: '日报' }, card_action: { type: 1, url: 'https://crm.example.com/daily' },
    });
  });

  it('a card with nothing to click and no url falls back to markdown', () => {
    const out = renderWecomMessage(1, to, { kind: 'card', card: { cardId: 'n2', title: '提醒', fields: [{ label: '客户', value: '王总' }] } });
    expect(out).toMatchObject({ msgtype: 'markdown', markdown: { content: '**提醒**\n> 客户：王总' } });
  });

  it('refuses what WeCom would reject', () => {
    expect(errCode(() => renderWecomMessage(1, {}, { kind: 'text', text: 'x' }))).toBe('wecom_no_recipient');
    expect(errCode(() => renderWecomMessage(1, { conversationId: 'wr123', conversationType: 'group' }, { kind: 'text', text: 'x' }))).toBe('wecom_no_recipient');
    expect(errCode(() => renderWecomMessage(1, to, { kind: 'card', card: { ...leadCard, cardId: 'lead 1/2' } }))).toBe('wecom_card_id');
    const seven = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, text: `b${i}` }));
    expect(errCode(() => renderWecomMessage(1, to, { kind: 'card', card: { ...leadCard, buttons: seven } }))).toBe('wecom_card_buttons');
    expect(errCode(() => renderWecomMessage(1, to, { kind: 'cardUpdate', cardId: 'x', resultText: 'y', responseCode: 'rc' }))).toBe('wecom_render_kind');
  });
});

describe('renderWecomCardUpdate', () => {
  it('without a card: the buttons turn into the result line', () => {
    expect(renderWecomCardUpdate(1000002, { userIds: ['LiLei'] }, { kind: 'cardUpdate', cardId: 'lead_8f2k1', resultText: '已由李雷认领', responseCode: 'rc_abc123' })).toEqual({
      userids: ['LiLei'], agentid: 1000002, response_code: 'rc_abc123', button: { replace_name: '已由李雷认领' },
    });
  });

  it('with a card: the whole card is replaced, buttons greyed with the result text', () => {
    const out = renderWecomCardUpdate(1000002, to, { kind: 'cardUpdate', cardId: 'lead_8f2k1', resultText: '已由李雷认领', responseCode: 'rc_1', card: leadCard });
    expect(out).toMatchObject({ userids: ['LiLei', 'HanMeimei'], response_code: 'rc_1' });
    expect(out.button).toBeUndefined();
    expect(out.template_card).toMatchObject({ card_type: 'button_interaction', task_id: 'lead_8f2k1', replace_text: '已由李雷认领' });
  });

  it('refuses an update without response_code or recipients', () => {
    expect(errCode(() => renderWecomCardUpdate(1, to, { kind: 'cardUpdate', cardId: 'c', resultText: 'done' }))).toBe('wecom_card_update_no_code');
    expect(errCode(() => renderWecomCardUpdate(1, {}, { kind: 'cardUpdate', cardId: 'c', resultText: 'done', responseCode: 'rc' }))).toBe('wecom_no_recipient');
  });
});
