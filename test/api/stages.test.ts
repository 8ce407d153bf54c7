import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { fakeClock, seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { DEFAULT_STAGE_MODEL } from '../../src/crm/stages/default-model.js';

type Seeded = Awaited<ReturnType<typeof seedTenant>>;
const OPERATOR = 'harness-admin-token-0123';

describe.each(backends)('stage API on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let u: Seeded;
  let mine: string;
  let zhangs: string;
  const clock = fakeClock(new Date('2026-03-02T01:00:00.000Z'));
  const s: Record<string, { cookie: string; csrf: string }> = {};

  const url = (p: string) => `${h.server.url}${p}`;
  const op = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(url(p), { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const as = (who: string, p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(url(p), { method: init.method ?? 'GET', headers: { cookie: s[who]!.cookie, 'x-kelu-csrf': s[who]!.csrf, ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const signIn = async (who: string, userid: string) => {
    const res = await fetch(url(`/auth/callback/wecom?tenant=default&code=${h.wecom.issueOAuthCode(userid)}&state=signin`), { redirect: 'manual' });
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith('kelu_session=') && !x.startsWith('kelu_session=;'))!.split(';')[0]!;
    const me = await json(await fetch(url('/api/v1/me'), { headers: { cookie } }));
    s[who] = { cookie, csrf: me.csrf };
  };

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    u = await seedTenant(t.database);
    mine = (await createCustomer(t.database.db, 'default', { name: '孙', ownerId: u.li.id }, 'test')).id;
    zhangs = (await createCustomer(t.database.db, 'default', { name: '周', ownerId: u.zhang.id }, 'test')).id;
    h = await startHarness(t.database, { clock: clock.now });
    await signIn('li', 'rep-li');
    await signIn('zhang', 'rep-zhang');
    await signIn('chen', 'mgr-chen');
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('a bad model is refused with a code; only an admin saves one; each save is a new version', async () => {
    const m = () => JSON.parse(JSON.stringify(DEFAULT_STAGE_MODEL));
    const put = async (body: unknown) => {
      const res = await op('/api/v1/stages/model', { method: 'PUT', body });
      return [res.status, res.status === 201 ? (await json(res)).version : (await json(res)).error.code];
    };
    const unknownQ = m();
    unknownQ.rules[0].when[0].question = 'no_such';
    const cycle = m();
    cycle.questions[0].dependsOn = ['budget_approved'];
    cycle.questions[1].dependsOn = ['has_need'];
    const nobody = m();
    nobody.roles[0].userIds = ['00000000-0000-4000-8000-000000000000'];
    expect(await put(unknownQ)).toEqual([400, 'stage_model_unknown_question']);
    expect(await put(cycle)).toEqual([400, 'stage_model_cycle']);
    expect(await put({ stages: [] })).toEqual([400, 'stage_model_empty']);
    expect(await put(nobody)).toEqual([400, 'stage_model_unknown_user']);
    expect((await as('chen', '/api/v1/stages/model', { method: 'PUT', body: m() })).status).toBe(403);
    expect((await json(await as('li', '/api/v1/stages/model'))).version).toBe(0);
    const ok = m();
    ok.roles[0].userIds = [u.zhang.id];
    expect(await put(ok)).toEqual([201, 1]);
    expect((await json(await op('/api/v1/stages/model'))).version).toBe(1);
    expect((await json(await op('/api/v1/stages/model/versions/0'))).roles[0].userIds).toEqual([]);
  });

  it('GET /customers/:id/stage: no stage yet, the stages, the open questions; role-scoped', async () => {
    const view = await json(await as('li', `/api/v1/customers/${mine}/stage`));
    expect(view.stage).toBeNull();
    expect(view.stages.map((x: any) => [x.key, x.name, x.order, x.terminal])).toEqual([
      ['contact', '初步接触', 0, false], ['needs', '需求确认', 1, false], ['solution', '方案确认', 2, false], ['technical', '技术对接', 3, false],
      ['bidding', '投标准备', 4, false], ['negotiation', '商务谈判', 5, false], ['won', '成交', 6, true], ['lost', '输单', 7, true],
    ]);
    expect(view.questions[0]).toEqual({ key: 'has_need', text: '客户已明确采购需求？', kind: 'yesno', options: [{ key: 'yes', label: '是' }, { key: 'no', label: '否' }], open: true, answer: null });
    expect((await as('zhang', `/api/v1/customers/${mine}/stage`)).status).toBe(404);
    expect((await as('chen', `/api/v1/customers/${mine}/stage`)).status).toBe(200);
  });

  it('POST answers moves the stage and says by which rule; a second answer is 409 already_answered with who answered', async () => {
    const res = await as('li', `/api/v1/customers/${mine}/answers`, { method: 'POST', body: { question: 'budget_approved', values: ['yes'] } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ stage: { key: 'solution', name: '方案确认', enteredAt: clock.now().toISOString() }, changed: true, rule: '预算已批复 = 是' });
    expect(body.questions.find((q: any) => q.key === 'budget_approved')).toMatchObject({ open: false, answer: { values: ['yes'], by: { id: u.li.id, name: '李销售' }, at: clock.now().toISOString() } });
    expect(body.questions[0].open).toBe(true);
    const again = await as('chen', `/api/v1/customers/${mine}/answers`, { method: 'POST', body: { question: 'budget_approved', values: ['no'] } });
    expect(again.status).toBe(409);
    expect((await json(again)).error).toMatchObject({ code: 'already_answered', details: { answer: { by: { name: '李销售' }, values: ['yes'] } } });
    const bad = await as('li', `/api/v1/customers/${mine}/answers`, { method: 'POST', body: { question: 'tender_no', values: ['maybe'] } });
    expect([bad.status, (await json(bad)).error.code]).toEqual([400, 'invalid_answer']);
    expect((await as('zhang', `/api/v1/customers/${mine}/answers`, { method: 'POST', body: { question: 'tender_no', values: ['yes'] } })).status).toBe(404);
    // The stage's action went to the outbox with the entry, once.
    const queued = await t.database.query<{ n: number }>(sql`select count(*)::int as n from outbox_messages where dedupe_key like 'stage:%'`);
    expect(queued[0]!.n).toBe(1);
  });

  it('a read key reads but does not answer; an admin key answers as the API', async () => {
    const key = (await json(await op('/api/v1/keys', { method: 'POST', body: { name: '报表', scope: 'read' } }))).key as string;
    const withKey = (p: string, body?: unknown) => fetch(url(p), { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect((await withKey(`/api/v1/customers/${zhangs}/stage`)).status).toBe(200);
    expect((await withKey(`/api/v1/customers/${zhangs}/answers`, { question: 'has_need', values: ['yes'] })).status).toBe(403);
    const byOp = await json(await op(`/api/v1/customers/${zhangs}/answers`, { method: 'POST', body: { question: 'has_need', values: ['yes'] } }));
    expect(byOp).toMatchObject({ stage: { key: 'needs' }, changed: true });
  });

  it('hand moves: a rep moves only their own customers; won needs a reason; history is a list, newest first, with cursors', async () => {
    expect((await as('li', `/api/v1/customers/${zhangs}/stage`, { method: 'POST', body: { stage: 'lost', reason: 'x' } })).status).toBe(404);
    clock.advance(86_400_000);
    const noReason = await as('li', `/api/v1/customers/${mine}/stage`, { method: 'POST', body: { stage: 'won' } });
    expect([noReason.status, (await json(noReason)).error.code]).toEqual([400, 'reason_required']);
    const won = await as('li', `/api/v1/customers/${mine}/stage`, { method: 'POST', body: { stage: 'won', reason: '国产替代价格优势', deal: { amount: 880000, paymentTerms: '3-6-1' } } });
    expect(await json(won)).toMatchObject({ changed: true, stage: { key: 'won', name: '成交', outcome: 'won' } });
    const first = await json(await as('li', `/api/v1/customers/${mine}/stages?limit=1`));
    expect(first.items).toEqual([expect.objectContaining({ stage: { key: 'won', name: '成交', order: 6, outcome: 'won' }, from: 'solution', reason: '国产替代价格优势', details: { amount: 880000, paymentTerms: '3-6-1' }, by: { id: u.li.id, name: '李销售' }, leftAt: null })]);
    const second = await json(await as('li', `/api/v1/customers/${mine}/stages?limit=1&cursor=${first.nextCursor}`));
    expect(second.items.map((e: any) => [e.stage.key, e.rule, e.answers[0].labels])).toEqual([['solution', '预算已批复 = 是', ['是']]]);
    expect(second.nextCursor).toBeNull();
    expect((await as('li', `/api/v1/customers/${mine}/stages?cursor=garbage`)).status).toBe(400);
  });

  it('the funnel per rep and team, scoped by role; the audit sample shows decisions next to what happened later', async () => {
    const team = await json(await as('chen', '/api/v1/stages/funnel'));
    expect(team.team.customers).toBe(2);
    expect(team.reps.map((r: any) => r.user.name).sort()).toEqual(['张销售', '李销售']);
    expect(team.definitions.reached).toBeDefined();
    const own = await json(await as('li', '/api/v1/stages/funnel'));
    expect(own.reps.map((r: any) => r.user.name)).toEqual(['李销售']);
    expect(own.team.stages.find((x: any) => x.key === 'won')).toMatchObject({ entered: 1, reached: 1 });
    expect((await as('li', '/api/v1/stages/audit')).status).toBe(403);
    const audit = await json(await as('chen', '/api/v1/stages/audit?limit=10&seed=s1'));
    const decided = audit.items.find((x: any) => x.customer.id === mine);
    expect(decided).toMatchObject({ decided: { stage: { key: 'solution' }, rule: '预算已批复 = 是', answers: [{ question: 'budget_approved', labels: ['是'] }] }, later: { next: { key: 'won', daysAfter: 1 }, now: { key: 'won', outcome: 'won' }, forward: true } });
    expect(await json(await as('chen', '/api/v1/stages/audit?limit=10&seed=s1'))).toEqual(audit);
  });
});
