import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { FlowDeps } from '../bot/flow.js';
import { getTenant } from '../crm/tenants.repo.js';
import { isDemoTenant } from '../auth/signin.routes.js';
import { listUsers, type User } from '../crm/users.repo.js';
import { customerOfMessage } from '../crm/interactions.repo.js';
import { advanceTimers } from '../crm/timers.repo.js';
import { captureMessage } from '../bot/leads.flow.js';
import { enqueueOutbound } from '../queue/outbox.js';
import { pagePolicy, sendPage, viewFile } from '../admin/render.js';
import { readJsonBody } from '../lib/body.js';
import { AppError } from '../lib/errors.js';
import { parseWith } from '../api/params.js';
import type { Playground } from './playground.service.js';
import { DEMO_REP_ACCOUNT } from '../app/bootstrap.js';
import { SCENARIOS, type ScenarioStep } from './scenarios.js';

export interface PlaygroundRouteDeps {
  database: Database;
  playground: Playground;
  flow: FlowDeps;
  bodyLimitBytes: number;
  afterCommit(): void;
}

const platformField = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);
const text = z.string().trim().min(1).max(2000);
const customerBody = z.object({ platform: platformField, text }).strict();
const sayBody = z.object({ platform: platformField, as: z.string().min(1).max(64), text }).strict();
const forwardBody = z.object({ platform: platformField, as: z.string().min(1).max(64), line: z.number().int().min(1) }).strict();
const pressBody = z.object({ platform: platformField, as: z.string().min(1).max(64), bubble: z.string().min(1).max(64), key: z.string().min(1).max(128) }).strict();
const scenarioBody = z.object({ platform: platformField, name: z.string().max(32), as: z.string().min(1).max(64).optional() }).strict();
const clockBody = z.object({ minutes: z.number().int().min(1).max(24 * 60) }).strict();

/**
 * `/` on the demo tenant: the playground page and its JSON under /api/v1/playground. A tenant with
 * credentials (or none marked demo) gets no playground: `/` goes to sign-in, the API is 404.
 */
