import { describe, expect, it } from '@jest/globals';
import { contentId, mapRecord, recordsOf } from '../../../src/crm/intake/intake.mapper.js';
import { verifyPush } from '../../../src/crm/intake/intake.signature.js';
import { DOUYIN_PRESET, WEBFORM_PRESET } from '../../../src/crm/intake/intake.presets.js';
import { sourceMapping } from '../../../src/crm/intake/intake.types.js';
import { douyinClue, douyinHeaders, webformHeaders } from './douyin.fixture.js';

const douyin = DOUYIN_PRESET.mapping;
const webform = WEBFORM_PRESET.mapping;

describe('intake mapping (pure)', () => {
  it('the presets are valid mappings (the same schema the admin edits them with)', () => {
    expect(sourceMapping.parse(douyin)).toEqual(douyin);
    expect(sourceMapping.parse(webform)).toEqual(webform);
  });

  it('maps a Douyin clue: fields, campaign, id, the form questions into the text, nothing unknown', () => {
    const m = mapRecord(douyinClue(), douyin);
    expect(m.externalId).toBe('7301234567890123456');
    expect(m.given).toEqual({ name: '孙主任', phone: '13812345678', region: '上海', text: '想了解移动DR的报价', campaign: '移动DR-春季-抖音信息流' });
    expect(m.text.split('\n')).toEqual(['想了解移动DR的报价', '医院名称：上海市第六人民医院', '采购时间：三个月内']);
    expect(m.unknown).toEqual([]);
  });

  it.each([
    ['the pull API spelling', { telphone: undefined, telephone: '13812345678' }, { phone: '13812345678' }, []],
    ['clue_id instead of id', { id: undefined, clue_id: 'c-1' }, {}, []],
  ])('knows both spellings: %s', (_label, over, given, unknown) => {
    const rec = Object.fromEntries(Object.entries(douyinClue(over)).filter(([, v]) => v !== undefined));
    const m = mapRecord(rec, douyin);
    expect(m.given).toMatchObject(given);
    expect(m.unknown).toEqual(unknown);
  });

  it('a renamed field is named as unknown, masked in its sample, and its value still reaches the lead text', () => {
    const rec = douyinClue({ telphone: undefined, phone_number: '13912345678', intent_score: 87 });
    delete rec.telphone;
    const m = mapRecord(rec, douyin);
    expect(m.given.phone).toBeUndefined();
    expect(m.unknown).toEqual([{ field: 'phone_number', sample: '139****5678' }, { field: 'intent_score', sample: '87' }]);
    expect(m.text).toContain('phone_number：13912345678');
  });

  it('finds the leads of a batch wherever the mapping says they are', () => {
    expect(recordsOf({ leads: [{ a: 1 }, 'x', { b: 2 }] }, webform)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(recordsOf([{ a: 1 }], webform)).toEqual([{ a: 1 }]);
    expect(recordsOf({ a: 1 }, webform)).toEqual([{ a: 1 }]);
    expect(recordsOf('nope', webform)).toEqual([]);
  });

  it('reads Chinese form field names and answer lists', () => {
    const m = mapRecord({ 姓名: '周院长', 手机号: '13900001111', 单位: '杭州第一医院', answers: [{ name: '预算', value: '80万' }], kelu_vid: 'abcdefghijklmnop1234' }, webform);
    expect(m.given).toMatchObject({ name: '周院长', phone: '13900001111', company: '杭州第一医院', visitorId: 'abcdefghijklmnop1234' });
    expect(m.text).toBe('预算：80万');
  });

  it('knows a lead without an id by its content, whatever the key order', () => {
    expect(contentId({ a: 1, b: '2' })).toBe(contentId({ b: '2', a: 1 }));
    expect(contentId({ a: 1 })).not.toBe(contentId({ a: 2 }));
  });
});

describe('intake signatures (pure)', () => {
  const secrets = { key: 'douyin-key-0123456789', token: 'douyin-token-abc' };
  const now = new Date();
  const check = (spec: typeof douyin.signature, body: Record<string, unknown>, headers: Record<string, string>, s: Record<string, string> = secrets) => {
    const raw = Buffer.from(JSON.stringify(body));
    return verifyPush(spec, raw, body, (h) => headers[h.toLowerCase()] ?? '', s, now);
  };

  it('accepts a Douyin push signed with the key over id|token|timestamp', () => {
    const body = douyinClue();
    expect(check(douyin.signature, body, douyinHeaders(body, secrets, Math.floor(now.getTime() / 1000)))).toEqual({ ok: true });
  });

  it.each([
    ['another key', () => douyinHeaders(douyinClue(), { ...secrets, key: 'other-key-000000000' }), 'signature_invalid'],
    ['a body whose id was changed', () => douyinHeaders(douyinClue({ id: '1' }), secrets), 'signature_invalid'],
    ['a stale timestamp', () => douyinHeaders(douyinClue(), secrets, Math.floor(now.getTime() / 1000) - 3600), 'timestamp_stale'],
    ['a wrong access token', () => ({ ...douyinHeaders(douyinClue(), secrets), access_token: 'nope' }), 'token_invalid'],
    ['no signature', () => ({ ...douyinHeaders(douyinClue(), secrets), signature: '' }), 'signature_missing'],
  ])('refuses %s', (_l, headers, code) => {
    expect(check(douyin.signature, douyinClue(), headers())).toEqual({ ok: false, code });
  });

  it('verifies a web form hex HMAC of the raw body, and refuses one byte changed', () => {
    const body = { name: '周', phone: '13900001111' };
    const raw = JSON.stringify(body);
    const h = webformHeaders(raw, 'form-key-0123456789');
    expect(verifyPush(webform.signature, Buffer.from(raw), body, (x) => (h as Record<string, string>)[x] ?? '', { key: 'form-key-0123456789' }, now)).toEqual({ ok: true });
    expect(verifyPush(webform.signature, Buffer.from(raw.replace('周', '吴')), body, (x) => (h as Record<string, string>)[x] ?? '', { key: 'form-key-0123456789' }, now)).toEqual({ ok: false, code: 'signature_invalid' });
    expect(verifyPush(webform.signature, Buffer.from(raw), body, (x) => (h as Record<string, string>)[x] ?? '', {}, now)).toEqual({ ok: false, code: 'secret_missing' });
  });
});
