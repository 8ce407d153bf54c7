import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, type Harness } from '../helpers/harness.js';
import { postRobot, robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';
import type { PuppetMock } from 'wechaty-puppet-mock';
import { box } from '../helpers/harness.js';
import { setChannelCredentials } from '../../src/crm/tenants.repo.js';
import { addUserAccount } from '../../src/crm/users.repo.js';
import type { WechatySessions } from '../../src/adapters/wechaty/wechaty.channel.js';

// One table drives every platform: the same words forwarded by the same rep on WeCom, on DingTalk and
// to the WeChat assistant (Wechaty, on wechaty-puppet-mock) must produce the same customer, lead,
// card and tasks. Only the phone differs (so the runs do not merge into one customer, and so does an
// email built from it), and the comparison masks it.

const CASES: { name: string; text: (phone: string) => string }[] = [
  { name: 'demo with a date', text: (p) => `孙主任想下周四上午10点看一下移动DR的演示，联系电话 ${p}` },
  { name: 'urgent quote with a budget', text: (p) => `客户很着急，今天下午4点前要血压计的报价，预算5到10万，王经理 ${p}` },
  { name: 'organization and email', text: (p) => `上海市第六人民医院的李主任 ${p} 邮箱 li${p.slice(3, 7)}@example.cn，想了解气密性检漏仪` },
  { name: 'nothing to capture', text: () => '好的，收到，谢谢' },
];

interface Outcome {
  customer: Record<string, unknown> | null;
  lead: Record<string, unknown> | null;
  tasks: { kind: string; due: string | null }[];
  replies: unknown[];
}

describe('WeCom, DingTalk and Wechaty produce the same capture (PGlite)', () => {
  let t: TestDatabase;
  let h: Harness;
  let puppet: PuppetMock;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    const u = await seedTenant(t.database);
    await setChannelCredentials(t.database.db, 'default', 'wechaty', box.sealJson({ puppet: 'wechaty-puppet-mock' }), 'test');
    await addUserAccount(t.database.db, 'default', u.li.id, { platform: 'wechaty', kind: 'userid', value: 'wx-rep-li' }, 'test');
    h = await startHarness(t.database);
    const session = () => (h.runtime.platforms.get('wechaty')!.connection as WechatySessions).link('default');
    await waitFor(async () => session() !== undefined && session()!.state !== 'starting', 20_000, 'puppet started');
    puppet = session()!.bot!.puppet as PuppetMock;
    puppet.mocker.login(puppet.mocker.createContact({ id: 'wx-assistant', name: '客路助手' }));
    puppet.mocker.createContact({ id: 'wx-rep-li', name: '李销售' });
    await waitFor(async () => session()!.state === 'logged_in', 10_000, 'assistant logged in');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  async function outcome(platform: string, eventId: string, phone: string): Promise<Outcome> {
    await waitFor(async () => (await t.database.query<{ status: string }>(sql`select status from inbox_events where platform = ${platform} and event_id = ${eventId}`))[0]?.status === 'done', 10_000, `${platform} processed`);
    const [inter] = await t.database.query<{ customer_id: string }>(sql`select customer_id from interactions where platform = ${platform} and platform_message_id = ${eventId}`);
    const customer = inter
      ? (await t.database.query<Record<string, unknown>>(sql`select name, title, company, stage, owner_id, source_channel, tags from customers where id = ${inter.customer_id}`))[0]!
      : null;
    const lead = inter ? (await t.database.query<Record<string, unknown>>(sql`select status, assignee_id, intent_level, urgency_level from leads where customer_id = ${inter.customer_id}`))[0]! : null;
    const tasks = inter ? await t.database.query<{ kind: string; due: string | null }>(sql`select kind, to_char(due_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as due from tasks where customer_id = ${inter.customer_id} order by kind, due_at`) : [];
    const replies = (await t.database.query<{ payload: { reply: unknown } }>(sql`select payload from outbox_messages where dedupe_key like ${`in:${platform}:${eventId}:%`} order by id`)).map((r) => r.payload.reply);
    // Card ids are task ids and differ per run; the masked phone differs by its last four digits.
    const scrub = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>').replace(new RegExp(phone.slice(-4), 'g'), '<4>').replace(new RegExp(phone.slice(3, 7), 'g'), '<mid>'));
    return { customer: customer && { ...customer, source_channel: customer.source_channel ? '<platform>' : null }, lead, tasks, replies: scrub(replies) };
  }

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const wecomPhone = `1351111${String(i).padStart(4, '0')}`;
    const dingtalkPhone = `1352222${String(i).padStart(4, '0')}`;
    const wechatyPhone = `1353333${String(i).padStart(4, '0')}`;
    expect((await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: c.text(wecomPhone), msgId: String(77000 + i) })))).status).toBe(200);
    expect((await postRobot(h.server, robotMessage({ msgId: `dt-parity-${i}`, text: c.text(dingtalkPhone), staffId: 'dt-rep-li', fakeUrl: h.dingtalk.url }))).status).toBe(200);
    puppet.mocker.MessageMock.create({ id: `wx-parity-${i}`, talkerId: 'wx-rep-li', listenerId: 'wx-assistant', timestamp: Date.now(), type: 7, text: c.text(wechatyPhone) } as never);
    puppet.emit('message', { messageId: `wx-parity-${i}` });
    const w = await outcome('wecom', String(77000 + i), wecomPhone);
    const d = await outcome('dingtalk', `dt-parity-${i}`, dingtalkPhone);
    const x = await outcome('wechaty', `wx-parity-${i}`, wechatyPhone);
    expect(d).toEqual(w);
    expect(x).toEqual(w);
    expect(w.replies.length).toBeGreaterThan(0);
    if (c.name === 'nothing to capture') expect(w.customer).toBeNull();
    else expect(w.customer).not.toBeNull();
  });
});
