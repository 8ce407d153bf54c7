/* Chinese time grammar: [date part] [part of day] [clock], optional range, resolved
 * against the reference moment in the tenant's zone. Conventions: docs/extraction-conventions.md. */
import type {
  DateGrain,
} from './types.js';
import {
  addMonths, dayNumber, daysInMonth, formatCivil, fromDayNumber, instantOf, isoWeekday,
} from './time-zone.js';
import {
  DAY_ONLY_RE, DEADLINE_RE, MONTH_DAY_RE, notDayAfter, ALT_RE, SHARED_CLOCK_RE, POD_MAP, POD_RE, type Pod, RANGE_RE,
} from './dates.lexicon.js';
import {
  type Point, type RefContext, type ResolvedDate, START_CHARS, exec, nextDayOfMonth, toCivil, RECURRING_RE, isDigit,
  num, validMonthDay,
} from './dates.calendar.js';
import {
  hour24, parseClock, parseDayPart,
} from './dates.dayparts.js';

export { makeRefContext, type RefContext, type ResolvedDate } from './dates.calendar.js';

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
