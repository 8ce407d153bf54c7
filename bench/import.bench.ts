// npm run bench:import — a generated 200,000-row .xlsx (Chinese synonym headers; a third of the rows
// repeat an earlier row's phone) imported on the PostgreSQL server through the real path: analysis
// (sniff, zip check, every row read, mapping proposed), the file stored in the database, then the
// runner's batched resolution in 5,000-row transactions. Prints time per phase and peak RSS, and
// checks the job's counts and the database against the generator's truth. BENCH_ROWS, BENCH_CHUNK,
// BENCH_SHARED_STRINGS, DATABASE_URL (default: a fresh database on 127.0.0.1, dropped after).
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from '../src/lib/exceljs.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/lib/logger.js';
import { upsertTenant } from '../src/crm/tenants.repo.js';
import { analyzeUpload, proposedMapping, startJob } from '../src/crm/imports/imports.service.js';
import { ImportRunner, progressOf } from '../src/crm/imports/import.runner.js';
import { benchDatabase } from './harness.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 5000);
// BENCH_SHARED_STRINGS=1 writes a shared-strings table as Excel itself does (the default writes inline strings).
const SHARED = process.env.BENCH_SHARED_STRINGS === '1';
const HEADERS = ['客户名称', '手机号', '电子邮箱', '医院', '职位', '所在地', '备注'];

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const sampler = setInterval(sample, 25);
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

/** Writes the file and returns what a correct import must report. */
async function generate(file: string) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: SHARED, useStyles: false });
  const ws = wb.addWorksheet('客户名单');
  ws.addRow(HEADERS).commit();
  const truth = { created: 0, merged: 0, unchanged: 0, conflicts: 0, rejected: 0, identities: 0 };
  const conflictRows = new Set<number>();
  const fresh: number[] = []; // row numbers of rows that created a customer
  let repeats = 0;
  for (let k = 0; k < ROWS; k++) {
    if (k % 3 === 2 && fresh.length) {
      // A repeat of an earlier customer (pseudo-random pick): half add a new e-mail, a tenth name another hospital.
      const j = fresh[(k * 7919) % fresh.length]!;
      const n = repeats++;
      const email = n % 2 === 0 ? `r${k}@example.cn` : '';
      const conflict = n % 10 === 1;
      ws.addRow([`客户${j}`, phoneOf(j), email, conflict ? `另一家医院${k}` : `医院${j % 5000}`, '主任', '上海', `批次${j % 50}`]).commit();
      truth.merged++;
      if (email) truth.identities++;
      if (conflict) {
        truth.conflicts++;
        conflictRows.add(k + 2);
      }
      if (!email && !conflict) truth.unchanged++;
    } else if (k % 1000 === 999) {
      ws.addRow([`无号码${k}`, '', '', `医院${k % 5000}`, '', '', '']).commit(); // no identity: rejected
      truth.rejected++;
    } else {
      ws.addRow([`客户${k}`, phoneOf(k), '', `医院${k % 5000}`, '主任', '上海', `批次${k % 50}`]).commit();
      fresh.push(k);
      truth.created++;
      truth.identities++;
    }
  }
  await ws.commit();
  await wb.commit();
  return { truth, conflictRows };
}

// 11-digit mobiles, one per generated row, written as text in three groups now and then (139 0000 0001).
function phoneOf(k: number): string {
  const d = `139${String(k).padStart(8, '0')}`;
  return k % 7 === 0 ? `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}` : d;
}

/** CPU seconds used so far by the PostgreSQL backends serving this database (local server, /proc readable), else null. */
async function pgCpuSeconds(database: Awaited<ReturnType<typeof openDatabase>>): Promise<number> {
  const rows = await database.query<{ pid: number }>(sql`select pid from pg_stat_activity where datname = current_database()`);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* not on this host */
    }
  }
  return ticks / 100;
}

