/* Budget: the one amount in a message that is a budget, a price or an order value.
 * Every amount-shaped match is read once into a Reading; the NOT_MONEY rules (a table, in order)
 * reject quantities, IDs, metrics and words; the survivors are scored by EVIDENCE_WEIGHT and the
 * heaviest wins. The words behind every rule are rows in money.lexicon.ts. */
import type { Budget, Currency } from './types.js';
import { CN_NUM_CHARS, parseNumber } from './cn-number.parser.js';
import {
  BOUNDS, BOUND_MODALS, BOUND_NOUNS, BOUND_VERBS, BUDGET_WORDS, CN_FOLLOWERS, CURRENCY_AFTER, CURRENCY_BEFORE, CURRENCY_OF,
  DAXIE, EVIDENCE_WEIGHT, LABEL_UNITS, LETTER_MULTIPLIERS, METRIC_LINKS, METRIC_WORDS, MULTIPLIER, NEGATIONS, ORDINAL_MARKS, PER_ONE_MEASURES,
  PER_UNIT_WORDS, PHYSICAL_WORDS, PRICE_NOUNS, QUANTITY_LETTERS, QUANTITY_NOT_BEFORE, QUANTITY_UNITS, RANGE_END_CURRENCY,
  RANGE_WORDS, ROUGH_PAIRS, TEXT_HEAD, TEXT_TAIL, TOTAL_WORDS, alt,
} from './money.lexicon.js';

// A Chinese numeral must start with a digit or 十: a lone 万/千/亿 (万一, 千万别, 两个亿) is a word.
const AMOUNT = `(?:\\d+(?:,\\d{3})*(?:\\.\\d+)?|[零〇一二两三四五六七八九十廿卅][${CN_NUM_CHARS}]*)`;
const MULT = `(?:\\s?(个)?(${alt(Object.keys(MULTIPLIER))}))?`;
/** Colloquial tail after 万/千: 9万8 = 98000, 1万5千 = 15000, 3千5 = 3500. */
const TAIL = '(?:([1-9一二两三四五六七八九])(千)?(?![0-9.]))?';
const CUR_PRE = `(${alt(CURRENCY_BEFORE)})?\\s?`;
const END = `${CUR_PRE}(${AMOUNT})${MULT}${TAIL}`;
const AMOUNT_RE = new RegExp(
  `${END}(?:(?:\\s?(?:${alt(RANGE_END_CURRENCY)}))?\\s?(${alt(RANGE_WORDS)})\\s?${END})?\\s?(${alt(CURRENCY_AFTER)})?`, 'g');

/** A label link and colon between a cue and its amount (总价是：, 学费3980). */
const LABEL = '[是为]?\\s?[:：]?\\s?$';
const BUDGET_RE = new RegExp(`(${alt(BUDGET_WORDS)}|每(?:${alt(PER_UNIT_WORDS)})$|(?:${
  PRICE_NOUNS.map((p) => `(?<![${p.notAfter}])${p.noun}`).join('|')})${LABEL})`);
