// Inputs for the edge fuzzer: random and mutated WeCom XML envelopes, DingTalk robot JSON and event
// pushes, signatures, headers and sizes. Seeded, so a failing input can be regenerated from its seed
// and index. Shared by test/fuzz/edges.test.ts (small budget) and bench/fuzz.bench.ts (large budget).
import { WecomCrypto } from '../../src/adapters/wecom/wecom.crypto.js';
import { robotSign } from '../../src/adapters/dingtalk/dingtalk.crypto.js';
import { DINGTALK, WECOM, textMessageXml } from '../helpers/harness.js';
import { eventCrypto, robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';

export interface FuzzInput {
  route: Route;
  /** What the generator did, for the report of a failing input. */
  how: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
  /** The platform event id this input carries if it is a genuine, well-formed event; else undefined. */
  eventId?: string;
}

export type Route = 'wecom' | 'dingtalk-robot' | 'dingtalk-events';
export const ROUTES: Route[] = ['wecom', 'dingtalk-robot', 'dingtalk-events'];

/** mulberry32: small, fast, good enough to pick mutations. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const ALPHABET = ['<', '>', '/', '!', '[', ']', 'CDATA', '&', ';', '"', "'", '{', '}', ':', ',', '\\u0000', '\u0000', '\uffff', '客户', '13800138000', 'xml', '\n', ' ', '=', '%', '+'];

function randomText(r: Rng, max: number): string {
  let s = '';
  const n = r.int(max);
  for (let i = 0; i < n; i++) s += r.next() < 0.3 ? r.pick(ALPHABET) : String.fromCharCode(r.int(0x9fff));
  return s;
}

function randomBytes(r: Rng, max: number): Buffer {
  const b = Buffer.alloc(r.int(max));
  for (let i = 0; i < b.length; i++) b[i] = r.int(256);
  return b;
}

/** Flips, drops, inserts or truncates somewhere in s. */
function mutate(r: Rng, s: string): { s: string; how: string } {
  if (s.length === 0) return { s: randomText(r, 64), how: 'fill' };
  const at = r.int(s.length);
  switch (r.int(6)) {
    case 0:
      return { s: s.slice(0, at), how: `truncate@${at}` };
    case 1:
      return { s: s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << r.int(7))) + s.slice(at + 1), how: `flip@${at}` };
    case 2:
      return { s: s.slice(0, at) + randomText(r, 40) + s.slice(at), how: `insert@${at}` };
    case 3:
      return { s: s.slice(0, at) + s.slice(at + 1 + r.int(20)), how: `drop@${at}` };
    case 4:
      return { s: s + s.slice(at), how: `repeat@${at}` };
    default:
      return { s: s.slice(at) + s.slice(0, at), how: `rotate@${at}` };
  }
}

const wecomCrypto = new WecomCrypto(WECOM.token, WECOM.encodingAesKey);
const INNER_GARBAGE = [
  () => '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>',
  () => '<xml><MsgType><![CDATA[text]]></MsgType>',
  () => '{"not":"xml"}',
  () => '',
];

