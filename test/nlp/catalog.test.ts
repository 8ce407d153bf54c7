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
