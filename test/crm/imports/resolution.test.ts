import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { and, eq, isNull } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { captureLogger } from '../../helpers/test-app.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createCustomer, withIdentities } from '../../../src/crm/customers.repo.js';
import { customers, importResults } from '../../../src/db/schema.js';
import { parseRow } from '../../../src/crm/imports/row.js';
import { resolveRowsBatched, resolveRowsOneByOne, type ImportRowInput } from '../../../src/crm/imports/batch-resolve.js';
import { analyzeUpload, startJob } from '../../../src/crm/imports/imports.service.js';
import { ImportRunner } from '../../../src/crm/imports/import.runner.js';
import type { ColumnTarget } from '../../../src/crm/imports/imports.types.js';
import type { Database } from '../../../src/db/database.js';
import { tempFile } from './fixtures.js';

const HEADERS = ['姓名', '电话', '邮箱', '单位', '职务', '标签', '备注'];
const TARGETS: ColumnTarget[] = ['name', 'phone', 'email', 'company', 'title', 'tags', 'custom'];
const rowsOf = (cells: string[][]): ImportRowInput[] => cells.map((c, i) => ({ rowNo: i + 2, row: parseRow(c, HEADERS, TARGETS) }));

const CHUNK_1 = [
  ['张三', '13900000001', '', '甲医院', '', 'vip', ''],
  ['张三', '13900000001', 'zs@a.cn', '乙医院', '主任', '', ''], // fills title, adds e-mail, company conflict
  ['', '13900000002', '', '', '', 't1|t2', ''],
  ['李四', '13900000002', '', '', '', 't2', '老客户'], // fills name, adds a tag and a custom field
  ['李四', '13900000002', '', '', '', '', '新客户'], // custom conflict
  ['王五', '13900000003', '', '丙公司', '', '', ''], // an existing customer, same values: unchanged
  ['赵六', '13900000004', '', '丁公司', '', '', ''], // existing, fills company
];
const CHUNK_2 = [
  ['孙七', '13900000005', 'sq@a.cn', '', '', '', ''], // names the customers of 05 and of sq@a.cn: a merge
  ['孙七', '13900000006', '', '', '', '', ''], // a new phone: a new customer (a name alone never matches)
];

async function seed(db: Database['db'], tenantId: string) {
  await upsertTenant(db, { tenantId, name: tenantId }, 'test');
  await createCustomer(db, tenantId, { name: '王五', company: '丙公司', identities: [{ kind: 'phone', value: '13900000003' }] }, 'test');
  await createCustomer(db, tenantId, { name: '赵六', identities: [{ kind: 'phone', value: '13900000004' }] }, 'test');
  await createCustomer(db, tenantId, { name: '孙七', identities: [{ kind: 'phone', value: '13900000005' }] }, 'test');
  await createCustomer(db, tenantId, { name: '孙七', company: '戊公司', identities: [{ kind: 'email', value: 'sq@a.cn' }] }, 'test');
}

/** A tenant's live customers, comparable across tenants (no ids, no times). */
async function snapshot(db: Database['db'], tenantId: string) {
  const rows = await withIdentities(db, tenantId, await db.select().from(customers).where(and(eq(customers.tenantId, tenantId), isNull(customers.mergedInto))));
  return rows.map((c) => ({
    name: c.name, company: c.company, title: c.title, region: c.region, tags: [...c.tags].sort(), custom: c.customFields, source: c.sourceChannel,
    conflicts: c.conflicts.map((x) => ({ field: x.field, values: x.values })),
    identities: c.identities.map((i) => `${i.kind}:${i.value}`).sort(),
  })).sort((a, b) => a.identities[0]!.localeCompare(b.identities[0]!));
}

