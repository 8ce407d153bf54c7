/* The date part ([day] [part of day]) and the clock time of an expression. Each is an ordered table
 * of rules: a rule is tried only where its first character can stand, its match is dropped by the
 * NOT_A_DATE rows named after it (dates.lexicon.ts), and its reader turns the match into a day part.
 * A reader answers undefined to give way to the next rule, null to say "no date here". */

import {
  addMonths, dayNumber, daysInMonth, fromDayNumber,
} from './time-zone.js';
import {
  type At, CLOCK_AMPM_RE, CLOCK_CN_RE, CLOCK_COLON_RE, DAY_ONLY_RE, EDGES, EDGE_RE, HALF_UNIT, HOLIDAYS, HOLIDAY_RE, ISO_DATE_RE,
  MONTH_DAY_RE, MONTH_MOD, MONTH_REL_RE, notADate, OFFSET_PREFIX_RE, OFFSET_SUFFIX_RE, PAST_PREFIXES, SHARED_DAY_RE,
  type Pod, REL_DAYS, REL_DAY_RE, UNIT_MAP, type Unit, US_DATE_RE, WEEKDAY_CHAR, WEEK_MOD, WEEK_RE, XUN_RE,
  YEAR_ABS_RE, YEAR_REL, YEAR_REL_RE, YEAR_END_CHARS,
} from './dates.lexicon.js';
import {
  type Clock, type DayPart, type RefContext, afterMonth, exec, nextDayOfMonth, nextMonthDay, num, truncate,
  twoDigitYear, validMonthDay, weekMonday, xunSpan,
} from './dates.calendar.js';
import { CN_NUM_CHARS } from './cn-number.parser.js';

export interface Rule<T, C = RefContext> {
  name: string;
  re: RegExp;
  /** Characters a match can start with. */
  starts: string;
  /** NOT_A_DATE rows to apply (default: the rule's own name). */
  guards?: string[];
  read: (a: At, ctx: C) => T | null | undefined;
}

const DIGITS = '0123456789';
const SMALL_NUM_CHARS = `${DIGITS}零〇一二两三四五六七八九十廿卅`;
const firsts = (words: Iterable<string>): string => [...new Set([...words].map((w) => w[0]))].join('');
const HOLIDAY_DAY = new Map(HOLIDAYS.map((h) => [h[0], h] as const));
const isInt = (n: number): boolean => Number.isInteger(n) && n > 0 && n < 1000;

/** 2026年 / 今年 then 3月 / 3月15日, or the year alone (2026年底, 明年). */
function readYearMonthDay(s: string, i: number, ctx: RefContext): DayPart | null | undefined {
  const c = ctx.civil;
  let year: number | undefined;
  let j = i;
  let e = exec(YEAR_REL_RE, s, i);
  if (e) year = c.y + YEAR_REL[e[1]];
  else if ((e = exec(YEAR_ABS_RE, s, i)) && !notADate('yearAbs', { s, i, end: i + e[0].length, e })) year = num(e[1]);
  else e = null;
  if (e) j = i + e[0].length;
  const md = exec(MONTH_DAY_RE, s, j);
  const m = md ? num(md[1]) : NaN;
  if (md && !notADate('monthDay', { s, i: j, end: j + md[0].length, e: md }) && m >= 1 && m <= 12) {
    const end = j + md[0].length;
    const d = md[3] === undefined ? NaN : num(md[3]);
    if (!Number.isNaN(d)) {
      if (!validMonthDay(m, d) || d > daysInMonth(year ?? 2000, m)) return null;
      const day = year !== undefined ? dayNumber(year, m, d) : nextMonthDay(ctx, m, d);
      return { day, end, ym: { y: fromDayNumber(day).y, m } };
    }
    const y = year ?? (m < c.m ? c.y + 1 : c.y);
    const after = afterMonth(s, end, y, m);
    return after.day !== undefined || after.span ? { day: after.day, span: after.span, end: after.end }
      : { span: { start: { day: dayNumber(y, m, 1), h: 0, mi: 0, grain: 'month' }, end: null }, ym: { y, m }, end };
  }
  if (year === undefined) return undefined;
  const edge = exec(EDGE_RE, s, j);
  if (edge && EDGES[edge[1]].of === 'year') return { day: edgeDay(edge[1], year, 1), end: j + edge[0].length };
  if (YEAR_END_CHARS.has(s[j])) return { day: dayNumber(year, 12, 31), end: j + 1 };
  return { span: { start: { day: dayNumber(year, 1, 1), h: 0, mi: 0, grain: 'year' }, end: null }, end: j };
}

