/* Loaders and scorers for the shared benchmark data, used by the tests and the bench.
 * Data is read from ../shared/benchmarks, never copied into the project. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalog, Entities } from '../../src/nlp/index.js';

export const BENCH_DIR = path.resolve(process.cwd(), '../shared/benchmarks');

export function readBench<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(path.join(BENCH_DIR, file), 'utf8')) as T;
}

export interface DevRow { id: string; ref: string; text: string; expect: Record<string, unknown> }

export function loadDev(): DevRow[] {
  return readFileSync(path.join(BENCH_DIR, 'extraction-dev.jsonl'), 'utf8')
    .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DevRow);
}

/** The project's own labelled sets (test/nlp/data/*.jsonl), in the dev set's format with roles and contact. */
export function loadOwnSet(name: string): DevRow[] {
  return readFileSync(path.resolve(process.cwd(), 'test/nlp/data', name), 'utf8')
    .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DevRow);
}

export const loadDemoCatalog = (): Catalog => readBench<Catalog>('demo-catalog.json');

export const LIST_FIELDS = ['persons', 'phones', 'products', 'dates', 'emails', 'wechatIds', 'organizations'] as const;
export const EXACT_FIELDS = ['budget', 'urgency', 'intent', 'contact'] as const;

/** The dev set's `expect` shape for each field, projected from Entities. Persons are
 * [name, title, role]; `contact` is the contact person's [name, title], or null. */
export function project(e: Entities): Record<string, unknown> {
  const c = e.contact === null ? null : e.persons[e.contact];
  return {
    persons: e.persons.map((p) => [p.name, p.title, p.role]),
    contact: c && [c.name, c.title],
    phones: e.phones,
    products: e.products.map((p) => p.id),
    dates: e.dates.map((d) => ({ start: d.start, end: d.end, grain: d.grain })),
    emails: e.emails,
    wechatIds: e.wechatIds,
    organizations: e.organizations.map((o) => o.name),
    budget: e.budget && { min: e.budget.min, max: e.budget.max, currency: e.budget.currency },
    urgency: e.urgency.level,
    intent: e.intent.level,
  };
}

export interface FieldScores { [field: string]: number }

/** A row's gold fields. `contact` is labelled as an index into the gold persons (the spec's form)
 * and compared as that person's [name, title]. A row labelled before contacts existed is scored
 * on contact only where it is implied: no person means no contact. */
function goldOf(row: DevRow): Record<string, unknown> {
  const e = { ...row.expect };
  const persons = (e.persons ?? []) as unknown[][];
  if (typeof e.contact === 'number') e.contact = persons[e.contact].slice(0, 2);
  else if (!('contact' in e) && persons.length === 0) e.contact = null;
  return e;
}

/** Micro-averaged F1 for list fields (multiset match of items), accuracy for the rest.
 * A list field with no gold and no predictions anywhere scores 1. */
export function scoreDev(rows: DevRow[], run: (row: DevRow) => Entities): { scores: FieldScores; misses: string[] } {
  const tp: Record<string, number> = {};
  const fp: Record<string, number> = {};
  const fn: Record<string, number> = {};
  const correct: Record<string, number> = {};
  const misses: string[] = [];
  for (const f of LIST_FIELDS) { tp[f] = 0; fp[f] = 0; fn[f] = 0; }
  for (const f of EXACT_FIELDS) correct[f] = 0;
  const counted: Record<string, number> = {};
  for (const f of EXACT_FIELDS) counted[f] = 0;
  for (const row of rows) {
    const got = project(run(row));
    const expect = goldOf(row);
    for (const f of LIST_FIELDS) {
      const gold = ((expect[f] ?? []) as unknown[]).map((x) => JSON.stringify(x));
      // Rows labelled before roles existed give persons as [name, title]: compare those parts.
      const unroled = f === 'persons' && ((expect[f] ?? []) as unknown[][]).some((x) => x.length === 2);
      const pred = (got[f] as unknown[]).map((x) => JSON.stringify(unroled ? (x as unknown[]).slice(0, 2) : x));
      const left = [...gold];
      for (const p of pred) {
        const k = left.indexOf(p);
        if (k >= 0) { left.splice(k, 1); tp[f]++; } else { fp[f]++; misses.push(`${row.id} ${f} extra ${p}`); }
      }
      fn[f] += left.length;
      for (const l of left) misses.push(`${row.id} ${f} missing ${l}`);
    }
    for (const f of EXACT_FIELDS) {
      if (!(f in expect)) continue;
      counted[f]++;
      if (JSON.stringify(got[f]) === JSON.stringify(expect[f] ?? null)) correct[f]++;
      else misses.push(`${row.id} ${f} expected ${JSON.stringify(expect[f])} got ${JSON.stringify(got[f])}`);
    }
  }
  const scores: FieldScores = {};
  for (const f of LIST_FIELDS) {
    const denom = 2 * tp[f] + fp[f] + fn[f];
    scores[f] = denom === 0 ? 1 : (2 * tp[f]) / denom;
  }
  for (const f of EXACT_FIELDS) scores[f] = counted[f] === 0 ? 1 : correct[f] / counted[f];
  return { scores, misses };
}

// ---- Duckling time corpus

