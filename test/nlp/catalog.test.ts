import { describe, expect, it } from '@jest/globals';
import { extract, type Catalog } from '../../src/nlp/index.js';
import { compileCatalog } from '../../src/nlp/catalog.matcher.js';

const REF = '2026-03-10T10:00:00+08:00';
const catalog: Catalog = [
  { id: 'sku-dr', name: '移动DR', aliases: ['移动DR设备', '床旁DR'] },
  { id: 'sku-bp', name: '家用血压计', aliases: ['血压计', '电子血压计'] },
  { id: 'sku-monitor', name: '心电监护仪', aliases: ['监护仪'] },
  { id: 'sku-py', name: 'Python编程课', aliases: ['Python课'] },
];
const ids = (text: string, c: Catalog = catalog): string[] => extract(text, { ref: REF, catalog: c }).products.map((p) => p.id);

describe('catalog matching', () => {
  it.each([
    ['移动DR设备多少钱', ['sku-dr'], '移动DR设备'],
    ['ＤＲ不行,要移动ｄｒ', ['sku-dr'], '移动ｄｒ'],
    ['移动 DR', ['sku-dr'], '移动 DR'],
    ['电子血压计', ['sku-bp'], '电子血压计'],
    ['心电监护器有货吗', ['sku-monitor'], '心电监护器'], // one typo in a long name
    ['python课和PYTHON课', ['sku-py'], 'python课'],
  ])('%s', (text, expected, firstText) => {
    const e = extract(text, { ref: REF, catalog });
    expect(e.products.map((p) => p.id)).toEqual(expected);
    expect(e.products[0].text).toBe(firstText);
  });

  it('lists each product once, in text order, with the catalog name', () => {
    const e = extract('监护仪和血压计,还有心电监护仪', { ref: REF, catalog });
    expect(e.products).toEqual([
      { id: 'sku-monitor', name: '心电监护仪', text: '监护仪' },
      { id: 'sku-bp', name: '家用血压计', text: '血压计' },
    ]);
  });

  it('a Latin key does not match inside a longer word', () => {
    expect(ids('drdrive 移动DRX')).toEqual([]);
  });

  it('a changed catalog takes effect on the next call, without restart', () => {
    expect(ids('要一台制氧机')).toEqual([]);
    const next = [...catalog, { id: 'sku-oxygen', name: '家用制氧机', aliases: ['制氧机'] }];
    expect(ids('要一台制氧机', next)).toEqual(['sku-oxygen']);
    expect(ids('要一台制氧机')).toEqual([]);
  });

  it('compiles once per catalog: same array and equal content share the compiled form', () => {
    const a = compileCatalog(catalog);
    expect(compileCatalog(catalog)).toBe(a);
    expect(compileCatalog(JSON.parse(JSON.stringify(catalog)))).toBe(a);
  });

  it('another catalog words do not leak into product results', () => {
    ids('制氧机', [{ id: 'x', name: '制氧机' }]);
    expect(ids('制氧机', [{ id: 'y', name: '血糖仪' }])).toEqual([]);
  });

  it('an empty catalog matches nothing and a missing one is allowed', () => {
    expect(ids('血压计', [])).toEqual([]);
    expect(extract('血压计', { ref: REF }).products).toEqual([]);
  });
});

describe('pure per tenant: a call changes nothing another call returns', () => {
  const tenantA: Catalog = [{ id: 'a-1', name: '王建国', aliases: ['建国牌'] }, { id: 'a-2', name: '便携式血糖仪', aliases: ['血糖仪'] }];
  const tenantB: Catalog = [{ id: 'b-1', name: '康宁', aliases: ['康宁护理床'] }, { id: 'b-2', name: '助行器' }];
  const texts = [
    '请转告王建国总，下周二来厂里看货',
    '王经理您好，我是李强，想了解一下便携式血糖仪',
    '杭州康宁养老院采购部的张敏要两台助行器',
    '康宁护理床和建国牌的都要报价',
  ];
  const run = (text: string, c: Catalog) => extract(text, { ref: REF, catalog: c });

  it('interleaved calls of two tenants give what each tenant alone gives', () => {
    const aloneA = texts.map((t) => run(t, tenantA));
    const aloneB = texts.map((t) => run(t, tenantB));
    for (let round = 0; round < 3; round++) {
      texts.forEach((t, i) => {
        expect(run(t, tenantB)).toEqual(aloneB[i]);
        expect(run(t, tenantA)).toEqual(aloneA[i]);
        expect(run(t, [])).toEqual(run(t, []));
      });
    }
  });

  it('a name in another tenant catalog does not hide that person from this tenant', () => {
    const before = run('请转告王建国总，下周二来厂里看货', []).persons.map((p) => p.text);
    expect(before).toEqual(['王建国总']);
    run('王建国', tenantA);
    expect(run('请转告王建国总，下周二来厂里看货', []).persons.map((p) => p.text)).toEqual(before);
    expect(run('请转告王建国总，下周二来厂里看货', tenantB).persons.map((p) => p.text)).toEqual(before);
  });
});
