/* `kelu extract`: JSON Lines in, JSON Lines out, in input order. A bad line yields an
 * error object in its place; only unreadable input makes the exit code non-zero. */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { extract, validateCatalog, type Catalog } from '../nlp/index.js';

export interface ExtractArgs { catalog?: string; ref?: string; tz?: string }

export const DEFAULT_CATALOG = new URL('../../seed/demo-catalog.json', import.meta.url);

export async function loadCatalog(file?: string): Promise<Catalog> {
  const raw = await readFile(file ?? DEFAULT_CATALOG, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`catalog ${file ?? 'demo'} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return validateCatalog(parsed);
}

function lineResult(line: string, catalog: Catalog, args: ExtractArgs): unknown {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { id: null, error: 'line is not valid JSON' };
  }
  const o = (msg !== null && typeof msg === 'object' ? msg : {}) as Record<string, unknown>;
  const id = o.id ?? null;
  if (typeof o.text !== 'string') return { id, error: 'missing string "text"' };
  const ref = typeof o.ref === 'string' ? o.ref : args.ref;
  try {
    return { id, entities: extract(o.text, { ref, timeZone: args.tz, catalog }) };
  } catch (err) {
    return { id, error: (err as Error).message };
  }
}

/** Streams `input` line by line; resolves once every line has been answered. */
export async function runExtract(args: ExtractArgs, input: Readable, output: Writable): Promise<void> {
  const catalog = await loadCatalog(args.catalog);
  if (args.ref !== undefined && !Number.isFinite(Date.parse(args.ref))) throw new Error(`--ref is not a date: ${args.ref}`);
  if (args.tz !== undefined) extract('', { timeZone: args.tz }); // fail fast on an unknown zone
  const rl = createInterface({ input, crlfDelay: Infinity });
  let buffer = '';
  for await (const line of rl) {
    if (line.trim().length === 0) continue;
    buffer += JSON.stringify(lineResult(line, catalog, args)) + '\n';
    if (buffer.length > 65536) {
      if (!output.write(buffer)) await new Promise((r) => output.once('drain', r));
      buffer = '';
    }
  }
  if (buffer) output.write(buffer);
}
