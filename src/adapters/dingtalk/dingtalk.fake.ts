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

/** One message as the people in DingTalk see it: every send the platform would show, repeats with a known id not counted. */
export interface ShownDingtalk {
  via: 'session' | 'robot' | 'group' | 'card' | 'standardCard';
  /** A user id, a group's openConversationId, or a session (the session webhook's `session`). */
  to: string;
  text: string;
  /** The idempotency id it was sent with (outTrackId / cardBizId), if any. */
  key?: string;
  body: Record<string, unknown>;
  at: number;
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
    private readonly opts: {
      appKey?: string;
      appSecret?: string;
      redeliverDelayMs?: number;
      tokenTtlSeconds?: number;
      /**
       * How a create with an id DingTalk already holds (outTrackId, cardBizId) is answered: as the first one was
       * (idempotent, the default) or turned down with a "repeat" error. Both show nothing new; Kelu must take
       * both as sent.
       */
      repeatedIds?: 'idempotent' | 'reject';
    } = {},
  ) {}

  /** What users see, in order (see ShownDingtalk). */
  readonly shown: ShownDingtalk[] = [];
  /** Sends that came again with an id DingTalk already held (absorbed: idempotent, or turned down). */
  repeatedIds = 0;
  private readonly cardIds = new Map<string, { processQueryKey: string; data: string }>();

  /** Forgets the card ids and todos this fake DingTalk holds (a long bench empties them); returns how many. */
  forget(): number {
    const n = this.cardIds.size + this.todos.size;
    this.cardIds.clear();
    this.todos.clear();
    return n;
  }
  private readonly lostAnswers: { pathPrefix: string; times: number }[] = [];

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

  /**
   * The next `times` requests to `pathPrefix` are carried out, and then their answer is lost (the connection
   * is cut before a byte of it): what a send looks like to a process killed while it waits.
   */
  loseAnswerNext(pathPrefix: string, times = 1): void {
    this.lostAnswers.push({ pathPrefix, times });
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
    const lost = this.lostAnswers.find((x) => x.times > 0 && path.startsWith(x.pathPrefix) && path !== '/v1.0/oauth2/accessToken');
    const send = (status: number, json: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (lost && lost.times > 0) {
        lost.times--;
        res.socket?.destroy();
        return;
      }
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
      const session = u.searchParams.get('session');
      if (!session) return send(200, { errcode: 300001, errmsg: 'session 不存在' });
      this.show('session', session, webhookText(b), undefined, b);
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

    if (path === '/v1.0/robot/oToMessages/batchSend' && req.method === 'POST') {
      for (const userId of (b.userIds as string[] | undefined) ?? []) this.show('robot', userId, paramText(b.msgParam), undefined, b);
      return send(200, { processQueryKey: `pqk-${++this.seq}`, invalidStaffIdList: [], flowControlledStaffIdList: [] });
    }
    if (path === '/v1.0/robot/groupMessages/send' && req.method === 'POST') {
      this.show('group', String(b.openConversationId), paramText(b.msgParam), undefined, b);
      return send(200, { processQueryKey: `pqk-${++this.seq}` });
    }
    if (path === '/v1.0/card/instances/createAndDeliver' && req.method === 'POST') {
      const id = String(b.outTrackId ?? '');
      if (!id) return send(400, { code: 'param.outTrackIdEmpty', message: 'param.outTrackIdEmpty' });
      if (this.cardIds.has(`card:${id}`)) return this.repeated(send, { success: true, result: { outTrackId: id, deliverResults: [{ success: true }] } });
      this.cardIds.set(`card:${id}`, { processQueryKey: id, data: JSON.stringify(b.cardData ?? {}) });
      const to = String(b.openSpaceId ?? '').replace(/^dtv1\.card\/\/IM_(?:ROBOT|GROUP)\./, '');
      const params = ((b.cardData as Record<string, unknown> | undefined)?.cardParamMap ?? {}) as Record<string, string>;
      this.show('card', to, `${params.title ?? ''}\n${params.markdown ?? ''}`, id, b);
      return send(200, { success: true, result: { outTrackId: id, deliverResults: [{ success: true }] } });
    }
    if (path === '/v1.0/card/instances' && req.method === 'PUT') return send(200, { success: true, result: true });
    if (path === '/v1.0/im/v1.0/robot/interactiveCards/send' && req.method === 'POST') {
      const problem = standardCardProblem(b);
      if (problem) return send(400, { code: 'param.invalid', message: problem });
      const receiver = b.openConversationId ? undefined : (JSON.parse(String(b.singleChatReceiver)) as { userId?: string });
      // A sender from outside the organisation has no staff id: DingTalk cannot address a card to it.
      if (receiver && (!receiver.userId || receiver.userId.startsWith('$:'))) return send(400, { code: 'param.userIdNotExist', message: '用户 userId 不存在' });
      const id = `robotCard:${String(b.cardBizId)}`;
      const held = this.cardIds.get(id);
      if (held) return this.repeated(send, { processQueryKey: held.processQueryKey });
      const processQueryKey = `pqk-${++this.seq}`;
      this.cardIds.set(id, { processQueryKey, data: String(b.cardData) });
      const data = JSON.parse(String(b.cardData)) as { contents?: { text?: string }[] };
      this.show('standardCard', String(b.openConversationId ?? receiver!.userId), (data.contents ?? []).map((c) => c.text ?? '').join('\n'), String(b.cardBizId), b);
      return send(200, { processQueryKey });
    }
    if (path === '/v1.0/im/robots/interactiveCards' && req.method === 'PUT') {
      const held = this.cardIds.get(`robotCard:${String(b.cardBizId)}`);
      if (!held) return send(400, { code: 'param.cardBizIdNotExist', message: '卡片不存在' });
      held.data = String(b.cardData);
      return send(200, { success: true, result: true });
    }
    const todo = /^\/v1\.0\/todo\/users\/([^/]+)\/tasks(?:\/([^/]+))?$/.exec(path);
    if (todo && req.method === 'POST' && !todo[2]) {
      const creatorUnionId = decodeURIComponent(todo[1]!);
      // As DingTalk answers a second todo with one creator's sourceId.
      if ([...this.todos.values()].some((t) => t.creatorUnionId === creatorUnionId && t.sourceId === String(b.sourceId))) {
        this.repeatedIds++;
        return send(400, { code: 'todo.taskCreate.paramError', message: `task existed sourceId is ${String(b.sourceId)}` });
      }
      const id = `todo-${++this.seq}`;
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

  private show(via: ShownDingtalk['via'], to: string, text: string, key: string | undefined, body: Record<string, unknown>): void {
    this.shown.push({ via, to, text, ...(key ? { key } : {}), body, at: Date.now() });
  }

  /** A create with an id already held: nothing new is shown, and the answer is as configured. */
  private repeated(send: (s: number, j: unknown) => void, idempotent: unknown): void {
    this.repeatedIds++;
    if (this.opts.repeatedIds === 'reject') return send(400, { code: 'param.outTrackIdRepeat', message: '卡片业务ID重复' });
    return send(200, idempotent);
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

function webhookText(b: Record<string, unknown>): string {
  const t = b.text as { content?: string } | undefined;
  const m = b.markdown as { text?: string } | undefined;
  return String(t?.content ?? m?.text ?? '');
}

function paramText(msgParam: unknown): string {
  try {
    const p = JSON.parse(String(msgParam)) as { content?: string; text?: string };
    return String(p.content ?? p.text ?? '');
  } catch {
    return '';
  }
}

/** What DingTalk checks of a robot's ordinary card send before it shows anything. */
function standardCardProblem(b: Record<string, unknown>): string | undefined {
  if (b.cardTemplateId !== 'StandardCard') return 'cardTemplateId';
  if (typeof b.cardBizId !== 'string' || !b.cardBizId) return 'cardBizId';
  if (typeof b.robotCode !== 'string' || !b.robotCode) return 'robotCode';
  if (!b.openConversationId === !b.singleChatReceiver) return 'one of openConversationId, singleChatReceiver';
  try {
    const data = JSON.parse(String(b.cardData)) as { contents?: unknown };
    if (!Array.isArray(data.contents)) return 'cardData.contents';
    if (b.singleChatReceiver) JSON.parse(String(b.singleChatReceiver));
  } catch {
    return 'cardData or singleChatReceiver is not JSON';
  }
  return undefined;
}
