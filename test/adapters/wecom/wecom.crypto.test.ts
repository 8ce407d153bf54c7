import { createCipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { WecomCrypto, WecomCryptoError, isTimestampFresh } from '../../../src/adapters/wecom/wecom.crypto.js';

interface Vector {
  id: string;
  family: string;
  kind: string;
  token?: string;
  encodingAESKey: string;
  receiveId?: string;
  timestamp?: string;
  nonce?: string;
  msgSignature?: string;
  encrypt?: string;
  plaintext?: string;
  randomPrefix?: string;
  expected: { signatureValid?: boolean; plaintext?: string; receiveId?: string; encrypt?: string; msgSignature?: string };
  verification: { derived?: { plaintext: string; receiveId: string } };
}

const all = JSON.parse(
  readFileSync(path.resolve(process.cwd(), '../shared/benchmarks/wecom-crypto-vectors.json'), 'utf8'),
) as Vector[];
const ours = all.filter((v) => ['wecom', 'wecom-json', 'wechat-mp'].includes(v.family));
const byKind = (kind: string) => ours.filter((v) => v.kind === kind).map((v) => [v.id, v] as const);

// Every kind this layer handles is listed, so a vector of a new kind cannot slip through untested.
const HANDLED = ['verify_url', 'decrypt_msg', 'signature_only', 'negative_signature', 'encrypt_deterministic'];

describe('WecomCrypto against the shared vectors', () => {
  it('covers every wecom / wecom-json / wechat-mp vector', () => {
    expect(ours.length).toBeGreaterThanOrEqual(15);
    for (const v of ours) expect(HANDLED).toContain(v.kind);
  });

  it.each([...byKind('verify_url'), ...byKind('decrypt_msg')])('%s: signature valid and decrypts', (_id, v) => {
    const c = new WecomCrypto(v.token!, v.encodingAESKey);
    expect(v.expected.signatureValid).toBe(true);
    expect(c.verify(v.msgSignature!, v.timestamp!, v.nonce!, v.encrypt!)).toBe(true);
    const out = c.decrypt(v.encrypt!, v.receiveId);
    const plaintext = v.expected.plaintext ?? v.verification.derived?.plaintext;
    expect(plaintext).toBeDefined();
    expect(out.message).toBe(plaintext);
    expect(out.receiveId).toBe(v.expected.receiveId ?? v.verification.derived?.receiveId ?? v.receiveId);
  });

  it.each(byKind('signature_only'))('%s: signature matches', (_id, v) => {
    const c = new WecomCrypto(v.token!, v.encodingAESKey);
    expect(c.signature(v.timestamp!, v.nonce!, v.encrypt!)).toBe(v.expected.msgSignature);
    expect(c.verify(v.expected.msgSignature!, v.timestamp!, v.nonce!, v.encrypt!)).toBe(true);
  });

  it.each(byKind('negative_signature'))('%s: signature rejected', (_id, v) => {
    const c = new WecomCrypto(v.token!, v.encodingAESKey);
    expect(v.expected.signatureValid).toBe(false);
    expect(c.verify(v.msgSignature!, v.timestamp!, v.nonce!, v.encrypt!)).toBe(false);
  });

  it.each(byKind('encrypt_deterministic'))('%s: encrypts to the published ciphertext', (_id, v) => {
    const c = new WecomCrypto(v.token!, v.encodingAESKey);
    const encrypted = c.encrypt(v.plaintext!, v.receiveId!, Buffer.from(v.randomPrefix!, 'utf8'));
    expect(encrypted).toBe(v.expected.encrypt);
    if (v.expected.msgSignature) expect(c.signature(v.timestamp!, v.nonce!, encrypted)).toBe(v.expected.msgSignature);
    expect(c.decrypt(encrypted)).toEqual({ message: v.plaintext, receiveId: v.receiveId });
  });
});

describe('WecomCrypto rejects bad input', () => {
  const v = ours.find((x) => x.id === 'wecom-official-decryptmsg-xml')!;
  const c = new WecomCrypto(v.token!, v.encodingAESKey);
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(WecomCryptoError);
      return (e as WecomCryptoError).code;
    }
    throw new Error('expected a throw');
  };

  it('refuses a signature of the wrong length or a different one', () => {
    expect(c.verify(v.msgSignature!.slice(0, 39), v.timestamp!, v.nonce!, v.encrypt!)).toBe(false);
    expect(c.verify(`${v.msgSignature!}0`, v.timestamp!, v.nonce!, v.encrypt!)).toBe(false);
    expect(c.verify(v.msgSignature!.toUpperCase(), v.timestamp!, v.nonce!, v.encrypt!)).toBe(false);
    expect(c.verify(v.msgSignature!, String(Number(v.timestamp!) + 1), v.nonce!, v.encrypt!)).toBe(false);
  });

  it('tampered ciphertext: a flipped byte in the last block breaks the frame', () => {
    const raw = Buffer.from(v.encrypt!, 'base64');
    raw[raw.length - 1] ^= 0x01;
    expect(codeOf(() => c.decrypt(raw.toString('base64')))).toBe('crypto_bad_frame');
  });

  it('tampered ciphertext: a flipped byte in the first block corrupts the random/length frame', () => {
    const raw = Buffer.from(v.encrypt!, 'base64');
    raw[3] ^= 0x80;
    // Block 0 garbles the random prefix (harmless) and flips a bit of the length field in block 1.
    raw[16 + 2] ^= 0x40;
    expect(codeOf(() => c.decrypt(raw.toString('base64')))).toBe('crypto_bad_frame');
  });

  // Frames the library alone would accept: it treats a pad byte outside 1..32 as "no padding"
  // and never checks the length field against the buffer.
  const frame = (body: Buffer, padByte: number, padLen: number): string => {
    const key = Buffer.from(`${v.encodingAESKey}=`, 'base64');
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([body, Buffer.alloc(padLen, padByte)]);
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
  };
  const body = (msg: string, id: string, declared?: number): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(declared ?? Buffer.byteLength(msg));
    return Buffer.concat([Buffer.alloc(16, 7), len, Buffer.from(msg), Buffer.from(id)]);
  };

  it('accepts a hand-built frame with correct padding (control for the cases below)', () => {
    const b = body('hello', 'wx5823bf96d3bd56c7'); // 43 bytes -> 21 bytes of padding
    expect(c.decrypt(frame(b, 21, 21))).toEqual({ message: 'hello', receiveId: 'wx5823bf96d3bd56c7' });
  });

  it('bad padding: pad byte 0, pad byte 33, inconsistent pad bytes', () => {
    const b = body('hello', 'wx5823bf96d3bd56c7');
    expect(codeOf(() => c.decrypt(frame(b, 0, 21)))).toBe('crypto_bad_frame');
    expect(codeOf(() => c.decrypt(frame(b, 33, 21)))).toBe('crypto_bad_frame');
    const mixed = Buffer.concat([b, Buffer.alloc(20, 9), Buffer.from([21])]);
    expect(codeOf(() => c.decrypt(frame(mixed, 0, 0)))).toBe('crypto_bad_frame');
  });

  it('a length field larger than the frame', () => {
    expect(codeOf(() => c.decrypt(frame(body('hello', 'wx5823bf96d3bd56c7', 5000), 21, 21)))).toBe('crypto_bad_frame');
  });

  it('invalid UTF-8 in the message', () => {
    const bad = Buffer.concat([Buffer.alloc(16, 7), Buffer.from([0, 0, 0, 2, 0xc3, 0x28]), Buffer.from('wx5823bf96d3bd56c7')]);
    expect(codeOf(() => c.decrypt(frame(bad, 24, 24)))).toBe('crypto_bad_frame');
  });

  it('wrong key', () => {
    const other = new WecomCrypto(v.token!, 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    expect(codeOf(() => other.decrypt(v.encrypt!))).toBe('crypto_bad_frame');
  });

  it('truncated base64 and a length off the block size', () => {
    expect(codeOf(() => c.decrypt(v.encrypt!.slice(0, -3)))).toBe('crypto_bad_base64');
    expect(codeOf(() => c.decrypt(v.encrypt!.slice(0, 44)))).toBe('crypto_bad_length');
    expect(codeOf(() => c.decrypt(''))).toBe('crypto_bad_base64');
    expect(codeOf(() => c.decrypt(`${v.encrypt!.slice(0, 10)}\n${v.encrypt!.slice(10)}`))).toBe('crypto_bad_base64');
  });

  it('a receiveId other than the expected corp', () => {
    expect(codeOf(() => c.decrypt(v.encrypt!, 'ww0000000000000000'))).toBe('crypto_receive_id');
  });

  it('bad configuration and a random prefix that is not 16 bytes', () => {
    expect(codeOf(() => new WecomCrypto(v.token!, 'short'))).toBe('crypto_config');
    expect(codeOf(() => new WecomCrypto('', v.encodingAESKey))).toBe('crypto_config');
    expect(codeOf(() => c.encrypt('hi', 'ww1', Buffer.alloc(15)))).toBe('crypto_config');
  });

  it('error messages never carry the ciphertext', () => {
    try {
      c.decrypt(`${v.encrypt!.slice(0, -4)}AAAA`);
      throw new Error('expected a throw');
    } catch (e) {
      expect((e as Error).message).not.toContain(v.encrypt!.slice(0, 20));
    }
  });

  it('round-trips unicode with a random prefix', () => {
    const msg = '<xml><Content><![CDATA[客户张三 明天下午三点回访 🚀]]></Content></xml>';
    const enc = c.encrypt(msg, 'ww1436e0e65a779aee');
    expect(c.decrypt(enc)).toEqual({ message: msg, receiveId: 'ww1436e0e65a779aee' });
    expect(c.encrypt(msg, 'ww1436e0e65a779aee')).not.toBe(enc);
  });
});

describe('isTimestampFresh', () => {
  const now = 1_700_000_000_000;
  it.each([
    ['1700000000', true],
    ['1699999700', true],
    ['1700000300', true],
    ['1699999699', false],
    ['1700000301', false],
    ['', false],
    ['17e8', false],
    ['-1700000000', false],
    ['1700000000000', false], // milliseconds are not WeCom's unit
  ])('%s -> %s', (ts, fresh) => {
    expect(isTimestampFresh(ts, now)).toBe(fresh);
  });
  it('honours a custom skew', () => {
    expect(isTimestampFresh('1699999990', now, 5)).toBe(false);
    expect(isTimestampFresh('1699999996', now, 5)).toBe(true);
  });
});
