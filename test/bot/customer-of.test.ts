import { describe, expect, it } from '@jest/globals';
import { extract } from '../../src/nlp/index.js';
import { customerOf } from '../../src/bot/customer-of.js';
import { captureCard, entityFields } from '../../src/bot/cards.js';

const REF = '2026-03-10T10:00:00+08:00';
const pick = (text: string) => {
  const e = extract(text, { ref: REF });
  const p = customerOf(e, text);
  return { name: p.person && `${p.person.name}${p.person.title ?? ''}`, company: p.company, others: p.others.map((o) => o.person.text) };
};

describe('the customer of a captured message', () => {
  it.each([
    // The greeted rep is never the customer; the writer is.
    ['王经理您好，我是李强，13912345678，想了解一下便携式血糖仪', { name: '李强', company: null, others: ['王经理'] }],
    // The organization next to the contact is the company.
    ['杭州康宁养老院采购部的张敏，想要20台助行器', { name: '张敏', company: '杭州康宁养老院', others: [] }],
    ['王总您好，我是北京协和医院采购办王芳，上海瑞金医院也在用你们的监护仪', { name: '王芳', company: '北京协和医院', others: ['王总'] }],
    // Else the message's only organization.
    ['李主任想看血糖仪。苏州市立医院', { name: '李主任', company: '苏州市立医院', others: [] }],
    // Only the addressee: no name; two organizations and no contact: no company.
    ['王总您好，血糖仪多少钱', { name: null, company: null, others: ['王总'] }],
    ['北京协和医院和上海瑞金医院都要报价', { name: null, company: null, others: [] }],
  ])('%s', (text, expected) => {
    expect(pick(text)).toEqual(expected);
  });

  it('the card says who was taken as the customer and offers every other person instead', () => {
    const text = '王总您好，我是李强，我们张主任也想看看';
    const e = extract(text, { ref: REF });
    const fields = entityFields(e, 'Asia/Shanghai');
    expect(fields.find((f) => f.label === '客户')?.value).toBe('李强');
    expect(fields.find((f) => f.label === '其他人')?.value).toBe('王总（收件人）、张主任（提到）');
    const card = captureCard('t1', '已建客户：李强', fields, undefined, customerOf(e, text).others);
    expect(card.buttons?.map((b) => [b.key, b.text])).toEqual([
      ['confirm', '确认'], ['customer_is:0', '客户是王总'], ['customer_is:2', '客户是张主任'], ['not_customer', '不是客户'],
    ]);
  });

  it('an addressee-only message shows an unnamed customer', () => {
    const e = extract('王总您好，血糖仪多少钱', { ref: REF });
    expect(entityFields(e, 'Asia/Shanghai').find((f) => f.label === '客户')?.value).toBe('未具名');
  });
});
