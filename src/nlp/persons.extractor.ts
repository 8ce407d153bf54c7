/* Persons: surname (+ given name) + title, 老X/小X, and bare full names that jieba
 * tags as person names. A surname character alone is never enough: a title, the
 * 老/小 prefix or jieba's name tag must confirm it. Each rule below proposes spans; the tables of
 * persons.rules.ts say when a proposal is no person. */
import type { Placed } from './roles.js';
import { chooseSpans, type Span } from './spans.js';
import type { Token } from './segmenter.js';
import { wordsAt } from './word-index.js';
import { execAll } from './scan.js';
import {
  COMPOUND_SURNAMES, COMPOUND_WORDS, FAMILIAR_PREFIXES, FAMILIAR_SURNAMES, NOT_GIVEN, NAME_LABEL_RE, NOT_NAME_WORDS, SINGLE_SURNAMES, TITLES,
  surnameLength,
} from './persons.lexicon.js';
import {
  GIVEN_TAGS, NAME_TAGS, NOT_A_BARE_NAME, NOT_A_FULL_NAME_BEFORE_TITLE, NOT_A_PERSON_IN_CONTEXT, NOT_A_TITLED_NAME, TITLE_INDEX,
  bareCandidate, isGivenName, isHan, rejects, tokenAt, titleAt,
} from './persons.rules.js';

type Found = Placed & Span;

/** What each rule's evidence is worth when candidates overlap: a title beats 老/小, which beats a
 * name label, which beats jieba's split name, which beats jieba's name tag alone. */
const RULE_WEIGHT = { title: 5, familiar: 4, label: 3, split: 2, token: 1 } as const;

const isHanAt = (s: string, i: number): boolean => s.charCodeAt(i) >= 0x4e00 && s.charCodeAt(i) <= 0x9fff;

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
    if (first && !rejects(NOT_A_FULL_NAME_BEFORE_TITLE, { s, tokens, start, t, sl, first })) return { start };
  }
  if (t >= 2 && COMPOUND_SURNAMES.has(s.slice(t - 2, t))) return { start: t - 2 };
  if (t >= 1 && SINGLE_SURNAMES.has(s[t - 1])) return { start: t - 1 };
  return null;
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
    if (rejects(NOT_A_TITLED_NAME, { s: norm, tokens, start: name.start, i, end, title, split: name.split === true })) continue;
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
    const c = bareCandidate(t, norm[t.start - 1] ?? '');
    if (rejects(NOT_A_BARE_NAME, c)) continue;
    const w = t.word;
    // A reduplicated last character that jieba left outside the name (李娜/nr 娜/x) is part of it.
    const next = tokens[ti + 1];
    const end = w.length === 2 && next && next.start === t.end && next.word === w[1] && next.tag === 'x' ? next.end : t.end;
    push({ name: orig.slice(t.start, end), title: null, text: orig.slice(t.start, end), index: t.start, end });
  }

  const { chosen: found, taken } = chooseSpans(candidates, norm.length);
  const seen = new Set<string>();
  const out: Placed[] = [];
  for (const f of found) {
    if (rejects(NOT_A_PERSON_IN_CONTEXT, { s: norm, index: f.index, end: f.end, titled: f.title !== null, inside, products })) continue;
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
