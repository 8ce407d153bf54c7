/* Persons: surname (+ given name) + title, 老X/小X, and bare full names that jieba
 * tags as person names. A surname character alone is never enough: a title, the
 * 老/小 prefix or jieba's name tag must confirm it. */
import type { Placed } from './roles.js';
import { chooseSpans, type Span } from './spans.js';
import { tokenize, type Token } from './segmenter.js';
import { indexWords, longestAt, wordsAt } from './word-index.js';
import { execAll } from './scan.js';
import {
  COMPOUND_SURNAMES, COMPOUND_WORDS, DEMONSTRATIVES, FAMILIAR_PREFIXES, FAMILIAR_SURNAMES, FUNCTION_SURNAMES, NOT_GIVEN, NOT_GIVEN_LAST,
  ADMIN_END, AFTER_COUNT, CONJUNCTIONS, KIN_AFTER, TRADE_AFTER, NAME_LABEL_RE, NOT_NAME_WORDS, PLACE_SUFFIX, SINGLE_SURNAMES, TITLES,
  surnameLength,
} from './persons.lexicon.js';

type Found = Placed & Span;

/** What each rule's evidence is worth when candidates overlap: a title beats 老/小, which beats a
 * name label, which beats jieba's split name, which beats jieba's name tag alone. */
const RULE_WEIGHT = { title: 5, familiar: 4, label: 3, split: 2, token: 1 } as const;

const NAME_TAGS = new Set(['nr', 'nrfg', 'nrt']);
const GIVEN_TAGS = new Set(['n', 'nr', 'x', 'ng', 'nz', 'a', 'ns']);
const isHan = (c: string | undefined): boolean => c !== undefined && c >= '\u4e00' && c <= '\u9fff';
const isHanAt = (s: string, i: number): boolean => s.charCodeAt(i) >= 0x4e00 && s.charCodeAt(i) <= 0x9fff;

