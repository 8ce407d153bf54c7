/* Catalog matching. Each catalog compiles to its own trie of keys (names, aliases and their
 * variants), walked over the message alongside segmentation; nothing is added to the shared
 * segmenter, so one tenant's catalog can never change another tenant's results. The catalog
 * arrives with every call, so its compiled form is cached twice: by array identity (WeakMap,
 * free when the caller reuses the array) and by a content hash (a re-read but identical
 * catalog file compiles once). A changed catalog simply compiles anew: no restart. */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Catalog, CatalogProduct, ProductMention } from './types.js';
import { normalizeKey } from './normalize.js';

// The natural package's root import pulls in every module (over a second, and a dotenv
// banner on stdout that would corrupt the CLI's JSON Lines); the distance module alone
// loads in milliseconds.
const require = createRequire(import.meta.url);
const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance: (a: string, b: string) => number;
};

interface Key { key: string; product: CatalogProduct; variant: boolean }
/** A trie node: the key ending here, if any, and the next characters (UTF-16 codes). */
interface TrieNode { key?: Key; next: Map<number, TrieNode> }

/** Interchangeable last characters of instrument names. */
const INSTRUMENT = '仪计器机表';
const GENERIC_TAIL = /(方案|系统|服务)$/;

export interface CompiledCatalog {
  /** Every key, one character per edge. */
  trie: TrieNode;
  /** Keys long enough to tolerate one typo. */
  fuzzy: Key[];
  size: number;
}

const byIdentity = new WeakMap<object, CompiledCatalog>();
const byHash = new Map<string, CompiledCatalog>();
const MAX_HASHED = 64;

/** Checks the shape of a catalog; throws an Error naming the first problem. */
export function validateCatalog(x: unknown): Catalog {
  if (!Array.isArray(x)) throw new Error('catalog must be an array of products');
  const ids = new Set<string>();
  x.forEach((p: unknown, i: number) => {
    if (p === null || typeof p !== 'object') throw new Error(`catalog[${i}] must be an object`);
    const o = p as Record<string, unknown>;
    if (typeof o.id !== 'string' || o.id.length === 0) throw new Error(`catalog[${i}].id must be a non-empty string`);
    if (typeof o.name !== 'string' || o.name.trim().length === 0) throw new Error(`catalog[${i}].name must be a non-empty string`);
    if (o.aliases !== undefined && (!Array.isArray(o.aliases) || o.aliases.some((a) => typeof a !== 'string'))) {
      throw new Error(`catalog[${i}].aliases must be an array of strings`);
    }
    if (ids.has(o.id)) throw new Error(`catalog[${i}].id "${o.id}" is duplicated`);
    ids.add(o.id);
  });
  return x as Catalog;
}

function compile(catalog: Catalog): CompiledCatalog {
  const keys: Key[] = [];
  const seen = new Set<string>();
  const add = (key: string, product: CatalogProduct, variant: boolean): void => {
    if (key.length < 2 || seen.has(key)) return;
    seen.add(key);
    keys.push({ key, product, variant });
  };
  for (const product of catalog) {
    for (const raw of [product.name, ...(product.aliases ?? [])]) add(normalizeKey(raw), product, false);
  }
  // Variants come second, so a product's own name always beats another one's variant.
  for (const product of catalog) {
    const name = normalizeKey(product.name);
    for (const key of [name, ...(product.aliases ?? []).map(normalizeKey)]) {
      // 血压计 is also typed 血压仪 or 血压表: instrument suffixes stand in for each other.
      // (Keys of four or more characters already tolerate one typo.)
      if (key.length === 3 && INSTRUMENT.includes(key[2]) && /[\u4e00-\u9fff]{2}/.test(key.slice(0, 2))) {
        for (const c of INSTRUMENT) add(key.slice(0, 2) + c, product, true);
      }
    }
    // The name without a generic last word (消毒供应室改造方案 → 消毒供应室改造).
    const bare = name.replace(GENERIC_TAIL, '');
    if (bare.length >= 6) add(bare, product, true);
  }
  const trie: TrieNode = { next: new Map() };
  for (const k of keys) {
    let node = trie;
    for (let i = 0; i < k.key.length; i++) {
      const c = k.key.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map() }));
      node = child;
    }
    node.key = k;
  }
  keys.sort((a, b) => b.key.length - a.key.length);
  return { trie, fuzzy: keys.filter((k) => k.key.length >= 4 && !k.variant), size: keys.length };
}

