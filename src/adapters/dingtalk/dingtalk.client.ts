import type { Recipient, Reply } from '../../channel/messages.js';
import { nodeHttp, type HttpFetch, type HttpResponse } from '../../lib/http.js';
import { PlatformApiError } from '../../lib/platform-error.js';
import type { TokenCache, TokenKey } from '../../lib/token-cache.js';
import { renderCard, renderCardUpdate, renderRobotPayload, renderStandardCard, renderWebhookBody } from './dingtalk.render.js';
import type { DingtalkCardPayload, DingtalkRobotPayload, DingtalkStandardCardData, DingtalkWebhookBody } from './dingtalk.types.js';

export interface DingtalkClientOptions {
  tenantId: string;
  appKey: string;
  appSecret: string;
  robotCode: string;
  tokens: TokenCache;
  /** Our card template in the DingTalk card builder; card sends fail fast without it. */
  cardTemplateId?: string;
  apiBase?: string;
  oapiBase?: string;
  fetchImpl?: HttpFetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface TodoInput {
  /** Our task id: DingTalk dedupes on it, so a retried create does not make a second todo. */
  sourceId: string;
  subject: string;
  description?: string;
  dueTime?: Date;
  executorIds: string[];
  detailUrl?: string;
}

export interface DingtalkUser {
  userId: string;
  unionId: string;
  name?: string;
}

// new API (api.dingtalk.com): HTTP 4xx + {code, message}; oapi: HTTP 200 + {errcode, errmsg}.
const TOKEN_CODES = new Set(['InvalidAuthentication', 'InvalidAccessToken', 'Forbidden.AccessDenied.AccessTokenExpired', 'AccessTokenExpired']);
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
const THROTTLE_CODE = /QpsLimit|QpmLimit|Throttl|FlowControl|LimitExceeded|ServiceUnavailable|SystemBusy/i;
// -1 system busy; 90002/90018/90019 rate limited; 90006 overloaded; 130101 session webhook sending too fast.
const RETRY_ERRCODES = new Set([-1, 90002, 90006, 90018, 90019, 130101]);

type Base = 'api' | 'oapi' | 'none';

/**
 * DingTalk's answer to a card id (outTrackId / cardBizId) it already holds: the card exists, so the send
 * that created it got through. Seen as codes and messages like "param.outTrackIdRepeat", "duplicated",
 * "task existed"; an idempotent answer (200) needs no rule. "not exist" (a user, a robot) is no such answer.
 */
const DUPLICATE_ID = /dup|repeat|already|(?<!not[ _.-]?)exist(?:s|ed)?\b|重复|已存在/i;

export function isDuplicateIdError(e: unknown): boolean {
  return e instanceof PlatformApiError && !e.retryable && e.httpStatus !== undefined && e.httpStatus < 500 && DUPLICATE_ID.test(`${String(e.code ?? '')} ${e.message}`);
}

/**
 * One DingTalk app (appKey) for one tenant. Every call gets the token from the shared TokenCache,
 * and a call the platform rejects for a bad token invalidates it and is retried once.
 */
export class DingtalkClient {
  private readonly apiBase: string;
  private readonly oapiBase: string;
  private readonly fetchImpl: HttpFetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly tokenKey: TokenKey;

  constructor(private readonly opts: DingtalkClientOptions) {
    if (!opts.appKey || !opts.appSecret) throw new Error('dingtalk client: appKey and appSecret are required');
    this.apiBase = (opts.apiBase ?? 'https://api.dingtalk.com').replace(/\/$/, '');
    this.oapiBase = (opts.oapiBase ?? 'https://oapi.dingtalk.com').replace(/\/$/, '');
    this.fetchImpl = opts.fetchImpl ?? nodeHttp;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.tokenKey = { tenantId: opts.tenantId, platform: 'dingtalk', kind: 'access_token' };
  }

  getAccessToken(): Promise<string> {
    return this.opts.tokens.get(this.tokenKey, async () => {
      const r = await this.call<{ accessToken?: string; expireIn?: number }>('POST', 'api', '/v1.0/oauth2/accessToken', {
        appKey: this.opts.appKey,
        appSecret: this.opts.appSecret,
      });
      if (!r.accessToken) throw new PlatformApiError('dingtalk accessToken: no token in response', false);
      return { value: r.accessToken, expiresInSeconds: r.expireIn ?? 7200 };
    });
  }

