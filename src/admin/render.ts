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
