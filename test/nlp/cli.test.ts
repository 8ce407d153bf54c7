import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extract } from '../../src/nlp/index.js';

const BIN = path.resolve(process.cwd(), 'bin/kelu.js');
const kelu = (args: string[], input: string) => spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60000 });

describe('kelu extract', () => {
  it('runs the engine compiled ahead of time (dist/, built by npm ci), identical to the sources', () => {
    const texts = ['王经理您好，我是李强，13912345678，想了解一下便携式血糖仪', '杭州康宁养老院采购部的张敏，周五下午想来看看助行器，不着急'];
    const ref = '2026-03-12T10:00:00+08:00';
    const r = kelu(['extract', '--ref', ref], texts.map((text, id) => JSON.stringify({ id, text })).join('\n'));
    expect(r.status).toBe(0);
    const catalog = JSON.parse(readFileSync(path.resolve(process.cwd(), 'seed/demo-catalog.json'), 'utf8'));
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).entities)).toEqual(texts.map((t) => extract(t, { ref, catalog })));
  });

  it('answers every line in input order; bad lines become errors and the run goes on', () => {
    const input = [
      JSON.stringify({ id: 'a', text: '孙主任想下周四上午10点看一下移动DR的演示', ref: '2026-03-10T10:00:00+08:00' }),
      'not json',
      JSON.stringify({ id: 'b' }),
      '',
      JSON.stringify({ id: 'c', text: '明天见' }),
    ].join('\n');
    const r = kelu(['extract', '--ref', '2026-03-12T10:00:00+08:00', '--tz', 'Asia/Shanghai'], input);
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['a', null, 'b', 'c']);
    expect(out[0].entities.dates[0].start).toBe('2026-03-19T10:00:00+08:00');
    expect(out[0].entities.products[0].id).toBe('sku-dr'); // the shipped demo catalog
    expect(out[1].error).toMatch(/JSON/);
    expect(out[2].error).toMatch(/text/);
    expect(out[3].entities.dates[0].start).toBe('2026-03-13T00:00:00+08:00'); // --ref default
  });

  it('uses --catalog and fails clearly, exit 1, on a malformed one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kelu-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(good, JSON.stringify([{ id: 'x1', name: '超声刀' }]));
    writeFileSync(bad, JSON.stringify({ not: 'an array' }));
    const r = kelu(['extract', '--catalog', good], JSON.stringify({ id: 1, text: '超声刀和移动DR' }));
    expect(JSON.parse(r.stdout).entities.products.map((p: { id: string }) => p.id)).toEqual(['x1']);
    const r2 = kelu(['extract', '--catalog', bad], '{}');
    expect(r2.status).toBe(1);
    expect(r2.stderr).toMatch(/catalog must be an array/);
  });
});
