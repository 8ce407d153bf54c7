/* Chinese time grammar: [date part] [part of day] [clock], optional range, resolved
 * against the reference moment in the tenant's zone. Conventions: docs/extraction-conventions.md. */
import type {
  DateGrain,
} from './types.js';
import {
  addMonths, dayNumber, daysInMonth, formatCivil, fromDayNumber, instantOf, isoWeekday,
} from './time-zone.js';
import {
  DAY_ONLY_RE, DEADLINE_RE, MONTH_DAY_RE, notADate, notDayAfter, ALT_RE, SHARED_CLOCK_RE, POD_MAP, POD_RE, type Pod, RANGE_RE,
} from './dates.lexicon.js';
import {
  type DayPart, type Point, type RefContext, type ResolvedDate, START_CHARS, exec, nextDayOfMonth, toCivil, RECURRING_RE, isDigit,
  num, validMonthDay,
} from './dates.calendar.js';
import {
  hour24, parseClock, parseDayPart,
} from './dates.dayparts.js';

export { makeRefContext, type RefContext, type ResolvedDate } from './dates.calendar.js';

const DAY_GRAINS = new Set<DateGrain>(['day', 'hour', 'minute']);
const EVERY = '每'.charCodeAt(0);

/** Characters that may stand between the parts of an expression (下周三 的 下午, 周三, 上午). */
const JOINERS = new Set(Array.from(' 的,、', (c) => c.charCodeAt(0)));

function skipJoiners(s: string, i: number): number {
  while (JOINERS.has(s.charCodeAt(i))) i++;
  return i;
}

interface Expr {
  start: Point; end: Point | null; holiday: boolean; from: number; to: number;
  /** A bare weekday (周三, no week word): an alternative to it is bare too. */
  bare?: boolean;
  /** The expression named its day (a date part, not only a part of day or a clock time). */
  dayStated?: boolean;
}

/** Where a date part was read: s at i, against ctx; `base` is the first half of a range or the
 * date an alternative follows. */
interface PartAt { s: string; i: number; ctx: RefContext; base?: Expr }

/** The day a bracket after a date part restates (下周三(3月18日), 3月15号(周日), 本周四(12日)), first row
 * that reads: the explicit date decides, and the time after the brackets belongs to it. */
const BRACKETED: ReadonlyArray<{ why: string; read: (p: DayPart, inner: DayPart | null, { s, ctx }: PartAt) => DayPart | undefined }> = [
  { why: '下周三(3月18日): a date restated in brackets', read: (p, inner, { s }) =>
    (inner?.day !== undefined && s[inner.end] === ')' ? { day: inner.day, end: inner.end + 1 } : undefined) },
  { why: '3月15号(周日): a weekday restating an explicit date', read: (p, inner, { s }) =>
    (p.day !== undefined && inner?.bareWeekday !== undefined && s[inner.end] === ')' ? { day: p.day, end: inner.end + 1 } : undefined) },
  // After a stated day the bracket names a day of its month; after a bare weekday, the next such day.
  { why: '本周四(12日): a bare day of the month restating the date, N日 as well as N号', read: (p, inner, { s, ctx }) => {
    const dm = inner ? null : exec(DAY_ONLY_RE, s, p.end + 1);
    const close = dm ? p.end + 1 + dm[0].length : -1;
    if (!dm || s[close] !== ')') return undefined;
    const n = num(dm[1]);
    const near = p.day !== undefined ? fromDayNumber(p.day) : null;
    const day = near ? (n >= 1 && n <= daysInMonth(near.y, near.m) ? dayNumber(near.y, near.m, n) : null) : nextDayOfMonth(ctx.civil, n);
    return day === null ? undefined : { day, end: close + 1 };
  } },
];

/** Rewrites of the date part by what stands around it, applied in order (each to the result of the last). */
const PART_RULES: ReadonlyArray<{ why: string; apply: (p: DayPart | null, at: PartAt) => DayPart | null | undefined }> = [
  { why: '周日, 二月十号: the explicit date decides; the weekday picks the year', apply: (p, { s, ctx }) => {
    if (p?.bareWeekday === undefined) return undefined;
    const k = skipJoiners(s, p.end);
    const md = exec(MONTH_DAY_RE, s, k);
    const m = md ? num(md[1]) : NaN;
    const d = md?.[3] === undefined ? NaN : num(md[3]);
    const cands = validMonthDay(m, d) ? [0, -1, 1].map((dy) => dayNumber(ctx.civil.y + dy, m, d)).filter((x) => isoWeekday(x) === p.bareWeekday) : [];
    return cands.length ? { day: cands[0], end: k + md![0].length } : undefined;
  } },
  { why: 'a date restated in brackets (BRACKETED)', apply: (p, at) => {
    if (!p || (p.day === undefined && p.bareWeekday === undefined) || at.s[p.end] !== '(') return undefined;
    const inner = parseDayPart(at.s, p.end + 1, at.ctx);
    for (const row of BRACKETED) {
      const r = row.read(p, inner, at);
      if (r) return r;
    }
    return undefined;
  } },
  { why: '3月15日到20日: the second half of a range may omit what the first half said', apply: (p, { s, i, base }) => {
    const e = p || !base ? null : exec(DAY_ONLY_RE, s, i);
    if (!e || !base || notDayAfter(s, i + e[0].length)) return undefined;
    const bd = fromDayNumber(base.start.day);
    const d = num(e[1]);
    if (!(d >= 1 && d <= daysInMonth(bd.y, bd.m))) return undefined;
    const next = addMonths(bd.y, bd.m, 1);
    const day = dayNumber(bd.y, bd.m, d) >= base.start.day ? dayNumber(bd.y, bd.m, d) : dayNumber(next.y, next.m, Math.min(d, daysInMonth(next.y, next.m)));
    return { day, end: i + e[0].length };
  } },
  { why: '三天后下午3点: an offset of whole days is a day like any other and may take a time', apply: (p, { s, base }) => {
    if (!p?.span || p.span.end !== null || p.span.start.grain !== 'day' || base) return undefined;
    const k = skipJoiners(s, p.end);
    return exec(POD_RE, s, k) || parseClock(s, k, true) ? { day: p.span.start.day, end: p.end } : undefined;
  } },
];

