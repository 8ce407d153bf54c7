import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from './exceljs.js';

/**
 * Any table out as .csv or .xlsx with a watermark: what it is, when and by whom it was made, the
 * filters it was made with, and each column's definition. CSV carries it as `# ` lines above the
 * header (the importer skips them); xlsx as a second sheet 导出说明 and the workbook's properties.
 * Cells that a spreadsheet would run (= + - @, and tab/CR before them) get a leading '.
 * General: anything that yields rows of cells can use it (the insight CSV export could).
 */
export interface ExportColumn {
  header: string;
  definition: string;
}

export interface Watermark {
  title: string;
  generatedAt: Date;
  by: string;
  filters: Record<string, string | undefined>;
}

export function neutralize(v: unknown): string {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join('|') : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvQuote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function watermarkLines(columns: ExportColumn[], w: Watermark): string[] {
  const filters = Object.entries(w.filters).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${v}`).join('; ') || '无';
  return [
    `客路 Kelu 导出：${w.title}`,
    `生成时间：${w.generatedAt.toISOString()}`,
    `导出人：${w.by}`,
    `筛选条件：${filters}`,
    ...columns.map((c) => `列「${c.header}」：${c.definition}`),
  ].map((l) => l.replace(/[\r\n]+/g, ' '));
}

/** CSV (UTF-8 with BOM) streamed as rows arrive. */
export function csvExport(columns: ExportColumn[], rows: AsyncIterable<unknown[]>, w: Watermark): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      // A # line is one cell: commas and quotes in it are swapped for full-width ones.
      const head = watermarkLines(columns, w).map((l) => `# ${l.replace(/,/g, '，').replace(/"/g, '＂')}`);
      out.write(`\uFEFF${head.join('\r\n')}\r\n\r\n${columns.map((c) => csvQuote(neutralize(c.header))).join(',')}\r\n`);
      for await (const r of rows) {
        if (!out.write(`${r.map((v) => csvQuote(neutralize(v))).join(',')}\r\n`)) await new Promise((res) => out.once('drain', res));
      }
      out.end();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}

/** .xlsx streamed with exceljs's WorkbookWriter (rows committed as written, not held). */
export function xlsxExport(columns: ExportColumn[], rows: AsyncIterable<unknown[]>, w: Watermark): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
      wb.creator = w.by;
      wb.created = w.generatedAt;
      wb.title = w.title;
      wb.description = watermarkLines(columns, w).slice(0, 4).join(' / ');
      const data = wb.addWorksheet(w.title.slice(0, 31));
      data.addRow(columns.map((c) => neutralize(c.header))).commit();
      for await (const r of rows) data.addRow(r.map(neutralize)).commit();
      await data.commit();
      const about = wb.addWorksheet('导出说明');
      for (const l of watermarkLines(columns, w)) about.addRow([neutralize(l)]).commit();
      await about.commit();
      await wb.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}
