import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import { notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, uuidParam } from './params.js';
import { analyzeUpload, previewJob, proposedMapping, startJob } from '../crm/imports/imports.service.js';
import { getJob, listJobs, resultPages, type ImportJob } from '../crm/imports/imports.repo.js';
import { progressOf, type ImportRunner } from '../crm/imports/import.runner.js';
import { importError } from '../crm/imports/spreadsheet.reader.js';
import { COLUMN_TARGETS, FIELD_LABELS, IMPORT_LIMITS, type ColumnTarget, type Mapping } from '../crm/imports/imports.types.js';
import { csvExport } from '../lib/sheet-export.js';

export interface ImportRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  runner: ImportRunner;
  /** Where an upload is spooled while it is read (default: the OS temp dir). */
  spoolDir?: string;
}

const mappingBody = z.object({ mapping: z.record(z.string().max(200), z.enum(COLUMN_TARGETS as [ColumnTarget, ...ColumnTarget[]])) }).strict();

export function jobView(j: ImportJob) {
  return {
    id: j.id, fileName: j.fileName, fileBytes: j.fileBytes, format: j.format, encoding: j.encoding, status: j.status,
    headers: j.headers, totalRows: j.totalRows, mapping: (j.mapping as Mapping | null) ?? proposedMapping(j),
    proposals: (j.analysis as { proposals?: unknown }).proposals ?? [],
    progress: progressOf(j), createdAt: j.createdAt.toISOString(), startedAt: j.startedAt?.toISOString() ?? null, finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

/** The body, spooled to a temporary file while hashed; refused past 50 MB before more is read. */
async function spool(ctx: Context, dir: string): Promise<{ path: string; bytes: number; sha256: string }> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > IMPORT_LIMITS.maxBytes) {
    ctx.req.resume();
    throw importError('file_too_large', `文件有 ${(declared / 1048576).toFixed(1)} MB，最大 50 MB`, 413);
  }
  const file = path.join(dir, `kelu-import-${randomUUID()}`);
  const hash = createHash('sha256');
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  try {
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > IMPORT_LIMITS.maxBytes) {
        ctx.req.resume();
        throw importError('file_too_large', '文件超过 50 MB', 413);
      }
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  } catch (e) {
    out.destroy();
    await rm(file, { force: true });
    throw e;
  }
  return { path: file, bytes, sha256: hash.digest('hex') };
}

export function importsRouter(deps: ImportRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1/imports' });
  const { db } = deps.database;
  const admin = deps.auth.guard('admin');
  const spoolDir = deps.spoolDir ?? os.tmpdir();

  const load = async (ctx: Context) => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const job = await getJob(db, deps.auth.principal(ctx).tenantId, id);
    if (!job) throw notFound('import');
    return job;
  };

  // The file is the body (any content type); ?name= is its file name for the report.
  r.post('/', admin, async (ctx) => {
    const p = deps.auth.principal(ctx);
    const name = typeof ctx.query.name === 'string' && ctx.query.name.trim() ? ctx.query.name.trim() : 'upload';
    const up = await spool(ctx, spoolDir);
    try {
      const { job, duplicate } = await analyzeUpload(deps.database, p.tenantId, { ...up, fileName: name }, p.actor);
      ctx.status = duplicate ? 200 : 201;
      ctx.body = { ...jobView(job), duplicate, preview: job.status === 'analyzed' ? previewJob(job, proposedMapping(job)) : [] };
    } finally {
      await rm(up.path, { force: true });
    }
  });

  r.get('/', admin, async (ctx) => {
    ctx.body = { items: (await listJobs(db, deps.auth.principal(ctx).tenantId)).map(jobView), nextCursor: null, fields: FIELD_LABELS };
  });

  r.get('/:id', admin, async (ctx) => {
    const job = await load(ctx);
    ctx.body = { ...jobView(job), preview: previewJob(job, (job.mapping as Mapping | null) ?? proposedMapping(job)) };
  });

  r.post('/:id/preview', admin, async (ctx) => {
    const job = await load(ctx);
    const { mapping } = parseWith(mappingBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    ctx.body = { preview: previewJob(job, mapping as Mapping) };
  });

  r.post('/:id/start', admin, async (ctx) => {
    const job = await load(ctx);
    const { mapping } = parseWith(mappingBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const started = await startJob(deps.database, job.tenantId, job.id, mapping as Mapping);
    void deps.runner.kick(job.tenantId, job.id);
    ctx.status = 202;
    ctx.body = jobView(started);
  });

  // Server-sent events: the job's progress now, after every committed chunk, and at the end.
  r.get('/:id/events', admin, async (ctx) => {
    const job = await load(ctx);
    const out = new PassThrough();
    ctx.status = 200;
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.req.socket.setTimeout(0);
    ctx.body = out;
    let last = '';
    const send = (p: ReturnType<typeof progressOf>) => {
      const s = JSON.stringify(p);
      if (s === last) return;
      last = s;
      out.write(`event: progress\ndata: ${s}\n\n`);
      if (p.status === 'done' || p.status === 'failed' || p.status === 'analyzed') close();
    };
    const onProgress = (p: ReturnType<typeof progressOf>) => send(p);
    // Another instance may be running it: the row is the truth, looked at every second as well.
    const poll = setInterval(() => {
      void getJob(db, job.tenantId, job.id).then((j) => j && send(progressOf(j))).catch(() => undefined);
    }, 1000);
    let closed = false;
    function close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      deps.runner.events.off(job.id, onProgress);
      out.end();
    }
    deps.runner.events.on(job.id, onProgress);
    ctx.req.on('close', close);
    send(progressOf(job));
  });

  r.get('/:id/report', admin, async (ctx) => {
    const job = await load(ctx);
    const p = deps.auth.principal(ctx);
    const counts = progressOf(job).counts;
    const outcome: Record<string, string> = { created: '新建', merged: '并入已有客户', unchanged: '已存在，无变化', rejected: '拒绝' };
    async function* rows() {
      for await (const page of resultPages(db, job.tenantId, job.id)) for (const x of page) yield [x.rowNo, outcome[x.outcome] ?? x.outcome, x.customerId, x.detail];
    }
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="import-report-${job.id.slice(0, 8)}.csv"`);
    ctx.body = csvExport([
      { header: '行号', definition: '文件中的行号（表头为第 1 行时，数据从第 2 行起）' },
      { header: '结果', definition: '新建 / 并入已有客户 / 已存在，无变化 / 拒绝' },
      { header: '客户ID', definition: '这一行对应的客户' },
      { header: '说明', definition: '拒绝的原因、记下的冲突或其他提示（电话已打码）' },
    ], rows(), {
      title: `导入报告 ${job.fileName}`, generatedAt: new Date(), by: p.actor,
      filters: { 状态: job.status, 已处理: `${job.rowsDone}/${job.totalRows}`, 新建: String(counts.created), 并入: String(counts.merged), 冲突: String(counts.conflicts), 拒绝: String(counts.rejected) },
    });
  });

  return r;
}
