import { timingSafeEqual } from 'node:crypto';
import { decrypt as libDecrypt, encrypt as libEncrypt, getSignature } from '@wecom/crypto';
import { AppError } from '../../lib/errors.js';

// WeCom's callback crypto (msg_signature + AES-256-CBC with the random/length/receiveId frame).
// @wecom/crypto does the arithmetic; this wrapper adds the checks it skips: it accepts any
// padding byte outside 1..32 as "no padding", never checks the length field against the
// buffer, decodes base64 leniently, and takes a random prefix of any size.

export type WecomCryptoErrorCode =
  | 'crypto_config'
  | 'crypto_bad_base64'
  | 'crypto_bad_length'
  | 'crypto_bad_frame'
  | 'crypto_receive_id';

/** Messages are fixed strings: they never echo the ciphertext or the key. */
export class WecomCryptoError extends AppError {
  constructor(code: WecomCryptoErrorCode, message: string) {
    super(code, message, code === 'crypto_config' ? 500 : 400, { expose: false });
    this.name = 'WecomCryptoError';
  }
}

export interface DecryptedMessage {
  message: string;
  receiveId: string;
}

const KEY_FORMAT = /^[A-Za-z0-9+/]{43}$/;
// Canonical base64 only: no whitespace, padding only at the end, so one ciphertext has one spelling.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// WeCom pads to 32-byte blocks; the smallest frame (16 random + 4 length) pads to one block.
const BLOCK = 32;

export class WecomCrypto {
  constructor(
    private readonly token: string,
    private readonly encodingAESKey: string,
  ) {
    if (!token) throw new WecomCryptoError('crypto_config', 'wecom token is missing');
    if (!KEY_FORMAT.test(encodingAESKey)) throw new WecomCryptoError('crypto_config', 'wecom EncodingAESKey must be 43 base64 characters');
  }

  signature(timestamp: string, nonce: string, encrypt: string): string {
    return getSignature(this.token, String(timestamp), String(nonce), encrypt);
  }

  /** Constant-time once lengths match; the expected length (40 hex chars) is public anyway. */
  verify(msgSignature: string, timestamp: string, nonce: string, encrypt: string): boolean {
    if (typeof msgSignature !== 'string' || typeof encrypt !== 'string') return false;
    const expected = Buffer.from(this.signature(timestamp, nonce, encrypt), 'utf8');
    const given = Buffer.from(msgSignature, 'utf8');
    if (given.length !== expected.length) return false;
    return timingSafeEqual(given, expected);
  }

  /**
   * Decrypts and validates the frame. Pass `expectReceiveId` (the CorpID) to also refuse
   * messages meant for another corp or app.
   */
  decrypt(encrypt: string, expectReceiveId?: string): DecryptedMessage {
    if (typeof encrypt !== 'string' || encrypt.length === 0 || !BASE64.test(encrypt)) {
      throw new WecomCryptoError('crypto_bad_base64', 'ciphertext is not canonical base64');
    }
    const bytes = Buffer.from(encrypt, 'base64').length;
    if (bytes < BLOCK || bytes % BLOCK !== 0) {
      throw new WecomCryptoError('crypto_bad_length', 'ciphertext length is not a positive multiple of the block size');
    }
    let out: { message: string; id: string; random: Buffer };
    try {
      out = libDecrypt(this.encodingAESKey, encrypt);
    } catch {
      throw new WecomCryptoError('crypto_bad_frame', 'ciphertext does not decrypt to a valid frame');
    }
    // Re-encrypting with the recovered random prefix must reproduce the input exactly. That one
    // check covers everything the library skips: PKCS#7 padding (every byte, value 1..32), the
    // length field against the buffer, and invalid UTF-8 (replaced characters re-encode differently).
    if (out.random.length !== 16 || libEncrypt(this.encodingAESKey, out.message, out.id, out.random) !== encrypt) {
      throw new WecomCryptoError('crypto_bad_frame', 'ciphertext does not decrypt to a valid frame');
    }
    if (expectReceiveId !== undefined && out.id !== expectReceiveId) {
      throw new WecomCryptoError('crypto_receive_id', 'message is addressed to another receiver');
    }
    return { message: out.message, receiveId: out.id };
  }

  encrypt(message: string, receiveId: string, random16?: Buffer): string {
    if (random16 !== undefined && random16.length !== 16) {
      throw new WecomCryptoError('crypto_config', 'random prefix must be 16 bytes');
    }
    return libEncrypt(this.encodingAESKey, message, receiveId, random16);
  }
}

/**
 * WeCom's timestamps are seconds. A replayed callback outside the window is refused even
 * with a valid signature, since the signature does not expire.
 */
export function isTimestampFresh(ts: string, nowMs: number, skewSeconds = 300): boolean {
  if (typeof ts !== 'string' || !/^\d{1,12}$/.test(ts)) return false;
  return Math.abs(nowMs / 1000 - Number(ts)) <= skewSeconds;
}
