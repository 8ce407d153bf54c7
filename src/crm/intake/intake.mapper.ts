import { createHash } from 'node:crypto';
import { maskPhonesInText } from '../../lib/mask.js';
import { TARGET_FIELDS, type MappedLead, type SourceMapping } from './intake.types.js';

// Pure: a source's JSON -> leads by its mapping. Nothing here rejects a lead: what the mapping does not
// know is kept (raw, and in the lead text for extraction) and named, so the admin can teach the mapping.

export function valueAt(obj: unknown, path: string): unknown {
  if (path === '') return obj;
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const scalar = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
};

/** The leads in a body: the first records path that holds an array (or, for '', the body itself). */
export function recordsOf(body: unknown, m: SourceMapping): Record<string, unknown>[] {
  for (const p of m.records) {
    const v = valueAt(body, p);
    if (Array.isArray(v)) return v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x)).slice(0, 500);
    if (p === '' && v && typeof v === 'object' && !m.records.slice(1).some((q) => Array.isArray(valueAt(body, q)))) return [v as Record<string, unknown>];
  }
  return [];
}

/** Top-level names the mapping knows (any path's first segment). */
export function knownNames(m: SourceMapping): Set<string> {
  const all = [...m.externalId, ...m.extras, ...m.known, ...TARGET_FIELDS.flatMap((f) => m.fields[f] ?? [])];
  return new Set(all.map((p) => p.split('.')[0]!));
}

const sampleOf = (v: unknown) => maskPhonesInText(typeof v === 'string' ? v : JSON.stringify(v) ?? '').replace(/[\r\n]+/g, ' ').slice(0, 40);

export function mapRecord(rec: Record<string, unknown>, m: SourceMapping): MappedLead {
  const given: MappedLead['given'] = {};
  for (const f of TARGET_FIELDS) {
    for (const p of m.fields[f] ?? []) {
      const v = scalar(valueAt(rec, p));
      if (v) {
        given[f] = v.slice(0, f === 'text' ? 5000 : 200);
        break;
      }
    }
  }
  let externalId: string | null = null;
  for (const p of m.externalId) {
    const v = scalar(valueAt(rec, p));
    if (v) {
      externalId = v.slice(0, 200);
      break;
    }
  }
  const lines: string[] = [];
  if (given.text) lines.push(given.text);
  for (const p of m.extras) {
    const v = valueAt(rec, p);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (scalar(x)) lines.push(`${k}：${scalar(x)}`);
    } else if (Array.isArray(v)) {
      for (const x of v) {
        const o = x as Record<string, unknown> | null;
        const label = scalar(o?.name ?? o?.label ?? o?.question);
        const val = scalar(o?.value ?? o?.answer);
        if (label && val) lines.push(`${label}：${val}`);
      }
    }
  }
  const known = knownNames(m);
  const unknown: MappedLead['unknown'] = [];
  for (const [k, v] of Object.entries(rec)) {
    if (known.has(k) || v === null || v === undefined || v === '') continue;
    unknown.push({ field: k.slice(0, 100), sample: sampleOf(v) });
    // A renamed field still reaches extraction: a phone under a new name is found in the text.
    const s = scalar(v);
    if (s) lines.push(`${k}：${s.slice(0, 500)}`);
  }
  return { externalId, given, text: lines.join('\n').slice(0, 20_000), unknown: unknown.slice(0, 50) };
}

/** A lead without an id of its own is known by its content: the same push twice is one lead. */
export function contentId(rec: Record<string, unknown>): string {
  const canonical = JSON.stringify(rec, Object.keys(rec).sort());
  return `sha256:${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}
