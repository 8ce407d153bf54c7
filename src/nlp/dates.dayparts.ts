/* The date part ([day] [part of day]) and the clock time of an expression. */

import {
  addMonths, dayNumber, daysInMonth, fromDayNumber,
} from './time-zone.js';
import {
  CLOCK_AMPM_RE, CLOCK_CN_RE, CLOCK_COLON_RE, DAY_ONLY_RE, EDGES, EDGE_RE, HOLIDAYS, HOLIDAY_RE, ISO_DATE_RE, MONTH_DAY_RE,
  MONTH_MOD, MONTH_REL_RE, notDayAfter, OFFSET_PREFIX_RE, STREET_BEFORE_DAY, OFFSET_SUFFIX_RE, SHARED_DAY_RE,
  type Pod, REL_DAYS, REL_DAY_RE, UNIT_MAP, type Unit, US_DATE_RE, WEEKDAY_CHAR, WEEK_MOD, WEEK_RE, XUN_RE,
  YEAR_ABS_RE, YEAR_REL, YEAR_REL_RE,
  NOT_CLOCK_AFTER, NOT_CLOCK_BEFORE, YEAR_END_CHARS,
} from './dates.lexicon.js';
import {
  type Clock, type DayPart, type RefContext, afterMonth, exec, isDigit, nextDayOfMonth, nextMonthDay, num, truncate,
  twoDigitYear, validMonthDay, weekMonday, xunSpan,
} from './dates.calendar.js';

export function parseDayPart(s: string, i: number, ctx: RefContext): DayPart | null {
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
    if (edge && EDGES[edge[1]].of === 'year') return { day: edgeDay(edge[1], year, 1), end: j + edge[0].length };
    if (YEAR_END_CHARS.has(s[j])) return { day: dayNumber(year, 12, 31), end: j + 1 };
    return { span: { start: { day: dayNumber(year, 1, 1), h: 0, mi: 0, grain: 'year' }, end: null }, end: j };
  }
  if ((e = exec(XUN_RE, s, i)) && s[i - 1] !== '月') return { span: xunSpan(c.y, c.m, e[1]), end: i + e[0].length };
  if ((e = exec(EDGE_RE, s, i))) return { day: edgeDay(e[1], c.y, c.m), end: i + e[0].length };
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

export function parseClock(s: string, i: number, hasContext: boolean): Clock | null {
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
    if (prev !== undefined && NOT_CLOCK_BEFORE.has(prev)) return null;
    const next = s[end];
    if (next !== undefined && NOT_CLOCK_AFTER.has(next)) return null;
  }
  return { h, mi, minute, end };
}

export function ampmOf(s: string | undefined): 'am' | 'pm' | undefined {
  if (!s) return undefined;
  return s[0] === 'a' ? 'am' : 'pm';
}

/** 24-hour hour for a clock reading given its part of day; null when impossible. */
export function hour24(clock: Clock, pod: Pod | undefined, hasDay: boolean): number {
  let h = clock.h;
  const ampm = clock.ampm ?? (pod === 'am' || pod === 'dawn' ? 'am' : pod === 'pm' ? 'pm' : undefined);
  if (ampm === 'pm' && h < 12) return h + 12;
  if (ampm === 'am' && h === 12) return 0;
  if (pod === 'noon' && h >= 1 && h <= 3) return h + 12;
  if (pod === 'night' && h === 12) return 24;
  if (!ampm && pod === undefined && hasDay && h >= 1 && h <= 6) h += 12; // business hours: 明天3点 is 15:00
  return h;
}

/** The day an edge of month `m` or of year `y` names (EDGES). */
function edgeDay(w: string, y: number, m: number): number {
  const e = EDGES[w];
  if (e.of === 'year') return e.day === 'first' ? dayNumber(y, 1, 1) : dayNumber(y, 12, 31);
  return dayNumber(y, m, e.day === 'first' ? 1 : e.day === 'mid' ? 15 : daysInMonth(y, m));
}
