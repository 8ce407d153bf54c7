import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// A fake qyapi.weixin.qq.com for tests and the local playground: the endpoints Kelu calls,
// access_token checks, a record of every request, and fault injection.

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** An interactive card's response_code, as answered to message/send (the playground finds the card an update is for). */
  responseCode?: string;
  /** When it arrived (ms). */
  at: number;
}

export interface FakeWecomOptions {
  corpId: string;
  /** Accepted corpsecret values (one per app). */
  secrets: string[];
  tokenTtlSeconds?: number;
  ticketTtlSeconds?: number;
  /** OAuth code -> userid for auth/getuserinfo (codes of this corp). */
  userCodes?: Record<string, string>;
  /** external_userid -> the external_contact object for externalcontact/get. */
  externalContacts?: Record<string, Record<string, unknown>>;
}

type Fault = { kind: 'errcode'; errcode: number } | { kind: 'http'; status: number } | { kind: 'hang' } | { kind: 'lose-answer' };

export class FakeWecomServer {
  readonly requests: RecordedRequest[] = [];
  readonly userCodes: Record<string, string>;
  /** OAuth codes WeCom issued to other corps' apps: exchanging one with this corp's token fails (40029). */
  private readonly foreignCodes = new Set<string>();
  private readonly usedCodes = new Set<string>();
  readonly externalContacts: Record<string, Record<string, unknown>>;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly tokens = new Map<string, 'valid' | 'expired'>();
  private readonly faults: Fault[] = [];
  private seq = 0;
  /**
   * What the people addressed actually see: message/send bodies WeCom accepted and delivered. A send
   * with enable_duplicate_check whose content went to the same people within the interval is
   * answered ok and not delivered again, as WeCom does.
   */
  readonly shown: RecordedRequest[] = [];
  private readonly delivered: { key: string; at: number }[] = [];
  /** Every jsapi ticket handed out, corp (get_jsapi_ticket) and app (ticket/get agent_config). */
  readonly tickets: { corp: string[]; agent: string[] } = { corp: [], agent: [] };

  constructor(private readonly opts: FakeWecomOptions) {
    this.userCodes = { ...(opts.userCodes ?? {}) };
    this.externalContacts = { ...(opts.externalContacts ?? {}) };
  }

  /**
   * What WeCom's OAuth page does after snsapi_base: a one-time code for a member. With another
   * corpId the code belongs to that corp and this corp's token cannot exchange it.
   */
  issueOAuthCode(userid: string, corpId = this.opts.corpId): string {
    const code = `oauth_${++this.seq}_${Math.random().toString(36).slice(2, 10)}`;
    this.userCodes[code] = userid;
    if (corpId !== this.opts.corpId) this.foreignCodes.add(code);
    return code;
  }

