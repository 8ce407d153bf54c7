import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { importJobs } from '../../db/schema.js';
import { badRequest, conflict, notFound } from '../../lib/errors.js';
import { findJobByHash, getJob, insertJob, rememberMapping, rememberedMapping, storeFileChunk, type ImportJob } from './imports.repo.js';
import { headersKey, proposeMapping } from './header-mapping.js';
import { isPreamble, importError, sheetRows, sniffFile, type SheetFormat, type TextEncoding } from './spreadsheet.reader.js';
import { parseRow, rowRejected, type ParsedRow } from './row.js';
import { COLUMN_TARGETS, IMPORT_LIMITS, type ColumnProposal, type ColumnTarget, type Mapping, type RowProblem } from './imports.types.js';

const SAMPLE_ROWS = 200;
const PREVIEW_ROWS = 20;
const FILE_CHUNK = 1024 * 1024;

export interface Analysis {
  proposals: ColumnProposal[];
  /** The first rows as read (for the preview under any mapping). */
  previewRows: { rowNo: number; cells: string[] }[];
}

export interface Uploaded {
  path: string;
  bytes: number;
  sha256: string;
  fileName: string;
}

/**
 * Reads the whole file once before anything is written: what it is, its encoding, its header, every
 * row (formula cells, encodings, limits), and a mapping proposal. A file refused here leaves nothing.
 * The same file (by SHA-256) uploaded again answers with its first job.
 */
export async function analyzeUpload(database: Database, tenantId: string, up: Uploaded, actor: string): Promise<{ job: ImportJob; duplicate: boolean }> {
  const { db } = database;
  const existing = await findJobByHash(db, tenantId, up.sha256);
  if (existing) return { job: existing, duplicate: true };
  if (up.bytes > IMPORT_LIMITS.maxBytes) throw importError('file_too_large', `文件有 ${(up.bytes / 1048576).toFixed(1)} MB，最大 50 MB`, 413);
  const { format } = await sniffFile(up.path, up.bytes);
  let encoding: TextEncoding | null = null;
  let headers: string[] | null = null;
  let headerRow = 0;
  let dataRows = 0;
  const samples: string[][] = [];
  const previewRows: Analysis['previewRows'] = [];
  for await (const r of sheetRows(format, createReadStream(up.path), null, (e) => (encoding = e))) {
    if (!headers) {
      if (isPreamble(r.cells)) continue;
      headers = dedupeHeaders(r.cells);
      headerRow = r.rowNo;
      continue;
    }
    if (++dataRows > IMPORT_LIMITS.maxRows) throw importError('too_many_rows', `超过 ${IMPORT_LIMITS.maxRows.toLocaleString('en')} 行，请拆分后再导入`, 413);
    if (samples.length < SAMPLE_ROWS) samples.push(r.cells);
    if (previewRows.length < PREVIEW_ROWS) previewRows.push(r);
  }
  if (!headers || dataRows === 0) throw importError('empty_sheet', headers ? '表格只有表头，没有数据行' : '第一个工作表是空的');
  const remembered = await rememberedMapping(db, tenantId, headersKey(headers));
  const analysis: Analysis = { proposals: proposeMapping(headers, samples, remembered), previewRows };
  try {
    const job = await db.transaction(async (tx) => {
      const j = await insertJob(tx, {
        tenantId, fileName: up.fileName.slice(0, 200), fileSha256: up.sha256, fileBytes: up.bytes, format, encoding: format === 'csv' ? encoding : null,
        status: 'analyzed', headers, headerRow, totalRows: dataRows, analysis: analysis as unknown as Record<string, unknown>, createdBy: actor,
      });
      await storeFile(tx, tenantId, j.id, up.path);
      return j;
    });
    return { job, duplicate: false };
  } catch (e) {
    const again = await findJobByHash(db, tenantId, up.sha256);
    if (again) return { job: again, duplicate: true };
    throw e;
  }
}

async function storeFile(tx: Tx, tenantId: string, jobId: string, path: string): Promise<void> {
  const fh = await openFile(path, 'r');
  try {
    const buf = Buffer.alloc(FILE_CHUNK);
    for (let seq = 0, pos = 0; ; seq++) {
      const { bytesRead } = await fh.read(buf, 0, FILE_CHUNK, pos);
      if (bytesRead === 0) break;
      await storeFileChunk(tx, tenantId, jobId, seq, Buffer.from(buf.subarray(0, bytesRead)));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** Blank headers get a column letter; repeated ones a suffix, so each header names one column. */
export function dedupeHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const h = c.trim() || `第${i + 1}列`;
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h}(${n})`;
  });
}

export function targetsOf(headers: string[], mapping: Mapping): ColumnTarget[] {
  return headers.map((h) => mapping[h] ?? 'skip');
}

export function checkMapping(headers: string[], mapping: Mapping): void {
  for (const [h, t] of Object.entries(mapping)) {
    if (!headers.includes(h)) throw badRequest('unknown_column', `表格没有「${h}」这一列`);
    if (!COLUMN_TARGETS.includes(t)) throw badRequest('unknown_target', `「${h}」映射到未知字段 ${String(t)}`);
  }
  const targets = targetsOf(headers, mapping);
  for (const single of ['name', 'company', 'title', 'region'] as const) {
    if (targets.filter((t) => t === single).length > 1) throw badRequest('duplicate_target', `有两列都映射到了同一个字段（${single}）`);
  }
  if (!targets.some((t) => t === 'phone' || t === 'email' || t === 'wechat_id')) {
    throw badRequest('no_identity_column', '至少要有一列是电话、邮箱或微信号，才能识别客户');
  }
}

export function proposedMapping(job: ImportJob): Mapping {
  const a = job.analysis as unknown as Analysis;
  return Object.fromEntries(a.proposals.map((p) => [p.header, p.target]));
}

export interface PreviewRow {
  rowNo: number;
  cells: string[];
  rejected: boolean;
  problems: RowProblem[];
  parsed: Pick<ParsedRow, 'identities' | 'profile' | 'tags' | 'custom'>;
}

/** The first rows under a mapping, each with what is wrong in it; nothing is written. */
export function previewJob(job: ImportJob, mapping: Mapping): PreviewRow[] {
  const a = job.analysis as unknown as Analysis;
  const targets = targetsOf(job.headers, mapping);
  return a.previewRows.map((r) => {
    const p = parseRow(r.cells, job.headers, targets);
    return { rowNo: r.rowNo, cells: r.cells, rejected: rowRejected(p), problems: p.problems.map((x) => ({ ...x })), parsed: { identities: p.identities.map((i) => ({ kind: i.kind, value: i.value })), profile: p.profile, tags: p.tags, custom: p.custom } };
  });
}

/** Confirms a mapping: remembered for the next file with these headers, and the job is queued to run. */
export async function startJob(database: Database, tenantId: string, id: string, mapping: Mapping): Promise<ImportJob> {
  return database.db.transaction(async (tx) => {
    const job = await getJob(tx, tenantId, id);
    if (!job) throw notFound('import');
    if (job.status !== 'analyzed') throw conflict('import_already_started', '这个导入已经开始或已完成');
    const full: Mapping = Object.fromEntries(job.headers.map((h) => [h, mapping[h] ?? 'skip']));
    checkMapping(job.headers, full);
    await rememberMapping(tx, tenantId, headersKey(job.headers), full);
    const [j] = await tx.update(importJobs).set({ status: 'running', mapping: full, startedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, id), eq(importJobs.status, 'analyzed'))).returning();
    if (!j) throw conflict('import_already_started', '这个导入已经开始或已完成');
    return j;
  });
}

export type { SheetFormat };
