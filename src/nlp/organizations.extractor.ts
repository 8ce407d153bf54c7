/* Organizations: a name ending in an organization word (医院, 公司, 学校, 厂 …), grown
 * leftwards over jieba tokens that can be part of a proper name and stopped by verbs,
 * pronouns and particles. A bare or generic head (客户公司, 他们学校) is not a name. */
import type { Organization } from './types.js';
import type { Token } from './segmenter.js';
import { indexWords, longestAt } from './word-index.js';

import {
  ADMIN_UNITS, BRACKETED, BREAK_AFTER, COUNTED, COUNTED_THING, DESCRIPTIVE, ESTABLISHED_BY, FUNCTION_CHARS, GENERIC, HMM_TAG,
  INNER_ONLY_TAGS, MAX_NAME, MIN_NAME, MIN_PLAIN_NAME, NAME_TAG, NAME_TAGS, PLACE_TAGS, PROPER_TAGS, PUNCTUATION, SUB_UNITS, SUFFIXES,
  WORD_ENDING_KINDS,
} from './organizations.lexicon.js';

/** Where a kind word was found: norm[i, end) is `suffix`. */
interface KindAt { norm: string; tokens: Token[]; i: number; end: number; suffix: string }

/** Rules that make a kind word no kind here, tried in order. */
const NOT_A_KIND: ReadonlyArray<{ why: string; test: (c: KindAt) => boolean }> = [
  { why: 'a longer common word (厂家, 学院路)', test: (c) => BREAK_AFTER.has(c.norm[c.end]) },
  { why: 'the end of an everyday word (布局, 饭局, 顾全大局/nr)', test: (c) => {
    const cover = WORD_ENDING_KINDS.has(c.suffix) ? c.tokens.find((t) => t.start < c.i && t.end === c.end) : undefined;
    return cover !== undefined && (cover.end - cover.start === 2 || cover.tag === NAME_TAG);
  } },
  // Names are dictionary words; jieba's HMM glues a verb to 厂 (验厂/x, 来验厂/x, 返厂/x).
  { why: 'a one-character kind glued into a made-up word', test: (c) => c.suffix.length === 1
    && c.tokens.some((t) => t.start < c.i && t.end === c.end && t.tag === HMM_TAG) },
];

/** Tokens that join a name whatever their tag: the admin unit after a place (西湖/ns 区, 余杭/nr 区),
 * and 立 after a place ending in an admin unit (苏州市/ns 立/v 医院). */
const JOINS: ReadonlyArray<(tokens: Token[], k: number, norm: string) => boolean> = [
  (tokens, k) => ADMIN_UNITS.has(tokens[k].word) && k > 0 && tokens[k - 1].end === tokens[k].start && PLACE_TAGS.has(tokens[k - 1].tag),
  (tokens, k, norm) => ESTABLISHED_BY.has(tokens[k].word) && k > 0 && tokens[k - 1].end === tokens[k].start
    && ADMIN_UNITS.has(norm[tokens[k].start - 1]),
];
/** Tokens that stop a name growing leftwards. */
const STOPS: ReadonlyArray<{ why: string; test: (t: Token) => boolean }> = [
  { why: 'no part of a proper name (verbs, pronouns, particles)', test: (t) => !NAME_TAGS.has(t.tag) },
  { why: 'a generic word (客户, 他们, 许多)', test: (t) => GENERIC.has(t.word) && !DESCRIPTIVE.has(t.word) },
  { why: 'punctuation', test: (t) => PUNCTUATION.test(t.word) },
  { why: 'a phrase jieba failed to split (两点半在/x)', test: (t) => t.tag === HMM_TAG && FUNCTION_CHARS.test(t.word) },
  { why: 'a counted number (两家, 三所)', test: (t) => COUNTED.test(t.word) },
];

function tokenEndingAt(tokens: Token[], pos: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end === pos) return mid;
    if (tokens[mid].end < pos) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const SUFFIX_INDEX = indexWords(SUFFIXES);

