import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt as wecomDecrypt, encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';

// Two unrelated schemes live here:
//  - the robot HTTP callback (Outgoing robot) signs `timestamp\nappSecret` with HMAC-SHA256;
//  - the event subscription (HTTP push) uses WeCom's AES framing, with DingTalk's own receive id
//    (corpId, suiteKey or appKey) and millisecond timestamps.

/** Base64(HmacSHA256(key=appSecret, data=timestamp + "\n" + appSecret)), as DingTalk sends in the `sign` header. */
export function robotSign(timestampMs: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestampMs}\n${appSecret}`).digest('base64');
}

/**
 * Checks the `timestamp` and `sign` headers of a robot HTTP callback. DingTalk documents a one-hour
 * window; anything older (or from the future by as much) is refused so a captured request cannot be replayed later.
 */
export function verifyRobotSign(timestamp: string, sign: string, appSecret: string, nowMs: number, maxSkewMs = 3_600_000): boolean {
  if (!/^\d{10,16}$/.test(timestamp) || !sign || !appSecret) return false;
  if (Math.abs(nowMs - Number(timestamp)) > maxSkewMs) return false;
  return safeEqual(robotSign(timestamp, appSecret), sign);
}

/** Constant-time string compare; the length check leaks only the length, which is public (a fixed-size digest). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class DingtalkCryptoError extends Error {
  constructor(readonly reason: 'bad_key' | 'bad_signature' | 'bad_ciphertext' | 'receive_id_mismatch') {
    super(`dingtalk event crypto: ${reason}`);
    this.name = 'DingtalkCryptoError';
  }
}

export interface EncryptedReply {
  msg_signature: string;
  timeStamp: string;
  nonce: string;
  encrypt: string;
}

/**
 * Event subscription crypto for one owner (corpId, suiteKey or appKey). DingTalk checks our reply too:
 * every push must be answered with an encrypted "success" or it is retried and eventually the
 * subscription is disabled.
 */
export class DingtalkEventCrypto {
  constructor(
    private readonly token: string,
    private readonly aesKey: string,
    private readonly ownerKey: string,
  ) {
    // Refuse to run with a key that cannot decrypt anything rather than fail on the first push.
    if (!token || !ownerKey || decodeAesKey(aesKey).length !== 32) throw new DingtalkCryptoError('bad_key');
  }

  signature(timestamp: string, nonce: string, encrypt: string): string {
    return getSignature(this.token, timestamp, nonce, encrypt);
  }

  verify(signature: string, timestamp: string, nonce: string, encrypt: string): boolean {
    if (!signature || !timestamp || !nonce || !encrypt) return false;
    return safeEqual(this.signature(timestamp, nonce, encrypt), signature.toLowerCase());
  }

  /** Decrypts and checks the framing; throws DingtalkCryptoError unless the receive id is ours. */
  decrypt(encrypt: string): { message: string; receiveId: string } {
    const buf = Buffer.from(encrypt, 'base64');
    // @wecom/crypto trusts its input; a truncated or padded-wrong ciphertext would yield garbage or a RangeError.
    if (buf.length === 0 || buf.length % 32 !== 0) throw new DingtalkCryptoError('bad_ciphertext');
    let out: { message: string; id: string };
    try {
      out = wecomDecrypt(this.aesKey, encrypt);
    } catch {
      throw new DingtalkCryptoError('bad_ciphertext');
    }
    if (out.id !== this.ownerKey) throw new DingtalkCryptoError('receive_id_mismatch');
    return { message: out.message, receiveId: out.id };
  }

  /** Verifies the signature, then decrypts: the order a route must follow. */
  open(signature: string, timestamp: string, nonce: string, encrypt: string): { message: string; receiveId: string } {
    if (!this.verify(signature, timestamp, nonce, encrypt)) throw new DingtalkCryptoError('bad_signature');
    return this.decrypt(encrypt);
  }

  encrypt(message: string, random?: Buffer): string {
    return wecomEncrypt(this.aesKey, message, this.ownerKey, random);
  }

  /** The body DingTalk expects in answer to every push (including check_url). */
  encryptSuccess(timestamp: string, nonce: string, random?: Buffer): EncryptedReply {
    const encrypt = this.encrypt('success', random);
    return { msg_signature: this.signature(timestamp, nonce, encrypt), timeStamp: timestamp, nonce, encrypt };
  }
}

export function decodeAesKey(aesKey: string): Buffer {
  return Buffer.from(`${aesKey}=`, 'base64');
}

/**
 * AES-256-CBC with PKCS#7 padded to 32-byte blocks, without the random/length/receive-id framing.
 * Only the published DingTalk vectors test at this level, so it is exported for them and for debugging.
 */
export function aesEncryptRaw(aesKey: string, plain: Buffer): string {
  const key = decodeAesKey(aesKey);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

export function aesDecryptRaw(aesKey: string, encrypt: string): Buffer {
  const key = decodeAesKey(aesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || padded.subarray(padded.length - pad).some((b) => b !== pad)) throw new DingtalkCryptoError('bad_ciphertext');
  return padded.subarray(0, padded.length - pad);
}

/** A random nonce for replies (DingTalk accepts any short alphanumeric string). */
export function randomNonce(length = 8): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}