  /** Answer within a conversation via the short-lived sessionWebhook (no token needed; the URL is the credential). */
  async replyViaSessionWebhook(url: string, body: DingtalkWebhookBody): Promise<void> {
    await this.call('POST', 'none', url, body);
  }

  /** One-to-one robot messages; up to 20 userIds per call. */
  sendToUsers(userIds: string[], p: DingtalkRobotPayload): Promise<{ processQueryKey?: string; invalidStaffIdList?: string[]; flowControlledStaffIdList?: string[] }> {
    return this.authed('POST', 'api', '/v1.0/robot/oToMessages/batchSend', { robotCode: this.opts.robotCode, userIds, msgKey: p.msgKey, msgParam: JSON.stringify(p.msgParam) });
  }

  sendToGroup(openConversationId: string, p: DingtalkRobotPayload): Promise<{ processQueryKey?: string }> {
    return this.authed('POST', 'api', '/v1.0/robot/groupMessages/send', { robotCode: this.opts.robotCode, openConversationId, msgKey: p.msgKey, msgParam: JSON.stringify(p.msgParam) });
  }

  /**
   * Creates and delivers an interactive card whose button callbacks come back over Stream (callbackType STREAM;
   * the older im/interactiveCards API only calls back to a registered HTTP route).
   */
  sendCard(card: DingtalkCardPayload, to: { openConversationId: string } | { userId: string }): Promise<unknown> {
    if (!this.opts.cardTemplateId) throw new PlatformApiError('dingtalk card: no cardTemplateId configured', false);
    const robotCode = this.opts.robotCode;
    const space = 'openConversationId' in to
      ? { openSpaceId: `dtv1.card//IM_GROUP.${to.openConversationId}`, imGroupOpenSpaceModel: { supportForward: false }, imGroupOpenDeliverModel: { robotCode } }
      : { openSpaceId: `dtv1.card//IM_ROBOT.${to.userId}`, imRobotOpenSpaceModel: { supportForward: false }, imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode } };
    return this.authed('POST', 'api', '/v1.0/card/instances/createAndDeliver', {
      cardTemplateId: this.opts.cardTemplateId,
      outTrackId: card.outTrackId,
      callbackType: 'STREAM',
      cardData: { cardParamMap: card.cardParamMap },
      userIdType: 1,
      ...space,
    });
  }

  /**
   * A robot's ordinary interactive card (StandardCard: no template) to a group or one user. `cardBizId` is
   * DingTalk's idempotency id: a send repeated with the same id shows no second card.
   */
  sendRobotCard(cardBizId: string, data: DingtalkStandardCardData, to: { openConversationId: string } | { userId: string }): Promise<{ processQueryKey?: string }> {
    return this.authed('POST', 'api', '/v1.0/im/v1.0/robot/interactiveCards/send', {
      cardTemplateId: 'StandardCard',
      cardBizId,
      robotCode: this.opts.robotCode,
      cardData: JSON.stringify(data),
      ...('openConversationId' in to ? { openConversationId: to.openConversationId } : { singleChatReceiver: JSON.stringify({ userId: to.userId }) }),
    });
  }

  updateCard(card: DingtalkCardPayload): Promise<unknown> {
    return this.authed('PUT', 'api', '/v1.0/card/instances', {
      outTrackId: card.outTrackId,
      cardData: { cardParamMap: card.cardParamMap },
      cardUpdateOptions: { updateCardDataByKey: true },
      userIdType: 1,
    });
  }

  /** `operatorUnionId` is whose todo list the call acts as (the creator). */
  async createTodo(operatorUnionId: string, t: TodoInput): Promise<{ id: string }> {
    const r = await this.authed<{ id?: string }>('POST', 'api', `/v1.0/todo/users/${encodeURIComponent(operatorUnionId)}/tasks`, {
      sourceId: t.sourceId,
      subject: t.subject,
      ...(t.description ? { description: t.description } : {}),
      ...(t.dueTime ? { dueTime: t.dueTime.getTime() } : {}),
      executorIds: t.executorIds,
      ...(t.detailUrl ? { detailUrl: { appUrl: t.detailUrl, pcUrl: t.detailUrl } } : {}),
    });
    if (!r.id) throw new PlatformApiError('dingtalk todo create: no id in response', false);
    return { id: r.id };
  }