export function compileCatalog(catalog: Catalog): CompiledCatalog {
  const hit = byIdentity.get(catalog);
  if (hit) return hit;
  validateCatalog(catalog);
  const hash = createHash('sha1').update(JSON.stringify(catalog)).digest('hex');
  let compiled = byHash.get(hash);
  if (!compiled) {
    compiled = compile(catalog);
    if (byHash.size >= MAX_HASHED) byHash.delete(byHash.keys().next().value as string);
    byHash.set(hash, compiled);
  }
  byIdentity.set(catalog, compiled);
  return compiled;
}

/** [a-z0-9] at `i` (false outside the text). */
function isAsciiWord(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** Latin edges must stand alone: "dr" must not match inside "drive". */
function standsAlone(norm: string, s: number, e: number): boolean {
  if (isAsciiWord(norm, s) && isAsciiWord(norm, s - 1)) return false;
  return !(isAsciiWord(norm, e - 1) && isAsciiWord(norm, e));
}

/** Products mentioned in `norm`, longest match first, each product once, in text order. */
/** A product found, with its span in the text (persons never lie inside one). */
export type ProductHit = ProductMention & { index: number; end: number };

export function matchProducts(norm: string, orig: string, compiled: CompiledCatalog): ProductHit[] {
  if (compiled.size === 0) return [];
  const hits: Array<{ index: number; end: number; product: CatalogProduct; variant: boolean }> = [];
  const taken = new Uint8Array(norm.length);
  // Map positions of the space-free key back onto the text with spaces.
  const spaced = norm.includes(' ');
  const squeezed = spaced ? norm.replaceAll(' ', '') : norm;
  const chars: number[] = [];
  if (spaced) for (let i = 0; i < norm.length; i++) if (norm[i] !== ' ') chars.push(i);
  const at = (k: number): number => (spaced ? chars[k] : k);
  const used = new Set<string>();
  const ending: Key[] = [];
  for (let i = 0; i < squeezed.length; i++) {
    // Every key starting at i, found in one walk down the trie; the longest that fits wins.
    ending.length = 0;
    for (let node = compiled.trie.next.get(squeezed.charCodeAt(i)), j = i + 1; node; node = node.next.get(squeezed.charCodeAt(j++))) {
      if (node.key) ending.push(node.key);
    }
    for (let n = ending.length - 1; n >= 0; n--) {
      const k = ending[n];
      const s = at(i);
      const e = at(i + k.key.length - 1) + 1;
      if (!standsAlone(norm, s, e)) continue;
      let free = true;
      for (let p = s; p < e; p++) if (taken[p]) { free = false; break; }
      if (!free) continue;
      for (let p = s; p < e; p++) taken[p] = 1;
      hits.push({ index: s, end: e, product: k.product, variant: k.variant });
      i += k.key.length - 1;
      break;
    }
  }
  // One typo in a long name (心电监护器 for 心电监护仪) when nothing exact covers it.
  for (const k of compiled.fuzzy) {
    if (hits.some((h) => h.product.id === k.product.id && !h.variant)) continue;
    const L = k.key.length;
    const c0 = k.key.charCodeAt(0);
    const c1 = k.key.charCodeAt(1);
    for (let i = squeezed.indexOf(k.key[0]); i >= 0 && i + L <= squeezed.length; i = squeezed.indexOf(k.key[0], i + 1)) {
      if (squeezed.charCodeAt(i) !== c0 || squeezed.charCodeAt(i + 1) !== c1) continue;
      const window = squeezed.slice(i, i + L);
      if (DamerauLevenshteinDistance(window, k.key) > 1) continue;
      const s = at(i);
      const e = at(i + L - 1) + 1;
      if (!standsAlone(norm, s, e)) continue;
      // A variant match inside this window (监护器 in 心电监护器) gives way to it.
      const inner = hits.findIndex((h) => h.variant && h.product.id === k.product.id && h.index >= s && h.end <= e);
      const own = (p: number): boolean => inner >= 0 && p >= hits[inner].index && p < hits[inner].end;
      let free = true;
      for (let p = s; p < e; p++) if (taken[p] && !own(p)) { free = false; break; }
      if (!free) continue;
      if (inner >= 0) hits.splice(inner, 1);
      for (let p = s; p < e; p++) taken[p] = 1;
      hits.push({ index: s, end: e, product: k.product, variant: false });
      break;
    }
  }
  hits.sort((a, b) => a.index - b.index);
  const out: ProductHit[] = [];
  for (const h of hits) {
    if (used.has(h.product.id)) continue;
    used.add(h.product.id);
    out.push({ id: h.product.id, name: h.product.name, text: orig.slice(h.index, h.end), index: h.index, end: h.end });
  }
  return out;
}
