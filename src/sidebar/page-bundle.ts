import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { VIEWS_DIR } from '../admin/render.js';

/** The sidebar page's script: views/sidebar/main.js and the platforms' JS-SDK glue it imports, bundled and minified. */
export interface PageBundle {
  js: string;
  /** Gzipped bytes (what a webview downloads). */
  gzipBytes: number;
}

let cached: Promise<PageBundle> | undefined;

/** Bundles once per process (about 50 ms with esbuild) and keeps it; `npm run build` checks it builds. */
export function sidebarBundle(): Promise<PageBundle> {
  cached ??= build({
    entryPoints: [path.join(VIEWS_DIR, 'sidebar/main.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    write: false,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  }).then((r) => {
    const js = r.outputFiles[0]!.text;
    return { js, gzipBytes: gzipSync(js).length };
  });
  cached.catch(() => (cached = undefined));
  return cached;
}
