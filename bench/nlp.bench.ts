/* npm run bench:nlp — cold start, throughput on one core, and the benchmark scores. */
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { extract } = await import('../src/nlp/index.js');
const tImport = performance.now();
extract('孙主任想下周四上午10点看一下移动DR的演示', { ref: '2026-03-10T10:00:00+08:00' });
const tFirst = performance.now();

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

for (let i = 0; i < 500; i++) extract(mix[i].text, { ref: mix[i].ref, timeZone: 'Asia/Shanghai', catalog });
const tb = performance.now();
for (const row of mix) extract(row.text, { ref: row.ref, timeZone: 'Asia/Shanghai', catalog });
const elapsed = performance.now() - tb;

const { scores } = scoring.scoreDev(dev, (row) => extract(row.text, { ref: row.ref, timeZone: 'Asia/Shanghai', catalog }));
const duck = scoring.scoreDuckling((row) => extract(row.text, { ref: row.refTime, timeZone: scoring.DUCKLING_ZONE }).dates[0]);
const weibo = scoring.scoreWeibo((text) => extract(text, { ref: '2026-03-10T10:00:00+08:00' }).persons.map((p) => p.text));

const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
console.log(`cold start: import ${(tImport - t0).toFixed(0)} ms + first extract ${(tFirst - tImport).toFixed(0)} ms = ${(tFirst - t0).toFixed(0)} ms (target < 1000 ms)`);
console.log(`throughput: ${mix.length} messages in ${elapsed.toFixed(0)} ms = ${Math.round(mix.length / (elapsed / 1000))} msg/s on one core (target >= 5000)`);
console.log('dev set (extraction-dev.jsonl, demo catalog):');
for (const [field, v] of Object.entries(scores)) console.log(`  ${field.padEnd(14)} ${v.toFixed(3)}`);
console.log(`duckling zh time (${duck.rows} rows): raw ${pct(duck.raw, duck.rows)}, spec-adjusted ${pct(duck.adjusted, duck.rows)} (${duck.divergent} rows where the spec rules otherwise)`);
console.log(`duckling holiday rows (not asserted): ${duck.holidayHits}/${duck.holidayRows} = ${pct(duck.holidayHits, duck.holidayRows)}`);
console.log(`weibo person F1: ${weibo.f1.toFixed(3)} (P ${weibo.p.toFixed(3)}, R ${weibo.r.toFixed(3)})`);
