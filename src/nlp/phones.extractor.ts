/* Phone numbers: mainland mobiles, landlines with area code, 400/800 numbers.
 * Digits may be grouped with spaces or dashes. A digit run that is part of a longer
 * number (order numbers, SN codes) or carries a money/date unit is not a phone. */

// Separators inside a phone, up to a dash with a space either side (0571 - 8765 4321); a longer
// run of digits is treated as one opaque number.
const GROUP_RE = /\+?\d+(?:(?:[ \-.]{1,2}| - )\d+)*/g;
const SEP_RE = / - |[ \-.]{1,2}/;

/** Characters right after a number that make it an amount, a date or a quantity. */
const UNIT_AFTER = new Set('元块万千百亿年月日号点时分秒个台件套%米kgw'.split(''));
/** Words before a number that make it an identifier. */
const ID_BEFORE = /(订单号?|单号|编号|序列号|sn码?|型号|批号|工号|账号|卡号|快递|运单|发票号?)[:: ]*$/;

function classify(digits: string): string | null {
  let d = digits;
  if (d.startsWith('+')) d = d.slice(1);
  if (d.length === 13 && d.startsWith('86') && /^1[3-9]/.test(d.slice(2))) d = d.slice(2);
  if (d.length === 14 && d.startsWith('0086') && /^1[3-9]/.test(d.slice(4))) d = d.slice(4);
  if (d.length === 11 && /^1[3-9]\d{9}$/.test(d)) return d;
  // +86 21 6457 8888, +86 10 8888 6666: a landline in international form drops the area code's 0.
  if (/^(\+86|0086)(?:10\d{8}|[2-9]\d{8,10})$/.test(digits)) return classify(`0${digits.replace(/^(\+86|0086)/, '')}`);
  if (d.length === 10 && /^[48]00\d{7}$/.test(d)) return d;
  if (/^0[1-9]\d{8,10}$/.test(d)) {
    // Beijing, Tianjin, Shanghai, Chongqing and the 02X cities have 3-digit area codes.
    const area = /^0(10|2\d)/.test(d) ? 3 : 4;
    const local = d.slice(area);
    if (local.length === 7 || local.length === 8) return `${d.slice(0, area)}-${local}`;
  }
  return null;
}

export function extractPhones(norm: string): Array<{ phone: string; index: number }> {
  const out: Array<{ phone: string; index: number }> = [];
  const seen = new Set<string>();
  // (021) 6437-1111: an area code in brackets is a group like any other (same length).
  const text = norm.includes('(') ? norm.replace(/\((0[1-9]\d{1,2})\)/g, ' $1 ') : norm;
  GROUP_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = GROUP_RE.exec(text))) {
    const start = m.index;
    const prev = text[start - 1];
    if (prev !== undefined && /[a-z0-9_]/.test(prev)) continue;
    // ABC-13912345678, JX_1380013800: digits hyphenated to letters belong to that code.
    if ((prev === '-' || prev === '_') && /[a-z]/.test(text[start - 2] ?? '')) continue;
    // 3/20 is a date, but 13812345678/13912345678 lists two phones; the groups after a
    // date's day (3/15 13512345678) are read on their own.
    const afterDate = prev === '/' && !/\d{7}\/$/.test(text.slice(Math.max(0, start - 8), start));
    if (ID_BEFORE.test(text.slice(Math.max(0, start - 12), start))) continue;
    const parts = m[0].split(SEP_RE);
    const offsets: number[] = [];
    let pos = start;
    for (const p of parts) {
      const at = text.indexOf(p, pos);
      offsets.push(at);
      pos = at + p.length;
    }
    // Try consecutive groups: "138 0013 8000" joins, "2026 13800138000" does not.
    for (let a = afterDate ? 1 : 0; a < parts.length; a++) {
      let digits = '';
      for (let b = a; b < parts.length && digits.length < 15; b++) {
        digits += parts[b];
        const phone = classify(digits);
        if (!phone) continue;
        const endPos = offsets[b] + parts[b].length;
        const next = text[endPos];
        if (b === parts.length - 1 && next !== undefined && UNIT_AFTER.has(next)) continue;
        if (b < parts.length - 1 && digits.length < 10) continue;
        if (!seen.has(phone)) {
          seen.add(phone);
          out.push({ phone, index: offsets[a] });
        }
        a = b;
        break;
      }
    }
  }
  return out;
}
