import { Readable } from 'node:stream';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { importFiles, importJobs, importMappings, importResults } from '../../db/schema.js';
import type { Mapping } from './imports.types.js';

export type ImportJob = typeof importJobs.$inferSelect;
export type NewImportJob = typeof importJobs.$inferInsert;

export async function getJob(tx: Tx, tenantId: string, id: string): Promise<ImportJob | null> {
  const [j] = await tx.select().from(importJobs).where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, id)));
  return j ?? null;
}

export async function findJobByHash(tx: Tx, tenantId: string, sha256: string): Promise<ImportJob | null> {
  const [j] = await tx.select().from(importJobs).where(and(eq(importJobs.tenantId, tenantId), eq(importJobs.fileSha256, sha256)));
  return j ?? null;
}

export async function listJobs(tx: Tx, tenantId: string, limit = 20): Promise<ImportJob[]> {
  return tx.select().from(importJobs).where(eq(importJobs.tenantId, tenantId)).orderBy(desc(importJobs.createdAt)).limit(limit);
}

export async function insertJob(tx: Tx, job: NewImportJob): Promise<ImportJob> {
  const [j] = await tx.insert(importJobs).values(job).returning();
  return j!;
}

export async function storeFileChunk(tx: Tx, tenantId: string, jobId: string, seq: number, data: Buffer): Promise<void> {
  await tx.insert(importFiles).values({ tenantId, jobId, seq, data });
}

/** The stored file as a stream, one chunk (1 MiB) read at a time. */
export function fileStream(tx: Tx, tenantId: string, jobId: string): Readable {
  let seq = -1;
  return new Readable({
    async read() {
      try {
        const [c] = await tx.select({ seq: importFiles.seq, data: importFiles.data }).from(importFiles)
          .where(and(eq(importFiles.tenantId, tenantId), eq(importFiles.jobId, jobId), gt(importFiles.seq, seq))).orderBy(asc(importFiles.seq)).limit(1);
        if (!c) return void this.push(null);
        seq = c.seq;
        this.push(Buffer.from(c.data));
      } catch (e) {
        this.destroy(e as Error);
      }
    },
  });
}

export async function rememberedMapping(tx: Tx, tenantId: string, headersKey: string): Promise<Mapping | null> {
  const [m] = await tx.select().from(importMappings).where(and(eq(importMappings.tenantId, tenantId), eq(importMappings.headersKey, headersKey)));
  return (m?.mapping as Mapping | undefined) ?? null;
}

export async function rememberMapping(tx: Tx, tenantId: string, headersKey: string, mapping: Mapping): Promise<void> {
  await tx.insert(importMappings).values({ tenantId, headersKey, mapping })
    .onConflictDoUpdate({ target: [importMappings.tenantId, importMappings.headersKey], set: { mapping, updatedAt: new Date() } });
}

export interface ResultRow {
  rowNo: number;
  outcome: string;
  customerId: string | null;
  detail: string | null;
}

/** One chunk's outcomes, as one row of parallel arrays (rows in file order). */
export async function insertResults(tx: Tx, tenantId: string, jobId: string, rows: ResultRow[]): Promise<void> {
  if (!rows.length) return;
  await tx.execute(sql`insert into import_results (tenant_id, job_id, first_row, row_nos, outcomes, customer_ids, details)
    values (${tenantId}, ${jobId}::uuid, ${rows[0]!.rowNo}, ${`{${rows.map((r) => r.rowNo).join(',')}}`}::int[], ${pgArray(rows.map((r) => r.outcome))}::text[],
      ${pgArray(rows.map((r) => r.customerId))}::uuid[], ${pgArray(rows.map((r) => r.detail))}::text[])`);
}

/** A PostgreSQL array literal (both drivers take it as a text parameter). */
export function pgArray(values: (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/** Every row's outcome in file order, a committed chunk at a time. */
export async function* resultPages(tx: Tx, tenantId: string, jobId: string): AsyncGenerator<ResultRow[]> {
  let after = -1;
  for (;;) {
    const [c] = await tx.select().from(importResults)
      .where(and(eq(importResults.tenantId, tenantId), eq(importResults.jobId, jobId), gt(importResults.firstRow, after)))
      .orderBy(asc(importResults.firstRow)).limit(1);
    if (!c) return;
    yield c.rowNos.map((rowNo, i) => ({ rowNo, outcome: c.outcomes[i]!, customerId: c.customerIds[i] ?? null, detail: c.details[i] ?? null }));
    after = c.firstRow;
  }
}
