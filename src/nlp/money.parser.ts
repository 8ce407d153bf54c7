/* Budget: the one amount in a message that is a budget, a price or an order value.
 * An amount qualifies when it carries a money unit (元, 块, 万, k, ￥, 美元 …) or
 * follows a budget word (预算, 报价, 价格 …); quantities (50台) never do. */
import type { Budget, Currency } from './types.js';
import { CN_NUM_CHARS, parseNumber } from './cn-number.parser.js';

// A Chinese numeral must start with a digit or 十: a lone 万/千/亿 (万一, 千万别, 两个亿) is a word.
const AMOUNT = `(?:\\d+(?:,\\d{3})*(?:\\.\\d+)?|[零〇一二两三四五六七八九十廿卅][${CN_NUM_CHARS}]*)`;
const MULT = '(?:\\s?(个)?(万元|万块|万|w|千|k|百万|亿))?';
/** Colloquial tail after 万/千: 9万8 = 98000, 1万5千 = 15000, 3千5 = 3500. */
const TAIL = '(?:([1-9一二两三四五六七八九])(千)?(?![0-9.]))?';
const CUR_PRE = '(¥|￥|\\$|€|rmb|cny|usd|eur|人民币|美元|美金)?\\s?';
const CUR_POST = '\\s?(块钱|元|块|rmb|cny|usd|eur|美元|美金|欧元|人民币)?';
const RANGE = '\\s?(到|至|-|~|—)\\s?';

const AMOUNT_RE = new RegExp(
  // The first end of a range may carry its own 元/块 (3000元到5000元).
  `${CUR_PRE}(${AMOUNT})${MULT}${TAIL}(?:(?:\\s?(?:块钱|元|块))?${RANGE}${CUR_PRE}(${AMOUNT})${MULT}${TAIL})?${CUR_POST}`, 'g');

/** Budget words; 每台/每套/每人/每课时 … before an amount make it a unit price (血压计二十台每台三百), and so does
 * any price or fee noun right before it (一口价6500, 裸价12万, 学费3980/期). */
const BUDGET_WORDS = /(预算|报价|价格|价钱|出价|总价|单价|费用|金额|总额|合同额|标的|花费|投入|开价|报了|价位|控制在|一共|总共|大概|左右|每(?:课时|[台套件支盒只人节次期课])$|(?:(?<![评代物身])价|(?<![免浪消])费)[是为]?\s?[:：]?\s?$)/;
/** Words that state an order's total (合计, 总价, 一共 …). */
const TOTAL_BEFORE = /(合计|总计|共计|总价|总额|总金额|合同额|一共|总共)[是为]?\s?[:：]?\s?$/;
/** A bound word may be followed by a short verb phrase: 最多能接受2万5, 至少要出5万. */
const GAP = '(?:能|可以|只能|愿意|要|得|需要)?(?:接受|出|给|付|花|投|到){0,2}';
/** A negation flips 超过/低于: 不超过, 别超过, 不要超过 are a maximum; 不低于, 不能低于 a minimum. */
const NEG = '(?:不能|不要|不可|不得|不会|不|别|勿)';
/** After a bound word, a price noun and a label colon (最高限价：180万元, 预算上限：20万). */
const BOUND_TAIL = `${GAP}(?:限价|预算|报价|投标价)?\\s?[:：]?\\s?$`;
const MAX_BEFORE = new RegExp(`(${NEG}(?:超过|高于|多于|超出)|最多|最高|顶多|上限|封顶|以内|低于|少于|不到|限价|控制价)${BOUND_TAIL}`);
const MIN_BEFORE = new RegExp(`(至少|最少|最低|起码|下限|高于|超过|多于)${BOUND_TAIL}`);
const NEGATED_MIN_BEFORE = new RegExp(`(${NEG}(?:低于|少于))${GAP}\\s?$`);
/** A w or k after a physical quantity is watts or pixels, not 万 or 千 (功率800w, 分辨率4k). */
const PHYSICAL_BEFORE = /(功率|瓦数|电压|电流|分辨率|像素|内存|容量|带宽|转速|频率|屏幕|显示屏)\s?[:：为是]?\s?$/;
/** [prefix ending in a unit] digit digit [units only]: 三十|五|六|万. */
const ROUGH_RE = /^((?:[一二两三四五六七八九]?[十百千万亿])*)([一二两三四五六七八九])([二两三四五六七八九])([十百千万亿]*)$/;
const PER_UNIT_ONE = /(?<=[二两三四五六七八九千万])一(?=[台个套件年节次份支盒只张瓶箱批])/g;
/** Company metrics: an amount right after one describes the company, not a budget. */
const METRIC_BEFORE = /(注册资金|注册资本|产值|销售额|营业额|营收|年收入|利润|市值|估值|融资|身家|人口|人数|用户数?|粉丝|会员|销量|产量|阅读量|播放量|访问量|寿命)(?:是|为|有|达|约|大概|大约|将近|接近|超过|突破|过)*\s?[:：]?\s?$/;
/** A unit in brackets after a label, right before the amount: （万元）：, (元): . */
const LABEL_UNIT_BEFORE = /[(（](万元|万|千元)[)）]\s?[:：]?\s?$/;
const MAX_AFTER = /^\s?(以内|之内|以下|内|封顶|为限|上限)/;
const MIN_AFTER = /^\s?(起|以上|起步|打底|往上|\+)/;
/** A unit character that begins a time word is that word (预算：8万 时间：下周, 10万 年底前, 5万分期). */
const QUANTITY_AFTER = /^\s?(?!时间|日期|年底|年初|年末|年内|月底|月初|月末|月中|分期)(台|节|课时|课|期|小时|个|套|件|盒|支|只|像素|人|次|天|年|月|号|日|点|时|分|岁|家|张|份|瓶|包|箱|辆|米|公里|平|斤|克|吨|级|楼|层|床|%|倍|度|℃|°|瓦|伏|升|毫|厘|寸|片|条|粒|袋|桶|根|位|名|页|例|室|间|mm|cm|ml|kg|mg|g\b|m\b)/;

