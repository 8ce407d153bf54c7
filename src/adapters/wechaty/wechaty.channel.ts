import type { Friendship, Message, Wechaty } from 'wechaty';
import type { ChannelState, ContactProfile } from '../../channel/adapter.js';
import { createTenantLinks, type TenantLinks } from '../../channel/tenant-links.js';
import type { InboundEvent } from '../../channel/events.js';
import type { Logger } from '../../lib/logger.js';
import type { WechatyEnv } from './wechaty.config.js';
import { mapWechatyFriendship, mapWechatyMessage } from './wechaty.mapper.js';
import { WechatyMessageType, type WechatyMessageInput } from './wechaty.types.js';

export type SessionState = 'starting' | 'waiting_login' | 'scanning' | 'logged_in' | 'logged_out' | 'reconnecting' | 'stopped';

export interface WechatySessionDeps {
  tenantId: string;
  env: WechatyEnv;
  logger: Logger;
  /** Durably stores the event; only then is the message counted as received. */
  store(event: InboundEvent): Promise<{ stored: boolean }>;
  backoffMs: number;
  maxBackoffMs: number;
}

/**
 * One tenant's assistant account on its puppet. A logout, a failed start or a puppet error restarts
 * the bot after a delay that doubles per failed attempt (and resets once logged in); the state is
 * logged at every change and shown on /readyz.
 */
export class WechatySession {
  /** Built at the first start: loading wechaty takes seconds, and a process without assistants never pays it. */
  bot?: Wechaty;
  state: SessionState = 'starting';
  received = 0;
  duplicates = 0;
  restarts = 0;
  /** The login QR code's text while the puppet waits for a scan (for the console, never logged). */
  qrCode?: string;
  private attempts = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private restarting = false;
  private readonly log: Logger;

  constructor(private readonly deps: WechatySessionDeps) {
    this.log = deps.logger.child({ channel: 'wechaty', tenantId: deps.tenantId });
  }

  private async build(): Promise<Wechaty> {
    const { WechatyBuilder } = await import('wechaty');
    // The token goes to the puppet only (puppet-service reads it from its options), never to logs.
    const bot = WechatyBuilder.build({
      name: `kelu-${this.deps.tenantId}`,
      puppet: this.deps.env.puppet as never,
      ...(this.deps.env.token ? { puppetOptions: { token: this.deps.env.token } } : {}),
    });
    bot.on('scan', (qrcode, status) => {
      this.qrCode = qrcode || undefined;
      this.set('scanning', { scanStatus: status });
    });
    bot.on('login', (user) => {
      this.attempts = 0;
      this.qrCode = undefined;
      this.set('logged_in', { user: user.id });
    });
    bot.on('logout', (_user, reason) => {
      this.set('logged_out', { reason: reason ? String(reason).slice(0, 100) : undefined });
      this.scheduleRestart();
    });
    bot.on('error', (err) => {
      this.log.warn({ event: 'wechaty_error', err: err?.message }, 'puppet error');
    });
    bot.on('message', (m) => void this.onMessage(m).catch((err: unknown) => this.log.error({ event: 'wechaty_store_failed', err: (err as Error)?.message }, 'message not stored')));
    bot.on('friendship', (f) => void this.onFriendship(f).catch((err: unknown) => this.log.error({ event: 'wechaty_friendship_failed', err: (err as Error)?.message }, 'friendship not handled')));
    return bot;
  }

