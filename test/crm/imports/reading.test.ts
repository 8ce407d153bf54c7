import { createReadStream } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { fieldBySynonym, fieldByValues, headersKey, proposeMapping } from '../../../src/crm/imports/header-mapping.js';
import { parseRow, unneutralize } from '../../../src/crm/imports/row.js';
import { sheetRows, sniffFile, type SheetRow } from '../../../src/crm/imports/spreadsheet.reader.js';
import { neutralize } from '../../../src/lib/sheet-export.js';
import { gbkEncode, tempFile, xlsxBuffer, zipOf } from './fixtures.js';

async function readAll(data: Buffer): Promise<{ rows: SheetRow[]; encoding: string | null }> {
  const f = tempFile(data);
  const { format } = await sniffFile(f.path, f.bytes);
  let encoding: string | null = null;
  const rows: SheetRow[] = [];
  for await (const r of sheetRows(format, createReadStream(f.path), null, (e) => (encoding = e))) rows.push(r);
  return { rows, encoding };
}

async function refusal(data: Buffer): Promise<string> {
  try {
    await readAll(data);
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'accepted';
}

describe('header mapping by meaning', () => {
  it.each([
    ['客户电话', 'phone'], ['联系电话', 'phone'], ['手机', 'phone'], ['手机号', 'phone'], ['客户联系电话', 'phone'],
    ['姓名', 'name'], ['客户名称', 'name'], ['联系人', 'name'], ['单位', 'company'], ['公司', 'company'], ['医院', 'company'],
    ['E-mail', 'email'], ['微信号', 'wechat_id'], ['职务', 'title'], ['地区', 'region'], ['客户ID', 'skip'], ['备注', null],
  ])('%s -> %s', (h, f) => {
    expect(fieldBySynonym(h)).toBe(f);
  });

  it('sniffs a column of mobiles as phones and of addresses as e-mails; too few or mixed values decide nothing', () => {
    expect(fieldByValues(['13912345678', '139 1234 5679', '+86 13712345678', ''])).toBe('phone');
    expect(fieldByValues(['a@b.cn', 'c@d.com', 'x@y.org'])).toBe('email');
    expect(fieldByValues(['13912345678', '你好', '北京'])).toBeNull();
    expect(fieldByValues(['13912345678'])).toBeNull();
  });

  it('proposes synonyms, then values, then custom; a remembered choice wins, whatever the header order', () => {
    const headers = ['联系人', '号码', '医院', '备注'];
    const samples = [['张三', '13912345678', '六院', 'x'], ['李四', '13912345679', '六院', 'y'], ['王五', '13912345670', '', 'z']];
    const p = proposeMapping(headers, samples, null);
    expect(p.map((x) => [x.target, x.by])).toEqual([['name', 'synonym'], ['phone', 'values'], ['company', 'synonym'], ['custom', 'none']]);
    expect(headersKey(headers)).toBe(headersKey(['备注', '医院', '号码', '联系人']));
    const again = proposeMapping(headers, samples, { 备注: 'skip' });
    expect(again[3]).toMatchObject({ target: 'skip', by: 'remembered' });
  });
});

describe('a row through a mapping', () => {
  const headers = ['姓名', '电话', '备注'];
  it('flags two phones in one cell (both kept), a bad phone (ignored), a missing name, and no identity (rejected)', () => {
    const two = parseRow(['张三', '13912345678 / 13812345678', ''], headers, ['name', 'phone', 'custom']);
    expect(two.identities.map((i) => i.value)).toEqual(['13912345678', '13812345678']);
    expect(two.problems.map((p) => p.code)).toEqual(['several_phones']);
    const bad = parseRow(['', '12345', 'vip'], headers, ['name', 'phone', 'custom']);
    expect(bad.problems.map((p) => [p.code, p.severity])).toEqual([['invalid_phone', 'warning'], ['missing_name', 'warning'], ['no_identity', 'error']]);
    expect(bad.custom).toEqual({ 备注: 'vip' });
    expect(JSON.stringify(bad.problems)).not.toContain('12345'.repeat(2));
  });

  it('takes back the quote an export put before = + - @', () => {
    for (const v of ['=1+1', '+86', '-x', '@a']) expect(unneutralize(neutralize(v))).toBe(v);
    expect(neutralize('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(unneutralize("'plain")).toBe("'plain");
  });
});

describe('reading files', () => {
  it('reads an xlsx first sheet only, numbers as digits', async () => {
    const { rows } = await readAll(await xlsxBuffer([['姓名', '手机'], ['张三', 13912345678], [], ['李四', '13812345678']], [['不读', '这张表']]));
    expect(rows.map((r) => [r.rowNo, r.cells])).toEqual([[1, ['姓名', '手机']], [2, ['张三', '13912345678']], [4, ['李四', '13812345678']]]);
  });

  it('reads UTF-8 (with BOM) and GBK csv, quotes holding commas and line breaks', async () => {
    const text = '姓名,电话,备注\r\n张三,13912345678,"一,二"\r\n李四,13812345678,"第一行\n第二行"\r\n';
    const u = await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const g = await readAll(gbkEncode(text));
    expect(u.encoding).toBe('utf-8');
    expect(g.encoding).toBe('gbk');
    for (const r of [u, g]) expect(r.rows.map((x) => x.cells)).toEqual([['姓名', '电话', '备注'], ['张三', '13912345678', '一,二'], ['李四', '13812345678', '第一行\n第二行']]);
    expect(g.rows[2]!.rowNo).toBe(3);
  });

  it('refuses each bad file with its code', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await refusal(png)).toBe('not_spreadsheet');
    expect(await refusal(zipOf([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]))).toBe('not_spreadsheet');
    expect(await refusal(zipOf([{ name: 'xl/workbook.xml', data: Buffer.from('<x/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(30 * 1024 * 1024, 0x20) }]))).toBe('zip_bomb');
    expect(await refusal(await xlsxBuffer([['姓名', '电话'], ['张三', { formula: 'A1&"x"', result: '张三x' }]]))).toBe('formula_cell');
    expect(await refusal(Buffer.concat([Buffer.from('姓名,电话\n张三,13912345678\n'), gbkEncode('李四,13812345678\n')]))).toBe('mixed_encoding');
    expect(await refusal(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))).toBe('xls_not_supported');
  });

  it('names the formula cell in its message', async () => {
    const f = tempFile(await xlsxBuffer([['姓名', '电话'], ['张三', { formula: '1+1', result: 2 }]]));
    const it = sheetRows('xlsx', createReadStream(f.path), null);
    await expect((async () => { for await (const _ of it) void _; })()).rejects.toThrow(/B2/);
  });
});

describe('exceljs through src/lib/exceljs.ts', () => {
  it('keeps a Chinese character that an unzipped chunk boundary splits (stock exceljs 4.4.0 gives U+FFFD)', async () => {
    // Long rows of three-byte characters: the inflated sheet is cut into 16 KiB chunks mid-character.
    const rows = Array.from({ length: 3000 }, (_, i) => [`客户${i}`, `单位名称${'医'.repeat(i % 13)}`]);
    const f = tempFile(await xlsxBuffer([['姓名', '单位'], ...rows]));
    const { Readable } = await import('node:stream');
    const { readFileSync } = await import('node:fs');
    const buf = readFileSync(f.path);
    // Fed in odd-sized pieces as well, like the 1 MiB chunks read back from the database.
    const pieces = Readable.from((function* () { for (let i = 0; i < buf.length; i += 777) yield buf.subarray(i, i + 777); })());
    const seen: string[] = [];
    for await (const r of sheetRows('xlsx', pieces, null)) seen.push(r.cells.join(','));
    expect(seen.join('\n')).not.toContain('\uFFFD');
    expect(seen).toHaveLength(3001);
    expect(seen[2999]).toBe(`客户2998,单位名称${'医'.repeat(2998 % 13)}`);
  });
});
