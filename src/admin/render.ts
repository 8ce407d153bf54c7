import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

const cache = new Map<string, string>();

export function viewFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(VIEWS_DIR, name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * A page shell (views/<name>.html) with its data as JSON in <script type="application/json" id="data">;
 * the page's script reads it. `<` is escaped so no value can close the script element.
 */
export function renderPage(name: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return viewFile(`${name}.html`).replace('<!--DATA-->', `<script type="application/json" id="data">${json}</script>`);
}

/** A page's Content-Security-Policy: our own origin, plus the script and frame origins a platform's in-app page needs. */
export function pagePolicy(o: { script?: string[]; frame?: string[] } = {}): string {
  return ["default-src 'self'", `script-src 'self' ${(o.script ?? []).join(' ')}`.trim(), "img-src 'self' data:", "style-src 'self'", "connect-src 'self'", `frame-ancestors 'self' ${(o.frame ?? []).join(' ')}`.trim()].join('; ');
}

/** Answers with a rendered shell: never cached, no referrer, under the given policy. */
export function sendPage(ctx: { status: number; type: string; body: unknown; set(k: string, v: string): void }, csp: string, name: string, data: unknown, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Content-Security-Policy', csp);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = renderPage(name, data);
}
