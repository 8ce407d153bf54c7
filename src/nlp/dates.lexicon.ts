/* Word lists and small regex sources for the Chinese time grammar. Everything here
 * is matched against normalized text (half-width, simplified, lower-case). */
import { CN_NUM_CHARS } from './cn-number.parser.js';

export const NUM = `(?:\\d{1,4}|[${CN_NUM_CHARS}]{1,5})`;
export const SMALL_NUM = `(?:\\d{1,2}|[零〇一二两三四五六七八九十廿卅]{1,3})`;

/** Relative day words → [offset in days, implied part of day]. */
export const REL_DAYS: Record<string, [number, Pod | null]> = {
  '大后天': [3, null], '大后日': [3, null], '后天': [2, null], '后日': [2, null],
  '明天': [1, null], '明日': [1, null], '听日': [1, null], '今天': [0, null], '今日': [0, null],
  '昨天': [-1, null], '昨日': [-1, null], '寻日': [-1, null], '大前天': [-3, null],
  '前天': [-2, null], '前日': [-2, null],
  '今早': [0, 'am'], '今晨': [0, 'am'], '今晚': [0, 'pm'], '今夜': [0, 'pm'],
  '明早': [1, 'am'], '明晨': [1, 'am'], '明晚': [1, 'pm'], '明夜': [1, 'pm'],
  '昨晚': [-1, 'pm'], '昨夜': [-1, 'pm'],
  // Northern colloquial (and voice-to-text) 儿 forms: 明儿, 今儿个, 后儿.
  '今儿个': [0, null], '今儿': [0, null], '明儿个': [1, null], '明儿': [1, null], '后儿个': [2, null], '后儿': [2, null],
  '昨儿个': [-1, null], '昨儿': [-1, null], '前儿个': [-2, null], '前儿': [-2, null],
};
export const REL_DAY_RE = new RegExp(
  Object.keys(REL_DAYS).sort((a, b) => b.length - a.length).join('|'), 'y');

export type Pod = 'am' | 'pm' | 'noon' | 'night' | 'dawn';

/** Parts of day; longest first so 早上 wins over 早. */
export const PODS: Array<[string, Pod]> = [
  ['凌晨', 'dawn'], ['清晨', 'am'], ['早晨', 'am'], ['早上', 'am'], ['上午', 'am'], ['早间', 'am'],
  ['中午', 'noon'], ['午间', 'noon'], ['下午', 'pm'], ['午后', 'pm'], ['晏昼', 'pm'], ['下昼', 'pm'],
  ['傍晚', 'pm'], ['晚上', 'pm'], ['晚间', 'pm'], ['夜里', 'pm'], ['夜晚', 'pm'],
  ['半夜', 'night'], ['深夜', 'night'], ['早', 'am'], ['晚', 'pm'],
];
export const POD_RE = new RegExp(PODS.map((p) => p[0]).join('|'), 'y');
export const POD_MAP = new Map(PODS);

/** Week modifiers: how many weeks from the current one. */
export const WEEK_MOD: Record<string, number> = {
  '上上个': -2, '上上': -2, '上个': -1, '上': -1, '这一个': 0, '这一': 0, '这个': 0, '这': 0,
  '本': 0, '今个': 0, '今': 0, '下下个': 2, '下下': 2, '再下个': 2, '再下': 2, '下个': 1, '下': 1,
};
export const WEEK_RE = new RegExp(
  `(${Object.keys(WEEK_MOD).sort((a, b) => b.length - a.length).join('|')})?(周|星期|礼拜)([一二三四五六日天末1-7])?`, 'y');

export const WEEKDAY_CHAR: Record<string, number> = {
  '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '日': 7, '天': 7, '末': 6,
  '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7,
};

export const MONTH_MOD: Record<string, number> = {
  '上上个': -2, '上个': -1, '上': -1, '这个': 0, '这': 0, '本': 0, '今个': 0, '当': 0,
  '下下个': 2, '下个': 1, '下': 1,
};
export const MONTH_REL_RE = new RegExp(
  `(${Object.keys(MONTH_MOD).sort((a, b) => b.length - a.length).join('|')})月(份)?`, 'y');

