/* Chinese time grammar: [date part] [part of day] [clock], optional range, resolved
 * against the reference moment in the tenant's zone. Conventions: docs/extraction-conventions.md. */
import type { DateGrain, DateMention } from './types.js';
import { parseNumber } from './cn-number.parser.js';
import {
  type Civil, addMonths, civilAt, dayNumber, daysInMonth, formatCivil, fromDayNumber, instantOf, isoWeekday,
} from './time-zone.js';
import {
  CLOCK_AMPM_RE, CLOCK_CN_RE, CLOCK_COLON_RE, DAY_ONLY_RE, DEADLINE_RE, EDGE_RE, HOLIDAYS, HOLIDAY_RE,
  ISO_DATE_RE, MONTH_DAY_RE, MONTH_MOD, MONTH_REL_RE, notDayAfter, NTH_WEEKDAY_RE, OFFSET_PREFIX_RE, STREET_BEFORE_DAY,
  ALT_RE, OFFSET_SUFFIX_RE, SHARED_CLOCK_RE, SHARED_DAY_RE, POD_MAP, POD_RE, type Pod, RANGE_RE, REL_DAYS, REL_DAY_RE, UNIT_MAP, type Unit,
  US_DATE_RE, WEEKDAY_CHAR, WEEK_MOD, WEEK_RE, XUN_RE, YEAR_ABS_RE, YEAR_REL, YEAR_REL_RE,
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
interface Point { day: number; h: number; mi: number; grain: DateGrain }

/** What the date part of an expression said, before a clock time is attached. */
interface DayPart {
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

interface Clock { h: number; mi: number; minute: boolean; ampm?: 'am' | 'pm'; end: number }

export function makeRefContext(zone: string, ms: number): RefContext {
  const civil = civilAt(zone, ms);
  return { zone, ms, civil, day: dayNumber(civil.y, civil.m, civil.d) };
}

const START_CHARS = new Set(
  '0123456789零〇一二两三四五六七八九十廿卅半今明后大昨前上下这本当周星礼月年早中晚凌傍午清深夜元情妇劳儿建教国平圣寻听晏过最未接去来再'.split(''));

function exec(re: RegExp, s: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(s);
}

const num = (s: string | undefined): number => (s === undefined ? NaN : parseNumber(s));
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function weekMonday(day: number): number {
  return day - (isoWeekday(day) - 1);
}

function truncate(ctx: RefContext, unit: Unit, deltaUnits: number): Point {
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
function nextMonthDay(ctx: RefContext, m: number, d: number): number {
  const y = ctx.civil.y;
  const thisYear = dayNumber(y, m, Math.min(d, daysInMonth(y, m)));
  if (thisYear >= ctx.day) return thisYear;
  return dayNumber(y + 1, m, Math.min(d, daysInMonth(y + 1, m)));
}

function validMonthDay(m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

function twoDigitYear(ctx: RefContext, yy: number): number {
  const century = Math.floor(ctx.civil.y / 100) * 100;
  let y = century + yy;
  if (y - ctx.civil.y > 50) y -= 100;
  return y;
}

/** 每 + a day, week or month unit: a recurring time. */
const RECURRING_RE = /每(?:个)?(?:(?:周|星期|礼拜)[一二三四五六日天1-7]?|天|日|晚|早|月|年)/y;

/** 上旬/中旬/下旬: days 1–10, 11–20, 21–end of the month, as a range of days; 上中旬 1–20, 中下旬 11–end. */
function xunSpan(y: number, m: number, which: string): { start: Point; end: Point } {
  const last = daysInMonth(y, m);
  const [a, b] = which === '上' ? [1, 10] : which === '中' ? [11, 20] : which === '上中' ? [1, 20] : which === '中下' ? [11, last] : [21, last];
  return { start: { day: dayNumber(y, m, a), h: 0, mi: 0, grain: 'day' }, end: { day: dayNumber(y, m, b), h: 0, mi: 0, grain: 'day' } };
}

/** Month-level continuation after a known year/month: 底, 初, N号, 第N个星期X. */
function afterMonth(s: string, i: number, y: number, m: number): { day?: number; span?: { start: Point; end: Point }; end: number } {
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

function parseDayPart(s: string, i: number, ctx: RefContext): DayPart | null {
  const c = ctx.civil;
  const ch = s[i];
  let e: RegExpExecArray | null;

  if ((e = exec(OFFSET_SUFFIX_RE, s, i))) {
    const n = e[1] === '半' ? 0.5 : num(e[1]);
    let unit = UNIT_MAP.get(e[2]) as Unit;
    const past = e[4] === '前';
    // An Arabic "5日前" in business writing is "before the 5th", not "five days ago".
    if (!(past && unit === 'day' && e[2] === '日' && /^\d/.test(e[1])) && Number.isFinite(n) && n > 0 && n < 1000) {
      let k = n;
      if (n === 0.5) {
        if (unit === 'hour') { unit = 'minute'; k = 30; } else if (unit === 'month') { unit = 'day'; k = 15; } else if (unit === 'year') { unit = 'month'; k = 6; } else return null;
      }
      if (!Number.isInteger(k)) return null;
      return { span: { start: truncate(ctx, unit, past ? -k : k), end: null }, end: i + e[0].length };
    }
  }
  if ((e = exec(OFFSET_PREFIX_RE, s, i))) {
    const n = num(e[2]);
    const unit = UNIT_MAP.get(e[3]) as Unit;
    // 上三年级 is "attends third grade" (年级), not the last three years.
    if (Number.isInteger(n) && n > 0 && n < 1000 && s[i + e[0].length] !== '级') {
      const past = e[1] === '上' || e[1] === '前' || e[1] === '过去' || e[1] === '最近';
      const span = past
        ? { start: truncate(ctx, unit, -n), end: truncate(ctx, unit, -1) }
        : { start: truncate(ctx, unit, 1), end: truncate(ctx, unit, n) };
      return { span, end: i + e[0].length };
    }
  }
  if ((e = exec(REL_DAY_RE, s, i))) {
    const [off, pod] = REL_DAYS[e[0]];
    return { day: ctx.day + off, pod: pod ?? undefined, end: i + e[0].length };
  }
  if ((e = exec(HOLIDAY_RE, s, i))) {
    const h = HOLIDAYS.find((x) => x[0] === e![0])!;
    return { day: nextMonthDay(ctx, h[1], h[2]), holiday: true, end: i + e[0].length };
  }
  if ((e = exec(WEEK_RE, s, i)) && s[i - 1] !== '每' && s[i - 1] !== '一') {
    const mod = e[1] === undefined ? undefined : WEEK_MOD[e[1]];
    const wdChar = e[3];
    if (wdChar !== undefined) {
      const wd = WEEKDAY_CHAR[wdChar];
      const end = i + e[0].length;
      if (mod === undefined) return { bareWeekday: wd, end };
      return { day: weekMonday(ctx.day) + 7 * mod + (wd - 1), end };
    }
    if (mod !== undefined) return { span: { start: truncate(ctx, 'week', mod), end: null }, end: i + e[0].length };
  }
  if ((e = exec(MONTH_REL_RE, s, i))) {
    const ym = addMonths(c.y, c.m, MONTH_MOD[e[1]]);
    const after = afterMonth(s, i + e[0].length, ym.y, ym.m);
    if (after.day !== undefined) return { day: after.day, end: after.end };
    if (after.span) return { span: after.span, end: after.end };
    return { span: { start: { day: dayNumber(ym.y, ym.m, 1), h: 0, mi: 0, grain: 'month' }, end: null }, ym, end: after.end };
  }
  let year: number | undefined;
  let j = i;
  if ((e = exec(YEAR_REL_RE, s, i))) {
    year = c.y + YEAR_REL[e[1]];
    j = i + e[0].length;
  } else if ((e = exec(YEAR_ABS_RE, s, i)) && !isDigit(s[i - 1])) {
    year = num(e[1]);
    j = i + e[0].length;
  }
  if ((e = exec(MONTH_DAY_RE, s, j)) && !isDigit(s[j - 1]) && s[j + e[0].length] !== '个') {
    const m = num(e[1]);
    const d = e[3] === undefined ? NaN : num(e[3]);
    if (m >= 1 && m <= 12) {
      const end = j + e[0].length;
      if (!Number.isNaN(d)) {
        if (!validMonthDay(m, d) || d > daysInMonth(year ?? 2000, m)) return null;
        const day = year !== undefined ? dayNumber(year, m, d) : nextMonthDay(ctx, m, d);
        return { day, end, ym: { y: fromDayNumber(day).y, m } };
      }
      const y = year ?? (m < c.m ? c.y + 1 : c.y);
      const after = afterMonth(s, end, y, m);
      if (after.day !== undefined) return { day: after.day, end: after.end };
      if (after.span) return { span: after.span, end: after.end };
      return { span: { start: { day: dayNumber(y, m, 1), h: 0, mi: 0, grain: 'month' }, end: null }, ym: { y, m }, end };
    }
  }
  if (year !== undefined) {
    const edge = exec(EDGE_RE, s, j);
    if (edge && edge[1][0] === '年') {
      const day = edge[1] === '年初' ? dayNumber(year, 1, 1) : dayNumber(year, 12, 31);
      return { day, end: j + edge[0].length };
    }
    if (s[j] === '底' || s[j] === '末') return { day: dayNumber(year, 12, 31), end: j + 1 };
    return { span: { start: { day: dayNumber(year, 1, 1), h: 0, mi: 0, grain: 'year' }, end: null }, end: j };
  }
  if ((e = exec(XUN_RE, s, i)) && s[i - 1] !== '月') return { span: xunSpan(c.y, c.m, e[1]), end: i + e[0].length };
  if ((e = exec(EDGE_RE, s, i))) {
    const w = e[1];
    const day = w === '月初' ? dayNumber(c.y, c.m, 1)
      : w === '月中' ? dayNumber(c.y, c.m, 15)
        : w === '年初' ? dayNumber(c.y, 1, 1)
          : w[0] === '年' ? dayNumber(c.y, 12, 31) : dayNumber(c.y, c.m, daysInMonth(c.y, c.m));
    return { day, end: i + e[0].length };
  }
  if (isDigit(ch) && !isDigit(s[i - 1]) && s[i - 1] !== '.' && s[i - 1] !== '/') {
    if ((e = exec(ISO_DATE_RE, s, i)) && !isDigit(s[i + e[0].length])) {
      const y = num(e[1]); const m = num(e[3]); const d = num(e[4]);
      if (validMonthDay(m, d) && d <= daysInMonth(y, m)) return { day: dayNumber(y, m, d), end: i + e[0].length };
    }
    if ((e = exec(US_DATE_RE, s, i)) && !isDigit(s[i + e[0].length]) && s[i + e[0].length] !== '/') {
      const m = num(e[1]); const d = num(e[2]);
      if (validMonthDay(m, d)) {
        if (e[3] !== undefined) {
          const y = e[3].length === 2 ? twoDigitYear(ctx, num(e[3])) : num(e[3]);
          if (d <= daysInMonth(y, m)) return { day: dayNumber(y, m, d), end: i + e[0].length };
        } else if (d <= daysInMonth(2000, m)) {
          return { day: nextMonthDay(ctx, m, d), end: i + e[0].length };
        }
      }
    }
  }
  // 15-20号: the first half of a day range takes its 号 from the second.
  if ((e = exec(SHARED_DAY_RE, s, i)) && !isDigit(s[i - 1]) && s[i - 1] !== '第' && !notDayAfter(s, i + e[0].length)
    && !STREET_BEFORE_DAY.test(s.slice(Math.max(0, i - 2), i))) {
    const day = nextDayOfMonth(c, num(e[1]));
    if (day !== null) return { day, end: i + e[1].length };
  }
  // N号 alone is a day of the month; N日 only as a deadline (5日前), else it is too ambiguous.
  if ((e = exec(DAY_ONLY_RE, s, i)) && (e[2] === '号' || /^(前|之前|以前)/.test(s.slice(i + e[0].length, i + e[0].length + 2)))
    && !isDigit(s[i - 1]) && !notDayAfter(s, i + e[0].length) && !STREET_BEFORE_DAY.test(s.slice(Math.max(0, i - 2), i))) {
    const day = nextDayOfMonth(c, num(e[1]));
    if (day !== null) return { day, end: i + e[0].length };
  }
  return null;
}

function parseClock(s: string, i: number, hasContext: boolean): Clock | null {
  let e: RegExpExecArray | null;
  if (isDigit(s[i]) && !isDigit(s[i - 1])) {
    if ((e = exec(CLOCK_COLON_RE, s, i)) && !isDigit(s[i + e[0].length])) {
      const h = num(e[1]); const mi = num(e[2]);
      if (h <= 24 && mi < 60) return { h, mi, minute: true, ampm: ampmOf(e[3]), end: i + e[0].length };
    }
    if ((e = exec(CLOCK_AMPM_RE, s, i))) {
      const h = num(e[1]);
      if (h >= 1 && h <= 12) return { h, mi: 0, minute: false, ampm: ampmOf(e[2]), end: i + e[0].length };
    }
  }
  if (!(e = exec(CLOCK_CN_RE, s, i)) || isDigit(s[i - 1])) return null;
  const h = num(e[1]);
  if (!(h >= 0 && h <= 24)) return null;
  let mi = 0;
  let minute = true;
  if (e[3]) mi = 30;
  else if (e[4]) mi = e[4] === '一刻' ? 15 : 45;
  else if (e[5]) mi = num(e[5]);
  else if (e[6]) mi = e[6] === '半' ? 30 : num(e[6]) * 5;
  else if (e[7]) mi = num(e[7]) * 5;
  else if (e[8]) {
    const v = num(e[8]);
    // Cantonese 三點三 counts 5-minute marks; a two-digit or 分 reading is plain minutes.
    mi = e[9] || v >= 10 || /^\d/.test(e[8]) ? v : v * 5;
  } else minute = false;
  if (!(mi >= 0 && mi < 60)) return null;
  const end = i + e[0].length;
  if (!hasContext && !minute && e[2] === '点') {
    // 一点/两点 alone are mostly "a little"/"two points"; need a time cue to be a clock.
    const prev = s[i - 1];
    if (e[1] === '一' || e[1] === '几') return null;
    if (prev !== undefined && '有这那第几每差快多少好'.includes(prev)) return null;
    const next = s[end];
    if (next !== undefined && '儿子击评赞头菜名数心滴亮开建意'.includes(next)) return null;
  }
  return { h, mi, minute, end };
}

function ampmOf(s: string | undefined): 'am' | 'pm' | undefined {
  if (!s) return undefined;
  return s[0] === 'a' ? 'am' : 'pm';
}

/** 24-hour hour for a clock reading given its part of day; null when impossible. */
function hour24(clock: Clock, pod: Pod | undefined, hasDay: boolean): number {
  let h = clock.h;
  const ampm = clock.ampm ?? (pod === 'am' || pod === 'dawn' ? 'am' : pod === 'pm' ? 'pm' : undefined);
  if (ampm === 'pm' && h < 12) return h + 12;
  if (ampm === 'am' && h === 12) return 0;
  if (pod === 'noon' && h >= 1 && h <= 3) return h + 12;
  if (pod === 'night' && h === 12) return 24;
  if (!ampm && pod === undefined && hasDay && h >= 1 && h <= 6) h += 12; // business hours: 明天3点 is 15:00
  return h;
}

/** Day `d` of this month if not past, else of the next month that has it (31号 in April is May 31). */
function nextDayOfMonth(c: Civil, d: number): number | null {
  if (!(d >= 1 && d <= 31)) return null;
  let ym = { y: c.y, m: c.m };
  if (d < c.d) ym = addMonths(c.y, c.m, 1);
  if (d > daysInMonth(ym.y, ym.m)) ym = addMonths(ym.y, ym.m, 1);
  return dayNumber(ym.y, ym.m, d);
}

const DAY_GRAINS = new Set<DateGrain>(['day', 'hour', 'minute']);

function skipJoiners(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '的' || s[i] === ',' || s[i] === '、') i++;
  return i;
}

interface Expr {
  start: Point; end: Point | null; holiday: boolean; from: number; to: number;
  /** A bare weekday (周三, no week word): an alternative to it is bare too. */
  bare?: boolean;
  /** The expression named its day (a date part, not only a part of day or a clock time). */
  dayStated?: boolean;
}

/** `contextDay`: the day an earlier date of the message named; a part of day or clock time
 * without a day of its own belongs to it (下周二送过去，上午还是下午方便 is Tuesday). */
function parseExpr(s: string, i: number, ctx: RefContext, base?: Expr, isAlt = false, contextDay?: number): Expr | null {
  let part = parseDayPart(s, i, ctx);
  if (part && part.bareWeekday !== undefined) {
    // 周日, 二月十号: the explicit date decides; the weekday picks the year.
    const k = skipJoiners(s, part.end);
    const md = exec(MONTH_DAY_RE, s, k);
    if (md && md[3] !== undefined) {
      const m = num(md[1]); const d = num(md[3]);
      if (validMonthDay(m, d)) {
        const cands = [0, -1, 1].map((dy) => dayNumber(ctx.civil.y + dy, m, d)).filter((x) => isoWeekday(x) === part!.bareWeekday);
        if (cands.length) part = { day: cands[0], end: k + md[0].length };
      }
    }
  }
  if (part && (part.day !== undefined || part.bareWeekday !== undefined) && s[part.end] === '(') {
    // 下周三(3月18日)上午10点: a date restated in brackets is the same day, and the time
    // after the brackets belongs to it; the explicit date decides.
    // 3月15号(周日)下午2点: a weekday restating an explicit date is skipped the same way.
    const inner = parseDayPart(s, part.end + 1, ctx);
    if (inner?.day !== undefined && s[inner.end] === ')') part = { day: inner.day, end: inner.end + 1 };
    else if (part.day !== undefined && inner?.bareWeekday !== undefined && s[inner.end] === ')') part = { day: part.day, end: inner.end + 1 };
    else if (!inner) {
      // 本周四(12日)下午: a bare day of the month restating the date, N日 as well as N号.
      const dm = exec(DAY_ONLY_RE, s, part.end + 1);
      const close = dm ? part.end + 1 + dm[0].length : -1;
      if (dm && s[close] === ')') {
        // After a stated day the bracket names a day of its month; after a bare weekday, the next such day.
        const n = num(dm[1]);
        const near = part.day !== undefined ? fromDayNumber(part.day) : null;
        const day = near ? (n >= 1 && n <= daysInMonth(near.y, near.m) ? dayNumber(near.y, near.m, n) : null) : nextDayOfMonth(ctx.civil, n);
        if (day !== null) part = { day, end: close + 1 };
      }
    }
  }
  if (!part && base) {
    // Second half of a range may omit what the first half said: 3月15日到20日.
    const e = exec(DAY_ONLY_RE, s, i);
    if (e && !notDayAfter(s, i + e[0].length)) {
      const bd = fromDayNumber(base.start.day);
      const d = num(e[1]);
      if (d >= 1 && d <= daysInMonth(bd.y, bd.m)) {
        let day = dayNumber(bd.y, bd.m, d);
        if (day < base.start.day) { const nm = addMonths(bd.y, bd.m, 1); day = dayNumber(nm.y, nm.m, Math.min(d, daysInMonth(nm.y, nm.m))); }
        part = { day, end: i + e[0].length };
      }
    }
  }
  // 三天后下午3点: an offset of whole days is a day like any other and may take a time.
  if (part?.span && part.span.end === null && part.span.start.grain === 'day' && !base) {
    const k = skipJoiners(s, part.end);
    if (exec(POD_RE, s, k) || parseClock(s, k, true)) part = { day: part.span.start.day, end: part.end };
  }
  let j = part ? part.end : i;
  if (part?.span) {
    return { start: part.span.start, end: part.span.end, holiday: false, from: i, to: j, dayStated: true };
  }
  let pod = part?.pod;
  const podStart = skipJoiners(s, j);
  const pm = part || !base ? exec(POD_RE, s, part ? podStart : i) : exec(POD_RE, s, i);
  // A one-character part of day (早, 晚) alone is too ambiguous, but not before a clock (早8点).
  if (pm && !(pm[0].length === 1 && !part && !base && !parseClock(s, i + 1, true))) {
    pod = POD_MAP.get(pm[0]);
    j = (part ? podStart : i) + pm[0].length;
  }
  const hasDay = part !== null || base !== undefined || contextDay !== undefined;
  const clockStart = part || pod ? skipJoiners(s, j) : j;
  let clock = parseClock(s, clockStart, hasDay || pod !== undefined);
  if (!clock && (part || pod) && !isDigit(s[clockStart - 1])) {
    // 下午2-4点: the first half of a clock range takes its 点 from the second.
    const sc = exec(SHARED_CLOCK_RE, s, clockStart);
    const h = sc ? num(sc[1]) : NaN;
    if (sc && h >= 0 && h <= 24) clock = { h, mi: 0, minute: false, end: clockStart + sc[0].length };
  }
  if (clock) j = clock.end;
  if (!part && !clock && !pod) return null;
  if (!part && !clock && pod && !base) {
    // A lone part of day is a date only when it is not a greeting (早上好, 晚上好).
    if (pm![0].length < 2 || s[j] === '好') return null;
  }
  let day: number;
  if (part?.day !== undefined) day = part.day;
  else if (part?.bareWeekday !== undefined) {
    // The second half of a range counts from the first (下周一到周三 ends on 下周三).
    // An alternative to a bare weekday is itself bare (周一、周三、周五 are each the next one).
    const from = base && !(isAlt && base.bare) ? base.start.day : ctx.day;
    day = from + ((part.bareWeekday - isoWeekday(from) + 7) % 7);
  } else if (base) day = base.start.day;
  else day = contextDay ?? ctx.day;
  if (!clock) {
    if (part?.bareWeekday !== undefined || part?.day !== undefined || !base) {
      return { start: { day, h: 0, mi: 0, grain: 'day' }, end: null, holiday: !!part?.holiday, from: i, to: j, bare: part?.bareWeekday !== undefined, dayStated: part !== null };
    }
    return null;
  }
  const inheritedPod = pod ?? (base && !part ? basePod(base) : undefined);
  let h = hour24(clock, inheritedPod, hasDay);
  const refMinutes = ctx.civil.h * 60 + ctx.civil.mi;
  if (!hasDay && !base) {
    // No day stated: the next occurrence, trying the afternoon reading of 1–11 first.
    const ambiguous = clock.ampm === undefined && inheritedPod === undefined && clock.h >= 1 && clock.h <= 11;
    const cands = ambiguous ? [clock.h, clock.h + 12] : [h];
    const later = cands.find((x) => x * 60 + clock.mi >= refMinutes);
    if (later !== undefined) h = later;
    else { h = hour24(clock, inheritedPod, true); day += 1; } // tomorrow, business-hours reading
  } else if (part?.bareWeekday !== undefined && day === ctx.day && h * 60 + clock.mi < refMinutes) {
    day += 7;
  }
  if (h === 24) { h = 0; day += 1; }
  const grain: DateGrain = clock.minute ? 'minute' : 'hour';
  return { start: { day, h, mi: clock.mi, grain }, end: null, holiday: !!part?.holiday, from: i, to: j, bare: part?.bareWeekday !== undefined, dayStated: part !== null };
}

function basePod(base: Expr): Pod | undefined {
  return base.start.h >= 12 ? 'pm' : undefined;
}

function toCivil(p: Point): Civil {
  const d = fromDayNumber(p.day);
  return { y: d.y, m: d.m, d: d.d, h: p.h, mi: p.mi, s: 0 };
}

/** Every date in `norm` (normalized text); `orig` supplies the `text` slices. */
export function parseDates(norm: string, orig: string, ctx: RefContext): ResolvedDate[] {
  const out: ResolvedDate[] = [];
  const seen = new Set<string>();
  let i = 0;
  /** The date before 或/还是/、: an alternative that omits its week, month, day or part
   * of day takes them from it (下周三或周四, 3月15日或20日, 下午2点或3点). */
  let alt: Expr | undefined;
  /** The last day the message named, if not in the past: later bare times belong to it. */
  let contextDay: number | undefined;
  while (i < norm.length) {
    // A recurring time (每周二下午, 每天上午9点, 每月15号) is no date, nor is the time that follows it.
    const every = norm[i] === '每' ? exec(RECURRING_RE, norm, i) : null;
    if (every) {
      i += every[0].length;
      const rest = parseExpr(norm, i, ctx);
      if (rest) i = rest.to;
      alt = undefined;
      continue;
    }
    if (!START_CHARS.has(norm[i])) { i++; alt = undefined; continue; }
    const a = (alt && parseExpr(norm, i, ctx, alt, true)) || parseExpr(norm, i, ctx, undefined, false, contextDay);
    alt = undefined;
    if (!a) { i++; continue; }
    let expr = a;
    let endPoint: Point | null = a.end;
    const r = exec(RANGE_RE, norm, a.to);
    if (r && a.end === null) {
      const b = parseExpr(norm, a.to + r[0].length, ctx, a);
      if (b && b.end === null && (b.start.day > a.start.day || (b.start.day === a.start.day && (b.start.h * 60 + b.start.mi) > (a.start.h * 60 + a.start.mi)))) {
        endPoint = b.start;
        expr = { ...a, to: b.to };
      }
    }
    const startCivil = toCivil(expr.start);
    const start = formatCivil(ctx.zone, startCivil);
    const end = endPoint ? formatCivil(ctx.zone, toCivil(endPoint)) : null;
    const key = `${start}|${end}|${expr.start.grain}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({
        text: orig.slice(expr.from, expr.to), start, end, grain: expr.start.grain,
        startMs: instantOf(ctx.zone, startCivil), holiday: expr.holiday, index: expr.from,
      });
    }
    // Only a single day counts as context (a range within it too; not a range of days, a week, a
    // month, or a day in the past).
    if (expr.dayStated) {
      const oneDay = (endPoint === null || endPoint.day === expr.start.day) && DAY_GRAINS.has(expr.start.grain);
      contextDay = oneDay && expr.start.day >= ctx.day ? expr.start.day : undefined;
    }
    i = expr.to;
    const dl = exec(DEADLINE_RE, norm, i);
    if (dl) i += dl[0].length;
    const or = exec(ALT_RE, norm, i);
    // An alternative may follow a range too (下周三下午3点到5点，或者周四上午).
    if (or) { alt = { ...expr, end: null }; i += or[0].length; }
  }
  return out;
}
