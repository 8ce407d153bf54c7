import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  aesDecryptRaw,
  aesEncryptRaw,
  DingtalkCryptoError,
  DingtalkEventCrypto,
  robotSign,
  verifyRobotSign,
} from '../../../src/adapters/dingtalk/dingtalk.crypto.js';

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
  rawPlaintext?: string;
  expected: { signatureValid?: boolean; plaintext?: string; receiveId?: string; encrypt?: string };
  verification: { derived?: { plaintext: string; receiveId: string; randomHex: string } };
}

const vectors = (JSON.parse(readFileSync(path.resolve(process.cwd(), '../shared/benchmarks/wecom-crypto-vectors.json'), 'utf8')) as Vector[]).filter(
  (v) => v.family === 'dingtalk',
);

describe('DingTalk event crypto against published vectors', () => {
  it('has the DingTalk vectors to run', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(4);
    expect(vectors.some((v) => v.kind === 'raw_aes')).toBe(true);
  });

  const framed = vectors.filter((v) => v.kind === 'decrypt_msg');
  it.each(framed.map((v) => [v.id, v] as const))('%s: verifies, decrypts and re-encrypts byte for byte', (_id, v) => {
    const c = new DingtalkEventCrypto(v.token!, v.encodingAESKey, v.receiveId!);
    expect(c.verify(v.msgSignature!, v.timestamp!, v.nonce!, v.encrypt!)).toBe(v.expected.signatureValid ?? true);
    const out = c.open(v.msgSignature!, v.timestamp!, v.nonce!, v.encrypt!);
    const plaintext = v.expected.plaintext ?? v.verification.derived!.plaintext;
    expect(out).toEqual({ message: plaintext, receiveId: v.expected.receiveId ?? v.receiveId });
    // Same random prefix -> the exact published ciphertext: proves our framing, not just a round trip.
    const random = Buffer.from(v.verification.derived!.randomHex, 'hex');
    expect(c.encrypt(plaintext, random)).toBe(v.encrypt);
  });

  const raw = vectors.filter((v) => v.kind === 'raw_aes');
  it.each(raw.map((v) => [v.id, v] as const))('%s: raw AES-CBC + PKCS#7(32)', (_id, v) => {
    expect(aesEncryptRaw(v.encodingAESKey, Buffer.from(v.rawPlaintext!))).toBe(v.expected.encrypt);
    expect(aesDecryptRaw(v.encodingAESKey, v.expected.encrypt!).toString()).toBe(v.rawPlaintext);
  });
});

describe('DingtalkEventCrypto', () => {
  const v = vectors.find((x) => x.id === 'dingtalk-py3-check-url')!;
  const crypto = new DingtalkEventCrypto(v.token!, v.encodingAESKey, v.receiveId!);

  it('encryptSuccess produces a reply that verifies and decrypts to "success"', () => {
    const reply = crypto.encryptSuccess('1700000000123', 'nOnCe123');
    expect(reply.timeStamp).toBe('1700000000123');
    expect(reply.nonce).toBe('nOnCe123');
    expect(crypto.verify(reply.msg_signature, reply.timeStamp, reply.nonce, reply.encrypt)).toBe(true);
    expect(crypto.decrypt(reply.encrypt)).toEqual({ message: 'success', receiveId: v.receiveId });
  });

  it('uses a fresh random prefix per reply', () => {
    expect(crypto.encryptSuccess('1', 'n').encrypt).not.toBe(crypto.encryptSuccess('1', 'n').encrypt);
  });

  it('rejects a tampered signature, timestamp, nonce or ciphertext', () => {
    const flip = (s: string) => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
    expect(crypto.verify(flip(v.msgSignature!), v.timestamp!, v.nonce!, v.encrypt!)).toBe(false);
    expect(crypto.verify(v.msgSignature!, String(Number(v.timestamp) + 1), v.nonce!, v.encrypt!)).toBe(false);
    expect(crypto.verify(v.msgSignature!, v.timestamp!, flip(v.nonce!), v.encrypt!)).toBe(false);
    expect(crypto.verify(v.msgSignature!, v.timestamp!, v.nonce!, flip(v.encrypt!))).toBe(false);
    expect(crypto.verify('', v.timestamp!, v.nonce!, v.encrypt!)).toBe(false);
    expect(() => crypto.open(flip(v.msgSignature!), v.timestamp!, v.nonce!, v.encrypt!)).toThrow(new DingtalkCryptoError('bad_signature'));
  });

  it('refuses ciphertext that is truncated, corrupted, or meant for another owner', () => {
    expect(() => crypto.decrypt(v.encrypt!.slice(0, 40))).toThrow(DingtalkCryptoError);
    const bytes = Buffer.from(v.encrypt!, 'base64');
    bytes[bytes.length - 40] ^= 0xff; // corrupts the block holding the receive id
    expect(() => crypto.decrypt(bytes.toString('base64'))).toThrow(DingtalkCryptoError);
    const other = new DingtalkEventCrypto(v.token!, v.encodingAESKey, 'dingOtherCorp');
    expect(() => other.decrypt(v.encrypt!)).toThrow(new DingtalkCryptoError('receive_id_mismatch'));
  });

  it('refuses to construct with an unusable key', () => {
    expect(() => new DingtalkEventCrypto('t', 'short', 'ding1')).toThrow(new DingtalkCryptoError('bad_key'));
    expect(() => new DingtalkEventCrypto('', v.encodingAESKey, 'ding1')).toThrow(DingtalkCryptoError);
  });
});

describe('robot callback signature', () => {
  // Computed independently: printf '1700000000000\nSEC-test' | openssl dgst -sha256 -hmac SEC-test -binary | base64
  const secret = 'SEC-test';
  const ts = '1700000000000';

  it('matches HmacSHA256(secret, timestamp\\nsecret) in base64', () => {
    expect(robotSign(ts, secret)).toBe(EXPECTED_SIGN);
  });

  it('accepts a fresh, correct signature', () => {
    expect(verifyRobotSign(ts, EXPECTED_SIGN, secret, Number(ts) + 59 * 60_000)).toBe(true);
  });

  it('rejects stale or future timestamps beyond one hour', () => {
    expect(verifyRobotSign(ts, EXPECTED_SIGN, secret, Number(ts) + 3_600_001)).toBe(false);
    expect(verifyRobotSign(ts, EXPECTED_SIGN, secret, Number(ts) - 3_600_001)).toBe(false);
  });

  it('rejects wrong secret, tampered sign, wrong length and junk timestamps', () => {
    const now = Number(ts);
    expect(verifyRobotSign(ts, EXPECTED_SIGN, 'SEC-other', now)).toBe(false);
    expect(verifyRobotSign(ts, EXPECTED_SIGN.slice(0, -2) + 'A=', secret, now)).toBe(false);
    expect(verifyRobotSign(ts, EXPECTED_SIGN.slice(0, 10), secret, now)).toBe(false);
    expect(verifyRobotSign('17e12', EXPECTED_SIGN, secret, now)).toBe(false);
    expect(verifyRobotSign(ts, EXPECTED_SIGN, '', now)).toBe(false);
  });
});

const EXPECTED_SIGN = 'Sf/ft2shUSqoR1REF+DS39IoTlwQRyDPwfM8S94ODOc=';