export interface DucklingRow {
  text: string; refTime: string; locale: string; calendarWeekValue?: string;
  expected: { type: string; value?: string; from?: string; to?: string; grain?: string; holiday?: string };
}

export const DUCKLING_GRAINS = new Set(['minute', 'hour', 'day', 'week', 'month']);
/** Duckling's reference context is a fixed UTC−2; Etc/GMT+2 is that zone (POSIX sign). */
export const DUCKLING_ZONE = 'Etc/GMT+2';

export function loadDuckling(): DucklingRow[] {
  return readBench<DucklingRow[]>('duckling-zh-time.json');
}

const DAY = 86400000;
const UNIT_MS: Record<string, number> = { minute: 60000, hour: 3600000, day: DAY, week: 7 * DAY };

function minusOneGrain(iso: string, grain: string): number {
  const ms = Date.parse(iso);
  if (grain === 'month') {
    // Wall-clock month arithmetic at Duckling's fixed offset: shift, step back, shift.
    const d = new Date(ms - 2 * 3600000);
    d.setUTCMonth(d.getUTCMonth() - 1);
    return d.getTime() + 2 * 3600000;
  }
  return ms - UNIT_MS[grain];
}

/**
 * Where this project's spec decides differently from Duckling, the expected value the
 * spec implies, computed from the row by rule (never per text):
 *  - a bare weekday naming today is today ("today counts when no time is stated");
 *  - a part of day without a clock time keeps grain day (周一早上 → Monday, day);
 *  - 周末 is the Saturday of that week, grain day;
 *  - "N units later" (三天后) is ref + N units, where Duckling reads "the next N units".
 * Returns null when the spec agrees with Duckling.
 */
export function specExpectation(row: DucklingRow): { start: number; grain: string; rule: string } | null {
  const e = row.expected;
  const ref = Date.parse(row.refTime);
  if (/^(星期|礼拜|禮拜|周|週)[一二三四五六日天]$/.test(row.text) && e.value) {
    const v = Date.parse(e.value);
    const refDayStart = ref - ((ref - 2 * 3600000) % DAY); // local midnight at UTC−2
    if (v - refDayStart === 7 * DAY) return { start: refDayStart, grain: 'day', rule: 'bare weekday is today' };
  }
  if (e.type === 'interval' && e.from && /周末|週末/.test(row.text)) {
    return { start: Date.parse(e.from) + DAY - 18 * 3600000, grain: 'day', rule: '周末 is Saturday' };
  }
  if (e.type === 'interval' && e.from && /(早上|早晨|晚上)$/.test(row.text)) {
    const from = Date.parse(e.from);
    const local = from - 2 * 3600000;
    return { start: from - (local % DAY), grain: 'day', rule: 'part of day keeps grain day' };
  }
  if (e.type === 'interval' && e.to && e.grain && /[后後]$/.test(row.text) && !/^[下后後]/.test(row.text)) {
    return { start: minusOneGrain(e.to, e.grain), grain: e.grain, rule: 'N units later is ref + N' };
  }
  return null;
}

export interface DucklingResult {
  rows: number; raw: number; adjusted: number; holidayRows: number; holidayHits: number;
  failures: string[]; divergent: number;
}

export function scoreDuckling(firstDate: (row: DucklingRow) => { start: string; grain: string } | undefined): DucklingResult {
  const res: DucklingResult = { rows: 0, raw: 0, adjusted: 0, holidayRows: 0, holidayHits: 0, failures: [], divergent: 0 };
  for (const row of loadDuckling()) {
    const e = row.expected;
    const expStart = row.calendarWeekValue ?? (e.type === 'interval' ? e.from : e.value);
    if (!expStart || !e.grain) continue;
    const got = firstDate(row);
    const hit = got !== undefined && Date.parse(got.start) === Date.parse(expStart) && got.grain === e.grain;
    if ('holiday' in e) {
      res.holidayRows++;
      if (hit) res.holidayHits++;
      continue;
    }
    if (!DUCKLING_GRAINS.has(e.grain)) continue;
    res.rows++;
    if (hit) res.raw++;
    const spec = specExpectation(row);
    if (spec) res.divergent++;
    const adjustedHit = spec
      ? got !== undefined && Date.parse(got.start) === spec.start && got.grain === spec.grain
      : hit;
    if (adjustedHit) res.adjusted++;
    else res.failures.push(`${row.locale} ${row.text}: expected ${spec ? `${new Date(spec.start).toISOString()} ${spec.grain} (${spec.rule})` : `${expStart} ${e.grain}`}, got ${got ? `${got.start} ${got.grain}` : 'nothing'}`);
  }
  return res;
}

// ---- Weibo person names

interface WeiboRow { id: string; text: string; persons: string[] }

export function scoreWeibo(persons: (text: string) => string[]): { f1: number; p: number; r: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const row of readBench<WeiboRow[]>('weibo-ner-per.json')) {
    const used = new Set<number>();
    for (const p of persons(row.text)) {
      const k = row.persons.findIndex((g, i) => !used.has(i) && (g.includes(p) || p.includes(g)));
      if (k >= 0) { used.add(k); tp++; } else fp++;
    }
    fn += row.persons.length - used.size;
  }
  const p = tp / Math.max(1, tp + fp);
  const r = tp / Math.max(1, tp + fn);
  return { f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), p, r };
}
