import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { PuppetMock } from 'wechaty-puppet-mock';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { box, seedTenant, startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { setChannelCredentials } from '../../../src/crm/tenants.repo.js';
import { addUserAccount } from '../../../src/crm/users.repo.js';
import type { WechatySessions } from '../../../src/adapters/wechaty/wechaty.channel.js';

// The WeChat assistant end to end on wechaty-puppet-mock: mocked contacts say things to the
// assistant, the real pipeline captures them, replies come back through the outbox. No network.

describe('Wechaty assistant end to end (wechaty-puppet-mock, PGlite)', () => {
  let t: TestDatabase;
  let h: Harness;
  let puppet: PuppetMock;
  const sent: { to: string; text: string }[] = [];
  const session = () => (h.runtime.platforms.get('wechaty')!.connection as WechatySessions).link('default')!;

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    const u = await seedTenant(t.database);
    await setChannelCredentials(t.database.db, 'default', 'wechaty', box.sealJson({ puppet: 'wechaty-puppet-mock' }), 'test');
    await addUserAccount(t.database.db, 'default', u.li.id, { platform: 'wechaty', kind: 'userid', value: 'wx-rep-li' }, 'test');
    h = await startHarness(t.database, { env: { WECHATY_BACKOFF_MS: '50' } });
    await waitFor(async () => session() !== undefined && session().state !== 'starting', 20_000, 'puppet started');
    puppet = session().bot!.puppet as PuppetMock;
    const self = puppet.mocker.createContact({ id: 'wx-assistant', name: '客路助手' });
    puppet.mocker.login(self);
    await waitFor(async () => session().state === 'logged_in', 10_000, 'logged in');
    // Bind the assistant to the manager: new friends are captured as theirs.
    await addUserAccount(t.database.db, 'default', u.manager.id, { platform: 'wechaty', kind: 'userid', value: 'wx-assistant' }, 'test');
    const send = puppet.messageSendText.bind(puppet);
    puppet.messageSendText = async (to: string, text: string) => {
      sent.push({ to, text });
      return send(to, text);
    };
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const rep = () => puppet.mocker.createContact({ id: 'wx-rep-li', name: '李销售' });
  const inbox = (eventId: string) => t.database.query<{ status: string; kind: string }>(sql`select status, kind from inbox_events where platform = 'wechaty' and event_id = ${eventId}`);
  const emitMessage = (payload: { id: string; talkerId: string; type: number; text?: string }) => {
    puppet.mocker.MessageMock.create({ ...payload, listenerId: 'wx-assistant', timestamp: Date.now() } as never);
    puppet.emit('message', { messageId: payload.id });
  };

  it('a rep forwards a customer message: stored, captured as on WeCom, and answered in that chat', async () => {
    rep().say('孙主任想下周四上午10点看一下移动DR的演示，电话 13800007777').to(puppet.mocker.ContactMock.load('wx-assistant'));
    const [row] = await waitFor(async () => {
      const rows = await t.database.query<{ event_id: string; status: string }>(sql`select event_id, status from inbox_events where platform = 'wechaty' and kind = 'text'`);
      return rows[0]?.status === 'done' ? rows : null;
    }, 15_000, 'message processed');
    const [c] = await t.database.query<{ name: string; source_channel: string }>(sql`select c.name, c.source_channel from customers c join customer_identities i on i.customer_id = c.id where i.value = '13800007777'`);
    expect(c).toEqual({ name: '孙', source_channel: 'wechaty' });
    const reply = await waitFor(async () => sent.find((s) => s.to === 'wx-rep-li' && s.text.includes('已建客户')), 10_000, 'reply sent');
    expect(reply.text).toContain('138****7777');
    expect(reply.text).not.toContain('13800007777');
    const [out] = await t.database.query<{ status: string }>(sql`select status from outbox_messages where platform = 'wechaty' and dedupe_key like ${`in:wechaty:${row!.event_id}:%`} order by id limit 1`);
    expect(out!.status).toBe('done');
  });

  it('a message id seen twice is a no-op', async () => {
    emitMessage({ id: 'dup-1', talkerId: 'wx-rep-li', type: 7, text: '王经理 13800008888 要血压计报价' });
    await waitFor(async () => (await inbox('dup-1'))[0]?.status === 'done', 15_000, 'first processed');
    const before = session().duplicates;
    // The puppet says the same message again (a reconnect replays it).
    puppet.emit('message', { messageId: 'dup-1' });
    await waitFor(async () => session().duplicates === before + 1, 5_000, 'duplicate seen');
    expect(await inbox('dup-1')).toHaveLength(1);
    expect((await t.database.query(sql`select 1 from customer_identities where value = '13800008888'`))).toHaveLength(1);
  });

  it('a customer writing to the assistant is kept in the inbox but not answered', async () => {
    puppet.mocker.createContact({ id: 'wxid_stranger', name: '陌生客户' });
    const before = sent.length;
    emitMessage({ id: 'stranger-1', talkerId: 'wxid_stranger', type: 7, text: '你好，我想问问血压计多少钱' });
    await waitFor(async () => (await inbox('stranger-1'))[0]?.status === 'done', 15_000, 'stranger processed');
    expect(await t.database.query(sql`select 1 from outbox_messages where dedupe_key like 'in:wechaty:stranger-1:%'`)).toHaveLength(0);
    expect(sent.slice(before).filter((s) => s.to === 'wxid_stranger')).toEqual([]);
  });

  it('merged chat records are captured as a forwarded text', async () => {
    const xml = '<msg><appmsg><title>聊天记录</title><des>x</des><recorditem><![CDATA[<datalist><dataitem><datadesc>赵院长: 电话 13800009999，想了解气密性检漏仪</datadesc></dataitem></datalist>]]></recorditem></appmsg></msg>';
    emitMessage({ id: 'rec-1', talkerId: 'wx-rep-li', type: 4, text: xml });
    await waitFor(async () => (await inbox('rec-1'))[0]?.status === 'done', 15_000, 'record processed');
    const [c] = await t.database.query<{ name: string }>(sql`select c.name from customers c join customer_identities i on i.customer_id = c.id where i.value = '13800009999'`);
    expect(c?.name).toBe('赵');
  });

  it('a shared contact card and a new friend become customers with a wechat_id identity', async () => {
    puppet.mocker.createContact({ id: 'wxid_card01', name: '钱主任' });
    puppet.messageContact = async () => 'wxid_card01';
    emitMessage({ id: 'card-1', talkerId: 'wx-rep-li', type: 3, text: '' });
    await waitFor(async () => (await inbox('card-1'))[0]?.status === 'done', 15_000, 'card processed');
    const [card] = await t.database.query<{ name: string; owner: string }>(sql`select c.name, u.name as owner from customers c join customer_identities i on i.customer_id = c.id join users u on u.id = c.owner_id where i.kind = 'wechat_id' and i.value = 'wxid_card01'`);
    expect(card).toEqual({ name: '钱主任', owner: '李销售' });

    puppet.mocker.createContact({ id: 'wxid_friend01', name: '周女士' });
    puppet.friendshipRawPayload = async (id: string) => ({ id, contactId: 'wxid_friend01', hello: '', timestamp: Date.now(), type: 1 }) as never;
    puppet.emit('friendship', { friendshipId: 'fr-1' });
    await waitFor(async () => (await inbox('friendship:fr-1'))[0]?.status === 'done', 15_000, 'friendship processed');
    const [friend] = await t.database.query<{ name: string; owner: string }>(sql`select c.name, u.name as owner from customers c join customer_identities i on i.customer_id = c.id join users u on u.id = c.owner_id where i.kind = 'wechat_id' and i.value = 'wxid_friend01'`);
    expect(friend).toEqual({ name: '周女士', owner: '陈经理' });
  });

  it('shows its state on /readyz, logs logout and reconnect, and comes back after a dropped puppet', async () => {
    const ready = async () => ((await (await fetch(`${h.server.url}/readyz`)).json()) as { channels: { wechaty: { tenants: Record<string, { state: string; restarts: number; user?: string }> } } }).channels.wechaty.tenants.default!;
    expect(await ready()).toMatchObject({ state: 'logged_in', user: 'wx-assistant', restarts: 0 });
    await puppet.logout();
    await waitFor(async () => session().restarts === 1 && session().state !== 'reconnecting', 10_000, 'restarted');
    const logs = h.logs.join('\n');
    expect(logs).toContain('wechaty_logged_out');
    expect(logs).toContain('wechaty_reconnecting');
    puppet.mocker.login(puppet.mocker.ContactMock.load('wx-assistant'));
    await waitFor(async () => session().state === 'logged_in', 10_000, 'logged in again');
    expect(await ready()).toMatchObject({ state: 'logged_in', restarts: 1 });
  });

  it('tells the console who is logged in, and shows the login QR code while a scan is awaited', async () => {
    const wechaty = h.runtime.platforms.get('wechaty')!;
    expect(await wechaty.testConnection!('default')).toEqual({ ok: true, state: 'logged_in', message: '已登录：客路助手' });
    puppet.emit('scan', { qrcode: 'https://login.weixin.qq.com/l/kelu-test', status: 2 });
    await waitFor(async () => session().state === 'scanning', 10_000, 'scanning');
    expect(wechaty.sessionState!('default')).toEqual({ ok: false, state: 'scanning', message: '等待扫码登录', qrCode: 'https://login.weixin.qq.com/l/kelu-test' });
    expect(h.logs.join('\n')).not.toContain('kelu-test');
    expect(wechaty.sessionState!('nobody')).toMatchObject({ ok: false, state: 'stopped' });
  });
});