export const DAY_RULES: ReadonlyArray<Rule<DayPart>> = [
  // 三天后, 两个钟之前, 七天内, 半个月后.
  { name: 'offsetSuffix', re: OFFSET_SUFFIX_RE, starts: `${DIGITS}${CN_NUM_CHARS}半`, read: ({ e, end }, ctx) => {
    const n = e[1] === '半' ? 0.5 : num(e[1]);
    const unit = UNIT_MAP.get(e[2]) as Unit;
    if (!(Number.isFinite(n) && n > 0 && n < 1000)) return undefined;
    const [u, k] = n === 0.5 ? HALF_UNIT[unit] ?? [unit, NaN] : [unit, n];
    return Number.isInteger(k) ? { span: { start: truncate(ctx, u, e[4] === '前' ? -k : k), end: null }, end } : null;
  } },
  // 下三天, 前两个月, 未来三天.
  { name: 'offsetPrefix', re: OFFSET_PREFIX_RE, starts: '上前过最下后未接今', read: ({ e, end }, ctx) => {
    const n = num(e[2]);
    const unit = UNIT_MAP.get(e[3]) as Unit;
    if (!isInt(n)) return undefined;
    const span = PAST_PREFIXES.has(e[1]) ? { start: truncate(ctx, unit, -n), end: truncate(ctx, unit, -1) }
      : { start: truncate(ctx, unit, 1), end: truncate(ctx, unit, n) };
    return { span, end };
  } },
  { name: 'relDay', re: REL_DAY_RE, starts: firsts(Object.keys(REL_DAYS)), read: ({ e, end }, ctx) => {
    const [off, pod] = REL_DAYS[e[0]];
    return { day: ctx.day + off, pod: pod ?? undefined, end };
  } },
  { name: 'holiday', re: HOLIDAY_RE, starts: firsts(HOLIDAY_DAY.keys()), read: ({ e, end }, ctx) => {
    const h = HOLIDAY_DAY.get(e[0])!;
    return { day: nextMonthDay(ctx, h[1], h[2]), holiday: true, end };
  } },
  // 周三, 下周三, 下周, 这个星期天.
  { name: 'week', re: WEEK_RE, starts: `${firsts(Object.keys(WEEK_MOD))}周星礼`, read: ({ e, end }, ctx) => {
    const mod = e[1] === undefined ? undefined : WEEK_MOD[e[1]];
    const wd = e[3] === undefined ? undefined : WEEKDAY_CHAR[e[3]];
    if (wd !== undefined) return mod === undefined ? { bareWeekday: wd, end } : { day: weekMonday(ctx.day) + 7 * mod + (wd - 1), end };
    return mod === undefined ? undefined : { span: { start: truncate(ctx, 'week', mod), end: null }, end };
  } },
  { name: 'monthRel', re: MONTH_REL_RE, starts: firsts(Object.keys(MONTH_MOD)), read: ({ s, e, end }, ctx) => {
    const ym = addMonths(ctx.civil.y, ctx.civil.m, MONTH_MOD[e[1]]);
    const after = afterMonth(s, end, ym.y, ym.m);
    return after.day !== undefined || after.span ? { day: after.day, span: after.span, end: after.end }
      : { span: { start: { day: dayNumber(ym.y, ym.m, 1), h: 0, mi: 0, grain: 'month' }, end: null }, ym, end: after.end };
  } },
  // The empty pattern matches anywhere: the reader reads year, month and day itself.
  { name: 'yearMonthDay', re: /(?:)/y, starts: `${SMALL_NUM_CHARS}${firsts(Object.keys(YEAR_REL))}`,
    read: ({ s, i }, ctx) => readYearMonthDay(s, i, ctx) },
  { name: 'xun', re: XUN_RE, starts: '上中下', read: ({ e, end }, ctx) => ({ span: xunSpan(ctx.civil.y, ctx.civil.m, e[1]), end }) },
  { name: 'edge', re: EDGE_RE, starts: '月年', read: ({ e, end }, ctx) => ({ day: edgeDay(e[1], ctx.civil.y, ctx.civil.m), end }) },
  { name: 'isoDate', re: ISO_DATE_RE, starts: DIGITS, read: ({ e, end }) => {
    const y = num(e[1]); const m = num(e[3]); const d = num(e[4]);
    return validMonthDay(m, d) && d <= daysInMonth(y, m) ? { day: dayNumber(y, m, d), end } : undefined;
  } },
  { name: 'usDate', re: US_DATE_RE, starts: DIGITS, read: ({ e, end }, ctx) => {
    const m = num(e[1]); const d = num(e[2]);
    const y = e[3] === undefined ? undefined : e[3].length === 2 ? twoDigitYear(ctx, num(e[3])) : num(e[3]);
    if (!validMonthDay(m, d) || d > daysInMonth(y ?? 2000, m)) return undefined;
    return { day: y === undefined ? nextMonthDay(ctx, m, d) : dayNumber(y, m, d), end };
  } },
  // 15-20号: the first half of a day range takes its 号 from the second.
  { name: 'sharedDay', re: SHARED_DAY_RE, starts: SMALL_NUM_CHARS, read: ({ e, i }, ctx) => {
    const day = nextDayOfMonth(ctx.civil, num(e[1]));
    return day === null ? undefined : { day, end: i + e[1].length };
  } },
  // N号 alone is a day of the month; N日 only as a deadline (5日前).
  { name: 'dayOnly', re: DAY_ONLY_RE, starts: SMALL_NUM_CHARS, read: ({ e, end }, ctx) => {
    const day = nextDayOfMonth(ctx.civil, num(e[1]));
    return day === null ? undefined : { day, end };
  } },
];