describe.each(backends)('imported rows through identity resolution on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
  });
  afterAll(async () => t?.drop());

  it('batched and one-by-one agree: the same customers, identities, fields, conflicts and row outcomes', async () => {
    const { db } = t.database;
    await seed(db, 'rows');
    await seed(db, 'batch');
    const now = new Date('2026-12-01T00:00:00Z');
    const outcomes: Record<string, unknown[]> = { rows: [], batch: [] };
    for (const chunk of [CHUNK_1, CHUNK_2]) {
      const a = await db.transaction((tx) => resolveRowsOneByOne(tx, 'rows', rowsOf(chunk), 'test', now));
      const b = await db.transaction((tx) => resolveRowsBatched(tx, 'batch', rowsOf(chunk), 'test', now));
      outcomes.rows!.push(...a.map(({ customerId: _c, ...x }) => x));
      outcomes.batch!.push(...b.map(({ customerId: _c, ...x }) => x));
    }
    expect(outcomes.batch).toEqual(outcomes.rows);
    expect(outcomes.rows!.map((o) => (o as { outcome: string }).outcome)).toEqual(['created', 'merged', 'created', 'merged', 'merged', 'unchanged', 'merged', 'merged', 'created']);
    expect(outcomes.rows![7]).toMatchObject({ customersMerged: 1 });
    const snapRows = await snapshot(db, 'rows');
    expect(await snapshot(db, 'batch')).toEqual(snapRows);
    const zhang = snapRows.find((c) => c.name === '张三')!;
    expect(zhang).toMatchObject({ company: '甲医院', title: '主任', tags: ['vip'], identities: ['email:zs@a.cn', 'phone:13900000001'] });
    expect(zhang.conflicts).toEqual([{ field: 'company', values: ['甲医院', '乙医院'] }]);
    const li = snapRows.find((c) => c.name === '李四')!;
    expect(li).toMatchObject({ tags: ['t1', 't2'], custom: { 备注: '老客户' }, conflicts: [{ field: 'custom:备注', values: ['老客户', '新客户'] }] });
    // The two 孙七 customers are one now (the oldest kept, its empty company filled from the other); 06 is a new one.
    expect(snapRows.filter((c) => c.name === '孙七').map((c) => [c.company, c.identities])).toEqual([['戊公司', ['email:sq@a.cn', 'phone:13900000005']], [null, ['phone:13900000006']]]);
  });

  it('a job resumes after its runner dies mid-file: every row once, the same counts as an uninterrupted run', async () => {
    const { db } = t.database;
    const lines = ['姓名,电话,单位'];
    for (let i = 0; i < 23; i++) lines.push(`客户${i % 15},1380000${String(i % 15).padStart(4, '0')},公司${i}`);
    const file = Buffer.from(`${lines.join('\n')}\n`);
    const { logger } = captureLogger();
    const run = async (tenantId: string, crash: boolean) => {
      await upsertTenant(db, { tenantId, name: tenantId }, 'test');
      const f = tempFile(file);
      const { job } = await analyzeUpload(t.database, tenantId, { ...f, sha256: `sha-${tenantId}`, fileName: 'x.csv' }, 'test');
      await startJob(t.database, tenantId, job.id, { 姓名: 'name', 电话: 'phone', 单位: 'company' });
      let chunks = 0;
      const first = new ImportRunner(t.database, logger, { chunkRows: 5, leaseMs: crash ? 1 : 60_000, afterChunk: () => {
        if (crash && ++chunks === 2) throw new Error('process killed');
      } });
      const seen: [string, number][] = [];
      first.events.on(job.id, (p: { status: string; rowsDone: number }) => seen.push([p.status, p.rowsDone]));
      await first.kick(tenantId, job.id);
      // Progress is told after every committed chunk (what the page's bar and SSE show).
      if (!crash) expect(seen).toEqual([['running', 0], ['running', 5], ['running', 10], ['running', 15], ['running', 20], ['running', 23], ['done', 23]]);
      if (crash) {
        const mid = (await db.select().from(importResults).where(eq(importResults.jobId, job.id))).flatMap((c) => c.rowNos).length;
        expect(mid).toBe(10);
        const second = new ImportRunner(t.database, logger, { chunkRows: 5 });
        await second.resumeAll();
        await second.settled(job.id);
      }
      const results = await db.select().from(importResults).where(eq(importResults.jobId, job.id));
      const { getJob } = await import('../../../src/crm/imports/imports.repo.js');
      return { job: (await getJob(db, tenantId, job.id))!, rows: results.flatMap((r) => r.rowNos).sort((a, b) => a - b) };
    };
    const clean = await run('clean', false);
    const resumed = await run('resumed', true);
    expect(resumed.job.status).toBe('done');
    expect(resumed.rows).toEqual(Array.from({ length: 23 }, (_, i) => i + 2));
    expect(resumed.job.counts).toEqual(clean.job.counts);
    expect(clean.job.counts).toMatchObject({ created: 15, merged: 8, rejected: 0 });
    expect(await snapshot(db, 'resumed')).toEqual(await snapshot(db, 'clean'));
  });
});