export const YEAR_REL: Record<string, number> = {
  '今年': 0, '明年': 1, '来年': 1, '下年': 1, '后年': 2, '去年': -1, '上年': -1, '前年': -2,
};
export const YEAR_REL_RE = /(今年|明年|来年|下年|后年|去年|上年|前年)/y;
export const YEAR_ABS_RE = /(\d{4}|[零〇一二三四五六七八九]{4})年/y;

export const MONTH_DAY_RE = new RegExp(`(${SMALL_NUM})月(份)?(?:(${SMALL_NUM})(?:日|号)?)?`, 'y');
export const DAY_ONLY_RE = new RegExp(`(${SMALL_NUM})(号|日)`, 'y');
/** 号 after these is a building, line or bed number, not a day. */
export const NOT_DAY_AFTER = new Set('楼线床房厅馆门机柜口位院室仓台站车码'.split(''));
/** Rooms and places whose first character is no building word (3号会议室, 2号车间, 5号窗口). */
const NOT_DAY_AFTER_WORDS = /^(会议室|会议厅|办公室|教室|诊室|病房|病区|手术室|实验室|仓库|车间|厂房|窗口|展位|展厅|包厢|宿舍|教学楼|候诊区)/;
/** True when what follows `N号` at `j` makes it a room, line or bed number, not a day. */
export const notDayAfter = (s: string, j: number): boolean => NOT_DAY_AFTER.has(s[j]) || NOT_DAY_AFTER_WORDS.test(s.slice(j, j + 3));
/** A deadline after a bare N日 (5日前): N日 alone is too ambiguous to be a day. */
export const DEADLINE_AFTER_DAY = /^(前|之前|以前)/;
/** N号 right after an address word is a house number (宜山路18号, 胡同3号, 深南大道18号,
 * 人民南路四段11号, 东湖小区8号, 人民广场3号, 国贸大厦12号, A座12号, 张家村5号). */
export const STREET_BEFORE_DAY = /(?:路|街|巷|弄|胡同|道|段|小区|园区|社区|广场|大厦|座|栋|幢|村)$/;
/** What half a unit is in the next smaller unit (半小时, 半个月, 半年); other halves are no date. */
export const HALF_UNIT: Partial<Record<Unit, [Unit, number]>> = { hour: ['minute', 30], month: ['day', 15], year: ['month', 6] };
/** Offset prefixes that count backwards (上三天, 前两个月, 过去一周, 最近三天). */
export const PAST_PREFIXES = new Set(['上', '前', '过去', '最近']);

export const XUN_RE = /(上中|中下|上|中|下)旬/y;
/** The edges of a month or a year, and the day each names (月中 is the 15th). */
export const EDGES: Record<string, { of: 'month' | 'year'; day: 'first' | 'mid' | 'last' }> = {
  '月底': { of: 'month', day: 'last' }, '月末': { of: 'month', day: 'last' }, '月初': { of: 'month', day: 'first' },
  '月中': { of: 'month', day: 'mid' }, '年底': { of: 'year', day: 'last' }, '年末': { of: 'year', day: 'last' },
  '年初': { of: 'year', day: 'first' },
};
export const EDGE_RE = new RegExp(`(${Object.keys(EDGES).join('|')})`, 'y');
/** After a year's 年 (2026年底), these alone are its last day. */
export const YEAR_END_CHARS = new Set(['底', '末']);
export const NTH_WEEKDAY_RE = new RegExp(`的?第(${SMALL_NUM})个?(周|星期|礼拜)([一二三四五六日天1-7])`, 'y');

