import type { Entities } from '../nlp/index.js';
import { maskPhone } from '../lib/mask.js';
import type { Card, CardField } from '../channel/messages.js';

// Card texts in one place. Phones are masked on every card: cards are screenshotted and forwarded.

export const ACTIONS = {
  confirm: 'confirm',
  notCustomer: 'not_customer',
  claim: 'claim',
  contacted: 'contacted',
  take: 'take',
  assign: 'assign',
  ignore: 'ignore',
  assignTo: 'assign_to',
} as const;

const LEVEL: Record<string, string> = { high: '高', medium: '中', low: '低' };

export function fmtLocal(d: Date | string, timeZone: string, withTime = true): string {
  const f = new Intl.DateTimeFormat('zh-CN', {
    timeZone, month: 'numeric', day: 'numeric', weekday: 'short', ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  });
  return f.format(typeof d === 'string' ? new Date(d) : d);
}

export function customerLabel(c: { name: string | null; title: string | null; company?: string | null }): string {
  const who = `${c.name ?? ''}${c.title ?? ''}` || '未具名客户';
  return c.company ? `${who}（${c.company}）` : who;
}

export function entityFields(e: Entities, timeZone: string): CardField[] {
  const f: CardField[] = [];
  const p = e.persons[0];
  if (p) f.push({ label: '客户', value: `${p.name}${p.title ?? ''}` });
  if (e.phones.length) f.push({ label: '电话', value: e.phones.map(maskPhone).join('、') });
  if (e.organizations.length) f.push({ label: '单位', value: e.organizations.map((o) => o.name).join('、') });
  if (e.products.length) f.push({ label: '产品', value: e.products.map((x) => x.name).join('、') });
  if (e.dates.length) f.push({ label: '时间', value: e.dates.map((d) => `${d.text}（${fmtLocal(d.start, timeZone, d.grain !== 'day' && d.grain !== 'week' && d.grain !== 'month')}）`).join('、') });
  if (e.budget) f.push({ label: '预算', value: e.budget.text });
  if (e.wechatIds.length) f.push({ label: '微信', value: e.wechatIds.join('、') });
  if (e.emails.length) f.push({ label: '邮箱', value: e.emails.join('、') });
  f.push({ label: '意向/紧急', value: `${LEVEL[e.intent.level]}/${LEVEL[e.urgency.level]}` });
  return f;
}

export function captureCard(cardId: string, title: string, fields: CardField[], description?: string): Card {
  return {
    cardId,
    title,
    description,
    fields,
    buttons: [
      { key: ACTIONS.confirm, text: '确认', style: 'primary' },
      { key: ACTIONS.notCustomer, text: '不是客户', style: 'danger' },
    ],
  };
}

export function claimCard(cardId: string, customer: string, fields: CardField[], timeoutSeconds: number): Card {
  return {
    cardId,
    title: `新线索待认领：${customer}`,
    description: `${Math.round(timeoutSeconds / 60)} 分钟内未认领将转给下一位同事`,
    fields,
    buttons: [
      { key: ACTIONS.claim, text: '认领', style: 'primary' },
      { key: ACTIONS.contacted, text: '已联系', style: 'default' },
    ],
  };
}

export function managerTodoCard(cardId: string, customer: string, reason: string, fields: CardField[]): Card {
  return {
    cardId,
    track: true,
    title: `待办：${customer}`,
    description: reason,
    fields,
    buttons: [
      { key: ACTIONS.take, text: '我来跟进', style: 'primary' },
      { key: ACTIONS.assign, text: '指派', style: 'default' },
      { key: ACTIONS.ignore, text: '忽略', style: 'danger' },
    ],
  };
}

export function assignChoiceCard(cardId: string, customer: string, reps: { id: string; name: string }[]): Card {
  return {
    cardId,
    title: `指派 ${customer}`,
    choice: { questionKey: ACTIONS.assignTo, title: '指派给', options: reps.slice(0, 20).map((r) => ({ id: r.id, text: r.name })), submitText: '指派' },
  };
}
