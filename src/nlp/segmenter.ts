/* jieba (@node-rs/jieba: jieba-rs, prebuilt binaries inside the npm package, no install script).
 * The segmenter is one immutable instance with jieba's default dictionary; nothing a call
 * does adds to it, so extraction is pure per tenant (catalog words are matched by the
 * catalog's own automaton, catalog.matcher.ts, never added here). The dictionary loads on
 * the first message (about 0.1 s); `warmUp()` loads it at boot. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

export interface Token { word: string; tag: string; start: number; end: number }

interface Tagger {
  tag(sentence: string, hmm?: boolean): Array<{ word: string; tag: string }>;
  cut(sentence: string, hmm?: boolean): string[];
}
interface JiebaModule { Jieba: { withDict(dict: Uint8Array): Tagger } }

const require = createRequire(import.meta.url);
let jieba: Tagger | null = null;

function lib(): Tagger {
  if (!jieba) {
    const { Jieba } = require('@node-rs/jieba') as JiebaModule;
    // The package's `dict` export also reads its 6 MB idf table, which extraction never uses.
    jieba = Jieba.withDict(readFileSync(require.resolve('@node-rs/jieba/dict.txt')));
  }
  return jieba;
}

/* jieba's tag() is its cut() with each word's tag looked up on its own (the dictionary's tag, else
 * x/m/eng by the word's characters): a word's tag never depends on its context. Building the
 * {word, tag} objects across the native boundary costs three times the cut itself, so words are
 * cut natively and their tags read from a memo of tag(word) — a function of the immutable
 * dictionary, so the memo changes no result. A word that does not come back whole from
 * tag(word) is marked, and a message containing one is tagged whole, as before. */
const WHOLE = '';
const tags = new Map<string, string>();
const MAX_TAGS = 200000;

function tagOf(word: string): string {
  let tag = tags.get(word);
  if (tag === undefined) {
    const own = lib().tag(word, true);
    tag = own.length === 1 && own[0].word === word ? own[0].tag : WHOLE;
    if (tags.size >= MAX_TAGS) tags.clear();
    tags.set(word, tag);
  }
  return tag;
}

function placed(text: string, raw: ReadonlyArray<{ word: string; tag: string }>): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (const t of raw) {
    const at = text.indexOf(t.word, pos);
    const start = at < 0 ? pos : at;
    out.push({ word: t.word, tag: t.tag, start, end: start + t.word.length });
    pos = start + t.word.length;
  }
  return out;
}

/** POS-tagged tokens (HMM on for unknown words) with offsets into `text`: jieba's tag(text, true). */
export function tokenize(text: string): Token[] {
  if (text.length === 0) return [];
  const words = lib().cut(text, true);
  const raw: Array<{ word: string; tag: string }> = [];
  for (const word of words) {
    const tag = tagOf(word);
    if (tag === WHOLE) return placed(text, lib().tag(text, true));
    raw.push({ word, tag });
  }
  return placed(text, raw);
}

/** Characters that end a department or office word (采购部, 设备科, 采购办, 财务处, 化验室). */
const DEPARTMENT_END = new Set('部科办处室组'.split(''));
const WORD_TAGS = new Set(['n', 'v', 'vn', 'nz']);

/** jieba's HMM glues a department's last character to the name after it (采购/v 办王芳/x): such an
 * unknown word after an ordinary word is split into that character and the rest. */
export function splitGlued(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (t.tag === 'x' && t.word.length >= 3 && DEPARTMENT_END.has(t.word[0]) && prev && prev.end === t.start && WORD_TAGS.has(prev.tag)) {
      out.push({ word: t.word[0], tag: 'n', start: t.start, end: t.start + 1 }, { word: t.word.slice(1), tag: 'x', start: t.start + 1, end: t.end });
    } else out.push(t);
  }
  return out;
}

/** Loads the dictionary now instead of on the first message. */
export function warmUp(): void {
  lib().tag('预热', true);
}
