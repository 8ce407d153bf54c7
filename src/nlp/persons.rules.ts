/* When a candidate is no person: each rule of persons.extractor.ts proposes spans, and the rows of
 * the tables below turn them down, each with its reason and an example. A new exception is a row
 * here, not an `if` in the extractor. Rows are tried in order; any row that matches rejects. */
import { tokenize, type Token } from './segmenter.js';
import { indexWords, longestAt } from './word-index.js';
import {
  ADMIN_END, AFTER_COUNT, COMPOUND_WORDS, CONJUNCTIONS, DEMONSTRATIVES, FAMILIAR_SURNAMES, FUNCTION_SURNAMES, KIN_AFTER,
  NOT_GIVEN, NOT_GIVEN_LAST, NOT_NAME_WORDS, PLACE_SUFFIX, TITLES, TRADE_AFTER, surnameLength,
} from './persons.lexicon.js';

export interface Row<C> { why: string; test: (c: C) => boolean }

/** True when a row of `rows` rejects the candidate. */
export const rejects = <C>(rows: ReadonlyArray<Row<C>>, c: C): boolean => rows.some((r) => r.test(c));

export const NAME_TAGS = new Set(['nr', 'nrfg', 'nrt']);
/** Tags a name-initial token may carry; conjunctions and prepositions (和, 向) may not. */
export const NAME_START_TAGS = new Set(['nr', 'nrfg', 'nrt', 'x', 'ns', 'ng', 'zg', 'n', 'nz']);
export const GIVEN_TAGS = new Set(['n', 'nr', 'x', 'ng', 'nz', 'a', 'ns']);
export const isHan = (c: string | undefined): boolean => c !== undefined && c >= '\u4e00' && c <= '\u9fff';

export const TITLE_INDEX = indexWords(TITLES);
const TITLE_SET = new Set(TITLES);
export const titleAt = (s: string, i: number): string | null => longestAt(TITLE_INDEX, s, i);

/** Token covering character position `pos` (binary search). */
export function tokenAt(tokens: Token[], pos: number): Token | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid];
    if (pos < t.start) hi = mid - 1;
    else if (pos >= t.end) lo = mid + 1;
    else return t;
  }
  return undefined;
}

export function isGivenName(g: string): boolean {
  for (const c of g) if (!isHan(c) || NOT_GIVEN.has(c)) return false;
  return true;
}

/** A two-character everyday word: listed, or one dictionary word for jieba that is no name (支付/v,
 * 今天/t) or a name-tagged one ending in a word-ending character (宋体/nr, 欧姆/nr); not a place, which
 * begins many transliterated names (安东尼). */
function isEverydayWord(w: string): boolean {
  if (NOT_NAME_WORDS.has(w)) return true;
  const t = tokenize(w);
  // Only a dictionary word (赵子/x is no word: 赵子龙 stays a name).
  if (t.length !== 1 || t[0].tag === 'x' || t[0].tag === 'ns') return false;
  return !NAME_TAGS.has(t[0].tag) || NOT_GIVEN_LAST.has(w[1]);
}

/** True when jieba reads [start, end) as (part of) an ordinary word, not a name. */
function insideWord(tokens: Token[], start: number, end: number): boolean {
  const t = tokenAt(tokens, start);
  if (!t) return false;
  // The surname is the tail of a longer word (施工 → 工), unless that "word" is only
  // jieba's HMM guess gluing a department onto it (设备科马科长: 科马/x + 科长).
  // A demonstrative before it makes a real word, though (那单总金额: 那单 "that order").
  // jieba's name tags are guesses as well (设备科王科长: 科王/nrt + 科长).
  if (t.start < start) return !((t.tag === 'x' || NAME_TAGS.has(t.tag)) && t.end === start + 1 && end - start >= 2 && !DEMONSTRATIVES.has(t.word[0]));
  if (t.end > end) return !NAME_TAGS.has(t.tag) && t.tag !== 'x';
  return false;
}

/** A name + title: the name is s[start, i), the title s[i, end). `split`: the surname is the tail of a
 * word jieba made (谢谢/nr 总), which is no reason to reject it. */
