import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { WecomClient, jsSdkSignature } from '../../../src/adapters/wecom/wecom.client.js';
import { renderWecomCardUpdate, renderWecomMessage } from '../../../src/adapters/wecom/wecom.render.js';
import { PlatformApiError } from '../../../src/lib/platform-error.js';
import { TokenCache } from '../../../src/lib/token-cache.js';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.js';
import { MemoryTokenStore } from '../../fakes/memory-token-store.js';

const CORP = 'ww5f3e9a1c2b7d4e60';
const SECRET = 'app-secret-Zq81xY0pLm2';

let fake: FakeWecomServer;
let url: string;
let store: MemoryTokenStore;

beforeEach(async () => {
  fake = new FakeWecomServer({
    corpId: CORP,
    secrets: [SECRET],
    userCodes: { code_lilei: 'LiLei' },
    externalContacts: { wmXyAAAA1: { name: '王总', corp_name: '星河贸易', type: 1 } },
  });
  ({ url } = await fake.start());
  store = new MemoryTokenStore();
});

afterEach(async () => {
  await fake.stop();
});

const client = (over: Partial<ConstructorParameters<typeof WecomClient>[0]> = {}) =>
  new WecomClient({ tenantId: 't_acme', apiBase: url, corpId: CORP, agentId: 1000002, secret: SECRET, tokens: new TokenCache(store), timeoutMs: 2000, ...over });

const textMsg = { touser: 'LiLei', msgtype: 'text', agentid: 1000002, text: { content: '新线索：王总' } };

async function failure(p: Promise<unknown>): Promise<PlatformApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformApiError);
    return e as PlatformApiError;
  }
  throw new Error('expected a PlatformApiError');
}