export const ISO_DATE_RE = /(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:日|号)?/y;
export const US_DATE_RE = /(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?/y;

/** Fixed-date holidays a mainland sales rep uses as deadlines; an optional fourth element is the
 * pattern to match when the name alone is ambiguous. */
export const HOLIDAYS: Array<[string, number, number, string?]> = [
  ['元旦', 1, 1], ['情人节', 2, 14], ['妇女节', 3, 8], ['劳动节', 5, 1], ['儿童节', 6, 1],
  ['五一劳动节', 5, 1], ['五一节', 5, 1],
  // 五一 is May Day, but not inside a numeral (三五一十五) or a street or square name (五一路, 五一广场).
  ['五一', 5, 1, '(?<![零〇一二两三四五六七八九十百千万])五一(?![路街巷道广大村小中0-9一二三四五六七八九十])'],
  ['建军节', 8, 1], ['教师节', 9, 10], ['国庆节', 10, 1], ['国庆', 10, 1], ['平安夜', 12, 24],
  ['圣诞节', 12, 25], ['圣诞', 12, 25],
];
export const HOLIDAY_RE = new RegExp(HOLIDAYS.map((h) => h[3] ?? h[0]).join('|'), 'y');

export type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export const UNIT_WORDS: Array<[string, Unit]> = [
  ['分钟', 'minute'], ['个小时', 'hour'], ['小时', 'hour'], ['个钟头', 'hour'], ['钟头', 'hour'],
  ['个钟', 'hour'], ['天', 'day'], ['日', 'day'], ['个星期', 'week'], ['星期', 'week'],
  ['个礼拜', 'week'], ['礼拜', 'week'], ['个周', 'week'], ['周', 'week'], ['个月', 'month'],
  ['月', 'month'], ['年', 'year'],
];
const UNIT_SRC = UNIT_WORDS.map((u) => u[0]).join('|');
/** 三天后 / 两个钟之前 / 七天内 */
export const OFFSET_SUFFIX_RE = new RegExp(
  `(${NUM}|半)(${UNIT_SRC})(?:(之|以)?(后|内|前|里)|(以内|之内))`, 'y');
/** 下三天 / 前两个月 / 未来三天 */
export const OFFSET_PREFIX_RE = new RegExp(
  `(上|前|过去|最近|下|后|未来|接下来|今后)(${NUM})(${UNIT_SRC})`, 'y');
export const UNIT_MAP = new Map(UNIT_WORDS);

export const CLOCK_COLON_RE = /(\d{1,2}):(\d{2})(?:\s?(am|pm|a\.m\.|p\.m\.|a|p)(?![a-z]))?/y;
export const CLOCK_AMPM_RE = /(\d{1,2})\s?(am|pm|a\.m\.|p\.m\.)(?![a-z])/y;
export const CLOCK_CN_RE = new RegExp(
  `(${SMALL_NUM})(点钟|点|时)(?:(半)|(一刻|三刻)|零(${SMALL_NUM})分?|[踏搭](${SMALL_NUM}|半)|(${SMALL_NUM})个字|(${SMALL_NUM})(分)?)?`, 'y');

/** A number whose unit the second half of a range supplies: 下午2-4点, 15-20号. */
export const SHARED_CLOCK_RE = new RegExp(`(${SMALL_NUM})(?=\\s?(?:-|~|到|至|—)\\s?${SMALL_NUM}(?:点|时))`, 'y');
export const SHARED_DAY_RE = new RegExp(`(${SMALL_NUM})\\s?(?:-|~|到|至|—)\\s?${SMALL_NUM}(?:号|日)`, 'y');
export const RANGE_RE = /\s?(到|至|~|-|—|–)\s?/y;
/** Joiners of alternative dates (周三或周四, 周三，或者周四): two dates, not a range. */
export const ALT_RE = /\s?(?:,\s?)?(或者|或是|或|还是)\s?|\s?、\s?/y;
export const DEADLINE_RE = /(之前|以前|前)/y;

/** 两点/三点 without a time cue: characters before it that make it a quantity (有两点, 差三点, 好几点) and
 * characters after it that make 点 a word (点儿, 点子, 点击, 点评, 点赞, 点头, 点菜, 点名, 点数, 点心, 点滴, 点亮, 点开). */
export const NOT_CLOCK_BEFORE = new Set('有这那第几每差快多少好'.split(''));
export const NOT_CLOCK_AFTER = new Set('儿子击评赞头菜名数心滴亮开建意'.split(''));
/** 一点/几点 alone are "a little" / "what time", never a clock without a time cue. */
export const NOT_CLOCK_NUMBERS = new Set(['一', '几']);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Where a date rule matched: s[i, end) is `e[0]`. */
export interface At { s: string; i: number; end: number; e: RegExpExecArray }

/** Matches that are no date, by the rule that made them (dates.dayparts.ts), tried in order. A rule
 * whose match one of its rows rejects gives way to the next rule. A new exception is a row here. */
export const NOT_A_DATE: ReadonlyArray<{ rule: string; why: string; test: (a: At) => boolean }> = [
  { rule: 'offsetSuffix', why: 'an Arabic 5日前 in business writing is "before the 5th", not five days ago',
    test: (a) => a.e[4] === '前' && a.e[2] === '日' && isDigit(a.e[1][0]) },
  { rule: 'offsetPrefix', why: '上三年级 attends third grade (年级), not the last three years', test: (a) => a.s[a.end] === '级' },
  { rule: 'week', why: '每周, 一周: a recurring or counted week', test: (a) => a.s[a.i - 1] === '每' || a.s[a.i - 1] === '一' },
  { rule: 'yearAbs', why: 'digits of a longer number', test: (a) => isDigit(a.s[a.i - 1]) },
  { rule: 'monthDay', why: 'digits of a longer number', test: (a) => isDigit(a.s[a.i - 1]) },
  { rule: 'monthDay', why: '3个月 is a duration', test: (a) => a.s[a.end] === '个' },
  { rule: 'xun', why: '3月上旬 is read with its month', test: (a) => a.s[a.i - 1] === '月' },
  { rule: 'isoDate', why: 'inside a longer number, version or path (1.2026-03-01, x/2026-03-01)',
    test: (a) => isDigit(a.s[a.i - 1]) || a.s[a.i - 1] === '.' || a.s[a.i - 1] === '/' || isDigit(a.s[a.end]) },
  { rule: 'usDate', why: 'inside a longer number, version or path',
    test: (a) => isDigit(a.s[a.i - 1]) || a.s[a.i - 1] === '.' || a.s[a.i - 1] === '/' || isDigit(a.s[a.end]) || a.s[a.end] === '/' },
  { rule: 'sharedDay', why: 'digits of a longer number, or an ordinal (第15-20号)', test: (a) => isDigit(a.s[a.i - 1]) || a.s[a.i - 1] === '第' },
  { rule: 'sharedDay', why: 'a room, line or bed number (15-20号楼)', test: (a) => notDayAfter(a.s, a.end) },
  { rule: 'sharedDay', why: 'a house number (宜山路15-18号)', test: (a) => STREET_BEFORE_DAY.test(a.s.slice(Math.max(0, a.i - 2), a.i)) },
  { rule: 'dayOnly', why: 'N日 without a deadline after it is too ambiguous (N号 is a day)',
    test: (a) => a.e[2] !== '号' && !DEADLINE_AFTER_DAY.test(a.s.slice(a.end, a.end + 2)) },
  { rule: 'dayOnly', why: 'digits of a longer number', test: (a) => isDigit(a.s[a.i - 1]) },
  { rule: 'dayOnly', why: 'a room, line or bed number (3号会议室)', test: (a) => notDayAfter(a.s, a.end) },
  { rule: 'dayOnly', why: 'a house number (宜山路18号)', test: (a) => STREET_BEFORE_DAY.test(a.s.slice(Math.max(0, a.i - 2), a.i)) },
  { rule: 'clockDigits', why: 'digits of a longer number', test: (a) => isDigit(a.s[a.i - 1]) },
  { rule: 'clockColon', why: 'more digits after the minutes', test: (a) => isDigit(a.s[a.end]) },
  { rule: 'clockCn', why: 'digits of a longer number', test: (a) => isDigit(a.s[a.i - 1]) },
  // A part of day with no day, clock or earlier date: only a two-character one that greets nobody.
  { rule: 'lonePod', why: '早, 晚 alone are too ambiguous', test: (a) => a.e[0].length < 2 },
  { rule: 'lonePod', why: '早上好, 晚上好: a greeting', test: (a) => a.s[a.end] === '好' },
  // Without a day, part of day or time cue, a bare N点 needs to look like a clock.
  { rule: 'bareClock', why: '一点/几点: a little, what time', test: (a) => NOT_CLOCK_NUMBERS.has(a.e[1]) },
  { rule: 'bareClock', why: '有两点, 差三点: a quantity', test: (a) => NOT_CLOCK_BEFORE.has(a.s[a.i - 1]) },
  { rule: 'bareClock', why: '点儿, 点评, 点赞: 点 starts a word', test: (a) => NOT_CLOCK_AFTER.has(a.s[a.end]) },
];

const BY_RULE = new Map<string, Array<(a: At) => boolean>>();
for (const row of NOT_A_DATE) BY_RULE.set(row.rule, [...(BY_RULE.get(row.rule) ?? []), row.test]);

/** True when a row of NOT_A_DATE rejects `rule`'s match. */
export function notADate(rule: string, a: At): boolean {
  const tests = BY_RULE.get(rule);
  return tests !== undefined && tests.some((t) => t(a));
}
