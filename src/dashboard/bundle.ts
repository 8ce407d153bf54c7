import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { VIEWS_DIR } from '../admin/render.js';

// The dashboard's script: views/dashboard.main.js with the ECharts modules it imports (not all of
// ECharts), bundled and minified by esbuild. `npm run build` writes it to dist/views/; a server
// without it (development, tests) bundles once in memory.
export const DASHBOARD_ENTRY = path.join(VIEWS_DIR, 'dashboard.main.js');
export const DASHBOARD_OUT = path.resolve(VIEWS_DIR, '../dist/views/dashboard.js');

export async function bundleDashboard(): Promise<string> {
  const r = await build({ entryPoints: [DASHBOARD_ENTRY], bundle: true, minify: true, format: 'iife', target: 'es2020', write: false, legalComments: 'none' });
  return r.outputFiles[0]!.text;
}

export async function writeDashboardBundle(): Promise<{ bytes: number; gzipBytes: number }> {
  const text = await bundleDashboard();
  mkdirSync(path.dirname(DASHBOARD_OUT), { recursive: true });
  writeFileSync(DASHBOARD_OUT, text);
  return { bytes: Buffer.byteLength(text), gzipBytes: gzipSync(text).length };
}

let cached: Promise<string> | undefined;

/** The built file when it is newer than its source, else an in-memory bundle (made once). */
export function dashboardScript(): Promise<string> {
  cached ??= (async () => {
    if (existsSync(DASHBOARD_OUT) && statSync(DASHBOARD_OUT).mtimeMs >= statSync(DASHBOARD_ENTRY).mtimeMs) return readFileSync(DASHBOARD_OUT, 'utf8');
    return bundleDashboard();
  })();
  return cached;
}
