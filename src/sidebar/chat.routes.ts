import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { AppError, badRequest, notFound } from '../lib/errors.js';
import { PlatformApiError } from '../lib/platform-error.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith } from '../api/params.js';
import { viewerOf } from '../api/admin.routes.js';
import { presentCustomer } from '../api/present.js';
import { customerIdentities, type IdentityKind } from '../db/schema.js';
import { getCustomer, listCustomers } from '../crm/customers.repo.js';
import { canSeeCustomer, customersVisible } from '../crm/visibility.js';
import { enqueueOutbound } from '../queue/outbox.js';
import { captureMessage } from '../bot/leads.flow.js';
import { SIDEBAR_BODY_LIMIT, sessionOf, type SidebarDeps, type SidebarPlatform } from './sidebar.context.js';

const platformName = z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/);
const signQuery = z.object({ platform: platformName, url: z.string().min(8).max(2048) }).strict();
const openBody = z.object({ platform: platformName, contactId: z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_\-@.]+$/) }).strict();
const searchQuery = z.object({ q: z.string().trim().min(1).max(50) }).strict();

/** The origin pages are served from: KELU_PUBLIC_URL's, else the request's own. */
function ownOrigin(deps: SidebarDeps, ctx: Context): string {
  return deps.publicUrl ? new URL(deps.publicUrl).origin : `${ctx.protocol}://${ctx.host}`;
}

/**
 * Knowing the chat: JS-SDK signatures for the page's exact URL (tickets from the shared cache,
 * never fetched per view), opening the chat's customer by the platform's contact id (created,
 * owned by the rep, when unknown), and the search for platforms whose page cannot name the customer.
 */
export function chatRouter(deps: SidebarDeps): Router {
  const r = new Router({ prefix: '/api/v1/sidebar' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const byName = new Map(deps.platforms.map((p) => [p.platform, p]));
  const platformOf = (name: string): SidebarPlatform => {
    const p = byName.get(name);
    if (!p) throw new AppError('unknown_platform', 'no such platform', 404);
    return p;
  };

  r.get('/signature', read, async (ctx) => {
    const q = parseWith(signQuery, ctx.query);
    const p = sessionOf(auth, ctx);
    const pf = platformOf(q.platform);
    if (!pf.bridge.signs || !pf.signJsSdk) throw new AppError('not_signed', `${pf.label} pages need no signature`, 400);
    let url: URL;
    try {
      url = new URL(q.url);
    } catch {
      throw badRequest('invalid_url', 'url is not a URL');
    }
    // The platform checks the signature against its trusted domain: signing any other page would hand out our tickets' use.
    if (url.origin !== ownOrigin(deps, ctx) || !url.pathname.startsWith('/sidebar')) {
      throw new AppError('url_not_ours', 'only this server\'s sidebar pages are signed; open the sidebar from the address configured in the platform console', 400);
    }
    try {
      const s = await pf.signJsSdk(p.tenantId, url.href.split('#')[0]!);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { corpId: s.appId, agentId: s.agentId ?? null, timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.signature, agentSignature: s.agentSignature ?? null };
    } catch (e) {
      if (e instanceof PlatformApiError) throw new AppError('platform_unavailable', `${pf.label} did not sign the page (${e.code ?? 'error'})`, 502);
      throw e;
    }
  });

  // The chat's customer by the platform's contact id: visible, or created from the platform's profile.
  r.post('/open', read, async (ctx) => {
    const b = parseWith(openBody, await readJsonBody(ctx, deps.bodyLimitBytes ?? SIDEBAR_BODY_LIMIT), 'invalid_body');
    const p = sessionOf(auth, ctx);
    const pf = platformOf(b.platform);
    if (pf.bridge.contact !== 'sdk') throw badRequest('no_chat_contact', `${pf.label} pages do not name the chat's customer; search instead`);
    const kind = pf.contactIdentity as IdentityKind;
    const { viewer, visibility } = await viewerOf(db, p);
    const [held] = await db.select({ customerId: customerIdentities.customerId }).from(customerIdentities)
      .where(and(eq(customerIdentities.tenantId, p.tenantId), eq(customerIdentities.kind, kind), eq(customerIdentities.value, b.contactId)));
    let customerId = held?.customerId;
    let created = false;
    if (customerId) {
      if (!(await canSeeCustomer(db, p.tenantId, visibility, customerId))) {
        throw new AppError('customer_not_visible', 'this customer is looked after by a colleague; ask them or your manager', 403);
      }
    } else {
      const repId = p.user.accounts.find((a) => a.platform === pf.platform && a.kind === pf.accountKind)?.value;
      if (!repId) throw new AppError('account_not_bound', `your ${pf.label} account is not bound to your Kelu user`, 403);
      let profile = null;
      try {
        profile = pf.fetchContactProfile ? await pf.fetchContactProfile(p.tenantId, b.contactId, repId) : null;
      } catch (e) {
        if (e instanceof PlatformApiError && !e.retryable) throw new AppError('contact_not_found', `${pf.label} does not know this contact as your customer`, 404);
        throw new AppError('platform_unavailable', `${pf.label} could not be asked about this contact`, 502);
      }
      const out = await db.transaction(async (tx) => {
        const o = await captureMessage(tx, deps.flow, {
          tenantId: p.tenantId, text: '', ref: deps.flow.now(), owner: p.user, sourceChannel: pf.platform, sourceEventId: null,
          platform: pf.platform, platformMessageId: null, actor: p.actor,
          given: { name: profile?.name, title: profile?.title, company: profile?.company, phone: profile?.phones?.[0], externalIds: [{ kind, value: b.contactId }] },
        });
        // The profile may name a colleague's customer (its phone): then nothing of this open is kept.
        if (o.result && !(await canSeeCustomer(tx, p.tenantId, visibility, o.result.customer.id))) {
          throw new AppError('customer_not_visible', 'this customer is looked after by a colleague; ask them or your manager', 403);
        }
        let i = 0;
        for (const m of o.messages) await enqueueOutbound(tx, m, `sidebar:open:${kind}:${b.contactId}:${i++}`);
        return o;
      });
      if (out.messages.length) deps.afterCommit();
      if (!out.result) throw notFound('customer');
      customerId = out.result.customer.id;
      created = out.result.created;
    }
    const c = await getCustomer(db, p.tenantId, customerId);
    if (!c) throw notFound('customer');
    ctx.status = created ? 201 : 200;
    ctx.body = { customer: presentCustomer(c, viewer), created };
  });

  r.get('/search', read, async (ctx) => {
    const q = parseWith(searchQuery, ctx.query);
    const p = sessionOf(auth, ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    const page = await listCustomers(db, p.tenantId, { q: q.q, visible: customersVisible(db, p.tenantId, visibility) }, { limit: 10 });
    ctx.body = { items: page.items.map((c) => presentCustomer(c, viewer)) };
  });

  // What the page may do in this tenant's chats, per platform (robot sends need the tenant's app).
  r.get('/platforms', read, async (ctx) => {
    const p = sessionOf(auth, ctx);
    ctx.body = { items: await Promise.all(deps.platforms.map(async (pf) => ({ platform: pf.platform, label: pf.label, contact: pf.bridge.contact, send: await pf.bridge.send(p.tenantId), signs: pf.bridge.signs }))) };
  });

  return r;
}
