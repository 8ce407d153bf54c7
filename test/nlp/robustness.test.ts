import { describe, expect, it } from '@jest/globals';
import { extract, validateCatalog, type Entities } from '../../src/nlp/index.js';

const REF = '2026-03-10T10:00:00+08:00';
const catalog = [{ id: 'sku-1', name: '便携式血糖仪', aliases: ['血糖仪'] }];

function wellFormed(e: Entities): void {
  for (const k of ['persons', 'phones', 'emails', 'wechatIds', 'organizations', 'products', 'dates'] as const) {
    expect(Array.isArray(e[k])).toBe(true);
  }
  for (const d of e.dates) {
    expect(d.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(typeof d.text).toBe('string');
  }
  expect(['high', 'medium', 'low']).toContain(e.urgency.level);
  expect(['high', 'medium', 'low']).toContain(e.intent.level);
  expect(e.urgency.score).toBeGreaterThanOrEqual(0);
  expect(e.urgency.score).toBeLessThanOrEqual(1);
  expect(e.budget === null || typeof e.budget === 'object').toBe(true);
  expect(() => JSON.stringify(e)).not.toThrow();
}

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'今明后天周一二三四五六日下上个月号点半到至万千元块预算张王李总经理主任医院公司急不着0123456789-/:.,，。 ',
  '\u0000', '\u0007', '\u001b', '\u200b', '\ufeff', '\ud83d\ude00', '\ud83d', '\ude00', 'ａ', 'Ｚ', '９', 'é', 'Ж', '\n', '\t',
  '😀', '👍🏻', '\u202e', '𠀀',
];

describe('bad input', () => {
  it.each([
    ['empty', ''],
    ['emoji', '😀😀👍🏻 明天见 🎉'],
    ['mixed scripts', 'Hello 王经理, привет, 明天 3pm مرحبا at 血糖仪'],
    ['control characters', '明天\u0000下午\u0007三点\u001b[31m 王经理\r\n'],
    ['lone surrogates', '\ud83d明天\ude00王总'],
    ['only digits', '1'.repeat(5000)],
    ['only punctuation', '，。！？、；：'.repeat(1000)],
  ])('%s gives a well-formed result', (_name, text) => {
    wellFormed(extract(text, { ref: REF, catalog }));
  });

  it('handles 100 KB of text quickly', () => {
    const text = '王经理说下周三上午10点看血糖仪,预算5万,电话13800138000。'.repeat(3000).slice(0, 100 * 1024);
    const t0 = performance.now();
    const e = extract(text, { ref: REF, catalog });
    expect(performance.now() - t0).toBeLessThan(5000);
    wellFormed(e);
    expect(e.products.map((p) => p.id)).toEqual(['sku-1']);
  });

  it('feeds 1,000 random strings and every result is well-formed', () => {
    const rand = prng(20260310);
    const t0 = performance.now();
    for (let n = 0; n < 1000; n++) {
      const len = Math.floor(rand() * 80);
      let s = '';
      for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
      wellFormed(extract(s, { ref: REF, catalog }));
    }
    // A guard against hangs and catastrophic backtracking, not a benchmark: about 1 s on
    // an idle core, with headroom for a busy CI machine.
    expect(performance.now() - t0).toBeLessThan(15000);
  });

  it.each([
    ['not an array', { id: 'x' }, /array/],
    ['null entry', [null], /catalog\[0\]/],
    ['missing id', [{ name: '血糖仪' }], /catalog\[0\]\.id/],
    ['empty name', [{ id: 'a', name: ' ' }], /catalog\[0\]\.name/],
    ['aliases not strings', [{ id: 'a', name: 'x', aliases: [1] }], /aliases/],
    ['duplicate id', [{ id: 'a', name: 'x' }, { id: 'a', name: 'y' }], /duplicated/],
  ])('a malformed catalog (%s) throws a clear Error', (_name, bad, message) => {
    expect(() => validateCatalog(bad)).toThrow(message);
    expect(() => extract('血糖仪', { ref: REF, catalog: bad as never })).toThrow(message);
  });

  it('rejects an unknown time zone and an invalid ref with clear errors', () => {
    expect(() => extract('明天', { ref: REF, timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => extract('明天', { ref: 'yesterday-ish' })).toThrow(/invalid ref/);
  });

  it('rejects a non-string text', () => {
    expect(() => extract(42 as never)).toThrow(/text must be a string/);
  });
});