function tokenAt(tokens: Token[], pos: number): Token | undefined {
  return tokens.find((t) => t.start <= pos && pos < t.end);
}

export function extractOrganizations(norm: string, orig: string, tokens: Token[]): Array<Organization & { index: number }> {
  const out: Array<Organization & { index: number; kind: string }> = [];
  const seen = new Set<string>();
  let from = 0;
  /** End of a longer suffix that found no name (有限公司 after 哈哈/o): the shorter suffix inside
   * it (公司) must not grow over its first characters (集团有限公司 is no name). */
  let failedEnd = -1;
  for (let i = 0; i < norm.length; i++) {
    if (i < from) continue;
    const suffix = longestAt(SUFFIX_INDEX, norm, i);
    if (!suffix) continue;
    const end = i + suffix.length;
    if (end === failedEnd) continue;
    failedEnd = end;
    if (NOT_A_KIND.some((rule) => rule.test({ norm, tokens, i, end, suffix }))) continue;
    // Walk left over name-like tokens; the suffix may itself start mid-token (人民医院).
    let start = i;
    let k = tokenEndingAt(tokens, start);
    if (k < 0) {
      const inside = tokens.findIndex((t) => t.start < i && t.end > i);
      if (inside < 0) continue;
      start = tokens[inside].start;
      k = inside - 1;
    }
    // jieba knows many institutions whole (浙江大学/nt).
    const own = tokenAt(tokens, i);
    let proper = own !== undefined && own.start < i && PROPER_TAGS.has(own.tag);
    let genericOnly = !proper;
    const walked: Token[] = [];
    let countedThing = false;
    while (k >= 0 && i - tokens[k].start <= MAX_NAME) {
      const t = tokens[k];
      // 上海微创医疗器械(集团)有限公司, 迈瑞(中国)有限公司: a bracketed group or place is part of the name.
      if (t.word === ')' && k >= 2 && tokens[k - 2].word === '(' && (BRACKETED.has(tokens[k - 1].word) || tokens[k - 1].tag === 'ns')) {
        walked.push(t, tokens[k - 1], tokens[k - 2]);
        k -= 3;
        continue;
      }
      if (!JOINS.some((joins) => joins(tokens, k, norm)) && STOPS.some((rule) => rule.test(t))) {
        countedThing = COUNTED.test(t.word) && COUNTED_THING.test(t.word);
        break;
      }
      walked.push(t);
      k--;
    }
    // A verbal noun or an adjective (实验, 精密) is inside a name (海淀区实验小学,
    // 昆山市精密模具厂) but never begins one.
    // A bracketed group never begins a name either.
    while (walked.length && (INNER_ONLY_TAGS.has(walked[walked.length - 1].tag) || DESCRIPTIVE.has(walked[walked.length - 1].word)
      || walked[walked.length - 1].word === '(')) walked.splice(walked[walked.length - 1].word === '(' ? -3 : -1);
    for (const t of walked) {
      start = t.start;
      if (PROPER_TAGS.has(t.tag)) proper = true;
      if (!GENERIC.has(t.word)) genericOnly = false;
    }
    const head = norm.slice(start, i);
    if (head.length < MIN_NAME || genericOnly || countedThing) continue;
    if (!proper && head.length < MIN_PLAIN_NAME) continue;
    const name = orig.slice(start, end);
    from = end;
    // A sub-unit right after its institution (浙江工业大学机械学院, 某某集团采购中心) is not part of
    // the name: the outermost institution is. Otherwise the longer name is the organization
    // (复旦大学附属中山医院 contains 复旦大学).
    const parent = out[out.length - 1];
    const gap = parent ? norm.slice(parent.index + parent.name.length, i) : '';
    const subUnit = parent && SUB_UNITS.has(suffix)
      && (parent.index >= start || /^\s+[\u4e00-\u9fff]{1,4}$/.test(gap));
    if (subUnit) continue;
    while (out.length && out[out.length - 1].index >= start) seen.delete(out.pop()!.name);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, text: name, index: start, kind: suffix });
  }
  return out;
}
