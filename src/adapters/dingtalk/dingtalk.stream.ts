import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';

// Stream mode on the real dingtalk-stream SDK, with three things it lacks: a configurable gateway
// (for the fake and for private deployments), reconnects that back off and never run twice at once,
// and ACKs that wait for our handler (the SDK leaves acking to the caller).

export const DEFAULT_GATEWAY_URL = 'https://api.dingtalk.com/v1.0/gateway/connections/open';

export interface StreamLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silent: StreamLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

// The SDK marks these private in its .d.ts; they are plain fields at runtime and the only way in.
interface DWClientInternals {
  dw_url?: string;
  reconnectInterval: number;
  socket?: { readyState: number; send(data: string): void };
}

export interface ConfigurableDWClientOptions {
  clientId: string;
  clientSecret: string;
  gatewayUrl?: string;
  /** First reconnect delay; doubles per failed attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
  logger?: StreamLogger;
}

export class ConfigurableDWClient extends DWClient {
  private readonly gatewayUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly log: StreamLogger;
  private attempts = 0;
  private connecting = false;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(o: ConfigurableDWClientOptions) {
    super({ clientId: o.clientId, clientSecret: o.clientSecret, keepAlive: false });
    this.gatewayUrl = o.gatewayUrl ?? DEFAULT_GATEWAY_URL;
    this.fetchImpl = o.fetchImpl ?? fetch;
    this.backoffMs = o.backoffMs ?? 1000;
    this.maxBackoffMs = o.maxBackoffMs ?? 60_000;
    this.log = o.logger ?? silent;
    // The SDK's default subscriptions array is shared by every instance; give this one its own, callbacks only.
    this.config.subscriptions = [];
    // After a socket closes, the SDK waits reconnectInterval before calling connect() (ours, below).
    this.internals.reconnectInterval = this.backoffMs;
  }

  private get internals(): DWClientInternals {
    return this as unknown as DWClientInternals;
  }

  /** Same request as the SDK's, to a configurable URL, with fetch instead of axios. */
  override async getEndpoint(): Promise<this> {
    const res = await this.fetchImpl(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, ua: 'kelu', subscriptions: this.config.subscriptions }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string; code?: string };
    // Never log the body wholesale: it holds the ticket.
    if (!res.ok || !body.endpoint || !body.ticket) throw new Error(`stream gateway open failed: HTTP ${res.status} ${body.code ?? ''}`.trim());
    this.internals.dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  /**
   * Replaces the SDK's connect, which the SDK's own close handler also calls: one attempt at a time
   * (the SDK can otherwise schedule two after a failed handshake), exponential backoff, and nothing after stop.
   */
  override async connect(): Promise<void> {
    if (this.stopped || this.connecting || this.retryTimer || this.connected) return;
    this.connecting = true;
    try {
      await this.getEndpoint();
      if (this.stopped) return;
      await this._connect();
      if (this.stopped) return void super.disconnect();
      this.attempts = 0;
      this.log.info({ event: 'dingtalk_stream_connected' }, 'dingtalk stream connected');
    } catch (err) {
      if (this.stopped) return;
      const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** this.attempts++);
      this.log.warn({ event: 'dingtalk_stream_connect_failed', attempt: this.attempts, delayMs: delay, err: (err as Error).message }, 'dingtalk stream connect failed');
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        void this.connect();
      }, delay * (0.8 + Math.random() * 0.4));
    } finally {
      this.connecting = false;
    }
  }

  override disconnect(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    super.disconnect();
  }

  /** True when an ACK frame can go out now. */
  canSend(): boolean {
    return this.connected && this.internals.socket?.readyState === 1;
  }

  /**
   * A failure ACK (the Python SDK's STATUS_SYSTEM_EXCEPTION): the gateway keeps the message and redelivers it.
   * The Node SDK only knows how to send code 200.
   */
  nack(messageId: string, reason: string): void {
    this.internals.socket?.send(
      JSON.stringify({ code: 500, headers: { contentType: 'application/json', messageId }, message: reason.slice(0, 100), data: JSON.stringify({ response: null }) }),
    );
  }
}

