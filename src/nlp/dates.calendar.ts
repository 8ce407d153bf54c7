/* Calendar arithmetic for the date grammar: reference context, points, units, month days. */
import type {
  DateGrain, DateMention,
} from './types.js';
import {
  parseNumber,
} from './cn-number.parser.js';
import {
  type Civil, addMonths, civilAt, dayNumber, daysInMonth, fromDayNumber, isoWeekday,
} from './time-zone.js';
import {
  DAY_ONLY_RE, EDGE_RE, notDayAfter, NTH_WEEKDAY_RE, type Pod, type Unit, WEEKDAY_CHAR, XUN_RE,
} from './dates.lexicon.js';

export interface RefContext {
  zone: string;
  ms: number;
  civil: Civil;
  day: number;
}

export interface ResolvedDate extends DateMention {
  startMs: number;
  holiday: boolean;
  index: number;
}

/** A point on the local calendar, at the precision of its grain. */
export interface Point { day: number; h: number; mi: number; grain: DateGrain }

/** What the date part of an expression said, before a clock time is attached. */
export interface DayPart {
  /** A single day that part of day and clock time may refine. */
  day?: number;
  /** Bare weekday: resolved after the clock, because "today counts if still ahead". */
  bareWeekday?: number;
  /** Whole spans (week, month, year, N-unit windows) that take no clock time. */
  span?: { start: Point; end: Point | null };
  pod?: Pod;
  holiday?: boolean;
  /** Month/day pair for the second half of a range such as 3月15日到20日. */
  ym?: { y: number; m: number };
  end: number;
}

export interface Clock { h: number; mi: number; minute: boolean; ampm?: 'am' | 'pm'; end: number }

export function makeRefContext(zone: string, ms: number): RefContext {
  const civil = civilAt(zone, ms);
  return { zone, ms, civil, day: dayNumber(civil.y, civil.m, civil.d) };
}

/** Characters a date can start with, by UTF-16 code (reading s[i] as a string costs an allocation per
 * Chinese character). */
export const START_CHARS = new Set(Array.from(
  '0123456789零〇一二两三四五六七八九十廿卅半今明后大昨前上下这本当周星礼月年早中晚凌傍午清深夜元情妇劳儿建教国平圣寻听晏过最未接去来再',
  (c) => c.charCodeAt(0)));

export function exec(re: RegExp, s: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(s);
}

export const num = (s: string | undefined): number => (s === undefined ? NaN : parseNumber(s));
export const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

export function weekMonday(day: number): number {
  return day - (isoWeekday(day) - 1);
}

export function truncate(ctx: RefContext, unit: Unit, deltaUnits: number): Point {
  const c = ctx.civil;
  switch (unit) {
    case 'minute': {
      const t = c.h * 60 + c.mi + deltaUnits;
      const day = ctx.day + Math.floor(t / 1440);
      const r = ((t % 1440) + 1440) % 1440;
      return { day, h: Math.floor(r / 60), mi: r % 60, grain: 'minute' };
    }
    case 'hour': {
      const t = c.h + deltaUnits;
      return { day: ctx.day + Math.floor(t / 24), h: ((t % 24) + 24) % 24, mi: 0, grain: 'hour' };
    }
    case 'day': return { day: ctx.day + deltaUnits, h: 0, mi: 0, grain: 'day' };
    case 'week': return { day: weekMonday(ctx.day) + 7 * deltaUnits, h: 0, mi: 0, grain: 'week' };
    case 'month': {
      const ym = addMonths(c.y, c.m, deltaUnits);
      return { day: dayNumber(ym.y, ym.m, 1), h: 0, mi: 0, grain: 'month' };
    }
    default: return { day: dayNumber(c.y + deltaUnits, 1, 1), h: 0, mi: 0, grain: 'year' };
  }
}

/** Month/day without a year: the next such date that is not in the past. */
export function nextMonthDay(ctx: RefContext, m: number, d: number): number {
  const y = ctx.civil.y;
  const thisYear = dayNumber(y, m, Math.min(d, daysInMonth(y, m)));
  if (thisYear >= ctx.day) return thisYear;
  return dayNumber(y + 1, m, Math.min(d, daysInMonth(y + 1, m)));
}

export function validMonthDay(m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

export function twoDigitYear(ctx: RefContext, yy: number): number {
  const century = Math.floor(ctx.civil.y / 100) * 100;
  let y = century + yy;
  if (y - ctx.civil.y > 50) y -= 100;
  return y;
}

/** 每 + a day, week or month unit: a recurring time. */
export const RECURRING_RE = /每(?:个)?(?:(?:周|星期|礼拜)[一二三四五六日天1-7]?|天|日|晚|早|月|年)/y;

/** 上旬/中旬/下旬: days 1–10, 11–20, 21–end of the month, as a range of days; 上中旬 1–20, 中下旬 11–end. */
export function xunSpan(y: number, m: number, which: string): { start: Point; end: Point } {
  const last = daysInMonth(y, m);
  const [a, b] = which === '上' ? [1, 10] : which === '中' ? [11, 20] : which === '上中' ? [1, 20] : which === '中下' ? [11, last] : [21, last];
  return { start: { day: dayNumber(y, m, a), h: 0, mi: 0, grain: 'day' }, end: { day: dayNumber(y, m, b), h: 0, mi: 0, grain: 'day' } };
}

/** Month-level continuation after a known year/month: 底, 初, N号, 第N个星期X. */
export function afterMonth(s: string, i: number, y: number, m: number): { day?: number; span?: { start: Point; end: Point }; end: number } {
  let e = exec(XUN_RE, s, i);
  if (e) return { span: xunSpan(y, m, e[1]), end: i + e[0].length };
  e = exec(EDGE_RE, s, i);
  if (e && e[1][0] === '月') {
    const d = e[1] === '月初' ? 1 : e[1] === '月中' ? 15 : daysInMonth(y, m);
    return { day: dayNumber(y, m, d), end: i + e[0].length };
  }
  if (s[i] === '底' || s[i] === '末') return { day: dayNumber(y, m, daysInMonth(y, m)), end: i + 1 };
  if (s[i] === '初') return { day: dayNumber(y, m, 1), end: i + 1 };
  e = exec(NTH_WEEKDAY_RE, s, i);
  if (e) {
    const n = num(e[1]);
    const wd = WEEKDAY_CHAR[e[3]];
    const first = dayNumber(y, m, 1);
    const day = first + ((wd - isoWeekday(first) + 7) % 7) + 7 * (n - 1);
    if (n >= 1 && n <= 5 && fromDayNumber(day).m === m) return { day, end: i + e[0].length };
  }
  e = exec(DAY_ONLY_RE, s, i);
  if (e && !notDayAfter(s, i + e[0].length)) {
    const d = num(e[1]);
    if (d >= 1 && d <= daysInMonth(y, m)) return { day: dayNumber(y, m, d), end: i + e[0].length };
  }
  return { end: i };
}

/** Day `d` of this month if not past, else of the next month that has it (31号 in April is May 31). */
export function nextDayOfMonth(c: Civil, d: number): number | null {
  if (!(d >= 1 && d <= 31)) return null;
  let ym = { y: c.y, m: c.m };
  if (d < c.d) ym = addMonths(c.y, c.m, 1);
  if (d > daysInMonth(ym.y, ym.m)) ym = addMonths(ym.y, ym.m, 1);
  return dayNumber(ym.y, ym.m, d);
}

export function toCivil(p: Point): Civil {
  const d = fromDayNumber(p.day);
  return { y: d.y, m: d.m, d: d.d, h: p.h, mi: p.mi, s: 0 };
}
