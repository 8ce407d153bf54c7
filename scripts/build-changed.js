#!/usr/bin/env node
// Brings dist/ up to date with src/ before `npm start`, cheaply: every src/**/*.ts newer than its
// dist/**/*.js (or without one) is transpiled alone with esbuild (no type check, ~ms per file), and a
// dist/**/*.js whose source is gone is removed. `npm run build` (tsc, run by `prepare`) stays the full,
// type-checked build; this only keeps a newcomer who edited src/ from running stale code.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

function walk(dir, ext) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out = out.concat(walk(p, ext));
    else if (e.name.endsWith(ext) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const t0 = performance.now();
const sources = walk(src, '.ts');
const wanted = new Set();
const changed = [];
for (const file of sources) {
  const out = path.join(dist, path.relative(src, file)).replace(/\.ts$/, '.js');
  wanted.add(out);
  if (mtime(out) < mtime(file)) changed.push([file, out]);
}
// esbuild (its service process) is loaded only when something changed.
const { transform } = changed.length ? await import('esbuild') : { transform: null };
await Promise.all(
  changed.map(async ([file, out]) => {
    const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: file });
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, code);
  }),
);
const stale = walk(dist, '.js').filter((f) => !wanted.has(f));
for (const f of stale) rmSync(f);
if (changed.length || stale.length) {
  const ms = Math.round(performance.now() - t0);
  process.stderr.write(`kelu: dist/ brought up to date (${changed.length} transpiled, ${stale.length} removed, ${ms} ms); npm run build for a type-checked build\n`);
}
