import { EventEmitter } from 'node:events';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { importJobs } from '../../db/schema.js';
import type { Logger } from '../../lib/logger.js';
import { isAppError } from '../../lib/errors.js';
import { fileStream, insertResults, type ImportJob, type ResultRow } from './imports.repo.js';
import { isPreamble, sheetRows, type TextEncoding } from './spreadsheet.reader.js';
import { parseRow, rowRejected } from './row.js';
import { targetsOf } from './imports.service.js';
import { resolveRowsBatched, resolveRowsOneByOne, type ImportRowInput } from './batch-resolve.js';
import { emptyCounts, type ImportCounts, type Mapping } from './imports.types.js';

export interface ImportProgress {
  jobId: string;
  status: ImportJob['status'];
  rowsDone: number;
  totalRows: number;
  counts: ImportCounts;
  error: { code: string; message: string } | null;
}

export interface RunnerOptions {
  /** Rows per transaction: progress is saved with each, so a restart redoes at most one. */
  chunkRows?: number;
  leaseMs?: number;
  /** How often to look for running jobs nobody holds (another instance died, or this one restarted). */
  pollMs?: number;
  /** 'batched' (default) or 'rows' (resolveCustomer per row): the two must agree. */
  mode?: 'batched' | 'rows';
  /** Test hook, after each committed chunk. */
  afterChunk?: (job: ImportJob, rowsDone: number) => void | Promise<void>;
}

export const progressOf = (j: ImportJob): ImportProgress => ({
  jobId: j.id, status: j.status, rowsDone: j.rowsDone, totalRows: j.totalRows, counts: { ...emptyCounts(), ...j.counts }, error: j.error ?? null,
});

/**
 * Runs confirmed imports: a job is held by a lease in its row, read from the stored file, and
 * committed chunk by chunk together with its row offset and counts, so a restart (or another
 * instance, once the lease lapses) continues after the last committed chunk and no row is applied twice.
 */
export class ImportRunner {
  readonly events = new EventEmitter();
  private running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly o: Required<Omit<RunnerOptions, 'afterChunk'>> & Pick<RunnerOptions, 'afterChunk'>;

  constructor(private readonly database: Database, private readonly logger: Logger, o: RunnerOptions = {}) {
    this.o = { chunkRows: o.chunkRows ?? 5000, leaseMs: o.leaseMs ?? 60_000, pollMs: o.pollMs ?? 5_000, mode: o.mode ?? 'batched', afterChunk: o.afterChunk };
    this.events.setMaxListeners(0);
  }

  /** Resumes running jobs nobody holds, now and every pollMs. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.resumeAll().catch((err: unknown) => this.logger.error({ err: (err as Error)?.message }, 'import resume failed'));
      this.timer = setTimeout(tick, this.o.pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  async resumeAll(): Promise<void> {
    const rows = await this.database.db.select({ id: importJobs.id, tenantId: importJobs.tenantId }).from(importJobs)
      .where(and(eq(importJobs.status, 'running'), or(isNull(importJobs.leaseUntil), lt(importJobs.leaseUntil, new Date()))));
    for (const r of rows) this.kick(r.tenantId, r.id);
  }

  kick(tenantId: string, jobId: string): Promise<void> {
    const existing = this.running.get(jobId);
    if (existing) return existing;
    const p = this.run(tenantId, jobId)
      .catch((err: unknown) => this.logger.error({ jobId, err: (err as Error)?.message }, 'import run failed'))
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, p);
    return p;
  }

  /** Waits for a job this runner is running (tests, bench). */
  async settled(jobId: string): Promise<void> {
    await this.running.get(jobId);
  }