const TOTAL_BEFORE = new RegExp(`(${alt(TOTAL_WORDS)})${LABEL}`);
const NEG = `(?:${alt(NEGATIONS)})`;
const GAP = `(?:${alt(BOUND_MODALS)})?(?:${alt(BOUND_VERBS)}){0,2}`;
/** Each bound row as patterns: a negated row reads the verb gap only, the others a price noun and label too. */
const BOUND_RES = BOUNDS.map((b) => {
  const words = [...(b.negated ? [`${NEG}(?:${alt(b.negated)})`] : []), ...(b.before ? [alt(b.before)] : [])].join('|');
  const tail = b.before ? `${GAP}(?:${alt(BOUND_NOUNS)})?\\s?[:：]?\\s?$` : `${GAP}\\s?$`;
  return { bound: b.bound, before: new RegExp(`(${words})${tail}`), after: b.after ? new RegExp(`^\\s?(${alt(b.after)})`) : null };
});
const PHYSICAL_BEFORE = new RegExp(`(${alt(PHYSICAL_WORDS)})\\s?[:：为是]?\\s?$`);
const METRIC_BEFORE = new RegExp(`(${alt(METRIC_WORDS, true)})(?:${alt(METRIC_LINKS)})*\\s?[:：]?\\s?$`);
const LABEL_UNIT_BEFORE = new RegExp(`[(（](${alt(Object.keys(LABEL_UNITS))})[)）]\\s?[:：]?\\s?$`);
const QUANTITY_AFTER = new RegExp(`^\\s?(?!${alt(QUANTITY_NOT_BEFORE)})(${alt(QUANTITY_UNITS)}|${QUANTITY_LETTERS.map((l) => `${l}\\b`).join('|')})`);
const CN_FOLLOWER_RE = new RegExp(`^(${alt(CN_FOLLOWERS.words)}|[${CN_FOLLOWERS.chars}])`);
const TEXT_HEAD_RE = new RegExp(`(?:(?:${NEG}(?:${alt(TEXT_HEAD.negated)})|${alt(TEXT_HEAD.bounded)})${GAP}|${alt(TEXT_HEAD.rough)})\\s?$`);
const TEXT_TAIL_RE = new RegExp(`^\\s?(${alt(TEXT_TAIL)})`);
/** [prefix ending in a unit] digit digit [units only]: 三十|五|六|万. */
const ROUGH_RE = /^((?:[一二两三四五六七八九]?[十百千万亿])*)([一二两三四五六七八九])([二两三四五六七八九])([十百千万亿]*)$/;
const PER_UNIT_ONE = new RegExp(`(?<=[二两三四五六七八九千万])一(?=[${PER_ONE_MEASURES}])`, 'g');
const DAXIE_RUN = new RegExp(`[${Object.keys(DAXIE).join('')}]+`, 'g');
const DAXIE_DIGIT = new RegExp(`[${Object.keys(DAXIE).filter((c) => !'万亿'.includes(DAXIE[c])).join('')}]`);
const BIG_UNIT = /[千万亿]/;
const SHARED_UNIT = /(千|万|百万|亿)$/;
const DIGIT = /\d/;
const HAN = /[\u4e00-\u9fff]/;
/** Characters that glue a number into a longer token: phone digits, model numbers (x3000), dates (2026-03). */
const TOKEN_CHAR = /[a-z0-9_./-]/;

/** One amount-shaped match, read once; the rules below only look at it. What only a few rules
 * need (the label before it, its budget words, its value) is read when first asked for. */
class Reading {
  readonly pre1?: string; readonly pre2?: string; readonly post?: string; readonly mult1?: string; readonly mult2?: string;
  readonly tail1?: string; readonly tail2?: string; readonly a1: string; readonly a2?: string; readonly ge: boolean;
  readonly prev?: string; readonly prev2?: string; readonly after: string; readonly rough: RegExpExecArray | null;
  readonly roughHigh?: string;
  private label?: { before: string; labelK?: number };
  private ctx?: boolean;

  constructor(readonly m: RegExpExecArray, readonly norm: string, readonly start: number, readonly end: number) {
    this.pre1 = m[1]; this.mult1 = m[4]; this.tail1 = m[5];
    this.pre2 = m[8]; this.a2 = m[9]; this.mult2 = m[11]; this.tail2 = m[12]; this.post = m[14];
    this.ge = !!(m[3] || m[10]);
    this.prev = norm[start - 1];
    this.prev2 = norm[start - 2];
    this.after = norm.slice(end, end + 4);
    // 两三万, 二三十万, 七八千, 三五万, 一两万, 十一二万, 三十五六万, 一百四五十万: two neighbouring
    // digits, after a unit or at the start and followed only by units, are a rough range.
    this.rough = this.a2 === undefined ? ROUGH_RE.exec(m[2]) : null;
    this.a1 = this.rough ? this.rough[1] + this.rough[2] + this.rough[4] : m[2];
    if (this.rough) {
      const [, head, lo, hi, units] = this.rough;
      if (parseNumber(hi) - parseNumber(lo) === 1 || ROUGH_PAIRS.includes(lo + hi)) this.roughHigh = head + hi + units;
    }
  }