function wecomEnvelope(encrypt: string, ts: string, nonce: string, sign = true) {
  const signature = sign ? wecomCrypto.signature(ts, nonce, encrypt) : 'f'.repeat(40);
  const body = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[${WECOM.agentId}]]></AgentID></xml>`;
  return { path: `/wecom/callback?msg_signature=${signature}&timestamp=${ts}&nonce=${nonce}`, body };
}

function wecomInput(r: Rng, i: number, big: boolean): FuzzInput {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = `fz${i}`;
  const headers = { 'content-type': 'text/xml' };
  const msgId = `fz-w-${i}`;
  const kind = r.int(big ? 9 : 8);
  if (kind === 0) {
    const inner = textMessageXml({ from: 'rep-li', text: randomText(r, 200) || '你好', msgId });
    const e = wecomEnvelope(wecomCrypto.encrypt(inner, WECOM.corpId), ts, nonce);
    return { route: 'wecom', how: 'valid text, random content', ...e, headers, eventId: msgId };
  }
  if (kind === 1) return { route: 'wecom', how: 'random bytes', path: `/wecom/callback?msg_signature=${randomText(r, 50)}&timestamp=${ts}&nonce=${nonce}`, headers, body: randomBytes(r, 4096) };
  if (kind === 2) {
    const inner = textMessageXml({ from: 'rep-li', text: '你好', msgId });
    const e = wecomEnvelope(wecomCrypto.encrypt(inner, WECOM.corpId), ts, nonce);
    const m = mutate(r, e.body);
    return { route: 'wecom', how: `mutated envelope ${m.how}`, path: e.path, headers, body: m.s };
  }
  if (kind === 3) {
    // A genuine signature over an Encrypt that is not what WeCom encrypts.
    const encrypt = r.next() < 0.5 ? Buffer.from(randomBytes(r, 300)).toString('base64') : randomText(r, 120);
    return { route: 'wecom', how: 'signed garbage Encrypt', ...wecomEnvelope(encrypt, ts, nonce), headers };
  }
  if (kind === 4) {
    const inner = r.next() < 0.5 ? r.pick(INNER_GARBAGE)() : mutate(r, textMessageXml({ from: 'rep-li', text: '在吗', msgId })).s;
    const corp = r.next() < 0.8 ? WECOM.corpId : 'ww-other-corp';
    return { route: 'wecom', how: 'signed, encrypted garbage inside', ...wecomEnvelope(wecomCrypto.encrypt(inner, corp), ts, nonce), headers };
  }
  if (kind === 5) {
    const e = wecomEnvelope(wecomCrypto.encrypt(textMessageXml({ from: 'rep-li', text: '你好', msgId }), WECOM.corpId), ts, nonce);
    const q = r.pick([
      e.path.replace(/msg_signature=[^&]*/, ''),
      e.path.replace(/timestamp=\d+/, `timestamp=${Number(ts) - 3600}`),
      e.path.replace(/timestamp=\d+/, 'timestamp=abc'),
      e.path.replace(/nonce=[^&]*/, `nonce=${'n'.repeat(5000)}`),
      `${e.path}&msg_signature=${'0'.repeat(40)}`,
    ]);
    return { route: 'wecom', how: 'query mutated', path: q, headers, body: e.body };
  }
  if (kind === 6) {
    return { route: 'wecom', how: 'DOCTYPE outside', path: `/wecom/callback?msg_signature=x&timestamp=${ts}&nonce=${nonce}`, headers, body: `<!DOCTYPE xml [<!ENTITY a "${'a'.repeat(1000)}">]><xml><Encrypt>&a;&a;&a;</Encrypt></xml>` };
  }
  if (kind === 7) {
    const e = wecomEnvelope(wecomCrypto.encrypt(textMessageXml({ from: 'rep-li', text: '你好', msgId }), WECOM.corpId), ts, nonce, false);
    return { route: 'wecom', how: 'wrong signature', ...e, headers };
  }
  return { route: 'wecom', how: '2 MB body', path: `/wecom/callback?msg_signature=x&timestamp=${ts}&nonce=${nonce}`, headers, body: Buffer.alloc(2 * 1024 * 1024, 0x41) };
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 4 : 6)) {
    case 0:
      return randomText(r, 30);
    case 1:
      return r.next() * 1e12 - 5e11;
    case 2:
      return r.pick([null, true, false]);
    case 3:
      return r.pick(['', '0', 'text', 'picture', 'richText']);
    case 4:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(['msgId', 'msgtype', 'text', 'content', 'senderStaffId', 'conversationId', 'sessionWebhook', 'robotCode', randomText(r, 8)]), randomJson(r, depth + 1)]));
  }
}

function robotInput(r: Rng, i: number, big: boolean): FuzzInput {
  const ts = String(Date.now());
  const signed = { 'content-type': 'application/json; charset=utf-8', timestamp: ts, sign: robotSign(ts, DINGTALK.appSecret) };
  const msgId = `fz-r-${i}`;
  const valid = robotMessage({ msgId, text: '你好', fakeUrl: 'http://127.0.0.1:9' }) as unknown as Record<string, unknown>;
  const kind = r.int(big ? 7 : 6);
  if (kind === 0) {
    const m = robotMessage({ msgId, text: randomText(r, 200) || '你好', fakeUrl: 'http://127.0.0.1:9' });
    return { route: 'dingtalk-robot', how: 'valid message, random text', path: '/dingtalk/robot', headers: signed, body: JSON.stringify(m), eventId: msgId };
  }
  if (kind === 1) return { route: 'dingtalk-robot', how: 'signed random bytes', path: '/dingtalk/robot', headers: signed, body: randomBytes(r, 4096) };
  if (kind === 2) return { route: 'dingtalk-robot', how: 'signed random JSON', path: '/dingtalk/robot', headers: signed, body: JSON.stringify(randomJson(r)) };
  if (kind === 3) {
    const fields = { ...valid };
    const key = r.pick(Object.keys(fields));
    if (r.next() < 0.5) delete fields[key];
    else fields[key] = randomJson(r);
    return { route: 'dingtalk-robot', how: `field ${key} broken`, path: '/dingtalk/robot', headers: signed, body: JSON.stringify(fields) };
  }
  if (kind === 4) {
    const m = mutate(r, JSON.stringify(valid));
    return { route: 'dingtalk-robot', how: `mutated JSON ${m.how}`, path: '/dingtalk/robot', headers: signed, body: m.s };
  }
  if (kind === 5) {
    const headers = r.pick<Record<string, string>>([
      { 'content-type': 'application/json', timestamp: ts },
      { 'content-type': 'application/json', timestamp: ts, sign: randomBytes(r, 60).toString('base64') },
      { 'content-type': 'application/json', timestamp: String(Date.now() - 3_600_000), sign: robotSign(String(Date.now() - 3_600_000), DINGTALK.appSecret) },
      { 'content-type': 'application/json', timestamp: 'NaN', sign: robotSign('NaN', DINGTALK.appSecret) },
    ]);
    return { route: 'dingtalk-robot', how: 'headers broken', path: '/dingtalk/robot', headers, body: JSON.stringify(valid) };
  }
  return { route: 'dingtalk-robot', how: '2 MB body', path: '/dingtalk/robot', headers: signed, body: `{"text":"${'a'.repeat(2 * 1024 * 1024)}"}` };
}

function eventsInput(r: Rng, i: number, big: boolean): FuzzInput {
  const c = eventCrypto();
  const ts = String(Date.now());
  const nonce = `fz${i}`;
  const signedPath = (encrypt: string) => `/dingtalk/events?${new URLSearchParams({ signature: c.signature(ts, nonce, encrypt), timestamp: ts, nonce })}`;
  const headers = { 'content-type': 'application/json' };
  const kind = r.int(big ? 6 : 5);
  if (kind === 0) {
    const encrypt = c.encrypt(JSON.stringify({ EventType: 'check_url' }));
    return { route: 'dingtalk-events', how: 'check_url', path: signedPath(encrypt), headers, body: JSON.stringify({ encrypt }) };
  }
  if (kind === 1) {
    const encrypt = c.encrypt(JSON.stringify(randomJson(r)));
    return { route: 'dingtalk-events', how: 'signed, encrypted random JSON', path: signedPath(encrypt), headers, body: JSON.stringify({ encrypt }) };
  }
  if (kind === 2) {
    const encrypt = r.next() < 0.5 ? Buffer.from(randomBytes(r, 200)).toString('base64') : randomText(r, 100);
    return { route: 'dingtalk-events', how: 'signed garbage encrypt', path: signedPath(encrypt), headers, body: JSON.stringify({ encrypt }) };
  }
  if (kind === 3) {
    const encrypt = c.encrypt(JSON.stringify({ EventType: 'check_url' }));
    const m = mutate(r, JSON.stringify({ encrypt }));
    return { route: 'dingtalk-events', how: `mutated body ${m.how}`, path: signedPath(encrypt), headers, body: m.s };
  }
  if (kind === 4) return { route: 'dingtalk-events', how: 'random bytes, random query', path: `/dingtalk/events?signature=${encodeURIComponent(randomText(r, 40))}&timestamp=${ts}`, headers, body: randomBytes(r, 2048) };
  return { route: 'dingtalk-events', how: '2 MB body', path: `/dingtalk/events?signature=x&timestamp=${ts}&nonce=n`, headers, body: Buffer.alloc(2 * 1024 * 1024, 0x7b) };
}

/** The i-th input for a route under a seed; `big` allows the 2 MB bodies (slow, so rarer budgets skip them). */
export function fuzzInput(route: Route, seed: number, i: number, big = true): FuzzInput {
  const r = rng(seed * 1_000_003 + i);
  if (route === 'wecom') return wecomInput(r, i, big);
  if (route === 'dingtalk-robot') return robotInput(r, i, big);
  return eventsInput(r, i, big);
}

export interface Verdict {
  ok: boolean;
  why?: string;
}

/** Every answer is a 200 for a valid event or a 4xx with an error code; never a 5xx, never an echo of the request. */
export function judge(input: FuzzInput, status: number, text: string): Verdict {
  if (status === 200) return { ok: true };
  if (status < 400 || status >= 500) return { ok: false, why: `status ${status}` };
  let code: unknown;
  try {
    code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
  } catch {
    return { ok: false, why: `4xx without a JSON error body: ${text.slice(0, 80)}` };
  }
  if (typeof code !== 'string' || !code) return { ok: false, why: '4xx without an error code' };
  if (input.eventId) return { ok: false, why: `a valid event was refused (${status} ${String(code)})` };
  return { ok: true };
}