/** The rules of `table` that can start with each character. */
function byStart<T, C>(table: ReadonlyArray<Rule<T, C>>): Map<number, Array<Rule<T, C>>> {
  const out = new Map<number, Array<Rule<T, C>>>();
  for (const rule of table) {
    rule.guards ??= [rule.name];
    for (let k = 0; k < rule.starts.length; k++) {
      const c = rule.starts.charCodeAt(k);
      let list = out.get(c);
      if (!list) out.set(c, (list = []));
      list.push(rule);
    }
  }
  return out;
}

function firstReading<T, C>(rules: ReadonlyArray<Rule<T, C>> | undefined, s: string, i: number, ctx: C): T | null {
  if (!rules) return null;
  for (const rule of rules) {
    const e = exec(rule.re, s, i);
    if (!e) continue;
    const at: At = { s, i, end: i + e[0].length, e };
    if (rule.guards!.some((g) => notADate(g, at))) continue;
    const r = rule.read(at, ctx);
    if (r !== undefined) return r;
  }
  return null;
}

const DAY_BY_START = byStart(DAY_RULES);

export function parseDayPart(s: string, i: number, ctx: RefContext): DayPart | null {
  return firstReading(DAY_BY_START.get(s.charCodeAt(i)), s, i, ctx);
}

/** Minutes after a Chinese clock hour, by the group of CLOCK_CN_RE that matched: 半, 一刻/三刻, 零N分,
 * 踏N (Cantonese 5-minute marks), N个字, N(分). */
const MINUTES: ReadonlyArray<readonly [number, (g: string, e: RegExpExecArray) => number]> = [
  [3, () => 30],
  [4, (g) => (g === '一刻' ? 15 : 45)],
  [5, (g) => num(g)],
  [6, (g) => (g === '半' ? 30 : num(g) * 5)],
  [7, (g) => num(g) * 5],
  // Cantonese 三點三 counts 5-minute marks; a two-digit or 分 reading is plain minutes.
  [8, (g, e) => (e[9] || num(g) >= 10 || /^\d/.test(g) ? num(g) : num(g) * 5)],
];

