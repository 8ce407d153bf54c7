/* jieba (@node-rs/jieba: jieba-rs, prebuilt binaries inside the npm package, no install script).
 * The segmenter is one immutable instance with jieba's default dictionary; nothing a call
 * does adds to it, so extraction is pure per tenant (catalog words are matched by the
 * catalog's own automaton, catalog.matcher.ts, never added here). The dictionary loads on
 * the first message (about 0.1 s); `warmUp()` loads it at boot. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

export interface Token { word: string; tag: string; start: number; end: number }

interface Tagger { tag(sentence: string, hmm?: boolean): Array<{ word: string; tag: string }> }
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

/** POS-tagged tokens (HMM on for unknown words) with offsets into `text`. */
export function tokenize(text: string): Token[] {
  if (text.length === 0) return [];
  const raw = lib().tag(text, true);
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
