import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, type Harness } from '../helpers/harness.js';
import { postRobot, robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';

// One table drives both platforms: the same words forwarded by the same rep on WeCom and on DingTalk
// must produce the same customer, lead, card and tasks. Only the phone differs (so the two runs do
// not merge into one customer, and so does an email built from it), and the comparison masks it.

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

describe('WeCom and DingTalk produce the same capture (PGlite)', () => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await seedTenant(t.database);
    h = await startHarness(t.database);
  });
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
    expect((await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: c.text(wecomPhone), msgId: String(77000 + i) })))).status).toBe(200);
    expect((await postRobot(h.server, robotMessage({ msgId: `dt-parity-${i}`, text: c.text(dingtalkPhone), staffId: 'dt-rep-li', fakeUrl: h.dingtalk.url }))).status).toBe(200);
    const w = await outcome('wecom', String(77000 + i), wecomPhone);
    const d = await outcome('dingtalk', `dt-parity-${i}`, dingtalkPhone);
    expect(d).toEqual(w);
    expect(w.replies.length).toBeGreaterThan(0);
    if (c.name === 'nothing to capture') expect(w.customer).toBeNull();
    else expect(w.customer).not.toBeNull();
  });
});