  async start(): Promise<{ url: string }> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('fake wecom: no address');
    return { url: `http://127.0.0.1:${addr.port}` };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy(); // hung requests would keep close() waiting
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Every token issued so far now answers 42001, as after WeCom's 7200 s expiry. */
  expireTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 'expired');
  }

  /** The next n API calls (gettoken excluded) answer this errcode. */
  failNext(errcode: number, n = 1): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind: 'errcode', errcode });
  }

  rateLimitNext(n = 1): void {
    this.failNext(45009, n);
  }

  serverErrorNext(n = 1, status = 502): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind: 'http', status });
  }

  /**
   * The next n calls are carried out, but their answer is lost (the connection is cut): what the
   * sender sees when it dies, or times out, after WeCom already delivered the message.
   */
  loseAnswerNext(n = 1): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind: 'lose-answer' });
  }

  /** The next n calls never get an answer (until stop()). */
  hangNext(n = 1): void {
    for (let i = 0; i < n; i++) this.faults.push({ kind: 'hang' });
  }

  /**
   * What the WeCom client checks when a page calls config / agentConfig: the sha1 of the latest
   * ticket of that kind, the nonce, the timestamp and the page URL (without its #fragment).
   */
  jsSdkSignatureValid(kind: 'corp' | 'agent', p: { nonceStr: string; timestamp: string | number; signature: string; url: string }): boolean {
    const ticket = this.tickets[kind].at(-1);
    if (!ticket) return false;
    const expected = createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${p.url.split('#')[0]}`).digest('hex');
    return expected === p.signature;
  }

  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, body, at: Date.now() };
    this.requests.push(record);

    if (url.pathname === '/cgi-bin/gettoken') return this.gettoken(query, res);

    const fault = this.faults.shift();
    if (fault?.kind === 'lose-answer') {
      // Carry the call out below, then cut the connection where the answer would be written.
      res.writeHead = (() => res) as unknown as ServerResponse['writeHead'];
      res.end = (() => {
        res.socket?.destroy();
        return res;
      }) as unknown as ServerResponse['end'];
    }
    if (fault?.kind === 'hang') return; // left open on purpose
    if (fault?.kind === 'http') return send(res, fault.status, '<html>bad gateway</html>', 'text/html');
    if (fault?.kind === 'errcode') return json(res, { errcode: fault.errcode, errmsg: `injected ${fault.errcode}` });

    const state = this.tokens.get(query.access_token ?? '');
    if (!state) return json(res, { errcode: 40014, errmsg: 'invalid access_token' });
    if (state === 'expired') return json(res, { errcode: 42001, errmsg: 'access_token expired' });

    const b = (body ?? {}) as Record<string, unknown>;
    switch (url.pathname) {
      case '/cgi-bin/message/send': {
        if (req.method !== 'POST' || typeof b.msgtype !== 'string' || b.agentid === undefined) {
          return json(res, { errcode: 40008, errmsg: 'invalid message type' });
        }
        const { agentid: _a, enable_duplicate_check: check, duplicate_check_interval: interval, ...content } = b;
        const key = JSON.stringify(content);
        const now = Date.now();
        const window = (typeof interval === 'number' ? interval : 1800) * 1000;
        const duplicate = check === 1 && this.delivered.some((d) => d.key === key && now - d.at < window);
        if (!duplicate) {
          this.delivered.push({ key, at: now });
          this.shown.push(record);
        }
        const card = b.template_card as { card_type?: string } | undefined;
        const interactive = ['button_interaction', 'vote_interaction', 'multiple_interaction'].includes(card?.card_type ?? '');
        const msgid = `msg_${++this.seq}`;
        if (interactive) record.responseCode = `rc_${this.seq}`;
        return json(res, { errcode: 0, errmsg: 'ok', msgid, ...(interactive ? { response_code: record.responseCode } : {}) });
      }
      case '/cgi-bin/message/update_template_card':
        if (req.method !== 'POST' || typeof b.response_code !== 'string') return json(res, { errcode: 40058, errmsg: 'response_code missing' });
        return json(res, { errcode: 0, errmsg: 'ok' });
      case '/cgi-bin/auth/getuserinfo': {
        const c = query.code ?? '';
        const userid = this.userCodes[c];
        // A code is good once, and only with the token of the corp it was issued for.
        if (!userid || this.foreignCodes.has(c) || this.usedCodes.has(c)) return json(res, { errcode: 40029, errmsg: 'invalid code' });
        this.usedCodes.add(c);
        return json(res, { errcode: 0, errmsg: 'ok', userid, user_ticket: `ut_${userid}` });
      }
      case '/cgi-bin/externalcontact/get': {
        const contact = this.externalContacts[query.external_userid ?? ''];
        if (!contact) return json(res, { errcode: 84061, errmsg: 'not external contact', follow_user: [] });
        // A configured contact may carry its follow_user list (the reps who added it, with their remarks).
        const { follow_user: followUser, ...ext } = contact as { follow_user?: unknown[] } & Record<string, unknown>;
        return json(res, { errcode: 0, errmsg: 'ok', external_contact: { external_userid: query.external_userid, ...ext }, follow_user: followUser ?? [] });
      }
      case '/cgi-bin/get_jsapi_ticket': {
        const ticket = `corp_ticket_${++this.seq}`;
        this.tickets.corp.push(ticket);
        return json(res, { errcode: 0, errmsg: 'ok', ticket, expires_in: this.opts.ticketTtlSeconds ?? 7200 });
      }
      case '/cgi-bin/ticket/get': {
        if (query.type !== 'agent_config') return json(res, { errcode: 40005, errmsg: 'invalid type' });
        const ticket = `agent_ticket_${++this.seq}`;
        this.tickets.agent.push(ticket);
        return json(res, { errcode: 0, errmsg: 'ok', ticket, expires_in: this.opts.ticketTtlSeconds ?? 7200 });
      }
      default:
        return send(res, 404, JSON.stringify({ errcode: 404, errmsg: 'no such api' }), 'application/json');
    }
  }

  private gettoken(query: Record<string, string>, res: ServerResponse): void {
    if (query.corpid !== this.opts.corpId) return json(res, { errcode: 40013, errmsg: 'invalid corpid' });
    if (!this.opts.secrets.includes(query.corpsecret ?? '')) return json(res, { errcode: 40001, errmsg: 'invalid credential' });
    const token = `tok_${++this.seq}_${Math.random().toString(36).slice(2, 10)}`;
    this.tokens.set(token, 'valid');
    json(res, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.opts.tokenTtlSeconds ?? 7200 });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, payload: unknown): void {
  send(res, 200, JSON.stringify(payload), 'application/json');
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
  res.end(body);
}
