import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

// A fake DingTalk for tests and the playground: the Stream gateway (connection open + WebSocket) and the REST endpoints Kelu calls,
// on one 127.0.0.1 port. It records what it receives and can be told to fail.

// 'ws' ships without types here; this is the slice the fake uses.
interface WsSocket {
  readyState: number;
  send(data: string): void;
  terminate(): void;
  close(): void;
  on(ev: 'message', cb: (data: Buffer) => void): void;
  on(ev: 'close', cb: () => void): void;
}
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocket) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (o: { noServer: true }) => WsServer };

export const FAKE_TOPIC_ROBOT = '/v1.0/im/bot/messages/get';
export const FAKE_TOPIC_CARD = '/v1.0/card/instances/callback';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** When it arrived (ms). */
  at: number;
}

export interface StreamAck {
  messageId: string;
  code: number;
  data: unknown;
  connectionId: string;
}

export type Failure = '5xx' | '429' | 'throttle' | 'expiredToken' | 'timeout' | 'badRequest';

interface Pending {
  messageId: string;
  topic: string;
  data: string;
}

export class FakeDingtalkServer {
  readonly requests: RecordedRequest[] = [];
  /** Every ACK frame received, in order (success and failure codes alike). */
  readonly acks: StreamAck[] = [];
  /** messageId -> how many times it was pushed to a client. */
  readonly deliveries = new Map<string, number>();
  readonly gatewayOpens: { clientId: string; subscriptions: { type: string; topic: string }[] }[] = [];
  connectionCount = 0;
  issuedTokens: string[] = [];
  /** Staff userid -> unionid answered by user/get; unknown users get `union-<userid>`. */
  readonly unionIds = new Map<string, string>();
  /** Todos created through the todo API, by id, with every later update applied. */
  readonly todos = new Map<string, { id: string; creatorUnionId: string; sourceId: string; subject: string; description?: string; executorIds: string[]; done: boolean; body: Record<string, unknown> }>();

