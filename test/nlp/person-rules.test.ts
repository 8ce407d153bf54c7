/* The persons' rejection tables (persons.rules.ts): every row turns down a candidate somewhere in our
 * messages (no dead row), and for a row's own example, taking the row out changes what is extracted. */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extract } from '../../src/nlp/index.js';
import type { Catalog } from '../../src/nlp/types.js';
import {
  NOT_A_BARE_NAME, NOT_A_FULL_NAME_BEFORE_TITLE, NOT_A_PERSON_IN_CONTEXT, NOT_A_TITLED_NAME, type Row,
} from '../../src/nlp/persons.rules.js';
import { TABLES } from './rows/index.js';
import { loadDemoCatalog, loadDev, loadOwnSet, readBench } from './scoring.js';

// Every Chinese string literal of the nlp tests: the examples the rules were written for.
const HERE = path.resolve(process.cwd(), 'test/nlp');
const LITERAL = /'([^'\\\n]*[\u4e00-\u9fff][^'\\\n]*)'/g;
const literals = readdirSync(HERE).filter((f) => f.endsWith('.test.ts') && f !== 'person-rules.test.ts')
  .flatMap((f) => [...readFileSync(path.join(HERE, f), 'utf8').matchAll(LITERAL)].map((m) => m[1]));

const BRANDS: Catalog = [
  { id: 'sku-wlj', name: '王老吉凉茶', aliases: ['王老吉'] },
  { id: 'sku-zxq', name: '张小泉剪刀', aliases: ['张小泉'] },
];
/** A row and a message where it alone decides: without it, the message has other persons. */
const EXAMPLES: Array<{ rows: ReadonlyArray<Row<never>>; why: string; text: string; catalog?: Catalog }> = [
  { rows: NOT_A_TITLED_NAME, why: 'a listed word, with or without its title', text: '明白主任的意思了' },
  { rows: NOT_A_PERSON_IN_CONTEXT, why: 'overlaps a product name', text: '下周要二十箱王老吉，张经理记一下', catalog: BRANDS },
  { rows: NOT_A_PERSON_IN_CONTEXT, why: 'overlaps a product name', text: '张小泉要50把', catalog: BRANDS },
  { rows: NOT_A_PERSON_IN_CONTEXT, why: 'a bare name before a trade is a company (康达医疗)', text: '康达医疗的报价到了' },
  { rows: NOT_A_BARE_NAME, why: 'reduplication is a word (谢谢, 常常)', text: '宋宋说明天到' },
];

const demo = loadDemoCatalog();
const texts = [
  ...TABLES.flatMap(([, rows]) => rows.map((r) => r.text)),
  ...loadDev().map((r) => r.text),
  ...loadOwnSet('kelu-set.jsonl').map((r) => r.text),
  ...readBench<Array<{ text: string }>>('weibo-ner-per.json').map((r) => r.text),
  ...literals,
];
const TABLE_LIST: Array<[string, ReadonlyArray<Row<never>>]> = [
  ['NOT_A_TITLED_NAME', NOT_A_TITLED_NAME], ['NOT_A_FULL_NAME_BEFORE_TITLE', NOT_A_FULL_NAME_BEFORE_TITLE],
  ['NOT_A_BARE_NAME', NOT_A_BARE_NAME], ['NOT_A_PERSON_IN_CONTEXT', NOT_A_PERSON_IN_CONTEXT],
];
type Mutable = { test: (c: never) => boolean };

/** Runs `fn` with `row` replaced by one that `replace` returns. */
function withRow<T>(row: Row<never>, replace: (test: (c: never) => boolean) => (c: never) => boolean, fn: () => T): T {
  const test = row.test;
  (row as Mutable).test = replace(test);
  try { return fn(); } finally { (row as Mutable).test = test; }
}

describe('persons rejection tables', () => {
  for (const [name, rows] of TABLE_LIST) {
    it(`every row of ${name} turns down a candidate in our messages`, () => {
      const fired = new Set<Row<never>>();
      const run = (k: number): void => {
        if (k === rows.length) {
          for (const t of texts) { extract(t); extract(t, { catalog: demo }); }
          for (const e of EXAMPLES) extract(e.text, { catalog: e.catalog });
          return;
        }
        withRow(rows[k], (test) => (c) => { const v = test(c); if (v) fired.add(rows[k]); return v; }, () => run(k + 1));
      };
      run(0);
      expect(rows.filter((r) => !fired.has(r)).map((r) => r.why)).toEqual([]);
    });
  }
  for (const e of EXAMPLES) {
    it(`without "${e.why}", ${e.text} has other persons`, () => {
      const row = e.rows.find((r) => r.why === e.why);
      expect(row).toBeDefined();
      const names = (): string[] => extract(e.text, { catalog: e.catalog }).persons.map((p) => p.name);
      const withIt = names();
      const without = withRow(row!, () => () => false, names);
      expect(without).not.toEqual(withIt);
      expect(without.length).toBeGreaterThan(withIt.length);
    });
  }
});
