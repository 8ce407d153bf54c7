/* The date grammar's rule tables: a rule is tried only where its first character can stand, so
 * its `starts` must cover every character its pattern can begin with. Checked at every position
 * of every test message, Duckling text and dev message, and on random strings of date characters. */
import { describe, expect, it } from '@jest/globals';
import { CLOCK_RULES, DAY_RULES, type Rule } from '../../src/nlp/dates.dayparts.js';
import { normalize } from '../../src/nlp/normalize.js';
import { TABLES } from './rows/index.js';
import { loadDev, readBench } from './scoring.js';

const texts = [
  ...TABLES.flatMap(([, rows]) => rows.map((r) => r.text)),
  ...loadDev().map((r) => r.text),
  ...readBench<Array<{ text: string }>>('duckling-zh-time.json').map((r) => r.text),
];
// Random strings over the characters the date patterns are made of.
const ALPHABET = '0123456789零〇一二两三四五六七八九十廿卅百千万半今明后大昨前上下这本当周星期礼拜月年日号天早中晚午凌傍清深夜元旦情人节五一国庆圣诞过去最近未来接今个旬底末初点时分刻钟字踏搭:/-.的第 ampm';
let seed = 12345;
const rand = (n: number): number => { seed = (seed * 16807) % 2147483647; return seed % n; };
for (let k = 0; k < 3000; k++) texts.push(Array.from({ length: 2 + rand(10) }, () => ALPHABET[rand(ALPHABET.length)]).join(''));

function uncovered<T, C>(rules: ReadonlyArray<Rule<T, C>>): string[] {
  const out: string[] = [];
  for (const t of texts) {
    const s = normalize(t);
    for (let i = 0; i < s.length; i++) {
      for (const rule of rules) {
        rule.re.lastIndex = i;
        const m = rule.re.exec(s);
        if (m && m[0].length > 0 && !rule.starts.includes(s[i])) out.push(`${rule.name} starts with ${s[i]} in ${s}`);
      }
    }
  }
  return out;
}

describe('date rule tables', () => {
  it('every day-part rule lists the characters its matches start with', () => {
    expect(uncovered(DAY_RULES)).toEqual([]);
  });
  it('every clock rule lists the characters its matches start with', () => {
    expect(uncovered(CLOCK_RULES)).toEqual([]);
  });
});
