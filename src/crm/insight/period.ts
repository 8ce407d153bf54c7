// Local calendar days in a tenant's time zone. A period is a range of local dates, inclusive; it is read
// as the instants from the first day's local midnight to the local midnight after the last day.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const isDay = (s: string): boolean => DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

function parts(at: Date, timeZone: string) {
  const p = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  const p = parts(new Date(at), timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(at / 1000) * 1000;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDay(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The instant a local wall-clock time occurs (the later reading is taken in a fall-back hour). */
export function localTime(day: string, timeZone: string, hour = 0, minute = 0): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  let t = wall - offsetMs(wall, timeZone);
  t = wall - offsetMs(t, timeZone);
  return new Date(t);
}

export const localMidnight = (day: string, timeZone: string): Date => localTime(day, timeZone);

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** 1 = Monday .. 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export const mondayOf = (day: string): string => addDays(day, 1 - isoWeekday(day));

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface Period {
  from: string;
  to: string;
  timeZone: string;
  start: Date;
  /** Exclusive. */
  end: Date;
}

export function period(from: string, to: string, timeZone: string): Period {
  return { from, to, timeZone, start: localMidnight(from, timeZone), end: localMidnight(addDays(to, 1), timeZone) };
}

/** The next instant at or after `now` that is hour:minute local time (on the given ISO weekday, when one is given). */
export function nextLocal(now: Date, timeZone: string, hour: number, minute: number, weekday?: number): Date {
  let day = localDay(now, timeZone);
  for (let i = 0; i < 9; i++) {
    const at = localTime(day, timeZone, hour, minute);
    if (at.getTime() >= now.getTime() && (weekday === undefined || isoWeekday(day) === weekday)) return at;
    day = addDays(day, 1);
  }
  throw new Error('unreachable: a week has seven days');
}