  async start(): Promise<void> {
    try {
      this.bot ??= await this.build();
      if (this.stopped) return;
      await this.bot.start();
      // Puppets that log in from a saved session say login without a scan; the rest scan next.
      if (this.state === 'starting' || this.state === 'reconnecting') this.set('waiting_login');
    } catch (err) {
      this.log.warn({ event: 'wechaty_start_failed', err: (err as Error)?.message }, 'puppet failed to start');
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.set('stopped');
    await this.bot?.stop().catch(() => undefined);
  }

  status() {
    return { state: this.state, puppet: this.deps.env.puppet, received: this.received, duplicates: this.duplicates, restarts: this.restarts, ...(this.state === 'logged_in' && this.bot?.isLoggedIn ? { user: this.bot.currentUser.id } : {}) };
  }

  /** Who is logged in, by name, when someone is. */
  userName(): string | undefined {
    if (this.state !== 'logged_in' || !this.bot?.isLoggedIn) return undefined;
    return this.bot.currentUser.name() || this.bot.currentUser.id;
  }

  async profile(contactId: string): Promise<ContactProfile | null> {
    const c = await this.bot?.Contact.find({ id: contactId });
    if (!c) return null;
    return { name: c.name() || undefined };
  }

  async sendText(conversationId: string, text: string): Promise<string | undefined> {
    if (!this.bot) throw new Error('assistant not started');
    const id = await this.bot.puppet.messageSendText(conversationId, text);
    return id ?? undefined;
  }

  private set(state: SessionState, extra: Record<string, unknown> = {}) {
    if (this.stopped && state !== 'stopped') return;
    this.state = state;
    this.log.info({ event: `wechaty_${state}`, ...extra }, `wechaty ${state.replace('_', ' ')}`);
  }

  private scheduleRestart() {
    if (this.stopped || this.restarting) return;
    this.restarting = true;
    const delay = Math.min(this.deps.maxBackoffMs, this.deps.backoffMs * 2 ** this.attempts++);
    this.set('reconnecting', { inMs: delay });
    this.timer = setTimeout(() => {
      void (async () => {
        this.restarts++;
        await this.bot?.stop().catch(() => undefined);
        this.restarting = false;
        if (!this.stopped) await this.start();
      })();
    }, delay);
  }

  private async onMessage(m: Message): Promise<void> {
    if (m.self()) return;
    const type = m.type();
    const room = m.room();
    const input: WechatyMessageInput = {
      id: m.id,
      type,
      text: m.text(),
      talkerId: m.talker().id,
      talkerName: m.talker().name(),
      ...(room ? { roomId: room.id, roomTopic: await room.topic(), mentionsSelf: await m.mentionSelf() } : {}),
      date: m.date(),
    };
    if (type === WechatyMessageType.Contact) {
      const card = await m.toContact().catch(() => null);
      if (card) input.cardContactId = card.id;
    }
    const event = mapWechatyMessage(input, this.deps.tenantId);
    if (event) await this.keep(event);
  }

  private async onFriendship(f: Friendship): Promise<void> {
    // A request is accepted at once (the assistant takes every customer); the confirm event that
    // follows is the capture.
    if (f.type() === 2) {
      await f.accept();
      return;
    }
    const event = mapWechatyFriendship({ id: f.id, type: f.type(), contactId: f.contact().id, contactName: f.contact().name(), selfId: this.bot!.currentUser.id, date: new Date() }, this.deps.tenantId);
    if (event) await this.keep(event);
  }

  private async keep(event: InboundEvent) {
    const { stored } = await this.deps.store(event);
    if (stored) this.received++;
    else this.duplicates++;
  }
}

const STATE_TEXT: Record<SessionState, string> = {
  starting: '启动中',
  waiting_login: '等待扫码登录',
  scanning: '等待扫码登录',
  logged_in: '已登录',
  logged_out: '已退出登录，正在重启',
  reconnecting: '连接断开，正在重连',
  stopped: '未启动',
};

/** What the console shows of a tenant's assistant: its state in Chinese, and the login QR code while one waits. */
export function sessionState(session: WechatySession | undefined): ChannelState {
  if (!session) return { ok: false, state: 'stopped', message: '未启动（保存凭据后由后台进程启动）' };
  const user = session.userName();
  return {
    ok: session.state === 'logged_in',
    state: session.state,
    message: user ? `${STATE_TEXT.logged_in}：${user}` : STATE_TEXT[session.state],
    ...(session.qrCode && session.state === 'scanning' ? { qrCode: session.qrCode } : {}),
  };
}

export interface WechatySessionsDeps extends Omit<WechatySessionDeps, 'tenantId' | 'env'> {
  tenants(): Promise<string[]>;
  credentials(tenantId: string): Promise<WechatyEnv | null>;
}

export type WechatySessions = TenantLinks<WechatySession>;

/** One assistant session per tenant with credentials, following credential changes (see createTenantLinks). */
export function createWechatySessions(deps: WechatySessionsDeps): WechatySessions {
  return createTenantLinks<WechatyEnv, WechatySession>({
    tenants: deps.tenants,
    credentials: deps.credentials,
    key: (env) => `${env.puppet}\u0000${env.token ?? ''}`,
    create: (tenantId, env) => new WechatySession({ ...deps, tenantId, env }),
    onError: (tenantId, err) => deps.logger.error({ event: 'wechaty_start_failed', tenantId, err: (err as Error)?.message }, 'assistant failed to start'),
  });
}