/** The parent generates the file; a fresh child process imports it, so its peak RSS is the import's alone. */
async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kelu-bench-import-'));
  const file = path.join(dir, 'customers.xlsx');
  try {
    const t = performance.now();
    const { truth, conflictRows } = await generate(file);
    console.log(`generated ${ROWS.toLocaleString('en')} rows, ${mb(statSync(file).size)} in ${((performance.now() - t) / 1000).toFixed(1)} s; truth ${JSON.stringify(truth)}`);
    const truthFile = path.join(dir, 'truth.json');
    writeFileSync(truthFile, JSON.stringify({ truth, conflictRows: [...conflictRows] }));
    clearInterval(sampler);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, BENCH_IMPORT_FILE: file, BENCH_TRUTH_FILE: truthFile } });
    process.exitCode = await new Promise<number>((res) => child.on('exit', (code) => res(code ?? 1)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function importFile(file: string, truthFile: string) {
  const { truth, conflictRows: list } = JSON.parse(readFileSync(truthFile, 'utf8')) as { truth: Awaited<ReturnType<typeof generate>>['truth']; conflictRows: number[] };
  const conflictRows = new Set(list);
  const bytes = statSync(file).size;
  peak = 0;
  sample();
  const rssBefore = process.memoryUsage().rss;
  let t: number;

  const own = process.env.DATABASE_URL ? null : await benchDatabase();
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ?? own!.url, poolSize: 4 });
  try {
    await database.migrate();
    await upsertTenant(database.db, { tenantId: 'bench', name: 'bench' }, 'bench');
    const logger = createLogger('warn');
    const cpu0 = process.cpuUsage();
    const pg0 = await pgCpuSeconds(database);
    const started = performance.now();
    t = started;
    const sha256 = createHash('sha256');
    for await (const c of createReadStream(file)) sha256.update(c as Buffer);
    const { job } = await analyzeUpload(database, 'bench', { path: file, bytes, sha256: sha256.digest('hex'), fileName: 'customers.xlsx' }, 'bench');
    const analyzed = performance.now();
    const mapping = proposedMapping(job);
    console.log(`analysis (read every row, propose mapping, store file): ${((analyzed - t) / 1000).toFixed(1)} s; mapping ${JSON.stringify(mapping)}`);
    await startJob(database, 'bench', job.id, mapping);
    const runner = new ImportRunner(database, logger, { chunkRows: CHUNK });
    let shown = 0;
    runner.events.on(job.id, (p: ReturnType<typeof progressOf>) => {
      if (p.rowsDone >= shown + ROWS / 10 || p.status !== 'running') {
        shown = p.rowsDone;
        console.log(`  ${p.status} ${p.rowsDone.toLocaleString('en')}/${p.totalRows.toLocaleString('en')} at ${((performance.now() - started) / 1000).toFixed(1)} s, rss ${mb(process.memoryUsage().rss)}`);
      }
    });
    await runner.kick('bench', job.id);
    const finished = performance.now();
    const done = (await database.query<{ status: string; counts: Record<string, number>; rows_done: number }>(sql`select status, counts, rows_done from import_jobs where id = ${job.id}`))[0]!;
    const [db] = await database.query<{ customers: number; identities: number; results: number }>(sql`select
      (select count(*)::int from customers where tenant_id = 'bench') as customers,
      (select count(*)::int from customer_identities where tenant_id = 'bench') as identities,
      (select coalesce(sum(cardinality(row_nos)), 0)::int from import_results where job_id = ${job.id}) as results`);
    sample();
    const cpu = process.cpuUsage(cpu0);
    const pgCpu = (await pgCpuSeconds(database)) - pg0;
    const total = (finished - started) / 1000;
    console.log(`import: ${((finished - analyzed) / 1000).toFixed(1)} s; total ${total.toFixed(1)} s (${Math.round(ROWS / total).toLocaleString('en')} rows/s); peak RSS of the importing process ${mb(peak)} (${mb(rssBefore)} at its start); load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`CPU time: this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, its PostgreSQL backends ${`${pgCpu.toFixed(1)} s`} (on a shared machine the wall time above includes waiting for the other processes)`);
    console.log(`report ${JSON.stringify(done.counts)}; database ${JSON.stringify(db)}`);
    const checks: [string, unknown, unknown][] = [
      ['status', done.status, 'done'],
      ['created', done.counts.created, truth.created],
      ['merged', done.counts.merged, truth.merged],
      ['unchanged', done.counts.unchanged, truth.unchanged],
      ['conflicts', done.counts.conflicts, truth.conflicts],
      ['rejected', done.counts.rejected, truth.rejected],
      ['customers in the database', db!.customers, truth.created],
      ['identities in the database', db!.identities, truth.identities],
      ['report rows', db!.results, ROWS],
      ['under 60 s', total < 60, true],
    ];
    const failed = checks.filter(([, a, b]) => a !== b);
    if (done.counts.conflicts !== truth.conflicts) {
      const rows = await database.query<{ row_no: number; detail: string; conflicts: unknown }>(sql`select u.row_no, u.detail from import_results r, unnest(r.row_nos, r.details) as u(row_no, detail) where r.job_id = ${job.id} and u.detail like '%冲突%'`);
      console.log('unexpected conflict rows', rows.filter((r) => !conflictRows.has(r.row_no)).slice(0, 5));
    }
    for (const [name, a, b] of checks) console.log(`${a === b ? 'ok  ' : 'FAIL'} ${name}: ${String(a)}${a === b ? '' : ` (expected ${String(b)})`}`);
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    clearInterval(sampler);
    await database.close();
    await own?.drop();
  }
}

if (process.env.BENCH_IMPORT_FILE) await importFile(process.env.BENCH_IMPORT_FILE, process.env.BENCH_TRUTH_FILE!);
else await main();