  /** The 8 characters before the amount; a unit in brackets after a label applies to the bare number
   * after it (最高限价（万元）：95, as tender notices write it), and the label is read without it. */
  private readLabel(): { before: string; labelK?: number } {
    if (this.label) return this.label;
    const before = this.norm.slice(Math.max(0, this.start - 12), this.start);
    const unit = LABEL_UNIT_BEFORE.exec(before);
    if (!unit) return (this.label = { before: before.slice(-8) });
    const labelK = !this.pre1 && !this.mult1 && !this.mult2 ? LABEL_UNITS[unit[1]] : undefined;
    return (this.label = { before: (before.slice(0, unit.index) + '：').slice(-8), labelK });
  }
  get before(): string { return this.readLabel().before; }
  get labelK(): number | undefined { return this.readLabel().labelK; }
  get next(): string | undefined { return this.norm[this.end]; }
  get follow3(): string { return this.norm.slice(this.end, this.end + 3); }
  /** A budget word before or after it. */
  get context(): boolean { return (this.ctx ??= BUDGET_RE.test(this.before) || BUDGET_RE.test(this.after)); }
  get hasUnit(): boolean {
    return !!(this.pre1 || this.pre2 || this.post || this.mult1 || this.mult2 || this.labelK) || BIG_UNIT.test(this.a1) || /[千万亿]$/.test(this.a2 ?? '');
  }
  get v1raw(): number { return parseNumber(this.a1) + tailValue(this.mult1, this.tail1, this.m[6]); }
  /** 十到十五万: the second end's unit is shared by a Chinese-numeral range. */
  get cnShared(): string | undefined {
    return this.a2 !== undefined && !this.mult1 && !this.mult2 && !BIG_UNIT.test(this.a1) ? SHARED_UNIT.exec(this.a2)?.[1] : undefined;
  }
}

/** Rules that make an amount-shaped match no money, in the order they are tried. */
const NOT_MONEY: ReadonlyArray<{ why: string; test: (r: Reading) => boolean }> = [
  // A colon only joins a clock (10:30); after a label (预算:50万) it is punctuation.
  { why: 'part of a longer token', test: (r) => !r.pre1 && r.prev !== undefined && (TOKEN_CHAR.test(r.prev) || (r.prev === ':' && DIGIT.test(r.prev2 ?? ''))) },
  { why: 'an ordinal (第2标段, 第3期)', test: (r) => !r.pre1 && ORDINAL_MARKS.includes(r.prev ?? '') },
  { why: 'two digits that are no rough range', test: (r) => r.rough !== null && r.roughHigh === undefined },
  { why: 'a quantity (50台, 3年)', test: (r) => !r.post && QUANTITY_AFTER.test(r.after) },
  { why: 'watts or pixels (功率800w, 分辨率4k)', test: (r) => LETTER_MULTIPLIERS.includes(r.mult1 ?? '') && !r.pre1 && !r.post && PHYSICAL_BEFORE.test(r.before) },
  { why: 'the size of a company (注册资金500万)', test: (r) => METRIC_BEFORE.test(r.before) },
  { why: 'neither a money unit nor a budget word', test: (r) => !r.hasUnit && !r.context },
  { why: 'a spoken amount (两个亿) with no budget word', test: (r) => r.ge && !r.context },
  { why: 'a bare digit string of 9 or more: an ID or phone', test: (r) => !r.hasUnit && /^\d{9,}$/.test(r.a1) },
  { why: 'a leading zero: an area code or serial', test: (r) => /^0\d/.test(r.a1) },
  // A range (三万到五万都行) is an amount however it ends.
  { why: 'a Chinese numeral glued to a word (十万火急, 三千里)', test: (r) => !DIGIT.test(r.a1) && r.a2 === undefined && !r.pre1 && !r.post
    && HAN.test(r.next ?? '') && !CN_FOLLOWER_RE.test(r.follow3) },
  { why: 'a colloquial tail with no multiplier', test: (r) => (!!r.tail1 && !r.mult1) || (!!r.tail2 && !r.mult2) },
  { why: 'unreadable', test: (r) => !Number.isFinite(r.v1raw) },
  // Otherwise every 一 is a price; 十到十五万 shares the second end's 万; 预算三百 has its budget word.
  { why: 'a Chinese numeral with no unit (三, 十)', test: (r) => !DIGIT.test(r.a1) && !BIG_UNIT.test(r.a1) && !r.cnShared
    && !(r.mult1 || r.mult2 || r.post || r.pre1) && !(r.context && r.a1.includes('百')) },
];

/** The colloquial tail in the multiplied unit's terms: 9万8 → 0.8 (万), 3千5 → 0.5 (千). */
function tailValue(mult: string | undefined, tail: string | undefined, tailK: string | undefined): number {
  if (!tail || !mult) return 0;
  const k = MULTIPLIER[mult];
  const d = parseNumber(tail);
  if (tailK) return k === 1e4 ? d / 10 : NaN; // 1万5千
  return k === 1e4 || k === 1e3 ? d / 10 : NaN;
}