export interface Titled { s: string; tokens: Token[]; start: number; i: number; end: number; title: string; split: boolean }

export const NOT_A_TITLED_NAME: ReadonlyArray<Row<Titled>> = [
  { why: 'a listed word, with or without its title', test: (c) => NOT_NAME_WORDS.has(c.s.slice(c.start, c.i)) || NOT_NAME_WORDS.has(c.s.slice(c.start, c.end)) },
  { why: 'the surname is inside an ordinary word (施工 → 工)',
    test: (c) => !c.split && insideWord(c.tokens, c.start, c.end) && tokenAt(c.tokens, c.start)?.word !== c.s.slice(c.start, c.end) },
  { why: 'a dictionary word that happens to be surname + title (班主任, 施工)', test: (c) => {
    const whole = tokenAt(c.tokens, c.start);
    return whole !== undefined && whole.start === c.start && whole.end === c.end && !NAME_TAGS.has(whole.tag) && whole.tag !== 'x';
  } },
  // Except a conjunction after the title (梁总和他的助理: jieba reads 总和, "sum").
  { why: 'a one-character title glued to a following word is that word (总部, 工作, 总结)', test: (c) => {
    if (c.title.length !== 1) return false;
    const after = tokenAt(c.tokens, c.i);
    return after !== undefined && after.start === c.i && after.end > c.end && !(after.end === c.end + 1 && CONJUNCTIONS.has(c.s[c.end]));
  } },
];

/** A full name s[start, t) right before a title at `t`, with a surname of `sl` characters. */
export interface FullBefore { s: string; tokens: Token[]; start: number; t: number; sl: number; first: Token }

export const NOT_A_FULL_NAME_BEFORE_TITLE: ReadonlyArray<Row<FullBefore>> = [
  { why: 'the name does not start a word of a name-like kind (和, 向)', test: (c) => c.first.start !== c.start || !NAME_START_TAGS.has(c.first.tag) },
  { why: 'the surname starts a longer ordinary word', test: (c) => c.first.word.length > c.sl && !NAME_TAGS.has(c.first.tag) && c.first.tag !== 'x' },
  { why: 'an unknown word starting with a function-word surname (那单/x 总)', test: (c) => c.first.tag === 'x' && c.sl === 1 && FUNCTION_SURNAMES.has(c.s[c.start]) },
  { why: 'not a given name, or a listed word', test: (c) => !isGivenName(c.s.slice(c.start + c.sl, c.t)) || NOT_NAME_WORDS.has(c.s.slice(c.start, c.t)) },
  { why: 'the given name starts with a title (林总林经理: 林总 + 林经理) or repeats the surname (谢谢谢总)',
    test: (c) => titleAt(c.s, c.start + c.sl) !== null || c.s[c.start + c.sl] === c.s[c.start] },
  // The given name may sit inside the same word as the surname (王芳/x 老师, 李娜/nr 娜/x 经理).
  { why: 'the given name starts inside another word', test: (c) => {
    const given = tokenAt(c.tokens, c.start + c.sl);
    const sameWord = given === c.first && ((c.first.tag === 'x' && c.first.end === c.t)
      || (NAME_TAGS.has(c.first.tag) && c.first.end === c.t - 1 && c.s[c.t - 1] === c.s[c.t - 2]));
    return given !== undefined && ((given.start < c.start + c.sl && !sameWord) || !NAME_START_TAGS.has(given.tag));
  } },
];

/** A token jieba tags as a name (nr…) or an unknown word (x): `w` with a surname of `sl` characters. */
export interface Bare { t: Token; w: string; sl: number; x: boolean; before: string; knownName: boolean }

export const bareCandidate = (t: Token, before: string): Bare => {
  const w = t.word;
  return {
    t, w, sl: surnameLength(w, 0), x: t.tag === 'x', before,
    // A three-character dictionary name with a common surname (汪东城/nr) is a name whatever it ends in.
    knownName: t.tag === 'nr' && w.length === 3 && FAMILIAR_SURNAMES.has(w[0]) && !ADMIN_END.has(w[2]),
  };
};

