import { createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../lib/errors.js';
import { safeEqual } from './secrets.js';

/**
 * Signed session cookies. The cookie names a tenant and a user and carries two expiries: an idle
 * one that slides forward while the person keeps using Kelu, and an absolute one it never passes.
 * Nothing else is trusted from it: the user is read from the database on every request, so a
 * deactivated user's session ends at once, and a role change applies at once.
 */
export interface SessionClaims {
  tenantId: string;
  userId: string;
  /** CSRF token: state-changing requests with this cookie must echo it in X-Kelu-Csrf. */
  csrf: string;
  issuedAt: number;
  /** Idle expiry (seconds since epoch). */
  expiresAt: number;
  /** Absolute expiry (seconds since epoch). */
  maxAt: number;
}

export const SESSION_COOKIE = 'kelu_session';

export interface SessionOptions {
  /** HMAC key (derived from the master key). */
  key: Buffer;
  idleSeconds?: number;
  absoluteSeconds?: number;
  now?: () => number;
}

export class SessionCodec {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
  private readonly now: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.idleSeconds = opts.idleSeconds ?? 2 * 3600;
    this.absoluteSeconds = opts.absoluteSeconds ?? 12 * 3600;
    this.now = opts.now ?? Date.now;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  issue(tenantId: string, userId: string): { value: string; claims: SessionClaims } {
    const t = this.seconds();
    const claims: SessionClaims = { tenantId, userId, csrf: randomBytes(16).toString('base64url'), issuedAt: t, expiresAt: t + this.idleSeconds, maxAt: t + this.absoluteSeconds };
    return { value: this.sign(claims), claims };
  }

  /** The renewed cookie when more than half of the idle window has passed, else null. */
  renew(c: SessionClaims): { value: string; claims: SessionClaims } | null {
    const t = this.seconds();
    if (c.expiresAt - t > this.idleSeconds / 2 || c.expiresAt >= c.maxAt) return null;
    const claims = { ...c, expiresAt: Math.min(t + this.idleSeconds, c.maxAt) };
    return { value: this.sign(claims), claims };
  }

  /** Throws invalid_session (forged, malformed) or session_expired. */
  verify(value: string): SessionClaims {
    const [body, mac] = value.split('.');
    if (!body || !mac || !safeEqual(mac, this.mac(body))) throw new AppError('invalid_session', 'the session cookie is not valid; sign in again', 401);
    let c: SessionClaims;
    try {
      c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      throw new AppError('invalid_session', 'the session cookie is not valid; sign in again', 401);
    }
    if (typeof c.tenantId !== 'string' || typeof c.userId !== 'string' || typeof c.expiresAt !== 'number' || typeof c.maxAt !== 'number') {
      throw new AppError('invalid_session', 'the session cookie is not valid; sign in again', 401);
    }
    const t = this.seconds();
    if (t >= c.expiresAt || t >= c.maxAt) throw new AppError('session_expired', 'the session has expired; sign in again', 401);
    return c;
  }

  /** Set-Cookie value. SameSite=None: chat platforms open pages in their own (sometimes framed) webviews. */
  cookie(value: string, claims: SessionClaims): string {
    const maxAge = Math.max(0, claims.expiresAt - this.seconds());
    return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None`;
  }

  clearCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None`;
  }

  private sign(c: SessionClaims): string {
    const body = Buffer.from(JSON.stringify(c)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.opts.key).update(`kelu-session.v1.${body}`).digest('base64url');
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}
