/* npm run bench:nlp — cold start, throughput on one core (ours beside chrono-node's on the same
 * input, in the same run), the CLI over 20,000 lines including its start, and the benchmark scores.
 * The machine is shared: every timing is repeated and printed as min / median. Run with
 * `taskset -c 1 npm run bench:nlp` to pin it to one core. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import * as chrono from 'chrono-node';

const ROOT = path.resolve(import.meta.dirname, '..');
const REF = '2026-03-10T10:00:00+08:00';
const ROUNDS = 7;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const minMed = (xs: number[], digits = 0): string => `min ${Math.min(...xs).toFixed(digits)} / median ${median(xs).toFixed(digits)}`;

if (!existsSync(path.join(ROOT, 'dist/nlp/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

// Cold start: a fresh process importing the compiled engine and extracting one message.
const COLD = `const t0 = performance.now(); const { extract } = await import(${JSON.stringify(path.join(ROOT, 'dist/nlp/index.js'))});
extract('孙主任想下周四上午10点看一下移动DR的演示', { ref: '${REF}' }); console.log(performance.now() - t0);`;
const cold: number[] = [];
const coldWall: number[] = [];
for (let i = 0; i < 7; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', COLD], { encoding: 'utf8' });
  coldWall.push(performance.now() - t);
  cold.push(Number(r.stdout.trim()));
}

const { extract } = await import('../src/nlp/index.js');
const scoring = await import('../test/nlp/scoring.js');
const catalog = scoring.loadDemoCatalog();
const dev = scoring.loadDev();

// Seeded shuffle so runs are comparable.
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const mix = Array.from({ length: 20000 }, (_, i) => dev[i % dev.length]);
for (let i = mix.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [mix[i], mix[j]] = [mix[j], mix[i]];
}

/** Messages per second of wall time, and of this process's CPU time (which other processes on a
 * shared machine disturb less), per round; ours and chrono-node's rounds alternate so both see the
 * same load. */
interface Rates { wall: number[]; cpu: number[] }
const round = (fn: (text: string, ref: string) => unknown, into: Rates): void => {
  const t = performance.now();
  const c = process.cpuUsage();
  for (const row of mix) fn(row.text, row.ref);
  const used = process.cpuUsage(c);
  into.wall.push(mix.length / ((performance.now() - t) / 1000));
  into.cpu.push(mix.length / ((used.user + used.system) / 1e6));
};
const runOurs = (text: string, ref: string): unknown => extract(text, { ref, timeZone: 'Asia/Shanghai', catalog });
const runChrono = (text: string, ref: string): unknown => chrono.zh.parse(text, new Date(ref));
for (let i = 0; i < 1000; i++) { runOurs(mix[i].text, mix[i].ref); runChrono(mix[i].text, mix[i].ref); }
const ours: Rates = { wall: [], cpu: [] };
const chronoZh: Rates = { wall: [], cpu: [] };
for (let r = 0; r < ROUNDS; r++) {
  round(runOurs, ours);
  round(runChrono, chronoZh);
}

// The CLI over 20,000 lines, including its start.
const input = mix.map((row, i) => JSON.stringify({ id: i, text: row.text, ref: row.ref })).join('\n');
/** CPU seconds used by this process's finished children (Linux: /proc/self/stat cutime + cstime). */
const childCpu = (): number => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
};
const cli: number[] = [];
const cliCpu: number[] = [];
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  const c = childCpu();
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/kelu.js'), 'extract'], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t;
  if (res.status !== 0 || res.stdout.split('\n').filter(Boolean).length !== mix.length) throw new Error(`CLI failed: ${res.stderr}`);
  cli.push(mix.length / (ms / 1000));
  cliCpu.push(mix.length / (childCpu() - c));
}

const { scores } = scoring.scoreDev(dev, (row) => extract(row.text, { ref: row.ref, timeZone: 'Asia/Shanghai', catalog }));
const duck = scoring.scoreDuckling((row) => extract(row.text, { ref: row.refTime, timeZone: scoring.DUCKLING_ZONE }).dates[0]);
const weibo = scoring.scoreWeibo((text) => extract(text, { ref: REF }).persons.map((p) => p.text));

const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
console.log(`cold start (fresh process: import dist/nlp + first extract, ${cold.length} runs): ${minMed(cold)} ms (target < 300 ms); whole process ${minMed(coldWall)} ms`);
console.log(`in-process, ${mix.length} messages x ${ROUNDS} rounds, alternating: ours ${minMed(ours.wall)} msg/s (target >= 20000); chrono-node zh (dates only), same input: ${minMed(chronoZh.wall)} msg/s`);
console.log(`  per CPU second (less disturbed by other processes): ours ${minMed(ours.cpu)}, chrono-node ${minMed(chronoZh.cpu)} msg/s`);
console.log(`CLI over ${mix.length} lines incl. start (3 runs): ${minMed(cli)} msg/s (target >= 10000); per CPU second ${minMed(cliCpu)} msg/s`);
console.log('dev set (extraction-dev.jsonl, demo catalog):');
for (const [field, v] of Object.entries(scores)) console.log(`  ${field.padEnd(14)} ${v.toFixed(3)}`);
console.log(`duckling zh time (${duck.rows} rows): raw ${pct(duck.raw, duck.rows)}, spec-adjusted ${pct(duck.adjusted, duck.rows)} (${duck.divergent} rows where the spec rules otherwise)`);
console.log(`duckling holiday rows (not asserted): ${duck.holidayHits}/${duck.holidayRows} = ${pct(duck.holidayHits, duck.holidayRows)}`);
console.log(`weibo person F1: ${weibo.f1.toFixed(3)} (P ${weibo.p.toFixed(3)}, R ${weibo.r.toFixed(3)})`);
