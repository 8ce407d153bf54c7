import type Router from '@koa/router';
import type { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import type { TokenCache } from '../lib/token-cache.js';
import type { HttpFetch } from '../lib/http.js';
import type { InboundEvent, Sender } from './events.js';
import type { OutboundMessage } from './messages.js';
import type { SignInProvider } from './sign-in.js';

// The contract between the platform-free core and one platform. Each folder under src/adapters
// exports one PlatformAdapter; the composition root loops over the list and names none of them.

/** One chat account of a person: the platform, which of its ids (e.g. 'userid', 'unionid'), the id. */
export interface AccountRef {
  platform: string;
  kind: string;
  value: string;
}

/**
 * One outbox row's send. The key is the same on every attempt of one message. `retry` says an
 * earlier attempt was claimed and may have reached the platform (a crash after the send and before
 * the row was marked sent, a timeout, an expired lease): the adapter then sends with the platform's
 * own duplicate suppression on, so the user sees one message, not two.
 */
export interface DeliveryAttempt {
  key: string;
  retry: boolean;
}

/** Sends one message on its platform; throws PlatformApiError (retryable or not) on failure. */
export interface Deliverer {
  deliver(msg: OutboundMessage, attempt?: DeliveryAttempt): Promise<Record<string, unknown> | void>;
  /**
   * True when every send of this platform is safe to repeat with DeliveryAttempt.retry (the platform
   * suppresses the duplicate). Otherwise each send is committed as sent right after it, not with its
   * batch, so a crash leaves one send in doubt rather than a batch.
   */
  readonly suppressesDuplicates?: boolean;
}

/** What an adapter could learn about an external contact before the handler runs. */
export interface ContactProfile {
  name?: string;
  company?: string;
  title?: string;
  phones?: string[];
  unionId?: string;
}

/** What a page needs to call the platform's JS-SDK (e.g. a sidebar's config call). */
export interface JsSdkSignature {
  appId: string;
  agentId?: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
  /** A second signature some platforms want for app-level calls. */
  agentSignature?: string;
}

/**
 * How a page inside the platform's chat window (the sidebar) works with it: the page's glue for
 * this platform is chosen by `platform` and the in-app browser's user agent. The server side says
 * what the platform allows; the page's glue does the platform's JS calls.
 */
export interface PageBridge {
  /** User-Agent marker of the platform's in-app browser. */
  userAgent: RegExp;
  /** The page learns the chat's customer from the platform's JS-SDK ('sdk'), or the rep searches ('search'). */
  contact: 'sdk' | 'search';
  /** How a quick reply reaches the chat for this tenant: the JS-SDK sends it, the app's robot posts it, or the rep pastes it. */
  send(tenantId: string): Promise<'sdk' | 'robot' | 'copy'>;
  /** The page needs JS-SDK signatures (signJsSdk) before it may call the platform. */
  signs: boolean;
}

/** What an adapter's platform can show beyond text; the core may shape replies by it. */
export interface Capabilities {
  /** Interactive cards whose buttons come back as cardAction events. */
  cards: boolean;
  /** The platform's own to-do list (a card's `todo`). */
  todos: boolean;
}

/**
 * A long-lived connection an adapter keeps (a stream, a logged-in puppet). The runtime starts and
 * stops it, tells it when a tenant's credentials changed, and shows its status on /readyz.
 */
export interface Connection {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A tenant's credentials for this platform were set or removed: open, reopen or close its link. */
  credentialsChanged?(tenantId: string): Promise<void>;
  /** JSON-safe state for /readyz details (never secrets). */
  status(): Record<string, unknown>;
}

/** One field of an adapter's credential form in the admin console (a key of its credentialsSchema). */
export interface CredentialField {
  name: string;
  /** Chinese, as the platform's own console names it. */
  label: string;
  /** Typed into a password box and never shown back. */
  secret?: boolean;
  optional?: boolean;
  hint?: string;
}

/** What the console can honestly say of a tenant's channel: a state, a Chinese sentence, a code to scan. */
export interface ChannelState {
  ok: boolean;
  state: string;
  message: string;
  /** The text of a QR code the tenant's admin should scan (a login waiting for it). */
  qrCode?: string;
}

/** The env variables an adapter reads, validated; `defaultCredentials` seed the default tenant. */
export interface AdapterSettings<Env, Creds> {
  env: Env;
  defaultCredentials?: Creds;
}

/** What the runtime hands an adapter when it opens it. */
export interface AdapterContext<Env, Creds> {
  env: Env;
  defaultTenantId: string;
  bodyLimitBytes: number;
  logger: Logger;
  tokens: TokenCache;
  /** The tenant's credentials for this platform (opened and cached), or null. */
  credentials(tenantId: string): Promise<Creds | null>;
  /** Tenants that hold credentials for this platform. */
  tenantsWithCredentials(): Promise<string[]>;
  /** Durably stores an event; resolves once committed. Only then may the platform be told "received". */
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  fetchImpl?: HttpFetch & typeof fetch;
}

/** An adapter, opened for one process. */
export interface AdapterInstance {
  /** HTTP callback routes. */
  routers?: Router[];
  /** Long-lived connections (started with the workers). */
  connection?: Connection;
  deliverer: Deliverer;
  capabilities: Capabilities;
  /** Optional capability: an external contact's profile, fetched before the event's transaction. */
  fetchContactProfile?(tenantId: string, externalUserId: string, repUserId: string): Promise<ContactProfile | null>;
  /** Optional capability: sign a page URL for the platform's JS-SDK. */
  signJsSdk?(tenantId: string, url: string): Promise<JsSdkSignature>;
  /** Optional capability: pages in the chat window (the sidebar) can talk to the platform. */
  pageBridge?: PageBridge;
  /** Lines for the start-up banner (where to point the platform's console). */
  describe?(baseUrl: string): string[];
  /** Optional capability: people sign in (and bind their accounts) through this platform. */
  signIn?: SignInProvider;
  /** The callback paths to paste into the platform's console for a tenant. */
  callbackPaths?(tenantId: string): string[];
  /** A long-lived link's state for a tenant (cheap, no platform call), shown with the channel. */
  sessionState?(tenantId: string): ChannelState;
  /** The console's "test connection": proves the stored credentials; throws when they do not work. */
  testConnection?(tenantId: string): Promise<ChannelState>;
}

export interface PlatformAdapter<Env = unknown, Creds = unknown> {
  /** The platform's name: the `platform` of its events, messages, accounts and channel credentials. */
  readonly name: string;
  /** The platform's name as people in China know it (企业微信), shown in the console. */
  readonly label: string;
  /** Its env variables (a zod object's shape, merged into the one schema config.ts validates). */
  readonly envShape: z.ZodRawShape;
  /** Reads its variables after validation; pushes a message per problem (a half-configured channel). */
  settings(vars: Record<string, unknown>, problems: string[]): AdapterSettings<Env, Creds>;
  /** A tenant's credentials, as the admin API accepts and stores them (sealed). */
  readonly credentialsSchema: z.ZodType<Creds>;
  /** The console's form for those credentials, field by field. */
  readonly credentialFields: readonly CredentialField[];
  /** Account kinds its people hold; the first is the one a message is addressed to. */
  readonly accountKinds: readonly [string, ...string[]];
  /** Which account an event's sender is. */
  accountOf(sender: Sender): AccountRef | null;
  /** The customer identity kind its contacts' ids are stored as ('<platform>_<id name>', or 'wechat_id'). */
  readonly contactIdentity: `${string}_${string}`;
  open(ctx: AdapterContext<Env, Creds>): AdapterInstance;
  /** Optional capability: the platform, faked in process, for the demo tenant's playground. */
  readonly playground?: PlaygroundKit<Env, Creds>;
}

/**
 * What one platform showed a person in the playground, platform-free: a text, or a card with its
 * buttons (or a choice), and what became of it once someone acted on it.
 */
export interface PlaygroundBubble {
  /** Stable for the life of the playground: a press names the bubble by it. */
  id: string;
  /** The account the platform delivered it to (the first of the adapter's accountKinds). */
  to: string;
  at: string;
  text?: string;
  card?: {
    title: string;
    description?: string;
    fields: { label: string; value: string }[];
    buttons: { key: string; text: string; primary?: boolean }[];
    /** A one-answer question (its options are pressed like buttons, with the option as the key). */
    choice?: { title: string; options: { id: string; text: string }[] };
    /** What the card says after an action (its buttons are gone): e.g. 已确认. */
    done?: string;
  };
}

/** How a playground reaches this server's own routes: the real, signed callback path. */
export interface PlaygroundIo {
  tenantId: string;
  /** POSTs to a route of this server (e.g. the adapter's callback) and answers its status and body. */
  post(pathAndQuery: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }>;
}

/** One platform's playground, running: people write to the app and press buttons; what they were shown. */
export interface PlaygroundDriver {
  /** A person (by account id) writes to the app, bot or assistant; answers the event id the platform gave it. */
  say(from: string, text: string): Promise<{ eventId: string }>;
  /** A person presses a button (or picks an option) of a card they were shown. */
  press(from: string, bubbleId: string, key: string): Promise<void>;
  /** Everything the platform delivered, oldest first, with card updates applied. */
  shown(): PlaygroundBubble[];
  stop(): Promise<void>;
}

/**
 * The demo tenant's playground for one platform: a fake of the platform's servers in this process,
 * the adapter opened against it, and a driver that sends what the platform would send (signed,
 * encrypted) to the adapter's real routes or connection.
 */
export interface PlaygroundKit<Env, Creds> {
  /** Credentials the fake accepts (never a real app's). */
  readonly credentials: Creds;
  /** Starts the fake; answers the adapter's settings pointed at it, and the driver to make once the adapter is open on them. */
  start(env: Env, io: PlaygroundIo): Promise<{ env: Env; driver(instance: AdapterInstance): Promise<PlaygroundDriver> }>;
}

/** A list of adapters of differing settings types. */
export type AnyAdapter = PlatformAdapter<any, any>;
