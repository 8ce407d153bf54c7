import { createHash } from 'node:crypto';
import { nodeHttp, type HttpFetch, type HttpResponse } from '../../lib/http.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import type { FetchedToken, TokenCache, TokenKey } from '../../lib/token-cache.js';
import type { WecomApiResult, WecomExternalContact, WecomSendResult } from './wecom.types.js';

export interface WecomClientOptions {
  tenantId: string;
  /** The API origin, e.g. https://qyapi.weixin.qq.com (tests: the fake server's url). */
  apiBase: string;
  corpId: string;
  agentId: string | number;
  secret: string;
  tokens: TokenCache;
  fetchImpl?: HttpFetch;
  timeoutMs?: number;
}

/** A message/send body (see renderWecomMessage). */
export type WecomSendPayload = { msgtype: string; agentid: number } & Record<string, unknown>;
/** A message/update_template_card body (see renderWecomCardUpdate). */
export type WecomCardUpdatePayload = { agentid: number; response_code: string } & Record<string, unknown>;

// The token was rejected: drop it, fetch a new one, try once more.
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
// System busy and the API frequency limit pass on their own; everything else needs a human.
const RETRYABLE_ERRCODES = new Set([-1, 45009]);

type Query = Record<string, string>;

/**
 * WeCom server API for one self-built app. Tokens and tickets go through the shared TokenCache,
 * so every instance uses the one token until WeCom rejects it. Errors are PlatformApiError and
 * never contain the secret or a token.
 */
export class WecomClient {
  private readonly fetchImpl: HttpFetch;
  private readonly timeoutMs: number;
  private readonly base: string;

  constructor(private readonly o: WecomClientOptions) {
    if (!o.corpId || !o.secret || o.agentId === '' || o.agentId === undefined) throw new Error('wecom client: corpId, agentId and secret are required');
    this.fetchImpl = o.fetchImpl ?? nodeHttp;
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.base = o.apiBase.replace(/\/+$/, '');
  }

  getAccessToken(): Promise<string> {
    return this.o.tokens.get(this.key('access_token'), async () => {
      const r = await this.request<WecomApiResult & { access_token?: string; expires_in?: number }>('GET', '/cgi-bin/gettoken', {
        corpid: this.o.corpId,
        corpsecret: this.o.secret,
      });
      return ticketOf(r.access_token, r.expires_in, '/cgi-bin/gettoken');
    });
  }

  sendMessage(payload: WecomSendPayload): Promise<WecomSendResult> {
    return this.call<WecomSendResult>('POST', '/cgi-bin/message/send', {}, payload);
  }

  updateTemplateCard(payload: WecomCardUpdatePayload): Promise<WecomApiResult> {
    return this.call<WecomApiResult>('POST', '/cgi-bin/message/update_template_card', {}, payload);
  }

  /** OAuth code -> member userid. A non-member (external or WeChat user) is a permanent error. */
  async getUserInfoByCode(code: string): Promise<string> {
    const r = await this.call<WecomApiResult & { userid?: string; UserId?: string }>('GET', '/cgi-bin/auth/getuserinfo', { code });
    const userId = r.userid ?? r.UserId;
    if (!userId) throw new PlatformApiError('wecom auth/getuserinfo: not a member of this corp', false, 'not_member');
    return userId;
  }

  getExternalContact(externalUserId: string): Promise<WecomExternalContact> {
    return this.call<WecomExternalContact>('GET', '/cgi-bin/externalcontact/get', { external_userid: externalUserId });
  }

  /** The corp jsapi_ticket (wx.config / ww.register corp signature). */
  getJsapiTicket(): Promise<string> {
    return this.o.tokens.get(this.key('jsapi_ticket'), () => this.fetchTicket('/cgi-bin/get_jsapi_ticket', {}));
  }

  /** The app jsapi_ticket (wx.agentConfig / ww.register agent signature). */
  getAgentJsapiTicket(): Promise<string> {
    return this.o.tokens.get(this.key('agent_jsapi_ticket'), () => this.fetchTicket('/cgi-bin/ticket/get', { type: 'agent_config' }));
  }

  private async fetchTicket(path: string, query: Query): Promise<FetchedToken> {
    const r = await this.call<WecomApiResult & { ticket?: string; expires_in?: number }>('GET', path, query);
    return ticketOf(r.ticket, r.expires_in, path);
  }

  private key(kind: string): TokenKey {
    return { tenantId: this.o.tenantId, platform: 'wecom', kind: `${kind}:${this.o.agentId}` };
  }

  /** An authenticated call: on a rejected token, invalidate it and retry once with a fresh one. */
  private async call<T extends WecomApiResult>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.getAccessToken();
      try {
        return await this.request<T>(method, path, { ...query, access_token: token }, body, token);
      } catch (e) {
        if (attempt === 0 && e instanceof PlatformApiError && TOKEN_REJECTED.has(Number(e.code))) {
          await this.o.tokens.invalidate(this.key('access_token'), token);
          continue;
        }
        throw e;
      }
    }
  }

  private async request<T extends WecomApiResult>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown, token?: string): Promise<T> {
    const url = `${this.base}${path}?${new URLSearchParams(query).toString()}`;
    // Only the path goes into messages: the query holds the secret or the token.
    const what = `wecom ${method} ${path}`;
    let res: HttpResponse;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      const name = (e as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new PlatformApiError(`${what}: timed out after ${this.timeoutMs} ms`, true, 'timeout');
      const cause = ((e as { cause?: { code?: unknown } })?.cause?.code as string | undefined) ?? 'unknown';
      throw new PlatformApiError(`${what}: network error (${cause})`, true, 'network');
    }
    if (res.status >= 500 || res.status === 429) {
      throw new PlatformApiError(`${what}: HTTP ${res.status}`, true, `http_${res.status}`, res.status);
    }
    let data: T;
    try {
      data = (await res.json()) as T;
    } catch {
      // A 200 with a non-JSON body is a gateway page, not WeCom: worth another try.
      throw new PlatformApiError(`${what}: HTTP ${res.status} with a non-JSON body`, res.ok, 'bad_response', res.status);
    }
    if (!res.ok) throw new PlatformApiError(`${what}: HTTP ${res.status}`, false, `http_${res.status}`, res.status);
    const errcode = typeof data?.errcode === 'number' ? data.errcode : 0;
    if (errcode !== 0) {
      const msg = this.scrub(String(data.errmsg ?? ''), token).slice(0, 200);
      throw new PlatformApiError(`${what}: errcode ${errcode} ${msg}`.trim(), RETRYABLE_ERRCODES.has(errcode), errcode, res.status);
    }
    return data;
  }

  /** WeCom's errmsg is outside our control; make sure it cannot leak the credentials. */
  private scrub(text: string, token?: string): string {
    let out = text.split(this.o.secret).join('***');
    if (token) out = out.split(token).join('***');
    return out;
  }
}

function ticketOf(value: string | undefined, expiresIn: number | undefined, path: string): FetchedToken {
  if (!value) throw new PlatformApiError(`wecom ${path}: answer has no token`, true, 'bad_response');
  return { value, expiresInSeconds: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 7200 };
}

/**
 * The JS-SDK config signature (WeCom doc 90506): sha1 of the four fields in this fixed order,
 * raw values, the url without its #fragment.
 */
export function jsSdkSignature(p: { ticket: string; nonceStr: string; timestamp: string | number; url: string }): string {
  const url = p.url.split('#')[0];
  return createHash('sha1')
    .update(`jsapi_ticket=${p.ticket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${url}`)
    .digest('hex');
}