const MULTIPLIER: Record<string, number> = {
  '万元': 1e4, '万块': 1e4, '万': 1e4, 'w': 1e4, '千': 1e3, 'k': 1e3, '百万': 1e6, '亿': 1e8,
};

/** What may follow a Chinese-numeral amount: bound words, budget words, 的. */
const CN_FOLLOWERS = /^(的|左右|上下|以|之|起|多|来|预算|报价|价|费|人民币|美元|美金|欧元|封顶|打底|为限|[吧啊呀呢吗嘛哈哦啦了就也都够行]|[我你他她它您咱这那是能可还要算不没])/;

/** The colloquial tail in the multiplied unit's terms: 9万8 → 0.8 (万), 3千5 → 0.5 (千). */
function tailValue(mult: string | undefined, tail: string | undefined, tailK: string | undefined): number {
  if (!tail || !mult) return 0;
  const k = MULTIPLIER[mult];
  const d = parseNumber(tail);
  if (tailK) return k === 1e4 ? d / 10 : NaN; // 1万5千
  return k === 1e4 || k === 1e3 ? d / 10 : NaN;
}

function currencyOf(...marks: Array<string | undefined>): Currency {
  for (const m of marks) {
    if (!m) continue;
    if (m === '$' || m === 'usd' || m === '美元' || m === '美金') return 'USD';
    if (m === '€' || m === 'eur' || m === '欧元') return 'EUR';
  }
  return 'CNY';
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Financial (大写) numerals, as contracts and invoices write amounts: 叁拾万元整. */
const DAXIE: Record<string, string> = {
  '壹': '一', '贰': '二', '貳': '二', '叁': '三', '參': '三', '肆': '四', '伍': '五', '陆': '六', '陸': '六',
  '柒': '七', '捌': '八', '玖': '九', '拾': '十', '佰': '百', '仟': '千', '萬': '万', '億': '亿',
};
/** A run of them is a numeral when it is two or more long or carries a unit (伍仟, 拾万元),
 * so that 收拾, 队伍, 大陆 stay words. Same length, so offsets are unchanged. */
const DAXIE_RUN = /[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億]+(?=[万亿元圆块]?)/g;

function readDaxie(norm: string): string {
  if (!/[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟]/.test(norm)) return norm;
  return norm.replace(DAXIE_RUN, (run, at: number) =>
    run.length >= 2 || /[万亿元圆]/.test(norm[at + run.length] ?? '') ? [...run].map((c) => DAXIE[c] ?? c).join('') : run);
}

export function extractBudget(rawNorm: string, orig: string): Budget | null {
  const norm = readDaxie(rawNorm).replace(/(?<=[十百千万亿])圆/g, '元')
    // 六万八一台, 一千二一个, 学费一万八一年: 一 + a measure word after a numeral is "per unit",
    // not the numeral's last digit (same length, so offsets are unchanged).
    .replace(PER_UNIT_ONE, '/');
  const cands: Array<{ budget: Budget; score: number }> = [];
  AMOUNT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = AMOUNT_RE.exec(norm))) {
    if (m[0].trim().length === 0) { AMOUNT_RE.lastIndex++; continue; }
    const [, pre1, a1raw, ge1, mult1, tail1, tailK1, , pre2, a2, ge2, mult2, tail2, tailK2, post] = m;
    // A space before an amount is not part of it: `around 50k` starts at 5, not at the space.
    const start = pre1 ? m.index : m.index + (m[0].length - m[0].trimStart().length);
    const end = m.index + m[0].length;
    const prevCh = norm[start - 1];
    // Part of a longer token: phone digits, model numbers (x3000), dates (2026-03).
    // A colon only joins a clock (10:30); after a label (预算:50万, 金额：30万) it is punctuation.
    if (prevCh !== undefined && !pre1 && (/[a-z0-9_./-]/.test(prevCh) || (prevCh === ':' && /[0-9]/.test(norm[start - 2] ?? '')))) continue;
    // 第 + a number is an ordinal (第2标段, 第3期), never money.
    if (prevCh === '第' && !pre1) continue;
    // 两三万, 二三十万, 七八千, 三五万, 一两万, 十一二万, 三十五六万, 一百四五十万: two neighbouring
    // digits, after a unit or at the start and followed only by units, are a rough range.
    const rough = a2 === undefined ? ROUGH_RE.exec(a1raw) : null;
    const a1 = rough ? rough[1] + rough[2] + rough[4] : a1raw;
    const step = rough ? parseNumber(rough[3]) - parseNumber(rough[2]) : 0;
    const roughHigh = rough && (step === 1 || rough[2] + rough[3] === '三五') ? rough[1] + rough[3] + rough[4] : undefined;
    if (rough && roughHigh === undefined) continue;
    const after = norm.slice(end, end + 4);
    if (!post && QUANTITY_AFTER.test(after)) continue;
    let before = norm.slice(Math.max(0, start - 12), start);
    // A unit in brackets after a label applies to the bare number after it (最高限价（万元）：95, as
    // tender notices write it); the label is then read as if the unit were not there.
    const labelUnit = LABEL_UNIT_BEFORE.exec(before);
    const labelK = labelUnit && !pre1 && !mult1 && !mult2 ? (labelUnit[1][0] === '万' ? 1e4 : 1e3) : undefined;
    before = labelUnit ? (before.slice(0, labelUnit.index) + '：').slice(-8) : before.slice(-8);
    if ((mult1 === 'w' || mult1 === 'k') && !pre1 && !post && PHYSICAL_BEFORE.test(before)) continue;
    // The size of the customer's company is not what it will spend (注册资金500万, 年销售额两个亿).
    if (METRIC_BEFORE.test(before)) continue;
    const hasUnit = !!(pre1 || pre2 || post || mult1 || mult2 || labelK) || /[千万亿]/.test(a1) || /[千万亿]$/.test(a2 ?? '');
    const context = BUDGET_WORDS.test(before) || BUDGET_WORDS.test(after);
    if (!hasUnit && !context) continue;
    // 5个w, 两个亿: spoken amounts, a budget only when a budget word says so (年产值两个亿 is not).
    if ((ge1 || ge2) && !context) continue;
    // A bare digit string longer than 9 is an ID or phone, not a budget.
    if (!hasUnit && /^\d{9,}$/.test(a1)) continue;
    // Leading zero: an area code or a serial, never an amount.
    if (/^0\d/.test(a1)) continue;
    // A Chinese numeral glued to a following word is part of that word (十万火急, 三千里).
    // A range (三万到五万都行) is an amount however it ends.
    if (!/\d/.test(a1) && a2 === undefined && !pre1 && !post && /[\u4e00-\u9fff]/.test(norm[end] ?? '') && !CN_FOLLOWERS.test(norm.slice(end, end + 3))) continue;
    if ((tail1 && !mult1) || (tail2 && !mult2)) continue;
    const v1raw = parseNumber(a1) + tailValue(mult1, tail1, tailK1);
    if (!Number.isFinite(v1raw)) continue;
    // Chinese numerals alone (三, 十) need a money unit; otherwise every "一" is a price.
    // 十到十五万: the second end's 万 is the shared multiplier of a Chinese-numeral range.
    const cnShared = a2 !== undefined && !mult1 && !mult2 && !/[千万亿]/.test(a1) ? /(千|万|百万|亿)$/.exec(a2)?.[1] : undefined;
    if (!/\d/.test(a1) && !/[千万亿]/.test(a1) && !cnShared && !(mult1 || mult2 || post || pre1) && !(context && /百/.test(a1))) continue;
    let min: number | null;
    let max: number | null;
    if (roughHigh !== undefined) {
      const k = MULTIPLIER[mult1 ?? ''] ?? 1;
      min = round(v1raw * k);
      max = round(parseNumber(roughHigh) * k);
    } else if (a2 !== undefined) {
      const v2raw = parseNumber(a2) + tailValue(mult2, tail2, tailK2);
      if (!Number.isFinite(v2raw)) continue;
      // 5到10万: the shared multiplier applies to both ends.
      const k2 = MULTIPLIER[mult2 ?? ''] ?? labelK ?? 1;
      const k1 = mult1 ? MULTIPLIER[mult1] : cnShared ? MULTIPLIER[cnShared] : k2;
      min = round(v1raw * k1);
      max = round(v2raw * k2);
      // The second end's multiplier is shared only when that gives a range: 8000到1万 is 8000–10000.
      if (min > max && !mult1 && !cnShared) min = round(v1raw);
      if (min > max) continue;
    } else {
      const v = round(v1raw * (MULTIPLIER[mult1 ?? ''] ?? labelK ?? 1));
      min = v;
      max = v;
      // 不低于 ends in 低于 and 不超过 in 超过: the negated forms are read first.
      if (NEGATED_MIN_BEFORE.test(before)) max = null;
      else if (MAX_BEFORE.test(before) || MAX_AFTER.test(after)) min = null;
      else if (MIN_BEFORE.test(before) || MIN_AFTER.test(after)) max = null;
    }
    if ((min ?? max ?? 0) <= 0) continue;
    const cur = currencyOf(pre1, pre2, post, norm.slice(end, end + 2));
    let textEnd = end;
    const tail = norm.slice(end).match(/^\s?(以内|之内|以下|起|以上|左右)/);
    if (tail) textEnd += tail[0].length;
    let textStart = start;
    const head = before.match(new RegExp(`(?:(?:${NEG}(?:超过|高于|低于|少于)|最多|至少|最少)${GAP}|约|大约|大概)\\s?$`));
    if (head) textStart -= head[0].length;
    cands.push({
      budget: { min, max, currency: cur, text: orig.slice(textStart, textEnd).trim() },
      // A bound (最多, 以内, 起) marks what the customer can spend: 3万太贵了,最多能接受2万5.
      // A stated total outranks a unit price: the spec's budget is then the order value (每台3500，合计17500元).
      score: (context ? 2 : 0) + (pre1 || post ? 1 : 0) + (mult1 || mult2 ? 1 : 0) + (min === null || max === null ? 1 : 0)
        + (TOTAL_BEFORE.test(before) ? 2 : 0),
    });
  }
  if (cands.length === 0) return null;
  let best = cands[0];
  for (const c of cands) if (c.score > best.score) best = c;
  return best.budget;
}
