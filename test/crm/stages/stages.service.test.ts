import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { seedTenant } from '../../helpers/harness.js';
import { createCustomer } from '../../../src/crm/customers.repo.js';
import { createLead, getLead } from '../../../src/crm/leads.repo.js';
import { answerQuestion, moveStage } from '../../../src/crm/stages/stage.service.js';
import { listEntries, saveModel } from '../../../src/crm/stages/stage.repo.js';
import { funnel } from '../../../src/crm/stages/funnel.service.js';
import { validateStageModel } from '../../../src/crm/stages/model.validate.js';
import { DEFAULT_STAGE_MODEL } from '../../../src/crm/stages/default-model.js';
import { presentEntry } from '../../../src/crm/stages/stage.view.js';
import type { User } from '../../../src/crm/users.repo.js';
import { comparableDeals, comparableText } from '../../../src/crm/stages/comparable.js';

type Seeded = Awaited<ReturnType<typeof seedTenant>>;
const DAY = 86_400_000;
const T0 = new Date('2026-03-02T01:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

describe.each(backends)('stage engine on %s', (backend) => {
  let t: TestDatabase;
  let u: Seeded;
  const by = (x: User) => ({ userId: x.id, actor: `user:${x.id}`, name: x.name });
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    u = await seedTenant(t.database, 'st');
  });
  afterAll(async () => {
    await t?.drop();
  });
  const customer = async (name: string, owner: User) => (await createCustomer(t.database.db, 'st', { name, ownerId: owner.id }, 'test')).id;
  const move = (id: string, stage: string, when: Date, who: User, reason?: string) =>
    t.database.db.transaction((tx) => moveStage(tx, 'st', id, { stage, reason, by: by(who), now: when }));
  const answer = (id: string, question: string, values: string[], who: User, when = T0) =>
    t.database.db.transaction((tx) => answerQuestion(tx, 'st', id, { question, values, by: by(who), via: 'api', now: when }));

  it('won or lost closes the customer\'s open leads with that outcome (the lead lists and insight read leads), once', async () => {
    const id = await customer('成交客户', u.li);
    const open = await createLead(t.database.db, 'st', { customerId: id, assigneeId: u.li.id, status: 'claimed' }, 'test', T0);
    const closed = await createLead(t.database.db, 'st', { customerId: id, status: 'lost' }, 'test', T0);
    await move(id, 'won', at(3), u.li, '合同已签');
    const after = await getLead(t.database.db, 'st', open.id);
    expect(after?.status).toBe('won');
    expect(after?.statusHistory.at(-1)).toMatchObject({ status: 'won', by: `user:${u.li.id}`, note: '阶段「成交」：合同已签', at: at(3).toISOString() });
    expect((await getLead(t.database.db, 'st', closed.id))?.status).toBe('lost'); // an already closed lead keeps its outcome
    const [c] = await t.database.query<{ stage: string }>(sql`select stage from customers where id = ${id}`);
    expect(c!.stage).toBe('won');
  });

  it('an answer moves the customer by the first rule that holds, records who, which answers and which rule, and the first answer wins', async () => {
    const id = await customer('孙', u.li);
    const first = await answer(id, 'budget_approved', ['yes'], u.li);
    expect(first.ok && first.moved?.entry).toMatchObject({ stageKey: 'solution', stageName: '方案确认', rule: '预算已批复 = 是', actorName: '李销售', ownerId: u.li.id });
    expect(first.ok && first.moved?.entry.answers).toEqual([{ question: 'budget_approved', text: '预算已批复？', values: ['yes'], labels: ['是'] }]);
    // The solution stage sends the rep the comparison template.
    expect(first.ok && first.moved?.effects).toEqual([expect.objectContaining({ kind: 'message', userId: u.li.id, text: expect.stringContaining('国产替代方案对比模板') })]);
    const again = await answer(id, 'budget_approved', ['no'], u.zhang);
    expect(again).toMatchObject({ ok: false, code: 'already_answered', answer: { actorName: '李销售', values: ['yes'] } });
    // An answer that points backwards does not move the customer.
    const back = await answer(id, 'has_need', ['yes'], u.li);
    expect(back.ok && back.moved).toBeNull();
    expect((await t.database.query<{ stage: string }>(sql`select stage from customers where id = ${id}`))[0]!.stage).toBe('solution');
  });

  it('two people answering at once: one answer, one stage change', async () => {
    const id = await customer('钱', u.li);
    const both = await Promise.all([answer(id, 'tender_no', ['yes'], u.li), answer(id, 'tender_no', ['no'], u.zhang)]);
    expect(both.filter((o) => o.ok)).toHaveLength(1);
    expect(both.filter((o) => !o.ok)).toHaveLength(1);
    const entries = await t.database.query<{ stage_key: string }>(sql`select stage_key from stage_entries where customer_id = ${id}`);
    expect(entries.length).toBeLessThanOrEqual(1);
    expect(await t.database.query(sql`select * from stage_answers where customer_id = ${id}`)).toHaveLength(1);
  });

  it('technical: a todo for the after-sales role (nobody in it: the manager) due in 2 hours, with its deadline timer', async () => {
    const id = await customer('周', u.li);
    const o = await answer(id, 'tech_params', ['yes'], u.li, T0);
    const todo = o.ok ? o.moved!.effects.find((e) => e.kind === 'todo') : undefined;
    expect(todo).toMatchObject({ kind: 'todo', userId: u.manager.id, dueAt: new Date(T0.getTime() + 2 * 3600_000) });
    const timers = await t.database.query<{ kind: string; fire_at: string }>(sql`select kind, fire_at from timers where ref_id = ${(todo as { taskId: string }).taskId}`);
    expect(timers.map((x) => ({ kind: x.kind, fireAt: new Date(x.fire_at) }))).toEqual([{ kind: 'stage.todo.due', fireAt: new Date(T0.getTime() + 2 * 3600_000) }]);
  });

  it('a stage that requires a field is not entered without it; won needs a reason', async () => {
    const m = JSON.parse(JSON.stringify(DEFAULT_STAGE_MODEL));
    m.stages.find((s: any) => s.key === 'solution').requires = ['budget'];
    const v = await t.database.db.transaction((tx) => saveModel(tx, 'st', validateStageModel(m), 'test'));
    expect(v).toBe(1);
    const id = await customer('吴', u.li);
    const o = await answer(id, 'budget_approved', ['yes'], u.li);
    expect(o).toMatchObject({ ok: true, moved: null, blocked: { stage: { key: 'solution' }, missing: [{ field: 'budget', label: '预算' }] } });
    await t.database.query(sql`update customers set custom_fields = '{"budget":"80万"}' where id = ${id}`);
    expect((await move(id, 'solution', T0, u.li))?.entry.stageKey).toBe('solution');
    await expect(move(id, 'won', T0, u.li)).rejects.toMatchObject({ code: 'reason_required' });
    expect((await move(id, 'won', at(1), u.li, '价格优势'))?.entry).toMatchObject({ outcome: 'won', reason: '价格优势' });
  });

  it('a changed model keeps old history readable', async () => {
    const id = await customer('郑', u.li);
    await answer(id, 'tender_no', ['yes'], u.li);
    const m = JSON.parse(JSON.stringify(DEFAULT_STAGE_MODEL));
    m.stages.find((s: any) => s.key === 'bidding').name = '招投标';
    m.questions = m.questions.filter((q: any) => q.key !== 'tender_no');
    m.rules = m.rules.filter((r: any) => r.when[0].question !== 'tender_no');
    await t.database.db.transaction((tx) => saveModel(tx, 'st', validateStageModel(m), 'test'));
    const page = await listEntries(t.database.db, 'st', id, { limit: 10 });
    expect(page.items.map(presentEntry)).toEqual([expect.objectContaining({
      stage: { key: 'bidding', name: '投标准备', order: 4, outcome: null }, rule: '已收到招标文件编号 = 是', modelVersion: 1,
      answers: [{ question: 'tender_no', text: '已收到招标文件编号？', values: ['yes'], labels: ['是'] }],
    })]);
  });
});

