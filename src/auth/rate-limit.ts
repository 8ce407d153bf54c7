import type { Context, Middleware } from 'koa';
import { AppError } from '../lib/errors.js';

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in this process (per key and per address). With several processes each
 * counts its own share, so the effective limit is at most processes x limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request; null when allowed, else the seconds until the window resets. */
  hit(key: string, rule: RateLimit): number | null {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= rule.windowSeconds * 1000) {
      if (this.windows.size > 50_000) this.sweep(t, rule.windowSeconds);
      this.windows.set(key, { start: t, count: 1 });
      return null;
    }
    if (w.count >= rule.limit) return Math.max(1, Math.ceil((w.start + rule.windowSeconds * 1000 - t) / 1000));
    w.count++;
    return null;
  }

  private sweep(t: number, windowSeconds: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= windowSeconds * 1000) this.windows.delete(k);
  }
}

export function tooManyRequests(ctx: Context, retryAfter: number): AppError {
  ctx.set('Retry-After', String(retryAfter));
  return new AppError('rate_limited', `too many requests; retry after ${retryAfter} s`, 429);
}

/** Limits a route by the caller's address (ctx.ip, which honours X-Forwarded-For behind a proxy). */
export function limitByAddress(limiter: RateLimiter, bucket: string, rule: RateLimit): Middleware {
  return async (ctx, next) => {
    const wait = limiter.hit(`${bucket}:ip:${ctx.ip}`, rule);
    if (wait !== null) throw tooManyRequests(ctx, wait);
    await next();
  };
}