export interface DingtalkStreamOptions {
  appKey: string;
  appSecret: string;
  gatewayUrl?: string;
  /** Stores the message (the inbox); the ACK goes out only after this resolves. */
  onRobotMessage(raw: unknown): Promise<void>;
  /** Same for card button presses; a returned object is sent back as the callback response. */
  onCardCallback(raw: unknown): Promise<unknown>;
  logger?: StreamLogger;
  backoffMs?: number;
  maxBackoffMs?: number;
  fetchImpl?: typeof fetch;
}

export interface StreamStats {
  /** Frames that reached a handler. */
  handled: number;
  /** Frames for a messageId already in flight or already handled (redeliveries). */
  duplicates: number;
  acked: number;
  nacked: number;
}

export interface DingtalkStream {
  client: ConfigurableDWClient;
  stats: StreamStats;
  stop(): void;
}

const REMEMBER = 5000;

export async function startDingtalkStream(o: DingtalkStreamOptions): Promise<DingtalkStream> {
  if (!o.appKey || !o.appSecret) throw new Error('dingtalk stream: appKey and appSecret are required');
  const log = o.logger ?? silent;
  const client = new ConfigurableDWClient({
    clientId: o.appKey, clientSecret: o.appSecret, gatewayUrl: o.gatewayUrl, backoffMs: o.backoffMs, maxBackoffMs: o.maxBackoffMs, fetchImpl: o.fetchImpl, logger: log,
  });
  const stats: StreamStats = { handled: 0, duplicates: 0, acked: 0, nacked: 0 };
  const inflight = new Set<string>();
  // Handled ids, insertion-ordered so the oldest can be forgotten. A redelivery of one of these means our
  // ACK was lost (the socket died first): ACK again without running the handler again.
  const done = new Map<string, unknown>();

  const ack = (messageId: string, response: unknown) => {
    if (!client.canSend()) return; // the gateway redelivers; `done` answers it then
    try {
      client.socketCallBackResponse(messageId, response);
      stats.acked++;
    } catch (err) {
      log.warn({ event: 'dingtalk_stream_ack_failed', messageId, err: (err as Error).message }, 'ack not sent');
    }
  };

  const listen = (topic: string, handler: (raw: unknown) => Promise<unknown>) =>
    client.registerCallbackListener(topic, (msg: DWClientDownStream) => {
      const messageId = msg.headers.messageId;
      if (done.has(messageId)) {
        stats.duplicates++;
        return ack(messageId, done.get(messageId));
      }
      if (inflight.has(messageId)) {
        stats.duplicates++;
        return; // the running handler will ACK
      }
      let raw: unknown;
      try {
        raw = JSON.parse(msg.data);
      } catch {
        // Unparseable data will never get better; ACK so it is not redelivered forever.
        log.error({ event: 'dingtalk_stream_bad_payload', topic, messageId }, 'dropping unparseable stream payload');
        return ack(messageId, {});
      }
      inflight.add(messageId);
      stats.handled++;
      handler(raw).then(
        (response) => {
          inflight.delete(messageId);
          done.set(messageId, response ?? {});
          if (done.size > REMEMBER) done.delete(done.keys().next().value as string);
          ack(messageId, response ?? {});
        },
        (err: unknown) => {
          inflight.delete(messageId);
          stats.nacked++;
          log.error({ event: 'dingtalk_stream_handler_failed', topic, messageId, err: (err as Error)?.message }, 'stream handler failed; not acked');
          if (client.canSend()) client.nack(messageId, 'handler failed');
        },
      );
    });

  listen(TOPIC_ROBOT, async (raw) => {
    await o.onRobotMessage(raw);
    return {};
  });
  listen(TOPIC_CARD, (raw) => o.onCardCallback(raw));

  await client.connect();
  return { client, stats, stop: () => client.disconnect() };
}
