import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** AES-256-GCM for tenant secrets at rest. The stored form is versioned so the key can rotate later. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: string) {
    // Any string the operator gives becomes a 32-byte key; base64 of 32 bytes is used as-is.
    const raw = Buffer.from(masterKey, 'base64');
    this.key = raw.length === 32 ? raw : createHash('sha256').update(masterKey, 'utf8').digest();
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  open(sealed: string): string {
    const [v, iv, body, tag] = sealed.split('.');
    if (v !== 'v1' || !iv || body === undefined || !tag) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A key for another purpose (e.g. signing session cookies), derived so it never equals this one. */
  deriveKey(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`kelu-derive:${purpose}`).digest();
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}
