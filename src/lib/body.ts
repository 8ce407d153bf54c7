import type { Context } from 'koa';
import { AppError, badRequest } from './errors.js';

export const payloadTooLarge = (limit: number) => new AppError('payload_too_large', `request body exceeds ${limit} bytes`, 413);

/** Reads the raw body once, refusing more than `limit` bytes before buffering them. */
export async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  const cached = (ctx.state as { rawBody?: Buffer }).rawBody;
  if (cached) return cached;
  const declared = Number(ctx.get('content-length') || NaN);
  if (Number.isFinite(declared) && declared > limit) {
    ctx.req.resume();
    throw payloadTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.req.resume();
      throw payloadTooLarge(limit);
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  (ctx.state as { rawBody?: Buffer }).rawBody = body;
  return body;
}

export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const raw = await readRawBody(ctx, limit);
  if (raw.length === 0) throw badRequest('empty_body', 'a JSON body is required');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('malformed_json', 'body is not valid JSON');
  }
}
