import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureSpec } from './intake.types.js';

export type Verdict = { ok: true } | { ok: false; code: 'signature_missing' | 'signature_invalid' | 'timestamp_stale' | 'token_invalid' | 'secret_missing' };

const eq = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The message a spec signs: {body}, {field.x} (a top-level field of the JSON body), {header.x}, {secret.x}. */
export function signedMessage(spec: SignatureSpec, raw: Buffer, body: unknown, header: (name: string) => string, secrets: Record<string, string>): string | null {
  let missing = false;
  const msg = spec.message.replace(/\{(body|field\.[^}]+|header\.[^}]+|secret\.[^}]+)\}/g, (_m, ref: string) => {
    if (ref === 'body') return raw.toString('utf8');
    const [kind, name] = [ref.slice(0, ref.indexOf('.')), ref.slice(ref.indexOf('.') + 1)];
    let v: unknown;
    if (kind === 'field') v = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
    else if (kind === 'header') v = header(name) || undefined;
    else v = secrets[name];
    if (v === undefined || v === null) {
      missing = true;
      return '';
    }
    return String(v);
  });
  return missing ? null : msg;
}

export function sign(spec: SignatureSpec, key: string, message: string): string {
  return createHmac(spec.algorithm === 'hmac-sha1' ? 'sha1' : 'sha256', key).update(message, 'utf8').digest(spec.encoding);
}

/** Verifies a push before anything else reads it: timestamp fresh, token equal, HMAC equal (constant time). */
export function verifyPush(spec: SignatureSpec, raw: Buffer, body: unknown, header: (name: string) => string, secrets: Record<string, string>, now: Date): Verdict {
  const key = secrets[spec.key];
  if (!key) return { ok: false, code: 'secret_missing' };
  const given = header(spec.header);
  if (!given) return { ok: false, code: 'signature_missing' };
  if (spec.timestampHeader) {
    const t = Number(header(spec.timestampHeader));
    if (!Number.isFinite(t) || t <= 0) return { ok: false, code: 'timestamp_stale' };
    const ms = t > 1e12 ? t : t * 1000;
    if (Math.abs(now.getTime() - ms) > spec.maxSkewSeconds * 1000) return { ok: false, code: 'timestamp_stale' };
  }
  if (spec.tokenHeader) {
    const want = secrets[spec.tokenHeader.secret];
    const got = header(spec.tokenHeader.header);
    if (want && got && !eq(got, want)) return { ok: false, code: 'token_invalid' };
  }
  const message = signedMessage(spec, raw, body, header, secrets);
  if (message === null) return { ok: false, code: 'signature_invalid' };
  const expected = spec.prefix + sign(spec, key, message);
  return eq(given.trim(), expected) ? { ok: true } : { ok: false, code: 'signature_invalid' };
}
