/* Chinese and Arabic numerals as people type them in chat: 十五, 二十, 廿, 两百万,
 * 三万四千五百, 二零一五 (digit by digit), 1.5, 12,800. */

const DIGIT: Record<string, number> = {
  '零': 0, '〇': 0, '○': 0, 'o': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
  '六': 6, '七': 7, '八': 8, '九': 9,
};
const SMALL_UNIT: Record<string, number> = { '十': 10, '百': 100, '千': 1000 };
const BIG_UNIT: Record<string, number> = { '万': 1e4, '亿': 1e8 };

/** Character class source for a Chinese numeral run (no Arabic digits). */
export const CN_NUM_CHARS = '零〇一二两三四五六七八九十廿卅百千万亿';

/** Parse a Chinese numeral string; returns NaN when it is not one. */
export function parseCnNumber(s: string): number {
  if (s.length === 0) return NaN;
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(s)) return Number(s);
  // 廿 and 卅 are 20 and 30 wherever they appear (廿五 = 25).
  if (s[0] === '廿' || s[0] === '卅') {
    const base = s[0] === '廿' ? 20 : 30;
    if (s.length === 1) return base;
    const rest = DIGIT[s.slice(1)];
    return rest === undefined ? NaN : base + rest;
  }
  // Digit-by-digit reading (二零一五) has no unit characters at all.
  let hasUnit = false;
  for (const ch of s) {
    if (SMALL_UNIT[ch] !== undefined || BIG_UNIT[ch] !== undefined) { hasUnit = true; break; }
  }
  if (!hasUnit) {
    let v = 0;
    for (const ch of s) {
      const d = DIGIT[ch];
      if (d === undefined) return NaN;
      v = v * 10 + d;
    }
    return v;
  }
  let total = 0;
  let section = 0;
  let digit = -1;
  let lastUnit = 0;
  let zeroSeen = false; // 一千零一: after 零 a digit is a plain unit digit
  for (const ch of s) {
    const d = DIGIT[ch];
    if (d !== undefined) {
      if (d === 0) zeroSeen = true;
      else digit = d;
      continue;
    }
    const su = SMALL_UNIT[ch];
    if (su !== undefined) {
      section += (digit < 0 ? 1 : digit) * su; // 十五: a bare 十 means one ten
      digit = -1;
      lastUnit = su;
      zeroSeen = false;
      continue;
    }
    const bu = BIG_UNIT[ch];
    if (bu !== undefined) {
      if (digit >= 0) section += digit;
      if (section === 0) section = 1;
      total = (total + section) * bu;
      section = 0;
      digit = -1;
      lastUnit = bu;
      zeroSeen = false;
      continue;
    }
    return NaN;
  }
  if (digit >= 0) {
    // 萬九 / 一万五 / 三百五: a trailing digit after a unit is one order below it.
    section += zeroSeen || lastUnit === 0 ? digit : lastUnit >= 100 && section % lastUnit === 0 && total === 0
      ? digit * (lastUnit / 10)
      : lastUnit >= 1e4 && section === 0
        ? digit * (lastUnit / 10)
        : digit;
  }
  return total + section;
}

/** Arabic or Chinese numeral; Arabic may carry thousands separators and decimals. */
export function parseNumber(s: string): number {
  const t = s.replace(/,/g, '');
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(t)) return Number(t);
  return parseCnNumber(t);
}
