import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { outboxRows, startHarness, type Harness } from '../../helpers/harness.js';
import { json } from '../../helpers/test-app.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createUser, type User } from '../../../src/crm/users.repo.js';
import { customers, interactions, leads } from '../../../src/db/schema.js';
import { defaultAutomation, type AutomationRule } from '../../../src/crm/insight/settings.js';

const OPERATOR = 'harness-admin-token-0123';
const DAY = 86_400_000;
const T0 = new Date('2026-03-02T01:00:00Z'); // Monday 09:00 in Shanghai

interface Case {
  rule: AutomationRule['kind'];
  /** Makes one subject for the rule, at the clock's now; returns the customer. */
  setup: (x: Ctx) => Promise<string>;
  /** How long until it is due. */
  due: number;
  /** Tasks of kind sop.<rule> per subject, and a word of the chat message. */
  tasks: number;
  says: string;
  tag?: string;
}

interface Ctx { t: TestDatabase; now: Date; rep: User; op: (p: string, init?: { method?: string; body?: unknown }) => Promise<Response> }

const customer = async (x: Ctx, name: string, lastAt?: Date) => {
  const [c] = await x.t.database.db.insert(customers).values({ tenantId: 'sop', name, ownerId: x.rep.id, region: '华东', createdAt: lastAt ?? x.now }).returning();
  return c!.id;
};
const says = (x: Ctx, customerId: string, text: string, at = x.now) =>
  x.t.database.db.insert(interactions).values({ tenantId: 'sop', customerId, channel: 'chat', direction: 'in', text, occurredAt: at });
const score = (x: Ctx, id: string, s: number) => x.op(`/api/v1/customers/${id}/satisfaction`, { method: 'POST', body: { score: s, comment: '安装太慢' } });

const CASES: Case[] = [
  { rule: 'silence', due: 14 * DAY, tasks: 1, says: '14 天没有往来', setup: async (x) => {
    const id = await customer(x, '沉默客户');
    await says(x, id, '你好');
    return id;
  } },
  { rule: 'revisit', due: 92 * DAY, tasks: 1, says: '成交已满 3 个月', setup: async (x) => {
    const id = await customer(x, '成交客户');
    await x.t.database.db.insert(leads).values({ tenantId: 'sop', customerId: id, status: 'won', assigneeId: x.rep.id, statusHistory: [{ status: 'won', at: x.now.toISOString() }] });
    return id;
  } },
  { rule: 'satisfaction', due: 0, tasks: 1, says: '满意度 2 分', setup: async (x) => {
    const id = await customer(x, '不满意客户');
    expect((await score(x, id, 2)).status).toBe(201);
    expect((await score(x, id, 4)).status).toBe(201); // above the bar: nothing
    return id;
  } },
  { rule: 'priceSensitive', due: 2 * DAY, tasks: 1, says: '竞品对比资料', tag: '价格敏感', setup: async (x) => {
    const id = await customer(x, '问价客户');
    await says(x, id, '这台移动DR多少钱？');
    return id;
  } },
  { rule: 'keywords', due: 0, tasks: 1, says: '已放到经理看板', tag: '高意向', setup: async (x) => {
    const id = await customer(x, '招标客户');
    await says(x, id, '我们下个月招标，参数发我一下');
    return id;
  } },
  { rule: 'churnRisk', due: 0, tasks: 1, says: '流失风险', tag: '流失风险', setup: async (x) => {
    const id = await customer(x, '要走的客户');
    await says(x, id, '我们在考虑换供应商');
    expect((await score(x, id, 2)).status).toBe(201);
    return id;
  } },
];