export const NOT_A_BARE_NAME: ReadonlyArray<Row<Bare>> = [
  { why: 'too short or too long, or a listed word', test: (c) => c.w.length < 2 || c.w.length > 4 || NOT_NAME_WORDS.has(c.w) },
  { why: 'a place, room or office (高新区, 邱园路, 麻醉科)', test: (c) => PLACE_SUFFIX.has(c.w[c.w.length - 1]) && !c.knownName },
  { why: 'an everyday word plus a suffix (许可证/nr: 许可 + 证)', test: (c) => c.w.length === 3 && NOT_NAME_WORDS.has(c.w.slice(0, 2)) },
  { why: 'a title, whatever jieba tags it (安装师傅: 师傅/nr)', test: (c) => TITLE_SET.has(c.w) },
  { why: 'no surname, or nothing after it', test: (c) => c.sl === 0 || c.w.length === c.sl },
  { why: 'a compound surname that is an everyday word (西门子/nr)', test: (c) => c.sl === 2 && COMPOUND_WORDS.has(c.w.slice(0, 2)) },
  { why: 'surname + a character that ends common words but no given name (顾客, 贺卡, 单号)', test: (c) => c.w.length === c.sl + 1 && NOT_GIVEN_LAST.has(c.w[c.sl]) },
  { why: 'a longer dictionary word with a rare surname ending like a word (银行卡/nr)',
    test: (c) => !c.x && c.w.length > c.sl + 1 && !FAMILIAR_SURNAMES.has(c.w[0]) && NOT_GIVEN_LAST.has(c.w[c.w.length - 1]) },
  // 阿 + a character is a nickname (阿宝), not surname + name.
  { why: 'a two-character dictionary word starting with a rare surname (师范, 荣誉, 吉林, 乔迁/nr)',
    test: (c) => c.w.length === 2 && !c.x && c.w[0] !== '阿' && !FAMILIAR_SURNAMES.has(c.w[0]) },
  { why: 'a given name longer than two characters', test: (c) => c.w.length - c.sl > 2 && !(c.x && c.sl === 1) },
  { why: 'a name-tagged dictionary word that starts with an everyday word (支付宝, 欧姆龙, 宋体字)',
    test: (c) => !c.x && c.w.length > 2 && c.sl === 1 && isEverydayWord(c.w.slice(0, 2)) },
  { why: 'an unknown word whose rest is no given name', test: (c) => c.x && !isGivenName(c.w.slice(c.sl)) },
  { why: 'an unknown word starting with a function-word surname (那家, 和平, 来谈): jieba\'s name tag is needed',
    test: (c) => c.x && c.sl === 1 && FUNCTION_SURNAMES.has(c.w[0]) },
  { why: 'after a numeral or a measure word the "surname" is a noun (三个班开, 两台高配)', test: (c) => c.x && AFTER_COUNT.test(c.before) },
  { why: 'reduplication is a word (谢谢, 常常)', test: (c) => c.w.length === 2 && c.w[0] === c.w[1] },
  { why: 'a title glued into the token (陈先生): the title rule reads it', test: (c) => {
    const title = titleAt(c.w, c.sl);
    return title !== null && c.sl + title.length === c.w.length;
  } },
];

/** A chosen person s[index, end), and the organization and product spans of the message. */
export interface Chosen {
  s: string; index: number; end: number; titled: boolean;
  inside: ReadonlyArray<readonly [number, number]>; products: ReadonlyArray<readonly [number, number]>;
}

export const NOT_A_PERSON_IN_CONTEXT: ReadonlyArray<Row<Chosen>> = [
  { why: 'a bare name inside an organization\'s name is part of it (东莞华宇电子厂 → 华宇)',
    test: (c) => !c.titled && c.inside.some(([a, b]) => c.index >= a && c.end <= b) },
  { why: 'overlaps a product name', test: (c) => c.products.some(([a, b]) => c.index < b && c.end > a) },
  { why: 'a parent named after a child (李思涵妈妈, 小杰爸爸)', test: (c) => KIN_AFTER.some((k) => c.s.startsWith(k, c.end)) },
  { why: 'a bare name before a trade is a company (康达医疗)', test: (c) => !c.titled && TRADE_AFTER.some((k) => c.s.startsWith(k, c.end)) },
];
