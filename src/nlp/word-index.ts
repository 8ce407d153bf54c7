/* Word lists looked up at every position of a message: indexed by their first character, so a
 * lookup tries only the words that can start there (a few) instead of the whole list. */

export interface WordIndex {
  /** Words starting with each first character (UTF-16 code), longest first. */
  byFirst: Map<number, readonly string[]>;
}

export function indexWords(words: readonly string[]): WordIndex {
  const byFirst = new Map<number, string[]>();
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    const c = w.charCodeAt(0);
    let list = byFirst.get(c);
    if (!list) byFirst.set(c, (list = []));
    list.push(w);
  }
  return { byFirst };
}

/** Words of `index` starting at `s[i]`, longest first (empty when none can). */
export function wordsAt(index: WordIndex, s: string, i: number): readonly string[] {
  return index.byFirst.get(s.charCodeAt(i)) ?? NONE;
}

/** The longest word of `index` at `s[i]`, or null. */
export function longestAt(index: WordIndex, s: string, i: number): string | null {
  const list = index.byFirst.get(s.charCodeAt(i));
  if (list) for (const w of list) if (s.startsWith(w, i)) return w;
  return null;
}

const NONE: readonly string[] = [];