export function playgroundRouter(deps: PlaygroundRouteDeps): Router {
  const r = new Router();
  const { db } = deps.database;
  const pg = deps.playground;
  const csp = pagePolicy();
  // Which customer each platform's playground has in view (the last forwarded message's).
  const inView = new Map<string, { customerId?: string; eventId?: string }>();

  const isOn = async () => {
    const t = await getTenant(db, pg.tenantId);
    return !!t && isDemoTenant(t);
  };
  const demoOnly = async (ctx: Context, next: Next) => {
    if (!(await isOn())) throw new AppError('not_found', 'no such route', 404, { expose: true });
    // The playground posts callbacks to this server: to the address and port this request came in on.
    const local = (ctx.req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    pg.setOrigin(`http://${local.includes(':') ? `[${local}]` : local}:${ctx.req.socket.localPort}`);
    await next();
  };
  const team = async (platform: string) => {
    const users = (await listUsers(db, pg.tenantId, { active: true }, { limit: 50 })).items;
    const account = (u: User) => pg.accountOf(u, platform);
    const person = (u: User) => ({ id: u.id, name: u.name, role: u.role, account: account(u) ?? '' });
    return {
      // The seeded rep first (李销售, whose customers the seed holds), then the others.
      reps: users.filter((u) => u.role === 'rep' && account(u)).map(person).sort((a, b) => Number(b.account === DEMO_REP_ACCOUNT) - Number(a.account === DEMO_REP_ACCOUNT)),
      managers: users.filter((u) => u.role === 'manager' && account(u)).map(person),
    };
  };
  const body = async <T>(ctx: Context, schema: z.ZodType<T>) => parseWith(schema, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');

  r.get('/', async (ctx) => {
    if (!(await isOn())) return ctx.redirect('/signin');
    const users = (await listUsers(db, pg.tenantId, { active: true }, { limit: 50 })).items;
    sendPage(ctx, csp, 'playground', {
      tenantId: pg.tenantId,
      platforms: pg.platforms(),
      // The sidebar signs in as the rep in view (demo sign-in); the page needs their user ids.
      users: users.map((u) => ({ id: u.id, name: u.name, role: u.role })),
      scenarios: SCENARIOS.map((s) => ({ name: s.name, label: s.label, hint: s.hint })),
    });
  });
  r.get('/playground/app.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = viewFile('playground.js');
  });
  r.get('/playground/app.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = viewFile('playground.css');
  });

  const api = new Router({ prefix: '/api/v1/playground' });
  api.use(demoOnly);

  const stateOf = async (platform: string) => {
    const run = await pg.get(platform);
    const people = await team(platform);
    const view = inView.get(platform) ?? {};
    if (view.eventId && !view.customerId) {
      view.customerId = (await customerOfMessage(db, pg.tenantId, platform, view.eventId)) ?? undefined;
    }
    const chats = Object.fromEntries([...people.reps, ...people.managers].map((p) => [p.account, pg.chatOf(run, p.account)]));
    return { platform, ...people, customerChat: run.customerChat, chats, customerId: view.customerId ?? null };
  };

  api.get('/state', async (ctx) => {
    const platform = parseWith(platformField, ctx.query.platform, 'invalid_platform');
    ctx.body = await stateOf(platform);
  });

  api.post('/customer', async (ctx) => {
    const b = await body(ctx, customerBody);
    const run = await pg.get(b.platform);
    run.customerChat.push({ id: run.customerChat.length + 1, from: 'customer', text: b.text, at: new Date().toISOString() });
    ctx.body = await stateOf(b.platform);
  });

  const say = async (platform: string, as: string, words: string) => {
    const run = await pg.get(platform);
    const { eventId } = await run.driver.say(as, words);
    run.said.push({ id: `said:${run.said.length + 1}`, from: as, text: words, at: new Date().toISOString(), eventId });
    return eventId;
  };

  api.post('/say', async (ctx) => {
    const b = await body(ctx, sayBody);
    const eventId = await say(b.platform, b.as, b.text);
    inView.set(b.platform, { eventId });
    ctx.body = await stateOf(b.platform);
  });

  // The rep forwards a line of the customer's chat to the app: what reps do all day.
  api.post('/forward', async (ctx) => {
    const b = await body(ctx, forwardBody);
    const run = await pg.get(b.platform);
    const line = run.customerChat.find((l) => l.id === b.line);
    if (!line) throw new AppError('not_found', 'no such line in the customer chat', 404, { expose: true });
    inView.set(b.platform, { eventId: await say(b.platform, b.as, line.text) });
    ctx.body = await stateOf(b.platform);
  });

  api.post('/press', async (ctx) => {
    const b = await body(ctx, pressBody);
    const run = await pg.get(b.platform);
    // Only a card this person was shown, and one of its buttons or options.
    const card = run.driver.shown().find((x) => x.id === b.bubble && x.to === b.as)?.card;
    const keys = [...(card?.buttons ?? []).map((x) => x.key), ...(card?.choice?.options ?? []).map((o) => o.id)];
    if (!card || !keys.includes(b.key)) throw new AppError('card_not_found', 'no such card or button for this person', 404, { expose: true });
    await run.driver.press(b.as, b.bubble, b.key);
    ctx.body = await stateOf(b.platform);
  });

  // The demo tenant's clock jumps ahead: its pending timers (claim timeouts, reminders) move earlier.
  api.post('/clock', async (ctx) => {
    const b = await body(ctx, clockBody);
    const moved = await advanceTimers(db, pg.tenantId, b.minutes * 60_000);
    ctx.body = { moved };
  });

  api.post('/scenario', async (ctx) => {
    const b = await body(ctx, scenarioBody);
    const s = SCENARIOS.find((x) => x.name === b.name);
    if (!s) throw new AppError('not_found', 'no such scenario', 404, { expose: true });
    const people = await team(b.platform);
    const rep = (b.as && people.reps.some((p) => p.account === b.as) ? b.as : undefined) ?? people.reps[0]?.account;
    if (!rep) throw new AppError('no_rep', 'the demo tenant has no rep on this platform', 409, { expose: true });
    const run = await pg.get(b.platform);
    const steps: ScenarioStep[] = s.steps(new Date());
    for (const step of steps) {
      if (step.kind === 'customer') run.customerChat.push({ id: run.customerChat.length + 1, from: 'customer', text: step.text, at: new Date().toISOString() });
      if (step.kind === 'forward') inView.set(b.platform, { eventId: await say(b.platform, rep, run.customerChat.at(-1)!.text) });
      if (step.kind === 'rep') await say(b.platform, rep, step.text);
      if (step.kind === 'wait') {
        const eventId = inView.get(b.platform)?.eventId;
        const deadline = Date.now() + 20_000;
        while (eventId && !(await customerOfMessage(db, pg.tenantId, b.platform, eventId)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      }
      if (step.kind === 'intake') {
        // A lead from outside (a web form): nobody owns it; assignment routes it, timers escalate it.
        const out = await db.transaction(async (tx) => {
          const o = await captureMessage(tx, deps.flow, {
            tenantId: pg.tenantId, text: step.text, ref: deps.flow.now(), owner: null, sourceChannel: '官网表单',
            sourceEventId: null, platform: b.platform, platformMessageId: null, given: {}, utm: {}, actor: 'playground',
          });
          let i = 0;
          const stamp = Date.now().toString(36);
          for (const m of o.messages) await enqueueOutbound(tx, m, `playground:${stamp}:${i++}`);
          return o;
        });
        deps.afterCommit();
        if (out.result) inView.set(b.platform, { customerId: out.result.customer.id });
      }
    }
    ctx.body = await stateOf(b.platform);
  });

  r.use(api.routes(), api.allowedMethods());
  return r;
}
