import type { Card, CardButton, Recipient, Reply } from '../../channel/messages.js';
import { AppError } from '../../lib/errors.js';
import type { WecomCardUpdatePayload, WecomSendPayload } from './wecom.client.js';

// Reply -> message/send and message/update_template_card bodies (WeCom docs 90236, 90372, 94888).
// Pure: no I/O, so the outbox can store exactly what will be sent.

export interface RenderOptions {
  /**
   * How a Card.choice renders: 'vote' (vote_interaction, a checkbox list; the default, and the
   * only style that allows multiple answers) or 'dropdown' (multiple_interaction, one select_list).
   */
  choiceStyle?: 'vote' | 'dropdown';
}

type CardUpdateReply = Extract<Reply, { kind: 'cardUpdate' }>;
type TemplateCard = Record<string, unknown> & { card_type: string };

/** The key WeCom sends back as EventKey when a choice card is submitted. */
export const SUBMIT_KEY = 'submit';

// task_id: "只能由数字、字母和“_-@”组成，最长128字节".
const TASK_ID = /^[A-Za-z0-9_\-@]{1,128}$/;
const MAX_FIELDS = 6; // horizontal_content_list
const MAX_BUTTONS = 6; // button_list
const MAX_SELECTS = 3; // multiple_interaction select_list
const MAX_SELECT_OPTIONS = 10;
// WeCom documents styles 1-4 without naming them; 1 is the default (blue).
const BUTTON_STYLE: Record<NonNullable<CardButton['style']>, number> = { primary: 1, default: 2, danger: 3 };

const renderError = (code: string, message: string) => new AppError(code, message, 422, { expose: false });

export function renderWecomMessage(agentId: string | number, to: Recipient, reply: Reply, opts: RenderOptions = {}): WecomSendPayload {
  const head = { touser: recipients(to).join('|'), agentid: Number(agentId) };
  switch (reply.kind) {
    case 'text':
      return { ...head, msgtype: 'text', text: { content: reply.text } };
    case 'markdown':
      return { ...head, msgtype: 'markdown', markdown: { content: reply.title ? `**${reply.title}**\n${reply.text}` : reply.text } };
    case 'card': {
      const card = renderTemplateCard(reply.card, opts);
      if (card) return { ...head, msgtype: 'template_card', template_card: card };
      // Nothing to click and nowhere to go: text_notice requires card_action, so send markdown.
      return { ...head, msgtype: 'markdown', markdown: { content: cardAsMarkdown(reply.card) } };
    }
    case 'cardUpdate':
      throw renderError('wecom_render_kind', 'cardUpdate goes through renderWecomCardUpdate (update_template_card)');
  }
}

/**
 * update_template_card. Without `card`, the clicked card's buttons turn grey and read
 * `resultText` (e.g. "已由李雷跟进"); with `card`, the whole card is replaced and its buttons
 * carry `resultText` as replace_text.
 */
export function renderWecomCardUpdate(agentId: string | number, to: Recipient, update: CardUpdateReply, opts: RenderOptions = {}): WecomCardUpdatePayload {
  if (!update.responseCode) throw renderError('wecom_card_update_no_code', 'updating a WeCom card needs the response_code from the send or the callback');
  const head = { userids: recipients(to), agentid: Number(agentId), response_code: update.responseCode };
  if (!update.card) return { ...head, button: { replace_name: update.resultText } };
  const card = renderTemplateCard(update.card, opts);
  if (!card) throw renderError('wecom_card_update_card', 'a replacement card needs buttons, a choice, selects or a url');
  const interactive = card.card_type !== 'text_notice';
  return { ...head, template_card: interactive ? { ...card, replace_text: update.resultText } : card };
}

