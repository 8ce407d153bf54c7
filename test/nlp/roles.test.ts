import { describe, expect, it } from '@jest/globals';
import { extract } from '../../src/nlp/index.js';

const REF = '2026-03-10T10:00:00+08:00';
const run = (text: string) => extract(text, { ref: REF });
/** [text, persons as name/title/role, the contact's text or null] */
type RoleRow = [string, Array<[string, string | null, string]>, string | null];

describe('persons: role of each person and the contact (spec: Persons)', () => {
  it.each<RoleRow>([
    ['王经理您好，我是李强，13912345678，想了解一下便携式血糖仪', [['王', '经理', 'addressee'], ['李强', null, 'self']], '李强'],
    ['李主任想看血糖仪', [['李', '主任', 'other']], '李主任'],
    ['王总您好，血糖仪多少钱', [['王', '总', 'addressee']], null],
    ['王总：明天的会改到下午', [['王', '总', 'addressee']], null],
    ['尊敬的李主任：您好！报价单已发您邮箱', [['李', '主任', 'addressee']], null],
    ['你好王老师，我是张伟的家长', [['王', '老师', 'addressee'], ['张伟', null, 'other']], '张伟'],
    ['@黄老师 孩子明天请假', [['黄', '老师', 'addressee']], null],
    ['东西收到了，谢谢王总', [['王', '总', 'addressee']], null],
    ['你好，我姓陈，想问下价格', [['陈', '', 'self']], '陈'],
    ['我姓黄,叫我黄先生就行', [['黄', '先生', 'self']], '黄先生'],
    ['报价单请查收。\n——李强', [['李强', null, 'self']], '李强'],
    ['请问血压计怎么卖\n张敏（采购部）', [['张敏', null, 'self']], '张敏'],
    ['刘经理好，我这边是杭州康宁养老院采购部的张敏', [['刘', '经理', 'addressee'], ['张敏', null, 'self']], '张敏'],
    ['今天拜访了孙院长，他让设备科马科长对接', [['孙', '院长', 'other'], ['马', '科长', 'other']], '孙院长'],
    ['下周二来厂里看货', [], null],
  ])('%s', (text, persons, contact) => {
    const e = run(text);
    expect(e.persons.map((p) => [p.name, p.title, p.role])).toEqual(persons);
    expect(e.contact === null ? null : e.persons[e.contact].text).toBe(contact);
  });
});

describe('organizations (spec: Organizations)', () => {
  it.each<[string, string[], string[]]>([
    ['杭州康宁养老院采购部的张敏', ['杭州康宁养老院'], ['张敏']],
    ['北京协和医院采购办王芳', ['北京协和医院'], ['王芳']],
    ['苏州市立医院的设备科', ['苏州市立医院'], []],
    ['上海锦江酒店的陈经理', ['上海锦江酒店'], ['陈经理']],
    ['温州商会和新东方教育', ['温州商会', '新东方教育'], []],
    ['浙江工业大学机械学院', ['浙江工业大学'], []],
  ])('%s', (text, orgs, persons) => {
    const e = run(text);
    expect(e.organizations.map((o) => o.name)).toEqual(orgs);
    expect(e.persons.map((p) => p.text)).toEqual(persons);
  });
});

describe('urgency: the customer’s own words outrank the calendar', () => {
  it.each([
    ['周五下午想来看看助行器…不着急', '2026-03-12T10:00:00+08:00', 'medium'],
    ['明天下午想来看看，不着急', REF, 'medium'],
    ['不急，下周再说', REF, 'low'],
    ['明天下午想来看看', REF, 'high'],
    ['尽快，明天要', REF, 'high'],
  ])('%s', (text, ref, level) => {
    expect(extract(text, { ref }).urgency.level).toBe(level);
  });

  it('a department named after a purchase word is no intent signal', () => {
    expect(run('北京协和医院采购办王芳').intent.level).toBe('low');
    expect(run('北京协和医院要采购监护仪').intent.level).toBe('high');
  });
});
