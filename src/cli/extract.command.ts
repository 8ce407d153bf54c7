/* `kelu extract`: JSON Lines in, JSON Lines out, in input order. A bad line yields an
 * error object in its place; only unreadable input makes the exit code non-zero. */
import { readFile } from 'node:fs/promises';
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

/** Streams `input` line by line; resolves once every line has been answered. Lines are split out of
 * each chunk as it arrives and their answers written in batches: one write per 64 KB, not per line. */
export async function runExtract(args: ExtractArgs, input: Readable, output: Writable): Promise<void> {
  const catalog = await loadCatalog(args.catalog);
  if (args.ref !== undefined && !Number.isFinite(Date.parse(args.ref))) throw new Error(`--ref is not a date: ${args.ref}`);
  if (args.tz !== undefined) extract('', { timeZone: args.tz }); // fail fast on an unknown zone
  let buffer = '';
  const answer = (raw: string): void => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim().length > 0) buffer += JSON.stringify(lineResult(line, catalog, args)) + '\n';
  };
  const flush = async (): Promise<void> => {
    if (buffer && !output.write(buffer)) await new Promise((r) => output.once('drain', r));
    buffer = '';
  };
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    let nl = chunk.indexOf('\n');
    if (nl < 0) { rest += chunk; continue; }
    answer(rest + chunk.slice(0, nl));
    let from = nl + 1;
    for (nl = chunk.indexOf('\n', from); nl >= 0; from = nl + 1, nl = chunk.indexOf('\n', from)) answer(chunk.slice(from, nl));
    rest = chunk.slice(from);
    if (buffer.length > 65536) await flush();
  }
  answer(rest);
  await flush();
}