/** Token index covering character position `pos`. */
function tokenAt(tokens: Token[], pos: number): Token | undefined {
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

const TITLE_INDEX = indexWords(TITLES);
const TITLE_SET = new Set(TITLES);

function titleAt(s: string, i: number): string | null {
  return longestAt(TITLE_INDEX, s, i);
}

/** The longest title at `i` whose last character does not start a longer word:
 * 张总工作很忙 is 张总 + 工作, 王总工说 is 王 + 总工. */
function fittingTitle(s: string, tokens: Token[], i: number): string | null {
  let first: string | null = null;
  for (const t of wordsAt(TITLE_INDEX, s, i)) {
    if (!s.startsWith(t, i)) continue;
    first ??= t;
    if (t.length === 1) return t; // the one-character rule below decides
    const last = tokenAt(tokens, i + t.length - 1);
    if (!last || last.end <= i + t.length || last.start < i + t.length - 1) return t;
  }
  return first;
}

/** Tags a name-initial token may carry; conjunctions and prepositions (和, 向) may not. */
const NAME_START_TAGS = new Set(['nr', 'nrfg', 'nrt', 'x', 'ns', 'ng', 'zg', 'n', 'nz']);

/** Name ending right before a title at `t`: full name when jieba agrees, else surname. `split`: the
 * surname is the tail of a word jieba made (谢谢/nr 总), which is no reason to reject it. */
function nameBefore(s: string, tokens: Token[], t: number): { start: number; split?: boolean } | null {
  const tok = tokenAt(tokens, t - 1);
  if (tok && tok.end === t && NAME_TAGS.has(tok.tag) && tok.word.length >= 2 && tok.word.length <= 4 && surnameLength(s, tok.start) > 0) {
    // A reduplicated word before a surname-title (谢谢/nr 总 in 谢谢谢总) ends in that surname.
    if (tok.word.length === 2 && tok.word[0] === tok.word[1]) return { start: t - 1, split: true };
    return { start: tok.start };
  }
  // Full name before the title (欧阳娜娜主任, 王小明经理): longest plausible one.
  for (let start = Math.max(0, t - 4); start <= t - 2; start++) {
    const sl = surnameLength(s, start);
    if (sl === 0 || t - start - sl < 1 || t - start - sl > 2) continue;
    const first = tokenAt(tokens, start);
    if (!first || first.start !== start || !NAME_START_TAGS.has(first.tag)) continue;
    if (first.word.length > sl && !NAME_TAGS.has(first.tag) && first.tag !== 'x') continue;
    if (first.tag === 'x' && sl === 1 && FUNCTION_SURNAMES.has(s[start])) continue; // 那单/x 总
    if (!isGivenName(s.slice(start + sl, t)) || NOT_NAME_WORDS.has(s.slice(start, t))) continue;
    // A given name neither starts with a title (林总林经理: 林总 + 林经理) nor repeats the surname (谢谢谢总).
    if (titleAt(s, start + sl) !== null || s[start + sl] === s[start]) continue;
    const given = tokenAt(tokens, start + sl);
    // The given name may sit inside the same word as the surname (王芳/x 老师, 李娜/nr 娜/x 经理).
    const sameWord = given === first && ((first.tag === 'x' && first.end === t)
      || (NAME_TAGS.has(first.tag) && first.end === t - 1 && s[t - 1] === s[t - 2]));
    if (given && given.start < start + sl && !sameWord) continue;
    if (given && !NAME_START_TAGS.has(given.tag)) continue;
    return { start };
  }
  if (t >= 2 && COMPOUND_SURNAMES.has(s.slice(t - 2, t))) return { start: t - 2 };
  if (t >= 1 && SINGLE_SURNAMES.has(s[t - 1])) return { start: t - 1 };
  return null;
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

function isGivenName(g: string): boolean {
  for (const c of g) if (!isHan(c) || NOT_GIVEN.has(c)) return false;
  return true;
}

/** A surname standing alone, one space before a title (王 总, 李 主任: how names are
 * typed in forms and on phones): the surname's start, or null. The surname must not be
 * the tail of a word, and a one-character title must not start one (方 总结). */
function spacedSurname(s: string, tokens: Token[], i: number, title: string): number | null {
  if (s[i - 1] !== ' ') return null;
  const end = i + title.length;
  if (isHan(s[end]) && title.length === 1) {
    const after = tokenAt(tokens, i);
    if (after && after.start === i && after.end > end) return null;
  }
  for (const sl of [2, 1]) {
    const start = i - 1 - sl;
    if (start < 0 || surnameLength(s, start) !== sl || isHan(s[start - 1])) continue;
    return start;
  }
  return null;
}

/** `inside`: spans of organization names; a bare name within one (东莞华宇电子厂 → 华宇)
 * is part of that name, not a person. */
export function extractPersons(norm: string, orig: string, tokens: Token[], inside: ReadonlyArray<readonly [number, number]> = [],
  products: ReadonlyArray<readonly [number, number]> = []): Placed[] {
  const candidates: Found[] = [];
  let weight: number = RULE_WEIGHT.title;
  const push = (p: Placed): void => { candidates.push({ ...p, weight }); };

  for (let i = 1; i < norm.length; i++) {
    if (!isHanAt(norm, i)) continue;
    const title = fittingTitle(norm, tokens, i);
    if (!title) continue;
    const spaced = spacedSurname(norm, tokens, i, title);
    if (spaced !== null) {
      push({ name: orig.slice(spaced, i - 1), title, text: orig.slice(spaced, i + title.length), index: spaced, end: i + title.length });
      i += title.length - 1;
      continue;
    }
    const name = nameBefore(norm, tokens, i);
    if (!name) continue;
    const end = i + title.length;
    const nameText = norm.slice(name.start, i);
    if (NOT_NAME_WORDS.has(nameText) || NOT_NAME_WORDS.has(norm.slice(name.start, end))) continue;
    if (!name.split && insideWord(tokens, name.start, end) && !(tokenAt(tokens, name.start)?.word === norm.slice(name.start, end))) continue;
    // A dictionary word that happens to be surname + title (班主任, 施工) is that word.
    const whole = tokenAt(tokens, name.start);
    if (whole && whole.start === name.start && whole.end === end && !NAME_TAGS.has(whole.tag) && whole.tag !== 'x') continue;
    // A one-character title glued to a following word is that word (总部, 工作, 总结),
    // except a conjunction after the title (梁总和他的助理: jieba reads 总和, "sum").
    if (title.length === 1) {
      const after = tokenAt(tokens, i);
      if (after && after.start === i && after.end > end && !(after.end === end + 1 && CONJUNCTIONS.has(norm[end]))) continue;
    }
    push({ name: orig.slice(name.start, i), title, text: orig.slice(name.start, end), index: name.start, end });
    i = end - 1;
  }

  weight = RULE_WEIGHT.familiar;
  for (let i = 0; i + 1 < norm.length; i++) {
    const code = norm.charCodeAt(i);
    if (!FAMILIAR_PREFIXES.has(code) || !FAMILIAR_SURNAMES.has(norm[i + 1])) continue;
    const p = norm[i];
    const t = tokenAt(tokens, i);
    const pair = norm.slice(i, i + 2);
    // Either jieba keeps 老张 as one word, or 老 and 张 stand alone (找老刘).
    const confirmed = t !== undefined && t.start === i && t.word === pair && !NOT_NAME_WORDS.has(pair);
    const next = tokenAt(tokens, i + 1);
    const loose = t !== undefined && t.start === i && t.end === i + 1 && next !== undefined && next.start === i + 1
      // 老陈说: jieba reads 陈说 ("to state") as a name; a function character cannot end a given name.
      && (next.end === i + 2 || (next.end === i + 3 && NOT_GIVEN.has(norm[i + 2])));
    if (!confirmed && !loose) continue;
    if (isHan(norm[i - 1]) && tokenAt(tokens, i - 1)?.end !== i) continue;
    push({ name: orig[i + 1], title: p, text: orig.slice(i, i + 2), index: i, end: i + 2 });
  }

  weight = RULE_WEIGHT.label;
  // A full name given after a name label, which jieba may split (欧阳/明, 李娜/娜). Read before
  // jieba's own name tokens: the label says where the name ends.
  for (const m of execAll(NAME_LABEL_RE, norm)) {
    const w = m[1];
    const index = (m.index ?? 0) + m[0].length - w.length;
    const sl = surnameLength(w, 0);
    if (sl === 0 || w.length - sl < 1 || w.length - sl > 2 || !isGivenName(w.slice(sl)) || NOT_NAME_WORDS.has(w)) continue;
    if (titleAt(w, sl) !== null) continue; // 李主任, 王总: the title rule above
    push({ name: orig.slice(index, index + w.length), title: null, text: orig.slice(index, index + w.length), index, end: index + w.length });
  }

  weight = RULE_WEIGHT.split;
  // jieba split a name it does not know into surname (tagged as a name) + given name.
  // Read before single tokens, so that 周/nr 海涛/nr is 周海涛, not the "name" 海涛.
  for (let k = 0; k + 1 < tokens.length; k++) {
    const a = tokens[k];
    const b = tokens[k + 1];
    // A compound surname that is rarely anything else (欧阳/ns 俊/a) starts a name whatever its tag.
    const compound = COMPOUND_SURNAMES.has(a.word) && !COMPOUND_WORDS.has(a.word);
    if (b.start !== a.end) continue;
    // A name jieba cut after its second character (林子/nr 轩/nr): surname + X, then a lone
    // name-tagged character, is one three-character name.
    if (a.tag === 'nr' && a.word.length === 2 && surnameLength(a.word, 0) === 1 && !NOT_NAME_WORDS.has(a.word)
      && b.word.length === 1 && NAME_TAGS.has(b.tag) && isGivenName(a.word.slice(1) + b.word) && titleAt(b.word, 0) === null) {
      push({ name: orig.slice(a.start, b.end), title: null, text: orig.slice(a.start, b.end), index: a.start, end: b.end });
      continue;
    }
    // A common surname jieba reads as a noun (马/n "horse") before a name-tagged given name
    // (丽丽/nr) starts that name: the given name's own tag is the evidence.
    const nounSurname = a.tag === 'n' && a.word.length === 1 && FAMILIAR_SURNAMES.has(a.word) && NAME_TAGS.has(b.tag);
    if (!compound && !nounSurname && ((a.tag !== 'nr' && a.tag !== 'zg') || a.word.length !== 1 || !SINGLE_SURNAMES.has(a.word))) continue;
    if (b.word.length > 2 || !isGivenName(b.word) || !GIVEN_TAGS.has(b.tag) || titleAt(b.word, 0) !== null) continue;
    if (compound && b.word.length === 2 && !NAME_TAGS.has(b.tag) && b.tag !== 'x') continue;
    push({ name: orig.slice(a.start, b.end), title: null, text: orig.slice(a.start, b.end), index: a.start, end: b.end });
  }

  weight = RULE_WEIGHT.token;
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti];
    // jieba tags dictionary names nr; an unseen name usually surfaces as an HMM word (x).
    if (!NAME_TAGS.has(t.tag) && t.tag !== 'x') continue;
    const w = t.word;
    // A place or room character ends a place (高新区, 邱园路), unless jieba's dictionary knows the word as a
    // three-character name with a common surname (汪东城/nr).
    const knownName = t.tag === 'nr' && w.length === 3 && FAMILIAR_SURNAMES.has(w[0]) && !ADMIN_END.has(w[2]);
    if (w.length < 2 || w.length > 4 || NOT_NAME_WORDS.has(w) || (PLACE_SUFFIX.has(w[w.length - 1]) && !knownName)) continue;
    // An everyday word plus a suffix is a word too (许可证/nr: 许可 + 证).
    if (w.length === 3 && NOT_NAME_WORDS.has(w.slice(0, 2))) continue;
    // A title is no name, whatever jieba tags it (安装师傅: 师傅/nr).
    if (TITLE_SET.has(w)) continue;
    const sl = surnameLength(w, 0);
    if (sl === 0 || w.length === sl) continue;
    // A compound surname that is an everyday word starts no bare name (西门子/nr).
    if (sl === 2 && COMPOUND_WORDS.has(w.slice(0, 2))) continue;
    // Surname + a character that ends common words but no given name (顾客, 贺卡, 单号).
    if (w.length === sl + 1 && NOT_GIVEN_LAST.has(w[sl])) continue;
    // So is a longer dictionary word ending in one whose surname is a rare one (银行卡/nr).
    if (t.tag !== 'x' && w.length > sl + 1 && !FAMILIAR_SURNAMES.has(w[0]) && NOT_GIVEN_LAST.has(w[w.length - 1])) continue;
    // A two-character dictionary word (not an HMM guess) starting with a rare surname is a word
    // (师范, 荣誉, 吉林, 乔迁 …/nr); 阿 + a character is a nickname (阿宝), not surname + name.
    if (w.length === 2 && t.tag !== 'x' && w[0] !== '阿' && !FAMILIAR_SURNAMES.has(w[0])) continue;
    if (w.length - sl > 2 && !(t.tag === 'x' && sl === 1)) continue;
    // A longer name-tagged dictionary word that starts with an everyday word is a compound of it
    // (支付宝 = 支付 + 宝, 欧姆龙, 宋体字), not a surname and a given name.
    if (t.tag !== 'x' && w.length > 2 && sl === 1 && isEverydayWord(w.slice(0, 2))) continue;
    if (t.tag === 'x' && !isGivenName(w.slice(sl))) continue;
    // An unknown word starting with a rare surname that is also a function word
    // (那家, 和平, 来谈) is that word; jieba's own name tag is needed for those.
    if (t.tag === 'x' && sl === 1 && FUNCTION_SURNAMES.has(w[0])) continue;
    // After a numeral or a measure word the "surname" is a noun (三个班开, 两台高配): no name.
    if (t.tag === 'x' && AFTER_COUNT.test(norm[t.start - 1] ?? '')) continue;
    if (w[0] === '老' || w[0] === '小') continue;
    // Reduplication (谢谢, 常常) is a word, not a surname plus a given name.
    if (w.length === 2 && w[0] === w[1]) continue;
    // A title glued into the token (陈先生) was handled above with its title split off.
    if (titleAt(w, sl) !== null && sl + (titleAt(w, sl) as string).length === w.length) continue;
    // A reduplicated last character that jieba left outside the name (李娜/nr 娜/x) is part of it.
    const next = tokens[ti + 1];
    const end = w.length === 2 && next && next.start === t.end && next.word === w[1] && next.tag === 'x' ? next.end : t.end;
    push({ name: orig.slice(t.start, end), title: null, text: orig.slice(t.start, end), index: t.start, end });
  }

  const { chosen: found, taken } = chooseSpans(candidates, norm.length);
  const seen = new Set<string>();
  const out: Placed[] = [];
  for (const f of found) {
    if (f.title === null && inside.some(([a, b]) => f.index >= a && f.end <= b)) continue;
    if (products.some(([a, b]) => f.index < b && f.end > a)) continue;
    // A parent named after a child (李思涵妈妈, 小杰爸爸) is no person, nor a bare name before a trade (康达医疗).
    if (KIN_AFTER.some((k) => norm.startsWith(k, f.end)) || (f.title === null && TRADE_AFTER.some((k) => norm.startsWith(k, f.end)))) continue;
    // A title right before a bare full name is that person's (护士长吴静, 护理部主任孔令华).
    const before = f.title === null && f.name.length >= 2
      ? TITLES.find((t) => t.length >= 2 && norm.endsWith(t, f.index) && !taken[f.index - 1]) : undefined;
    const p = before ? { ...f, title: before, text: orig.slice(f.index - before.length, f.end), index: f.index - before.length } : f;
    const key = `${p.name}|${p.title}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: p.name, title: p.title, text: p.text, index: p.index, end: p.end });
  }
  return out;
}
