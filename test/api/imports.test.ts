import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { seedDemoTenant } from '../../src/app/bootstrap.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { createLead } from '../../src/crm/leads.repo.js';
import { listUsers } from '../../src/crm/users.repo.js';
import { customers } from '../../src/db/schema.js';
import ExcelJS from '../../src/lib/exceljs.js';
import { gbkEncode, xlsxBuffer, zipOf } from '../crm/imports/fixtures.js';

const TOKEN = 'harness-admin-token-0123';
const jsonOf = (r: Response): Promise<any> => r.json();

describe.each(backends)('imports and exports over HTTP on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  const call = (p: string, init: { method?: string; body?: Buffer | string; json?: unknown; cookie?: string; csrf?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${h.server.url}${p}`, {
      method: init.method ?? (init.body || init.json ? 'POST' : 'GET'),
      headers: {
        ...(init.cookie ? { cookie: init.cookie, ...(init.csrf ? { 'x-kelu-csrf': init.csrf } : {}) } : { authorization: `Bearer ${TOKEN}`, 'x-kelu-tenant': 'demo' }),
        ...(init.json ? { 'content-type': 'application/json' } : {}),
        ...(init.headers ?? {}),
      },
      body: init.json ? JSON.stringify(init.json) : init.body,
    });
  const upload = (name: string, body: Buffer) => call(`/api/v1/imports?name=${encodeURIComponent(name)}`, { body });
  const count = async (table: string) => Number((await t.database.query<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where tenant_id = 'demo'`)))[0]!.n);
  const snapshot = async () => (await t.database.db.select().from(customers).where(eq(customers.tenantId, 'demo')).orderBy(customers.id))
    .map((c) => ({ ...c, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() }));

  /** Reads the SSE stream to its end; the events in order. */
  async function progressEvents(id: string) {
    const res = await call(`/api/v1/imports/${id}/events`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    return text.split('\n\n').filter((b) => b.startsWith('event: progress')).map((b) => JSON.parse(b.split('\ndata: ')[1]!));
  }

  async function importAll(name: string, body: Buffer, mapping?: Record<string, string>) {
    const up = await upload(name, body);
    expect([200, 201]).toContain(up.status);
    const job = await jsonOf(up);
    const start = await call(`/api/v1/imports/${job.id}/start`, { json: { mapping: mapping ?? job.mapping } });
    expect(start.status).toBe(202);
    const events = await progressEvents(job.id);
    return { job, events, last: events[events.length - 1] };
  }

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    await seedDemoTenant(t.database, 'demo');
    const { db } = t.database;
    const zhang = (await listUsers(db, 'demo', { role: 'rep' }, { limit: 10 })).items.find((u) => u.name === '张销售')!;
    const pool = await createCustomer(db, 'demo', { name: '=吴', company: '宁波康复中心', identities: [{ kind: 'phone', value: '13722223333' }], customFields: { 等级: 'A' } }, 'test');
    await createLead(db, 'demo', { customerId: pool.id, status: 'new' }, 'test');
    await createCustomer(db, 'demo', { name: '周', company: '杭州第一医院', ownerId: zhang.id, identities: [{ kind: 'phone', value: '13900001111' }] }, 'test');
    h = await startHarness(t.database, { startWorkers: true });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('previews a file with synonym headers (mapping and each row\'s problems) and writes nothing until confirmed', async () => {
    const before = await count('customers');
    const file = await xlsxBuffer([
      ['客户名称', '联系电话', '工作单位', '职位', '备注'],
      ['郑一', '13811110001', '一院', '主任', '老客户'],
      ['', '13811110002 / 13811110003', '二院', '', ''],
      ['王二', '12345', '三院', '', ''],
    ]);
    const res = await upload('预览.xlsx', file);
    expect(res.status).toBe(201);
    const job = await jsonOf(res);
    expect(job.mapping).toEqual({ 客户名称: 'name', 联系电话: 'phone', 工作单位: 'company', 职位: 'title', 备注: 'custom' });
    expect(job.totalRows).toBe(3);
    expect(job.preview.map((r: { rejected: boolean; problems: { code: string }[] }) => [r.rejected, r.problems.map((p) => p.code)])).toEqual([
      [false, []], [false, ['several_phones', 'missing_name']], [true, ['invalid_phone', 'no_identity']],
    ]);
    const skipped = await jsonOf(await call(`/api/v1/imports/${job.id}/preview`, { json: { mapping: { ...job.mapping, 备注: 'skip' } } }));
    expect(skipped.preview[0].parsed.custom).toEqual({});
    expect(await count('customers')).toBe(before);
  });

  it('imports with streamed progress, a downloadable report, remembers the mapping, and a second upload of the same file changes nothing', async () => {
    const before = await count('customers');
    const rows = [['姓名', '手机', '单位', '备注', '来源说明']];
    for (let i = 0; i < 30; i++) rows.push([`客户${i % 20}`, `1380000${String(i % 20).padStart(4, '0')}`, i === 25 ? '另一家' : `单位${i % 20}`, `备注${i % 20}`, 'x']);
    rows.push(['无号', '', '某院', '', '']);
    const file = await xlsxBuffer(rows);
    const { job, events, last } = await importAll('客户.xlsx', file, { 姓名: 'name', 手机: 'phone', 单位: 'company', 备注: 'custom', 来源说明: 'skip' });
    expect(last).toMatchObject({ status: 'done', rowsDone: 31, totalRows: 31, counts: { created: 20, merged: 10, unchanged: 9, conflicts: 1, rejected: 1 } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(await count('customers')).toBe(before + 20);
    const one = await t.database.db.select().from(customers).where(and(eq(customers.tenantId, 'demo'), eq(customers.name, '客户5')));
    expect(one[0]!.customFields).toEqual({ 备注: '备注5' });

    const report = await call(`/api/v1/imports/${job.id}/report`);
    expect(report.headers.get('content-disposition')).toContain('import-report-');
    const bytes = Buffer.from(await report.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toMatch(/^# 客路 Kelu 导出：导入报告 客户\.xlsx/);
    expect(text).toContain('# 导出人：operator');
    const lines = text.split('\r\n').filter((l) => /^\d/.test(l));
    expect(lines).toHaveLength(31);
    expect(lines[0]).toMatch(/^2,新建,[0-9a-f-]{36},$/);
    expect(lines.find((l) => l.startsWith('27,'))).toContain('冲突');
    expect(lines[30]).toMatch(/^32,拒绝,,没有可用的电话/);

    const snap = await snapshot();
    const again = await upload('客户-副本.xlsx', file);
    expect(again.status).toBe(200);
    expect(await jsonOf(again)).toMatchObject({ id: job.id, duplicate: true, status: 'done' });
    expect(await snapshot()).toEqual(snap);

    // Another tenant sees neither the job nor its report, and the same file there is a job of its own.
    const other = { headers: { 'x-kelu-tenant': 'default' } };
    expect((await call(`/api/v1/imports/${job.id}`, other)).status).toBe(404);
    expect((await call(`/api/v1/imports/${job.id}/report`, other)).status).toBe(404);
    const theirs = await call('/api/v1/imports?name=x.xlsx', { body: file, ...other });
    expect(theirs.status).toBe(201);
    expect((await jsonOf(theirs)).id).not.toBe(job.id);

    const reordered = await xlsxBuffer([['备注', '来源说明', '姓名', '手机', '单位'], ['x', 'y', '新人', '13800009999', '某单位']]);
    const proposed = await jsonOf(await upload('另一个.xlsx', reordered));
    expect(proposed.proposals.find((p: { header: string }) => p.header === '来源说明')).toMatchObject({ target: 'skip', by: 'remembered' });
  });

  it('refuses each bad file with a code and a message, leaving no job, no file and no customer', async () => {
    const before = { customers: await count('customers'), jobs: await count('import_jobs'), files: await count('import_files') };
    const big = Buffer.alloc(60 * 1024 * 1024, 0x61);
    const cases: [string, Buffer, number, string][] = [
      ['photo.png', Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex'), 400, 'not_spreadsheet'],
      ['bomb.xlsx', zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<x/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(40 * 1024 * 1024, 0x20) }]), 400, 'zip_bomb'],
      ['big.csv', big, 413, 'file_too_large'],
      ['formula.xlsx', await xlsxBuffer([['姓名', '电话'], ['甲', '13800000001'], ['乙', { formula: 'B2', result: '13800000001' }]]), 400, 'formula_cell'],
      ['mixed.csv', Buffer.concat([Buffer.from('姓名,电话\n张,13800000001\n'), gbkEncode('李,13800000002\n')]), 400, 'mixed_encoding'],
      ['empty.xlsx', await xlsxBuffer([]), 400, 'empty_sheet'],
      ['header-only.csv', Buffer.from('姓名,电话\n'), 400, 'empty_sheet'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await upload(name, body);
      const out = await jsonOf(res);
      expect([name, res.status, out.error.code]).toEqual([name, status, code]);
      expect(out.error.message.length).toBeGreaterThan(5);
    }
    expect({ customers: await count('customers'), jobs: await count('import_jobs'), files: await count('import_files') }).toEqual(before);
  });

  it('imports GBK csv', async () => {
    const { last } = await importAll('gbk.csv', gbkEncode('联系人,手机号码,医院\r\n冯九,13811112222,浙江省人民医院\r\n'));
    expect(last).toMatchObject({ status: 'done', counts: { created: 1 } });
    const [c] = await t.database.db.select().from(customers).where(and(eq(customers.tenantId, 'demo'), eq(customers.name, '冯九')));
    expect(c!.company).toBe('浙江省人民医院');
  });

  for (const format of ['xlsx', 'csv'] as const) {
    it(`exports customers as .${format} with a watermark and neutralized cells, and re-importing the export changes nothing`, async () => {
      const res = await call(`/api/v1/export/customers?format=${format}`);
      expect(res.status).toBe(200);
      const file = Buffer.from(await res.arrayBuffer());
      let about: string;
      let cells: string[][];
      if (format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(file as unknown as ArrayBuffer);
        cells = wb.worksheets[0]!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1).map((v) => String(v ?? '')));
        about = wb.worksheets[1]!.getSheetValues().slice(1).map((r) => String((r as unknown[])[1])).join('\n');
        expect(wb.worksheets[1]!.name).toBe('导出说明');
      } else {
        const text = file.toString('utf8');
        about = text.split('\r\n').filter((l) => l.startsWith('# ')).join('\n');
        cells = text.split('\r\n').filter((l) => l && !l.startsWith('\uFEFF#') && !l.startsWith('#')).map((l) => l.split(','));
      }
      expect(about).toContain('生成时间：');
      expect(about).toContain('导出人：operator');
      expect(about).toContain('筛选条件：无');
      expect(about).toContain('列「电话」：');
      expect(about).toContain('列「等级」：自定义字段');
      expect(cells[0]).toContain('等级');
      expect(cells.some((r) => r.includes("'=吴"))).toBe(true);

      const snap = await snapshot();
      const { job, last } = await importAll(`export.${format}`, file);
      expect(job.mapping).toMatchObject({ 客户ID: 'skip', 姓名: 'name', 电话: 'phone', 标签: 'tags', 负责人: 'skip', 等级: 'custom' });
      expect(last.counts.created).toBe(0);
      expect(last.counts.unchanged).toBe(last.counts.merged);
      expect(last.counts.merged + last.counts.rejected).toBe(cells.length - 1);
      expect(await snapshot()).toEqual(snap);
    });
  }

  it('exports leads and interactions with the same masking as the API: a rep sees others\' phones masked', async () => {
    const signIn = await fetch(`${h.server.url}/auth/demo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: 'demo', userId: (await listUsers(t.database.db, 'demo', { role: 'rep' }, { limit: 10 })).items.find((u) => u.name === '张销售')!.id }) });
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('kelu_session='))!.split(';')[0]!;
    const refused = await call('/api/v1/imports?name=a.csv', { cookie, csrf: 'x', body: Buffer.from('姓名,电话\n甲,13800000001\n') });
    expect(refused.status).toBe(403); // imports are for admins
    const csv = await (await call('/api/v1/export/customers?format=csv', { cookie })).text();
    expect(csv).toContain('13900001111'); // their own
    expect(csv).toContain('137****3333'); // the unassigned lead's customer, masked
    expect(csv).not.toContain('13722223333');
    expect(csv).toMatch(/# 导出人：张销售（user:[0-9a-f-]+，rep）/);
    const leads = await (await call('/api/v1/export/leads?format=csv&status=new')).text();
    expect(leads).toContain('# 筛选条件：status=new');
    expect(leads.split('\r\n').filter((l) => /^[0-9a-f]{8}-/.test(l)).every((l) => l.split(',')[2] === 'new')).toBe(true);
    const inter = await call('/api/v1/export/interactions?format=xlsx', { cookie });
    expect(inter.status).toBe(200);
    expect(inter.headers.get('content-type')).toContain('spreadsheetml');
    const bad = await call('/api/v1/export/customers?format=pdf');
    expect((await jsonOf(bad)).error.code).toBe('invalid_parameter');
  });
});