  private async claim(tenantId: string, jobId: string): Promise<ImportJob | null> {
    const [j] = await this.database.db.update(importJobs)
      .set({ leaseUntil: sql`now() + ${`${this.o.leaseMs} milliseconds`}::interval`, updatedAt: new Date() })
      .where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, jobId), eq(importJobs.status, 'running'), or(isNull(importJobs.leaseUntil), lt(importJobs.leaseUntil, sql`now()`))))
      .returning();
    return j ?? null;
  }

  private async run(tenantId: string, jobId: string): Promise<void> {
    let job = await this.claim(tenantId, jobId);
    if (!job) return;
    const { db } = this.database;
    const targets = targetsOf(job.headers, (job.mapping ?? {}) as Mapping);
    const counts: ImportCounts = { ...emptyCounts(), ...job.counts };
    const skip = job.rowsDone;
    let seen = 0;
    let header = false;
    let chunk: { rowNo: number; cells: string[] }[] = [];
    let pending: Promise<void> | null = null;
    this.emit(job);

    const flush = async (rows: { rowNo: number; cells: string[] }[]) => {
      if (!rows.length || !job) return;
      const now = new Date();
      const actor = `import:${jobId}`;
      const attempt = async (mode: 'batched' | 'rows') => db.transaction(async (tx) => {
        const results: ResultRow[] = [];
        const valid: ImportRowInput[] = [];
        const delta = emptyCounts();
        for (const r of rows) {
          const parsed = parseRow(r.cells, job!.headers, targets);
          const warnings = parsed.problems.filter((p) => p.severity === 'warning').map((p) => p.message);
          if (rowRejected(parsed)) {
            results.push({ rowNo: r.rowNo, outcome: 'rejected', customerId: null, detail: parsed.problems.map((p) => p.message).join('；') });
            delta.rejected++;
          } else valid.push({ rowNo: r.rowNo, row: parsed });
          if (warnings.length && !rowRejected(parsed)) (r as { warn?: string }).warn = warnings.join('；');
        }
        const resolved = mode === 'batched' ? await resolveRowsBatched(tx, tenantId, valid, actor, now) : await resolveRowsOneByOne(tx, tenantId, valid, actor, now);
        const warnOf = new Map(rows.map((r) => [r.rowNo, (r as { warn?: string }).warn ?? null]));
        for (const x of resolved) {
          delta[x.outcome === 'created' ? 'created' : 'merged']++;
          if (x.outcome === 'unchanged') delta.unchanged++;
          if (x.conflicts) delta.conflicts++;
          delta.customersMerged += x.customersMerged;
          const detail = [x.conflicts ? '有不一致的值，已记为冲突' : null, warnOf.get(x.rowNo)].filter(Boolean).join('；') || null;
          results.push({ rowNo: x.rowNo, outcome: x.outcome, customerId: x.customerId, detail });
        }
        results.sort((a, b) => a.rowNo - b.rowNo);
        await insertResults(tx, tenantId, jobId, results);
        const next: ImportCounts = { ...counts };
        for (const k of Object.keys(delta) as (keyof ImportCounts)[]) next[k] += delta[k];
        const [j] = await tx.update(importJobs)
          .set({ rowsDone: sql`${importJobs.rowsDone} + ${rows.length}`, counts: { ...next }, leaseUntil: sql`now() + ${`${this.o.leaseMs} milliseconds`}::interval`, updatedAt: new Date() })
          .where(and(eq(importJobs.id, jobId), eq(importJobs.rowsDone, job!.rowsDone), eq(importJobs.status, 'running')))
          .returning();
        // Someone else advanced this job (our lease lapsed): stop without committing.
        if (!j) throw Object.assign(new Error('import lease lost'), { leaseLost: true });
        Object.assign(counts, next);
        return j;
      });
      try {
        job = await attempt(this.o.mode);
      } catch (e) {
        if (!(e as { retryable?: boolean }).retryable) throw e;
        job = await attempt('rows');
      }
      this.emit(job);
      await this.o.afterChunk?.(job, job.rowsDone);
    };

    try {
      for await (const r of sheetRows(job.format, fileStream(db, tenantId, jobId), (job.encoding as TextEncoding | null) ?? 'utf-8')) {
        if (this.stopped) {
          if (pending) await pending;
          return;
        }
        if (!header) {
          if (r.rowNo >= job.headerRow) header = true;
          continue;
        }
        if (isPreamble(r.cells) && r.cells.length === 0) continue;
        if (++seen <= skip) continue;
        chunk.push(r);
        if (chunk.length >= this.o.chunkRows) {
          // Double buffering: the next chunk is read and parsed while this one is written.
          if (pending) await pending;
          pending = flush(chunk);
          pending.catch(() => undefined);
          chunk = [];
        }
      }
      if (pending) await pending;
      await flush(chunk);
      const [done] = await db.update(importJobs).set({ status: 'done', finishedAt: new Date(), leaseUntil: null, updatedAt: new Date() })
        .where(and(eq(importJobs.id, jobId), eq(importJobs.status, 'running'))).returning();
      if (done) this.emit(done);
    } catch (e) {
      if ((e as { leaseLost?: boolean }).leaseLost) return;
      if (!isAppError(e)) {
        // Not the file's fault (database gone, process stopping): the lease lapses and a later pass resumes.
        this.logger.error({ jobId, err: (e as Error)?.message }, 'import chunk failed; will resume');
        return;
      }
      const [failed] = await db.update(importJobs).set({ status: 'failed', error: { code: e.code, message: e.message }, leaseUntil: null, finishedAt: new Date(), updatedAt: new Date() })
        .where(eq(importJobs.id, jobId)).returning();
      if (failed) this.emit(failed);
    }
  }

  private emit(j: ImportJob): void {
    this.events.emit(j.id, progressOf(j));
  }
}