function currencyOf(...marks: Array<string | undefined>): Currency {
  for (const m of marks) if (m && Object.hasOwn(CURRENCY_OF, m)) return CURRENCY_OF[m];
  return 'CNY';
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A run of 大写 numerals is a numeral when it is two or more long or carries a unit (伍仟, 拾万元),
 * so that 收拾, 队伍, 大陆 stay words. Same length, so offsets are unchanged. */
function readDaxie(norm: string): string {
  if (!DAXIE_DIGIT.test(norm)) return norm;
  return norm.replace(DAXIE_RUN, (run, at: number) =>
    run.length >= 2 || /[万亿元圆]/.test(norm[at + run.length] ?? '') ? [...run].map((c) => DAXIE[c] ?? c).join('') : run);
}

/** min and max of a reading that passed the rules, or null when its ends make no range. */
function bounds(r: Reading, m: RegExpExecArray): [number | null, number | null] | null {
  if (r.roughHigh !== undefined) {
    const k = MULTIPLIER[r.mult1 ?? ''] ?? 1;
    return [round(r.v1raw * k), round(parseNumber(r.roughHigh) * k)];
  }
  if (r.a2 !== undefined) {
    const v2raw = parseNumber(r.a2) + tailValue(r.mult2, r.tail2, m[13]);
    if (!Number.isFinite(v2raw)) return null;
    // 5到10万: the shared multiplier applies to both ends.
    const k2 = MULTIPLIER[r.mult2 ?? ''] ?? r.labelK ?? 1;
    const k1 = r.mult1 ? MULTIPLIER[r.mult1] : r.cnShared ? MULTIPLIER[r.cnShared] : k2;
    let min = round(r.v1raw * k1);
    const max = round(v2raw * k2);
    // The second end's multiplier is shared only when that gives a range: 8000到1万 is 8000–10000.
    if (min > max && !r.mult1 && !r.cnShared) min = round(r.v1raw);
    return min > max ? null : [min, max];
  }
  const v = round(r.v1raw * (MULTIPLIER[r.mult1 ?? ''] ?? r.labelK ?? 1));
  // The first bound row that matches decides (不低于 is read before 低于).
  const b = BOUND_RES.find((row) => row.before.test(r.before) || (row.after !== null && row.after.test(r.after)));
  return b === undefined ? [v, v] : b.bound === 'max' ? [null, v] : [v, null];
}

export function extractBudget(rawNorm: string, orig: string): Budget | null {
  const norm = readDaxie(rawNorm).replace(/(?<=[十百千万亿])圆/g, '元')
    // 六万八一台, 一千二一个, 学费一万八一年: 一 + a measure word after a numeral is "per unit",
    // not the numeral's last digit (same length, so offsets are unchanged).
    .replace(PER_UNIT_ONE, '/');
  let best: { budget: Budget; score: number } | null = null;
  AMOUNT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = AMOUNT_RE.exec(norm))) {
    if (m[0].trim().length === 0) { AMOUNT_RE.lastIndex++; continue; }
    // A space before an amount is not part of it: `around 50k` starts at 5, not at the space.
    const start = m[1] ? m.index : m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].length;
    const r = new Reading(m, norm, start, end);
    if (NOT_MONEY.some((rule) => rule.test(r))) continue;
    const range = bounds(r, m);
    if (range === null) continue;
    const [min, max] = range;
    if ((min ?? max ?? 0) <= 0) continue;
    const tail = TEXT_TAIL_RE.exec(norm.slice(end));
    const head = TEXT_HEAD_RE.exec(r.before);
    const textStart = start - (head ? head[0].length : 0);
    const textEnd = end + (tail ? tail[0].length : 0);
    const w = EVIDENCE_WEIGHT;
    // A bound (最多, 以内, 起) marks what the customer can spend: 3万太贵了,最多能接受2万5.
    // A stated total outranks a unit price: the spec's budget is then the order value (每台3500，合计17500元).
    const score = (r.context ? w.context : 0) + (r.pre1 || r.post ? w.currency : 0) + (r.mult1 || r.mult2 ? w.multiplier : 0)
      + (min === null || max === null ? w.bound : 0) + (TOTAL_BEFORE.test(r.before) ? w.total : 0);
    if (best === null || score > best.score) {
      best = { budget: { min, max, currency: currencyOf(r.pre1, r.pre2, r.post, norm.slice(end, end + 2)), text: orig.slice(textStart, textEnd).trim() }, score };
    }
  }
  return best === null ? null : best.budget;
}
