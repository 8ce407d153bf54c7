import http from 'node:http';
import https from 'node:https';

/**
 * The platform API clients' HTTP: node:http with keep-alive agents, reading the whole body.
 *
 * Measured reason (bench:pipeline CPU profile): global fetch (undici with web streams, an
 * AbortSignal.timeout and its DOMException per call) took 17.6% of the server's CPU for one
 * message/send per captured message; this takes a fraction of it. The subset used is what the
 * clients need: method, headers, a string body and a timeout.
 */
export interface HttpInit {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** A fetch-shaped function; global fetch also satisfies it (without the timeout). */
export type HttpFetch = (url: string | URL, init: HttpInit) => Promise<HttpResponse>;

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8 }),
};

/** Bodies beyond this are not API answers; the request fails as a network error. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export const nodeHttp: HttpFetch = (input, init) => {
  const url = typeof input === 'string' ? new URL(input) : input;
  const protocol = url.protocol === 'https:' ? 'https:' : url.protocol === 'http:' ? 'http:' : null;
  if (!protocol) return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = (protocol === 'https:' ? https : http).request(url, {
      method: init.method,
      agent: agents[protocol],
      headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) req.destroy(Object.assign(new Error('response too large'), { cause: { code: 'ERESPONSETOOLARGE' } }));
        else chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        if (timer) clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          text: () => Promise.resolve(text),
          json: () => new Promise((ok) => ok(JSON.parse(text) as unknown)),
        });
      });
    });
    const timer = init.timeoutMs ? setTimeout(() => req.destroy(new HttpTimeoutError(`timed out after ${init.timeoutMs} ms`)), init.timeoutMs) : null;
    req.on('error', (e: Error) => {
      if (timer) clearTimeout(timer);
      reject(e instanceof HttpTimeoutError || (e as { cause?: unknown }).cause ? e : Object.assign(new Error(e.message), { cause: e }));
    });
    req.end(body);
  });
};