  async completeTodo(operatorUnionId: string, todoId: string, done = true): Promise<void> {
    await this.authed('PUT', 'api', `/v1.0/todo/users/${encodeURIComponent(operatorUnionId)}/tasks/${encodeURIComponent(todoId)}`, { done });
  }

  /** Binding a rep: staff userid -> unionId (todo APIs and cross-app identity need the unionId). */
  /** 免登: an in-app auth code (dd.runtime.permission.requestAuthCode) -> the member's userid and unionid. */
  async getUserInfoByCode(code: string): Promise<DingtalkUser> {
    const r = await this.authed<{ result?: { userid?: string; unionid?: string; name?: string } }>('POST', 'oapi', '/topapi/v2/user/getuserinfo', { code });
    if (!r.result?.userid) throw new PlatformApiError('dingtalk user/getuserinfo: no user for this code', false, 'not_member');
    return { userId: r.result.userid, unionId: r.result.unionid ?? '', name: r.result.name };
  }

  async getUser(userId: string): Promise<DingtalkUser> {
    const r = await this.authed<{ result?: { userid?: string; unionid?: string; name?: string } }>('POST', 'oapi', '/topapi/v2/user/get', { userid: userId, language: 'zh_CN' });
    if (!r.result?.unionid) throw new PlatformApiError('dingtalk user get: no unionid', false);
    return { userId: r.result.userid ?? userId, unionId: r.result.unionid, ...(r.result.name ? { name: r.result.name } : {}) };
  }

  /**
   * The one deliver(): picks the channel for a reply. With a `key` (the outbox's id for this message, the same
   * on every attempt) every send carries DingTalk's own idempotency id, so a send repeated after a crash shows
   * nothing twice: cards by outTrackId, text and markdown as the robot's ordinary card by cardBizId. Without a
   * key (no outbox behind the call), a live sessionWebhook is cheapest (no token, no quota); otherwise robot
   * sends to users or the group.
   */
  async deliver(to: Recipient, reply: Reply, key?: string): Promise<void> {
    if (reply.kind === 'cardUpdate') return void (await this.updateCard(renderCardUpdate(reply)));
    if (reply.kind === 'card') {
      const card = renderCard(reply.card);
      if (to.conversationType === 'group' && to.conversationId) return this.once(() => this.sendCard(card, { openConversationId: to.conversationId! }));
      if (!to.userIds?.length) throw new PlatformApiError('dingtalk deliver: card without a recipient', false);
      for (const userId of to.userIds) await this.once(() => this.sendCard({ ...card, outTrackId: to.userIds!.length > 1 ? `${card.outTrackId}:${userId}` : card.outTrackId }, { userId }));
      return;
    }
    if (key && (await this.deliverKeyed(to, reply, key))) return;
    const webhookLive = to.replyUrl && (!to.replyUrlExpiresAt || Date.parse(to.replyUrlExpiresAt) - 5_000 > this.now());
    if (webhookLive) return this.replyViaSessionWebhook(to.replyUrl!, renderWebhookBody(reply));
    const payload = renderRobotPayload(reply);
    if (to.conversationType === 'group' && to.conversationId) return void (await this.sendToGroup(to.conversationId, payload));
    if (to.userIds?.length) {
      for (let i = 0; i < to.userIds.length; i += 20) await this.sendToUsers(to.userIds.slice(i, i + 20), payload);
      return;
    }
    throw new PlatformApiError('dingtalk deliver: no recipient', false);
  }

