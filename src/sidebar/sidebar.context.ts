import type { Context } from 'koa';
import type { Database, Tx } from '../db/database.js';
import type { Auth, Principal } from '../auth/guard.js';
import type { FlowDeps } from '../bot/flow.js';
import type { ContactProfile, JsSdkSignature, PageBridge } from '../channel/adapter.js';
import type { User } from '../crm/users.repo.js';
import { AppError, notFound } from '../lib/errors.js';
import { parseWith, uuidParam } from '../api/params.js';
import { viewerOf } from '../api/admin.routes.js';
import { getCustomer, type Customer } from '../crm/customers.repo.js';
import { canSeeCustomer, type Visibility } from '../crm/visibility.js';
import type { Viewer } from '../api/present.js';

/** One platform as the sidebar sees it: its page bridge and the adapter capabilities the page relies on. */
export interface SidebarPlatform {
  platform: string;
  label: string;
  bridge: PageBridge;
  /** The customer identity kind its contact ids are stored as. */
  contactIdentity: string;
  /** The account kind its people's messages are addressed to (the rep's id on the platform). */
  accountKind: string;
  signJsSdk?(tenantId: string, url: string): Promise<JsSdkSignature>;
  fetchContactProfile?(tenantId: string, externalUserId: string, repUserId: string): Promise<ContactProfile | null>;
}

export interface SidebarDeps {
  database: Database;
  auth: Auth;
  flow: FlowDeps;
  platforms: SidebarPlatform[];
  /** KELU_PUBLIC_URL: the only origin whose pages get JS-SDK signatures (else the request's own). */
  publicUrl?: string;
  /** Sidebar bodies are small (a pasted fragment); anything bigger is refused before it is read. */
  bodyLimitBytes?: number;
  /** Outbox rows were written: wake the sender. */
  afterCommit: () => void;
}

export const SIDEBAR_BODY_LIMIT = 64 * 1024;
/** The longest fragment archived at once: a long chat is pasted in parts. */
export const FRAGMENT_MAX_CHARS = 5000;

/** The sidebar is a person's tool: only a signed-in session may use its API. */
export function sessionOf(auth: Auth, ctx: Context): Principal & { user: User } {
  const p = auth.principal(ctx);
  if (p.via !== 'session' || !p.user) throw new AppError('session_required', 'the sidebar is used signed in as a person', 403);
  return p as Principal & { user: User };
}

export interface Seen {
  p: Principal & { user: User };
  customer: Customer;
  viewer: Viewer;
  visibility: Visibility;
}

/** The customer of `:id`, if this person may see it (404 otherwise: another tenant's or someone else's look the same). */
export async function seenCustomer(tx: Tx, auth: Auth, ctx: Context): Promise<Seen> {
  const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
  const p = sessionOf(auth, ctx);
  // Independent reads: on a server pool they run at once.
  const [{ viewer, visibility }, customer] = await Promise.all([viewerOf(tx, p), getCustomer(tx, p.tenantId, id)]);
  // Owned by someone this person sees: visible without asking about unassigned leads.
  const owned = visibility.ownerIds === null || (!!customer?.ownerId && visibility.ownerIds.includes(customer.ownerId));
  if (!customer || customer.mergedInto || !(owned || (await canSeeCustomer(tx, p.tenantId, visibility, id)))) throw notFound('customer');
  return { p, customer, viewer, visibility };
}

/** Weeks of history the heat map reads. */
export function sinceWeeks(now: Date, weeks: number): Date {
  return new Date(now.getTime() - weeks * 7 * 86400_000);
}
