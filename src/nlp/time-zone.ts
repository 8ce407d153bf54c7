/* Wall-clock arithmetic in an IANA zone with Intl only. Calendar maths is done on
 * "civil" values (a UTC timestamp standing for a wall-clock reading) and converted to
 * a real instant once, at the end, so DST gaps cannot shift day arithmetic. */

export interface Civil {
  y: number; m: number; d: number; h: number; mi: number; s: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for an unknown zone: callers validate once up front.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Intl's reading of instant `ms` in `zone` (slow: a quarter of extraction time before caching). */
function intlCivil(zone: string, ms: number): Civil {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const v: Record<string, number> = {};
  for (const p of parts) if (p.type !== 'literal') v[p.type] = Number(p.value);
  return { y: v.year, m: v.month, d: v.day, h: v.hour === 24 ? 0 : v.hour, mi: v.minute, s: v.second };
}

/* Offsets change only at transitions, which fall on quarter hours of UTC in every zone in use, so
 * the offset is cached per zone and UTC quarter hour (bounded; cleared when full). */
const QUARTER = 900000;
/** Per zone: UTC quarter hour → offset in minutes. */
const offsets = new Map<string, Map<number, number>>();
const MAX_OFFSETS = 50000;

/** Offset of `zone` from UTC at instant `ms`, in minutes. */
export function offsetMinutes(zone: string, ms: number): number {
  let byQuarter = offsets.get(zone);
  if (!byQuarter) {
    if (offsets.size >= 64) offsets.clear();
    offsets.set(zone, (byQuarter = new Map()));
  }
  const quarter = Math.floor(ms / QUARTER);
  let off = byQuarter.get(quarter);
  if (off === undefined) {
    const c = intlCivil(zone, ms);
    const asUtc = Date.UTC(c.y, c.m - 1, c.d, c.h, c.mi, c.s);
    off = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
    if (byQuarter.size >= MAX_OFFSETS) byQuarter.clear();
    byQuarter.set(quarter, off);
  }
  return off;
}

/** Wall-clock reading of instant `ms` in `zone`. */
export function civilAt(zone: string, ms: number): Civil {
  const t = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes(zone, ms) * 60000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() };
}

/** Instant for a wall-clock reading; in a DST gap the later offset wins. */
export function instantOf(zone: string, c: Civil): number {
  const asUtc = Date.UTC(c.y, c.m - 1, c.d, c.h, c.mi, c.s);
  let off = offsetMinutes(zone, asUtc);
  let ms = asUtc - off * 60000;
  const off2 = offsetMinutes(zone, ms);
  if (off2 !== off) {
    off = off2;
    ms = asUtc - off * 60000;
  }
  return ms;
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** ISO 8601 with the zone's offset at that moment: 2026-03-19T10:00:00+08:00. */
export function formatCivil(zone: string, c: Civil): string {
  const ms = instantOf(zone, c);
  const off = offsetMinutes(zone, ms);
  const real = civilAt(zone, ms);
  const sign = off < 0 ? '-' : '+';
  return `${pad(real.y, 4)}-${pad(real.m)}-${pad(real.d)}T${pad(real.h)}:${pad(real.mi)}:${pad(real.s)}` +
    `${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

// ---- civil day arithmetic (days since 1970-01-01 of the proleptic Gregorian calendar)

export function dayNumber(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / 86400000);
}

export function fromDayNumber(n: number): { y: number; m: number; d: number } {
  const dt = new Date(n * 86400000);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(dayNum: number): number {
  const w = new Date(dayNum * 86400000).getUTCDay();
  return w === 0 ? 7 : w;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function addMonths(y: number, m: number, delta: number): { y: number; m: number } {
  const idx = y * 12 + (m - 1) + delta;
  return { y: Math.floor(idx / 12), m: (idx % 12 + 12) % 12 + 1 };
}