/** The day of an expression that names no whole span: the first row that holds. */
const DAY_OF: ReadonlyArray<{ why: string; test: (p: DayPart | null, base?: Expr) => boolean;
  day: (p: DayPart | null, at: PartAt, isAlt: boolean, contextDay?: number) => number }> = [
  { why: 'the part names its day', test: (p) => p?.day !== undefined, day: (p) => p!.day! },
  // The second half of a range counts from the first (下周一到周三 ends on 下周三); an alternative to a
  // bare weekday is itself bare (周一、周三、周五 are each the next one).
  { why: 'a bare weekday: the next such day', test: (p) => p?.bareWeekday !== undefined, day: (p, { base, ctx }, isAlt) => {
    const from = base && !(isAlt && base.bare) ? base.start.day : ctx.day;
    return from + ((p!.bareWeekday! - isoWeekday(from) + 7) % 7);
  } },
  { why: 'the second half of a range: the first half\'s day', test: (_p, base) => base !== undefined, day: (_p, { base }) => base!.start.day },
  { why: 'no day: the day an earlier date named, else today', test: () => true, day: (_p, { ctx }, _alt, contextDay) => contextDay ?? ctx.day },
];

/** `contextDay`: the day an earlier date of the message named; a part of day or clock time
 * without a day of its own belongs to it (下周二送过去，上午还是下午方便 is Tuesday). */
function parseExpr(s: string, i: number, ctx: RefContext, base?: Expr, isAlt = false, contextDay?: number): Expr | null {
  const at: PartAt = { s, i, ctx, base };
  let part = parseDayPart(s, i, ctx);
  for (const rule of PART_RULES) part = rule.apply(part, at) ?? part;
  let j = part ? part.end : i;
  if (part?.span) return { start: part.span.start, end: part.span.end, holiday: false, from: i, to: j, dayStated: true };
  let pod = part?.pod;
  const podStart = part ? skipJoiners(s, j) : i;
  const pm = exec(POD_RE, s, podStart);
  // A one-character part of day (早, 晚) alone is too ambiguous, but not before a clock (早8点).
  if (pm && !(pm[0].length === 1 && !part && !base && !parseClock(s, i + 1, true))) {
    pod = POD_MAP.get(pm[0]);
    j = podStart + pm[0].length;
  }
  const hasDay = part !== null || base !== undefined || contextDay !== undefined;
  const clockStart = part || pod ? skipJoiners(s, j) : j;
  let clock = parseClock(s, clockStart, hasDay || pod !== undefined);
  // 下午2-4点: the first half of a clock range takes its 点 from the second.
  const sc = !clock && (part || pod) && !isDigit(s[clockStart - 1]) ? exec(SHARED_CLOCK_RE, s, clockStart) : null;
  if (sc && num(sc[1]) >= 0 && num(sc[1]) <= 24) clock = { h: num(sc[1]), mi: 0, minute: false, end: clockStart + sc[0].length };
  if (clock) j = clock.end;
  // A lone part of day is a date only when it is no greeting (早上好) and not one character.
  if (!part && !clock && (!pod || (!base && notADate('lonePod', { s, i: podStart, end: j, e: pm! })))) return null;
  let day = DAY_OF.find((r) => r.test(part, base))!.day(part, at, isAlt, contextDay);
  const dayStated = part !== null;
  const bare = part?.bareWeekday !== undefined;
  if (!clock) {
    return bare || part?.day !== undefined || !base
      ? { start: { day, h: 0, mi: 0, grain: 'day' }, end: null, holiday: !!part?.holiday, from: i, to: j, bare, dayStated } : null;
  }
  const inheritedPod = pod ?? (base && !part ? basePod(base) : undefined);
  let h = hour24(clock, inheritedPod, hasDay);
  const refMinutes = ctx.civil.h * 60 + ctx.civil.mi;
  if (!hasDay && !base) {
    // No day stated: the next occurrence, trying the afternoon reading of 1–11 first.
    const ambiguous = clock.ampm === undefined && inheritedPod === undefined && clock.h >= 1 && clock.h <= 11;
    const later = (ambiguous ? [clock.h, clock.h + 12] : [h]).find((x) => x * 60 + clock.mi >= refMinutes);
    // Else tomorrow, in its business-hours reading.
    [h, day] = later !== undefined ? [later, day] : [hour24(clock, inheritedPod, true), day + 1];
  } else if (bare && day === ctx.day && h * 60 + clock.mi < refMinutes) day += 7;
  if (h === 24) { h = 0; day += 1; }
  const grain: DateGrain = clock.minute ? 'minute' : 'hour';
  return { start: { day, h, mi: clock.mi, grain }, end: null, holiday: !!part?.holiday, from: i, to: j, bare, dayStated };
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
    const every = norm.charCodeAt(i) === EVERY ? exec(RECURRING_RE, norm, i) : null;
    if (every) {
      i += every[0].length;
      const rest = parseExpr(norm, i, ctx);
      if (rest) i = rest.to;
      alt = undefined;
      continue;
    }
    if (!START_CHARS.has(norm.charCodeAt(i))) { i++; alt = undefined; continue; }
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
