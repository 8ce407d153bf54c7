import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from './lib/logger.js';
import { isAppError } from './lib/errors.js';
import type { Database } from './db/database.js';
import { PeakGauge } from './lib/peak-gauge.js';

export interface ServerDeps {
  database: Database;
  logger: Logger;
  /** Routers composed into the app (admin API, channels, sidebar). */
  routers: Router[];
  /** Platform connection states shown on /readyz (logged in, scanning, reconnecting...). */
  channels?: () => Record<string, unknown>;
}

export interface RunningServer {
  app: Koa;
  server: http.Server;
  url: string;
  /** Requests being handled right now. */
  inFlight(): number;
  /** The most requests in flight at once over the last half second or so. */
  pressure(): number;
  /**
   * Drains: stops accepting connections at once and answers /readyz 503; requests in flight and any
   * that arrive on an open keep-alive connection within drainMs are served with `Connection: close`
   * (the client closes that connection after the answer, nothing is reset under it); connections
   * still idle after drainMs are closed; in-flight requests get graceMs in all.
   */
  close(opts?: { drainMs?: number; graceMs?: number }): Promise<void>;
  /** True once close() began. */
  draining(): boolean;
}

export function createApp(deps: ServerDeps & { draining?: () => boolean }): { app: Koa; inFlight: () => number; pressure: () => number; idle: () => Promise<void> } {
  const app = new Koa({ proxy: true });
  const draining = deps.draining ?? (() => false);
  let inflight = 0;
  const peak = new PeakGauge();
  let waiters: (() => void)[] = [];

  app.use(async (ctx, next) => {
    peak.observe(++inflight);
    const started = performance.now();
    const reqId = (ctx.get('x-request-id') || '').slice(0, 64) || randomUUID();
    ctx.state.reqId = reqId;
    ctx.set('X-Request-Id', reqId);
    ctx.state.log = deps.logger.child({ reqId });
    try {
      await next();
    } catch (err) {
      const log = ctx.state.log as Logger;
      if (isAppError(err)) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.expose ? err.message : err.status < 500 ? 'request rejected' : 'internal error', ...(err.expose && err.details ? { details: err.details } : {}) } };
        if (err.status >= 500) log.error({ err, code: err.code }, 'request failed');
        else log.info({ code: err.code, status: err.status, path: ctx.path }, 'request rejected');
      } else {
        const status = (err as { status?: number }).status;
        if (status && status >= 400 && status < 500) {
          ctx.status = status;
          ctx.body = { error: { code: 'bad_request', message: 'request could not be processed' } };
        } else {
          ctx.status = 500;
          ctx.body = { error: { code: 'internal', message: 'internal error' } };
          log.error({ err }, 'unhandled error');
        }
      }
    } finally {
      inflight--;
      if (inflight === 0 && waiters.length) {
        const w = waiters;
        waiters = [];
        w.forEach((f) => f());
      }
      if (ctx.status >= 500 || deps.logger.isLevelEnabled('debug')) {
        (ctx.state.log as Logger).debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
      }
    }
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: 'no such route' } };
    }
  });

  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  health.get('/readyz', async (ctx) => {
    if (draining()) {
      // A load balancer stops sending here; the requests it still sends are served.
      ctx.status = 503;
      ctx.body = { error: { code: 'draining', message: 'shutting down' } };
      return;
    }
    try {
      await deps.database.ping();
      ctx.body = { status: 'ready', database: deps.database.kind, ...(deps.channels ? { channels: deps.channels() } : {}) };
    } catch {
      ctx.status = 503;
      ctx.body = { error: { code: 'database_unreachable', message: 'database is not reachable' } };
    }
  });
  app.use(health.routes());
  for (const r of deps.routers) app.use(r.routes()).use(r.allowedMethods());

  return {
    app,
    inFlight: () => inflight,
    pressure: () => peak.peak(),
    idle: () => (inflight === 0 ? Promise.resolve() : new Promise<void>((res) => waiters.push(res))),
  };
}

export async function startServer(deps: ServerDeps, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  let draining = false;
  const { app, idle, inFlight, pressure } = createApp({ ...deps, draining: () => draining });
  const handler = app.callback();
  // Responses not yet begun, so a drain can still mark them `Connection: close`.
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    open.add(res);
    res.once('close', () => open.delete(res));
    void handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => res());
  });
  const addr = server.address();
  const boundPort = typeof addr === 'object' && addr ? addr.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    app,
    server,
    url: `http://${shownHost}:${boundPort}`,
    inFlight,
    pressure,
    draining: () => draining,
    async close({ drainMs = 2_000, graceMs = 10_000 } = {}) {
      draining = true;
      const started = Date.now();
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      // Stop accepting, and only that: http.Server.close() would also destroy the idle keep-alive
      // connections at once, and a request a client had just written on one would meet a reset.
      const closed = new Promise<void>((res) => net.Server.prototype.close.call(server, () => res()));
      // Each keep-alive connection closes after its next answer (Connection: close); wait for them
      // within the drain window, then close the ones that stayed idle.
      while (sockets.size > 0 && Date.now() - started < drainMs) await new Promise((r) => setTimeout(r, 20));
      server.closeIdleConnections();
      await Promise.race([idle(), new Promise((r) => setTimeout(r, Math.max(0, graceMs - (Date.now() - started))).unref())]);
      server.closeAllConnections();
      await closed;
      // http.Server.close() on the stopped listener: a no-op but for clearing the server's
      // connection-checking interval, which net.Server.close() leaves running.
      server.close();
    },
  };
}