describe('WecomClient against the fake WeCom', () => {
  it('fetches one token for many sends, and sends what it was given', async () => {
    const c = client();
    const results = await Promise.all([c.sendMessage(textMsg), c.sendMessage(textMsg), c.sendMessage(textMsg)]);
    await c.sendMessage(textMsg);
    expect(results.every((r) => typeof r.msgid === 'string')).toBe(true);
    expect(fake.calls('/cgi-bin/gettoken')).toHaveLength(1);
    expect(fake.calls('/cgi-bin/gettoken')[0].query).toEqual({ corpid: CORP, corpsecret: SECRET });
    const sends = fake.calls('/cgi-bin/message/send');
    expect(sends).toHaveLength(4);
    expect(sends[0].body).toEqual(textMsg);
    expect(new Set(sends.map((s) => s.query.access_token)).size).toBe(1);
  });

  it('shares the token through the store: a second client (another instance) does not fetch again', async () => {
    await client().sendMessage(textMsg);
    await client().sendMessage(textMsg);
    expect(fake.calls('/cgi-bin/gettoken')).toHaveLength(1);
  });

  it('keys tokens per agent', async () => {
    await client().getAccessToken();
    await client({ agentId: 1000003 }).getAccessToken();
    expect(fake.calls('/cgi-bin/gettoken')).toHaveLength(2);
    expect([...store.rows.keys()].sort()).toEqual(['t_acme/wecom/access_token:1000002', 't_acme/wecom/access_token:1000003']);
  });

  it('on 42001 invalidates the token, fetches a new one and retries once', async () => {
    const c = client();
    await c.sendMessage(textMsg);
    const first = fake.calls('/cgi-bin/message/send')[0].query.access_token;
    fake.expireTokens();
    await c.sendMessage(textMsg);
    const sends = fake.calls('/cgi-bin/message/send');
    expect(sends).toHaveLength(3);
    expect(sends[2].query.access_token).not.toBe(first);
    expect(fake.calls('/cgi-bin/gettoken')).toHaveLength(2);
    expect(store.discarded).toEqual([first]);
  });

  it('refreshes on 40014 too, but only once: a second rejection is returned', async () => {
    const c = client();
    await c.getAccessToken();
    fake.failNext(40014, 2);
    const e = await failure(c.sendMessage(textMsg));
    expect(e.code).toBe(40014);
    expect(e.retryable).toBe(false);
    expect(fake.calls('/cgi-bin/gettoken')).toHaveLength(2);
  });

  it.each([
    ['45009 rate limit', (f: FakeWecomServer) => f.rateLimitNext(1), 45009],
    ['-1 system busy', (f: FakeWecomServer) => f.failNext(-1), -1],
    ['HTTP 502', (f: FakeWecomServer) => f.serverErrorNext(1), 'http_502'],
  ])('%s is retryable', async (_n, inject, code) => {
    const c = client();
    await c.getAccessToken();
    inject(fake);
    const e = await failure(c.sendMessage(textMsg));
    expect(e.retryable).toBe(true);
    expect(e.code).toBe(code);
    await expect(c.sendMessage(textMsg)).resolves.toMatchObject({ errcode: 0 }); // the fault was one-shot
  });

  it('a hung request times out as retryable', async () => {
    const c = client({ timeoutMs: 200 });
    await c.getAccessToken();
    fake.hangNext(1);
    const e = await failure(c.sendMessage(textMsg));
    expect(e).toMatchObject({ retryable: true, code: 'timeout' });
  });

  it('a refused connection is retryable', async () => {
    await fake.stop();
    const e = await failure(client().getAccessToken());
    expect(e).toMatchObject({ retryable: true, code: 'network' });
  });

  it('40003 (invalid userid) is permanent', async () => {
    const c = client();
    await c.getAccessToken();
    fake.failNext(40003);
    const e = await failure(c.sendMessage(textMsg));
    expect(e).toMatchObject({ retryable: false, code: 40003 });
  });

  it('a wrong secret is permanent, and neither the secret nor a token appears in any message', async () => {
    const e = await failure(client({ secret: 'wrong-secret-123' }).sendMessage(textMsg));
    expect(e).toMatchObject({ retryable: false, code: 40001 });
    expect(e.message).not.toContain('wrong-secret-123');

    const c = client();
    const token = await c.getAccessToken();
    fake.failNext(40003);
    const e2 = await failure(c.sendMessage(textMsg));
    for (const err of [e, e2]) {
      expect(`${err.message} ${String(err.stack)}`).not.toContain(SECRET);
      expect(`${err.message} ${String(err.stack)}`).not.toContain(token);
    }
  });

  it('updateTemplateCard posts the body', async () => {
    const body = { userids: ['LiLei'], agentid: 1000002, response_code: 'rc_1', button: { replace_name: '已由李雷认领' } };
    await client().updateTemplateCard(body);
    expect(fake.calls('/cgi-bin/message/update_template_card')[0].body).toEqual(body);
  });

  it('a rendered button card gets a response_code, which a rendered update then consumes', async () => {
    const c = client();
    const card = { cardId: 'lead_1', title: '新线索', buttons: [{ key: 'claim', text: '认领' }] };
    const sent = await c.sendMessage(renderWecomMessage(1000002, { userIds: ['LiLei'] }, { kind: 'card', card }));
    expect(sent.response_code).toEqual(expect.any(String));
    await c.updateTemplateCard(
      renderWecomCardUpdate(1000002, { userIds: ['LiLei'] }, { kind: 'cardUpdate', cardId: 'lead_1', resultText: '已认领', responseCode: sent.response_code }),
    );
    expect(fake.calls('/cgi-bin/message/update_template_card')[0].body).toMatchObject({ response_code: sent.response_code });
  });

  it('getUserInfoByCode returns the member userid; a bad code is permanent', async () => {
    const c = client();
    await expect(c.getUserInfoByCode('code_lilei')).resolves.toBe('LiLei');
    expect(fake.calls('/cgi-bin/auth/getuserinfo')[0].query.code).toBe('code_lilei');
    expect(await failure(c.getUserInfoByCode('nope'))).toMatchObject({ retryable: false, code: 40029 });
  });

  it('getExternalContact returns the contact; an unknown id is permanent', async () => {
    const c = client();
    const r = await c.getExternalContact('wmXyAAAA1');
    expect(r.external_contact).toMatchObject({ external_userid: 'wmXyAAAA1', name: '王总' });
    expect(await failure(c.getExternalContact('wmNobody'))).toMatchObject({ retryable: false, code: 84061 });
  });

  it('jsapi tickets (corp and agent) are cached and kept apart', async () => {
    const c = client();
    const corp1 = await c.getJsapiTicket();
    const agent1 = await c.getAgentJsapiTicket();
    expect(await c.getJsapiTicket()).toBe(corp1);
    expect(await client().getAgentJsapiTicket()).toBe(agent1);
    expect(corp1).not.toBe(agent1);
    expect(fake.calls('/cgi-bin/get_jsapi_ticket')).toHaveLength(1);
    expect(fake.calls('/cgi-bin/ticket/get')).toHaveLength(1);
    expect(fake.calls('/cgi-bin/ticket/get')[0].query.type).toBe('agent_config');
    expect(store.rows.has('t_acme/wecom/jsapi_ticket:1000002')).toBe(true);
    expect(store.rows.has('t_acme/wecom/agent_jsapi_ticket:1000002')).toBe(true);
  });

  it('a ticket fetch with an expired token refreshes the token first', async () => {
    const c = client();
    await c.getAccessToken();
    fake.expireTokens();
    await expect(c.getJsapiTicket()).resolves.toMatch(/^corp_ticket_/);
    expect(fake.calls('/cgi-bin/gettoken')).toHaveLength(2);
  });
});

describe('jsSdkSignature', () => {
  const doc = {
    ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
    nonceStr: 'Wm3WZYTPz0wzccnW',
    timestamp: 1414587457,
    url: 'http://mp.weixin.qq.com?params=value',
  };
  it("matches WeCom's documented example (doc 90506)", () => {
    expect(jsSdkSignature(doc)).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
  it('drops the #fragment, and only the fragment', () => {
    expect(jsSdkSignature({ ...doc, url: `${doc.url}#/customer/42` })).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
    expect(jsSdkSignature({ ...doc, url: `${doc.url}&x=1` })).not.toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
});