describe.each(backends)('automation rules on a fake clock on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let clock = T0.getTime();
  let rep: User;
  const now = () => new Date(clock);
  const op = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, 'x-kelu-tenant': 'sop', ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const ctx = (): Ctx => ({ t, now: now(), rep, op });
  const count = async (kind: string) => Number((await t.database.query<{ n: number }>(sql`select count(*)::int as n from tasks where tenant_id = 'sop' and kind = ${kind}`))[0]!.n);
  const restart = async () => {
    await h.close();
    h = await startHarness(t.database, { startWorkers: false, clock: now });
  };
  /** Runs the due timers until none is due (each sweep schedules the next slot). */
  const fire = async () => {
    let n = 0;
    while ((await h.runtime.timers.runDue()) > 0) n++;
    return n;
  };
  const enable = async (kind: string | null) => {
    const rules = defaultAutomation.rules.map((r) => ({ ...r, enabled: r.kind === kind, enabledAt: undefined }));
    const res = await op('/api/v1/settings/automation', { method: 'PUT', body: { rules } });
    expect(res.status).toBe(200);
    return json(res);
  };

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await upsertTenant(t.database.db, { tenantId: 'sop', name: '规则公司' }, 'test');
    rep = await createUser(t.database.db, 'sop', { name: '李销售', role: 'rep', region: '华东', accounts: [{ platform: 'wecom', kind: 'userid', value: 'sop-li' }] }, 'test');
    await createUser(t.database.db, 'sop', { name: '华东经理', role: 'manager', region: '华东', accounts: [{ platform: 'wecom', kind: 'userid', value: 'sop-mgr' }] }, 'test');
    await createUser(t.database.db, 'sop', { name: '华南经理', role: 'manager', region: '华南', accounts: [{ platform: 'wecom', kind: 'userid', value: 'sop-mgr2' }] }, 'test');
    h = await startHarness(t.database, { startWorkers: false, clock: now });
  }, 120_000); // opening a database and a server is slow on a loaded machine
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('validates rules and starts with every rule switched off', async () => {
    const rules = await json(await op('/api/v1/settings/automation'));
    expect(rules.rules.map((r: AutomationRule) => [r.kind, r.enabled])).toEqual(CASES.map((c) => [c.rule, false]));
    for (const bad of [{ rules: [{ id: 'x', kind: 'silence', when: { silentDays: 0 }, then: { todo: 'owner', escalateAfterDays: 1 } }] },
      { rules: [{ id: 'x', kind: 'teleport', when: {}, then: {} }] },
      { rules: [{ id: 'a', kind: 'keywords', when: { words: ['招标'] }, then: { tag: 'x', board: 'regionManager' } }, { id: 'a', kind: 'keywords', when: { words: ['x'] }, then: { tag: 'x', board: 'regionManager' } }] }]) {
      const res = await op('/api/v1/settings/automation', { method: 'PUT', body: bad });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('invalid_rules');
    }
  });

  for (const c of CASES) {
    it(`${c.rule}: fires once, survives a restart, respects the switch`, async () => {
      const stored = await enable(c.rule);
      expect(stored.rules.find((r: AutomationRule) => r.kind === c.rule).enabledAt).toBe(now().toISOString());
      clock += 60_000;
      const customerId = await c.setup(ctx());
      const kind = `sop.${c.rule}`;
      // Not yet due (silence, revisit, price): nothing happens however often the sweep runs.
      if (c.due > 0) {
        clock += c.due - 2 * 3_600_000;
        await fire();
        expect(await count(kind)).toBe(0);
      }
      // A restart between the event and the sweep: the sweep timer is a row, not a setTimeout.
      await restart();
      clock += c.due > 0 ? 3 * 3_600_000 : 16 * 60_000;
      expect(await fire()).toBeGreaterThan(0);
      expect(await count(kind)).toBe(c.tasks);
      const texts = (await outboxRows(t.database)).map((m) => JSON.stringify(m.payload));
      expect(texts.some((x) => x.includes(c.says))).toBe(true);
      if (c.tag) {
        const [row] = await t.database.query<{ tags: string[] }>(sql`select tags from customers where id = ${customerId}`);
        expect(row!.tags).toEqual([c.tag]);
      }
      // Later sweeps, and another restart, do not act on the same subject again.
      clock += 20 * 60_000;
      await fire();
      await restart();
      clock += 20 * 60_000;
      await fire();
      expect(await count(kind)).toBe(c.tasks);

      // Switched off: a new subject of the same kind is left alone.
      await enable(null);
      await c.setup(ctx());
      clock += c.due + 3_600_000;
      await fire();
      expect(await count(kind)).toBe(c.tasks);
      const pending = await t.database.query<{ n: number }>(sql`select count(*)::int as n from timers where tenant_id = 'sop' and kind = 'insight.sweep' and status = 'pending'`);
      expect(pending[0]!.n).toBe(0); // no rule on: the sweep chain stops
      await t.database.db.execute(sql`delete from outbox_messages`);
    }, 60_000);
  }

  it('silence escalates to the region manager when the owner has not acted', async () => {
    await enable('silence');
    clock += 60_000;
    const id = await customer(ctx(), '又一个沉默客户');
    await says(ctx(), id, '在吗');
    const mine = () => t.database.query<{ name: string }>(sql`select u.name from tasks t join users u on u.id = t.assignee_id where t.kind = 'sop.silence' and t.customer_id = ${id} order by t.created_at`);
    clock += 14 * DAY + 20 * 60_000;
    await fire();
    expect((await mine()).map((x) => x.name)).toEqual(['李销售']);
    clock += 3 * DAY + 20 * 60_000;
    await fire();
    // The manager of the customer's region, not the other region's.
    expect((await mine()).map((x) => x.name)).toEqual(['李销售', '华东经理']);
    clock += 3 * DAY;
    await fire();
    expect(await mine()).toHaveLength(2);
    await enable(null);
  }, 60_000);
});