describe.each(backends)('the funnel against a hand-computed fixture on %s', (backend) => {
  let t: TestDatabase;
  let u: Seeded;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    u = await seedTenant(t.database, 'fn');
    const by = (x: User) => ({ userId: x.id, actor: `user:${x.id}`, name: x.name });
    const c = async (name: string, owner: User, path: [string, number, string?][]) => {
      const id = (await createCustomer(t.database.db, 'fn', { name, ownerId: owner.id }, 'test')).id;
      for (const [stage, day, reason] of path) await t.database.db.transaction((tx) => moveStage(tx, 'fn', id, { stage, reason, by: by(owner), now: at(day) }));
    };
    await c('A', u.li, [['contact', 0], ['needs', 2], ['solution', 5]]);
    await c('B', u.li, [['contact', 0], ['solution', 1], ['won', 11, '价格']]);
    await c('C', u.zhang, [['contact', 0], ['needs', 4], ['lost', 6, '预算取消']]);
    await c('D', u.zhang, [['contact', 0]]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const row = (key: string, entered: number, reached: number, current: number, conversionToNext: number | null, days: number | null) =>
    expect.objectContaining({ key, entered, reached, current, conversionToNext, medianSecondsInStage: days === null ? null : days * 86400 });

  it('counts, conversions and median time in stage, for the team and per rep', async () => {
    const f = await funnel(t.database.db, 'fn', { ownerIds: null });
    expect(f.team).toEqual({
      customers: 4, lost: 1,
      stages: [
        row('contact', 4, 4, 1, 0.75, 2),
        row('needs', 2, 3, 0, 0.6667, 2.5),
        row('solution', 2, 2, 1, 0.5, 10),
        row('technical', 0, 1, 0, 1, null),
        row('bidding', 0, 1, 0, 1, null),
        row('negotiation', 0, 1, 0, 1, null),
        row('won', 1, 1, 1, null, null),
      ],
    });
    const li = f.reps.find((r) => r.user.id === u.li.id)!;
    expect(li.stages.slice(0, 3)).toEqual([row('contact', 2, 2, 0, 1, 1.5), row('needs', 1, 2, 0, 1, 3), row('solution', 2, 2, 1, 0.5, 10)]);
    expect(li.lost).toBe(0);
    const zhang = f.reps.find((r) => r.user.id === u.zhang.id)!;
    expect(zhang.stages.slice(0, 3)).toEqual([row('contact', 2, 2, 1, 0.5, 4), row('needs', 1, 1, 0, 0, 2), row('solution', 0, 0, 0, null, null)]);
    expect(zhang).toMatchObject({ customers: 2, lost: 1 });
    // A manager's team of one rep sees that rep only; a period counts the stays that began in it.
    expect((await funnel(t.database.db, 'fn', { ownerIds: [u.zhang.id] })).team.customers).toBe(2);
    const late = await funnel(t.database.db, 'fn', { ownerIds: null, from: at(3) });
    expect(late.team.stages.map((s) => s.entered)).toEqual([0, 1, 1, 0, 0, 0, 1]);
  });
});

describe('comparable won deals (PGlite)', () => {
  let t: TestDatabase;
  let u: Seeded;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    u = await seedTenant(t.database, 'cd');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('same product (from conversations or the deal) or same industry: count, median cycle, price range, payment terms', async () => {
    const { db } = t.database;
    const by = { userId: u.li.id, actor: `user:${u.li.id}`, name: u.li.name };
    const mk = async (name: string, sku: string | null, industry: string | null) => {
      const id = (await createCustomer(db, 'cd', { name, ownerId: u.li.id, customFields: industry ? { industry } : {} }, 'test')).id;
      if (sku) await t.database.query(sql`insert into interactions (tenant_id, customer_id, channel, direction, text, occurred_at, entities) values ('cd', ${id}, 'chat', 'in', 'x', now(), ${JSON.stringify({ products: [{ id: sku }] })}::jsonb)`);
      return id;
    };
    const win = async (id: string, days: number, deal: Record<string, unknown>) => {
      await db.transaction((tx) => moveStage(tx, 'cd', id, { stage: 'contact', by, now: T0 }));
      await db.transaction((tx) => moveStage(tx, 'cd', id, { stage: 'won', reason: '成交', details: deal, by, now: at(days) }));
    };
    const me = await mk('本客户', 'sku-dr', '医院');
    await win(await mk('甲', 'sku-dr', null), 30, { amount: 500000, paymentTerms: '3-6-1' });
    await win(await mk('乙', null, '医院'), 60, { amount: 900000, paymentTerms: '3-6-1' });
    await win(await mk('丙', null, null), 90, { amount: 700000, paymentTerms: '全款', products: ['sku-dr'] });
    await win(await mk('丁', 'sku-other', '学校'), 10, { amount: 1, paymentTerms: '不相干' });
    const d = await comparableDeals(db, 'cd', me);
    expect(d).toEqual({ count: 3, medianCycleDays: 60, priceRange: { min: 500000, max: 900000 }, paymentTerms: ['3-6-1', '全款'], basis: { products: ['sku-dr'], industry: '医院' } });
    expect(comparableText(d)).toBe('同产品或同行业的成交案例 3 个：\n典型成交周期：60 天（中位数）\n成交价格：50 万元 – 90 万元\n常见付款方式：3-6-1、全款');
  });
});
