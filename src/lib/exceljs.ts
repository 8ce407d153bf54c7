import { createRequire } from 'node:module';

/**
 * exceljs, loaded with one fix. Its XML reader (lib/utils/parse-sax.js, 4.4.0) decodes every chunk
 * of an unzipped part on its own, so a Chinese character split across two chunks becomes U+FFFD
 * (客户813 came back as 客���813 in bench:import). The fixed reader keeps a streaming TextDecoder
 * per part. It must replace the module before any of exceljs loads (its readers keep the function
 * they required), so everything in Kelu imports exceljs from here.
 */
const require = createRequire(import.meta.url);
const mainPath = require.resolve('exceljs');
if (require.cache[mainPath]) throw new Error('exceljs was loaded before src/lib/exceljs.ts could fix its UTF-8 decoding');
const parseSaxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const { SaxesParser } = createRequire(parseSaxPath)('saxes') as { SaxesParser: new () => { on(e: string, f: (v: unknown) => void): void; write(s: string): void } };

async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<{ eventType: string; value: unknown }[]> {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: unknown;
  let events: { eventType: string; value: unknown }[] = [];
  parser.on('error', (err) => (error = err));
  for (const eventType of ['opentag', 'text', 'closetag']) parser.on(eventType, (value) => events.push({ eventType, value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

require(parseSaxPath);
require.cache[parseSaxPath]!.exports = parseSax;
const ExcelJS = require('exceljs') as typeof import('exceljs');
export default ExcelJS;
export type { Row, Workbook } from 'exceljs';