  /**
   * Text or markdown as keyed cards: to the group, or to each user (the key plus the user's place in the list,
   * which the stored message keeps). False when DingTalk turned the first card down (a sender outside the
   * organisation has no staff id to address): a refusal delivered nothing, so the unkeyed way may follow.
   */
  private async deliverKeyed(to: Recipient, reply: Extract<Reply, { kind: 'text' | 'markdown' }>, key: string): Promise<boolean> {
    const data = renderStandardCard(reply);
    const targets: ({ openConversationId: string } | { userId: string })[] =
      to.conversationType === 'group' && to.conversationId ? [{ openConversationId: to.conversationId }] : (to.userIds ?? []).map((userId) => ({ userId }));
    if (targets.length === 0) return false;
    for (const [i, target] of targets.entries()) {
      try {
        await this.once(() => this.sendRobotCard(targets.length > 1 ? `${key}-${i}` : key, data, target));
      } catch (e) {
        const refused = e instanceof PlatformApiError && !e.retryable && e.httpStatus !== undefined && e.httpStatus >= 400 && e.httpStatus < 500;
        if (i === 0 && refused && to.replyUrl) return false;
        throw e;
      }
    }
    return true;
  }

  /** A create under an id DingTalk already holds means an earlier attempt created it: done, not failed. */
  private async once(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (e) {
      if (!isDuplicateIdError(e)) throw e;
    }
  }

  private async authed<T>(method: string, base: Base, path: string, body: unknown): Promise<T> {
    const token = await this.getAccessToken();
    try {
      return await this.call<T>(method, base, path, body, token);
    } catch (e) {
      if (!(e instanceof TokenRejected)) throw e;
      await this.opts.tokens.invalidate(this.tokenKey, token);
      const fresh = await this.getAccessToken();
      try {
        return await this.call<T>(method, base, path, body, fresh);
      } catch (e2) {
        if (e2 instanceof TokenRejected) throw new PlatformApiError(`dingtalk ${method} ${e2.path}: token rejected twice`, false, e2.code, e2.status);
        throw e2;
      }
    }
  }

  private async call<T>(method: string, base: Base, pathOrUrl: string, body: unknown, token?: string): Promise<T> {
    const url = new URL(base === 'none' ? pathOrUrl : `${base === 'api' ? this.apiBase : this.oapiBase}${pathOrUrl}`);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token && base === 'api') headers['x-acs-dingtalk-access-token'] = token;
    if (token && base === 'oapi') url.searchParams.set('access_token', token);
    // Only the path goes into errors: oapi queries carry the token and session webhook queries are credentials.
    const where = `${method} ${url.pathname}`;
    let res: HttpResponse;
    let text: string;
    try {
      res = await this.fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: this.timeoutMs });
      text = await res.text();
    } catch (e) {
      // Duck-typed: the DOMException from AbortSignal.timeout is not an `Error` of every realm (jest's vm).
      const name = (e as { name?: unknown } | null)?.name;
      const timeout = name === 'TimeoutError' || name === 'AbortError';
      throw new PlatformApiError(`dingtalk ${where}: ${timeout ? 'timeout' : 'network error'}`, true, timeout ? 'timeout' : 'network');
    }
    const json = parseJson(text) as { code?: string; message?: string; errcode?: number; errmsg?: string } | undefined;
    if (res.ok && (json?.errcode === undefined || json.errcode === 0)) return (json ?? {}) as T;

    const code = json?.code ?? json?.errcode;
    const msg = String(json?.message ?? json?.errmsg ?? '').slice(0, 200);
    if (token && ((typeof code === 'string' && TOKEN_CODES.has(code)) || (typeof code === 'number' && TOKEN_ERRCODES.has(code)) || res.status === 401)) {
      throw new TokenRejected(url.pathname, code, res.status);
    }
    const retryable =
      res.status >= 500 || res.status === 429 || (typeof code === 'string' && THROTTLE_CODE.test(code)) || (typeof code === 'number' && RETRY_ERRCODES.has(code));
    throw new PlatformApiError(`dingtalk ${where}: ${res.status} ${code ?? ''} ${msg}`.trim(), retryable, code, res.status);
  }
}

class TokenRejected extends Error {
  constructor(readonly path: string, readonly code: string | number | undefined, readonly status: number) {
    super('token rejected');
  }
}

function parseJson(s: string): unknown {
  try {
    return s ? JSON.parse(s) : undefined;
  } catch {
    return undefined;
  }
}