/** `bare`: a bare N点, which needs a time cue or a look of a clock. */
type ClockRead = Clock & { bare?: At };
export const CLOCK_RULES: ReadonlyArray<Rule<ClockRead, null>> = [
  { name: 'clockColon', re: CLOCK_COLON_RE, starts: DIGITS, guards: ['clockDigits', 'clockColon'], read: ({ e, end }) => {
    const h = num(e[1]); const mi = num(e[2]);
    return h <= 24 && mi < 60 ? { h, mi, minute: true, ampm: ampmOf(e[3]), end } : undefined;
  } },
  { name: 'clockAmpm', re: CLOCK_AMPM_RE, starts: DIGITS, guards: ['clockDigits'], read: ({ e, end }) => {
    const h = num(e[1]);
    return h >= 1 && h <= 12 ? { h, mi: 0, minute: false, ampm: ampmOf(e[2]), end } : undefined;
  } },
  { name: 'clockCn', re: CLOCK_CN_RE, starts: SMALL_NUM_CHARS, read: (a) => {
    const { e, end } = a;
    const h = num(e[1]);
    if (!(h >= 0 && h <= 24)) return null;
    const reading = MINUTES.find(([g]) => e[g]);
    const mi = reading ? reading[1](e[reading[0]], e) : 0;
    return mi >= 0 && mi < 60 ? { h, mi, minute: reading !== undefined, end, bare: !reading && e[2] === '点' ? a : undefined } : null;
  } },
];
const CLOCK_BY_START = byStart(CLOCK_RULES);

export function parseClock(s: string, i: number, hasContext: boolean): Clock | null {
  const c = firstReading(CLOCK_BY_START.get(s.charCodeAt(i)), s, i, null);
  if (!c) return null;
  // A bare N点 without a time cue must look like a clock (not 一点, 有两点, 点评).
  if (c.bare && !hasContext && notADate('bareClock', c.bare)) return null;
  return { h: c.h, mi: c.mi, minute: c.minute, ampm: c.ampm, end: c.end };
}

export function ampmOf(s: string | undefined): 'am' | 'pm' | undefined {
  return s ? (s[0] === 'a' ? 'am' : 'pm') : undefined;
}

/** How a clock hour reads in 24 hours, by its am/pm mark or part of day: the first row that holds. */
const HOUR_24: ReadonlyArray<{ why: string; test: (h: number, ampm: 'am' | 'pm' | undefined, pod: Pod | undefined, hasDay: boolean) => boolean;
  hour: (h: number) => number }> = [
  { why: 'afternoon: 下午3点, 3pm', test: (h, ampm) => ampm === 'pm' && h < 12, hour: (h) => h + 12 },
  { why: '12am is midnight', test: (h, ampm) => ampm === 'am' && h === 12, hour: () => 0 },
  { why: '中午1点 is 13:00', test: (h, _a, pod) => pod === 'noon' && h >= 1 && h <= 3, hour: (h) => h + 12 },
  { why: '晚上12点 is midnight, the next day', test: (h, _a, pod) => pod === 'night' && h === 12, hour: () => 24 },
  { why: 'business hours: 明天3点 is 15:00', test: (h, ampm, pod, hasDay) => !ampm && pod === undefined && hasDay && h >= 1 && h <= 6,
    hour: (h) => h + 12 },
];

/** 24-hour hour for a clock reading given its part of day. */
export function hour24(clock: Clock, pod: Pod | undefined, hasDay: boolean): number {
  const ampm = clock.ampm ?? (pod === 'am' || pod === 'dawn' ? 'am' : pod === 'pm' ? 'pm' : undefined);
  const row = HOUR_24.find((r) => r.test(clock.h, ampm, pod, hasDay));
  return row ? row.hour(clock.h) : clock.h;
}

/** The day an edge of month `m` or of year `y` names (EDGES). */
function edgeDay(w: string, y: number, m: number): number {
  const e = EDGES[w];
  if (e.of === 'year') return e.day === 'first' ? dayNumber(y, 1, 1) : dayNumber(y, 12, 31);
  return dayNumber(y, m, e.day === 'first' ? 1 : e.day === 'mid' ? 15 : daysInMonth(y, m));
}