/** The template_card object, or null when the card has neither interaction nor url. */
export function renderTemplateCard(card: Card, opts: RenderOptions = {}): TemplateCard | null {
  if (!TASK_ID.test(card.cardId)) throw renderError('wecom_card_id', 'cardId must be 1-128 of [A-Za-z0-9_-@] to be a WeCom task_id');
  const action = card.url ? { card_action: { type: 1, url: card.url } } : {};

  if (card.selects?.length) {
    // multiple_interaction: "select_list 下拉式的选择器列表，multiple_interaction类型的卡片该字段不可为空，一个消息最多支持 3 个选择器", 10 options each.
    if (card.selects.length > MAX_SELECTS || card.selects.some((x) => x.options.length < 1 || x.options.length > MAX_SELECT_OPTIONS)) {
      throw renderError('wecom_card_selects', `a WeCom multiple_interaction card holds 1-${MAX_SELECTS} selectors of 1-${MAX_SELECT_OPTIONS} options`);
    }
    return {
      card_type: 'multiple_interaction',
      task_id: card.cardId,
      main_title: { title: card.title, ...(card.description ? { desc: card.description } : {}) },
      select_list: card.selects.map((x) => ({ question_key: x.questionKey, title: x.title, option_list: x.options.map((o) => ({ id: o.id, text: o.text })) })),
      submit_button: { text: '提交', key: SUBMIT_KEY },
    };
  }

  if (card.choice) {
    const c = card.choice;
    // Choice cards have no sub-title or field list; fields fold into the title's description.
    const desc = [card.description, ...(card.fields ?? []).map((f) => `${f.label}：${f.value}`)].filter(Boolean).join('；');
    const base = {
      task_id: card.cardId,
      main_title: { title: card.title, ...(desc ? { desc } : {}) },
      submit_button: { text: c.submitText ?? '提交', key: SUBMIT_KEY },
    };
    if ((opts.choiceStyle ?? 'vote') === 'dropdown') {
      if (c.multiple) throw renderError('wecom_card_choice', 'a dropdown (multiple_interaction) allows one answer per question');
      return {
        card_type: 'multiple_interaction',
        ...base,
        select_list: [{ question_key: c.questionKey, title: c.title, option_list: c.options.map((o) => ({ id: o.id, text: o.text })) }],
      };
    }
    return {
      card_type: 'vote_interaction',
      ...base,
      checkbox: { question_key: c.questionKey, mode: c.multiple ? 1 : 0, option_list: c.options.map((o) => ({ id: o.id, text: o.text })) },
    };
  }

  const fields = card.fields ?? [];
  // Only six fields fit; the rest go to the sub-title rather than being lost.
  const overflow = fields.slice(MAX_FIELDS).map((f) => `${f.label}：${f.value}`);
  const subTitle = [card.description, ...overflow].filter(Boolean).join('\n');
  const body = {
    task_id: card.cardId,
    main_title: { title: card.title },
    ...(subTitle ? { sub_title_text: subTitle } : {}),
    ...(fields.length ? { horizontal_content_list: fields.slice(0, MAX_FIELDS).map((f) => ({ keyname: f.label, value: f.value })) } : {}),
    ...action,
  };
  if (card.buttons?.length) {
    if (card.buttons.length > MAX_BUTTONS) throw renderError('wecom_card_buttons', `a WeCom card holds at most ${MAX_BUTTONS} buttons`);
    return {
      card_type: 'button_interaction',
      ...body,
      button_list: card.buttons.map((b) => ({ text: b.text, style: BUTTON_STYLE[b.style ?? 'primary'], key: b.key })),
    };
  }
  if (card.url) return { card_type: 'text_notice', ...body };
  return null;
}

function recipients(to: Recipient): string[] {
  // message/send reaches members only; group chats need appchat/send, which this channel does not use.
  const ids = (to.userIds ?? []).filter((u) => u !== '');
  if (!ids.length) throw renderError('wecom_no_recipient', 'WeCom app messages need at least one member userid');
  return ids;
}

function cardAsMarkdown(card: Card): string {
  return [`**${card.title}**`, card.description, ...(card.fields ?? []).map((f) => `> ${f.label}：${f.value}`)].filter(Boolean).join('\n');
}