  private server?: Server;
  private wss?: WsServer;
  private port = 0;
  private readonly sockets = new Map<string, WsSocket>();
  private readonly tickets = new Set<string>();
  private readonly unacked = new Map<string, Pending>();
  private readonly validTokens = new Set<string>();
  private readonly failures: { pathPrefix: string; kind: Failure; times: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;
  private gatewayFailuresLeft = 0;

  constructor(
    private readonly opts: { appKey?: string; appSecret?: string; redeliverDelayMs?: number; tokenTtlSeconds?: number } = {},
  ) {}

  private readonly authCodes = new Map<string, { userId: string; unionId: string; appKey: string }>();

  /**
   * What dd.runtime.permission.requestAuthCode gives a page inside DingTalk: a one-time 免登 code.
   * With another app key the code belongs to another corp's app and this app cannot exchange it.
   */
  issueAuthCode(userId: string, unionId: string, appKey = this.opts.appKey ?? 'fake-app-key'): string {
    const code = `dtcode-${++this.seq}-${Math.random().toString(36).slice(2, 10)}`;
    this.authCodes.set(code, { userId, unionId, appKey });
    return code;
  }

  async start(): Promise<{ url: string; gatewayUrl: string }> {
    this.wss = new WebSocketServer({ noServer: true });
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    return { url: this.url, gatewayUrl: `${this.url}/v1.0/gateway/connections/open` };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets.values()) s.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- Stream ---------------------------------------------------------------------------------

  pushRobotMessage(raw: unknown): string {
    return this.push(FAKE_TOPIC_ROBOT, raw);
  }

  pushCardCallback(raw: unknown): string {
    return this.push(FAKE_TOPIC_CARD, raw);
  }

  /** Kills every client socket without a close handshake, as a network cut would. */
  dropConnection(): void {
    for (const s of this.sockets.values()) s.terminate();
  }

  /** The gateway's polite goodbye: a SYSTEM disconnect frame, then the socket closes. */
  sendDisconnect(): void {
    for (const [id, s] of this.sockets) {
      s.send(JSON.stringify(this.frame('SYSTEM', 'disconnect', `sys-${++this.seq}`, '{}', id)));
      this.later(50, () => s.close());
    }
  }

  /** Sends a SYSTEM ping; resolves when the client echoes it. */
  ping(): Promise<void> {
    const messageId = `ping-${++this.seq}`;
    return new Promise((resolve) => {
      this.pingWaiters.set(messageId, resolve);
      for (const [id, s] of this.sockets) s.send(JSON.stringify(this.frame('SYSTEM', 'ping', messageId, JSON.stringify({ opaque: messageId }), id)));
    });
  }

  /** The next `times` connection-open calls answer 503. */
  failGatewayOpens(times: number): void {
    this.gatewayFailuresLeft = times;
  }

  successAcks(messageId: string): number {
    return this.acks.filter((a) => a.messageId === messageId && a.code === 200).length;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  get unackedIds(): string[] {
    return [...this.unacked.keys()];
  }

  private readonly pingWaiters = new Map<string, () => void>();

  private push(topic: string, raw: unknown): string {
    const messageId = `msg-${++this.seq}`;
    const p = { messageId, topic, data: JSON.stringify(raw) };
    this.unacked.set(messageId, p);
    this.deliver(p);
    return messageId;
  }

  private deliver(p: Pending): void {
    const [id, s] = [...this.sockets].at(-1) ?? [];
    if (!s || !id) return; // delivered on the next connection
    this.deliveries.set(p.messageId, (this.deliveries.get(p.messageId) ?? 0) + 1);
    s.send(JSON.stringify(this.frame('CALLBACK', p.topic, p.messageId, p.data, id)));
  }

  private frame(type: string, topic: string, messageId: string, data: string, connectionId: string) {
    return {
      specVersion: '1.0',
      type,
      headers: { appId: 'fake-app', connectionId, contentType: 'application/json', messageId, time: String(Date.now()), topic },
      data,
    };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const u = new URL(req.url ?? '/', this.url);
    const ticket = u.searchParams.get('ticket') ?? '';
    // A ticket opens one connection, as on the real gateway.
    if (u.pathname !== '/connect' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.wss!.handleUpgrade(req, socket, head, (ws) => {
      const id = `conn-${++this.connectionCount}`;
      this.sockets.set(id, ws);
      ws.on('close', () => this.sockets.delete(id));
      ws.on('message', (buf) => this.onClientFrame(id, buf));
      // Whatever was not acked is pushed again on the new connection.
      for (const p of this.unacked.values()) this.deliver(p);
    });
  }

  private onClientFrame(connectionId: string, buf: Buffer): void {
    const f = JSON.parse(buf.toString()) as { code: number; headers: { messageId: string }; data?: string };
    const messageId = f.headers?.messageId;
    const waiter = this.pingWaiters.get(messageId);
    if (waiter) {
      this.pingWaiters.delete(messageId);
      return waiter();
    }
    this.acks.push({ messageId, code: f.code, data: f.data ? JSON.parse(f.data) : undefined, connectionId });
    const p = this.unacked.get(messageId);
    if (!p) return;
    if (f.code === 200) this.unacked.delete(messageId);
    else this.later(this.opts.redeliverDelayMs ?? 50, () => this.unacked.has(messageId) && this.deliver(p));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  // ---- REST -----------------------------------------------------------------------------------

  /** The next `times` requests whose path starts with `pathPrefix` ('' for any) fail as `kind`. */
  failNext(pathPrefix: string, kind: Failure, times = 1): void {
    this.failures.push({ pathPrefix, kind, times });
  }

  /** Revokes every token issued so far, as when DingTalk expires one early. */
  expireTokens(): void {
    this.validTokens.clear();
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const path = u.pathname;
    this.requests.push({ method: req.method ?? '', path, query: Object.fromEntries(u.searchParams), headers: req.headers, body, at: Date.now() });
    const send = (status: number, json: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const b = (body ?? {}) as Record<string, unknown>;

    if (path === '/v1.0/gateway/connections/open' && req.method === 'POST') {
      if (this.gatewayFailuresLeft > 0) {
        this.gatewayFailuresLeft--;
        return send(503, { code: 'ServiceUnavailable', message: 'gateway busy' });
      }
      if (!this.checkCreds(b.clientId, b.clientSecret)) return send(401, { code: 'authFailed', message: '鉴权失败' });
      this.gatewayOpens.push({ clientId: String(b.clientId), subscriptions: (b.subscriptions as never) ?? [] });
      const ticket = `ticket-${++this.seq}`;
      this.tickets.add(ticket);
      return send(200, { endpoint: `ws://127.0.0.1:${this.port}/connect`, ticket });
    }

    const failure = this.takeFailure(path);
    if (failure) return this.fail(failure, res, send);

    if (path === '/v1.0/oauth2/accessToken' && req.method === 'POST') {
      if (!this.checkCreds(b.appKey, b.appSecret)) return send(400, { code: 'invalidClientSecret', message: '无效的appSecret' });
      const token = `fake-token-${this.issuedTokens.length + 1}`;
      this.issuedTokens.push(token);
      this.validTokens.add(token);
      return send(200, { accessToken: token, expireIn: this.opts.tokenTtlSeconds ?? 7200 });
    }
    if (path === '/robot/sendBySession') {
      if (!u.searchParams.get('session')) return send(200, { errcode: 300001, errmsg: 'session 不存在' });
      return send(200, { errcode: 0, errmsg: 'ok' });
    }
    if (path === '/topapi/v2/user/getuserinfo') {
      if (!this.validTokens.has(u.searchParams.get('access_token') ?? '')) return send(200, { errcode: 40014, errmsg: '不合法的access_token' });
      const c = this.authCodes.get(String(b.code));
      this.authCodes.delete(String(b.code)); // one use
      if (!c || c.appKey !== (this.opts.appKey ?? 'fake-app-key')) return send(200, { errcode: 40078, errmsg: '不存在的临时授权码' });
      return send(200, { errcode: 0, errmsg: 'ok', result: { userid: c.userId, unionid: c.unionId, name: '钉钉用户', associated_unionid: '', device_id: 'dev' } });
    }
    if (path === '/topapi/v2/user/get') {
      if (!this.validTokens.has(u.searchParams.get('access_token') ?? '')) return send(200, { errcode: 40014, errmsg: '不合法的access_token' });
      if (b.userid === 'missing') return send(200, { errcode: 60121, errmsg: '找不到该用户' });
      return send(200, { errcode: 0, errmsg: 'ok', result: { userid: b.userid, unionid: this.unionIds.get(String(b.userid)) ?? `union-${String(b.userid)}`, name: '王小明' } });
    }

    const token = String(req.headers['x-acs-dingtalk-access-token'] ?? '');
    if (!this.validTokens.has(token)) return send(401, { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'req-fake' });

    if (path === '/v1.0/robot/oToMessages/batchSend' && req.method === 'POST') return send(200, { processQueryKey: `pqk-${++this.seq}`, invalidStaffIdList: [], flowControlledStaffIdList: [] });
    if (path === '/v1.0/robot/groupMessages/send' && req.method === 'POST') return send(200, { processQueryKey: `pqk-${++this.seq}` });
    if (path === '/v1.0/card/instances/createAndDeliver' && req.method === 'POST') return send(200, { success: true, result: { outTrackId: b.outTrackId, deliverResults: [{ success: true }] } });
    if (path === '/v1.0/card/instances' && req.method === 'PUT') return send(200, { success: true, result: true });
    const todo = /^\/v1\.0\/todo\/users\/([^/]+)\/tasks(?:\/([^/]+))?$/.exec(path);
    if (todo && req.method === 'POST' && !todo[2]) {
      const id = `todo-${++this.seq}`;
      const creatorUnionId = decodeURIComponent(todo[1]!);
      this.todos.set(id, { id, creatorUnionId, sourceId: String(b.sourceId), subject: String(b.subject), ...(typeof b.description === 'string' ? { description: b.description } : {}), executorIds: (b.executorIds as string[]) ?? [], done: false, body: b });
      return send(200, { id, subject: b.subject, sourceId: b.sourceId });
    }
    if (todo && req.method === 'PUT' && todo[2]) {
      const t = this.todos.get(decodeURIComponent(todo[2]));
      if (!t || t.creatorUnionId !== decodeURIComponent(todo[1]!)) return send(404, { code: 'todo.notFound', message: '待办不存在' });
      if (typeof b.done === 'boolean') t.done = b.done;
      return send(200, { result: true });
    }
    return send(404, { code: 'InvalidAction.NotFound', message: 'Specified api is not found' });
  }

  private checkCreds(key: unknown, secret: unknown): boolean {
    return key === (this.opts.appKey ?? 'fake-app-key') && secret === (this.opts.appSecret ?? 'fake-app-secret');
  }

  private takeFailure(path: string): Failure | undefined {
    const f = this.failures.find((x) => x.times > 0 && path.startsWith(x.pathPrefix) && path !== '/v1.0/oauth2/accessToken');
    if (!f) return undefined;
    f.times--;
    return f.kind;
  }

  private fail(kind: Failure, res: ServerResponse, send: (s: number, j: unknown) => void): void {
    switch (kind) {
      case '5xx':
        return send(502, { code: 'ServiceUnavailable', message: 'bad gateway' });
      case '429':
        return send(429, { code: 'Throttling', message: 'too many requests' });
      case 'throttle':
        return send(403, { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: '当前接口调用超过QPS限制' });
      case 'expiredToken':
        return send(401, { code: 'InvalidAuthentication', message: '不合法的access_token' });
      case 'badRequest':
        return send(400, { code: 'param.error', message: '参数错误' });
      case 'timeout':
        // Never answers; the client's timeout must fire. stop() closes the socket.
        res.on('close', () => undefined);
        return;
    }
  }
}
