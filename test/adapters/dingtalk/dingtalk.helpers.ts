import { DingtalkEventCrypto, robotSign } from '../../../src/adapters/dingtalk/dingtalk.crypto.js';
import type { DingtalkRobotMessage } from '../../../src/adapters/dingtalk/dingtalk.types.js';
import type { RunningServer } from '../../../src/server.js';
import { DINGTALK } from '../../helpers/harness.js';

let seq = 0;

/** A robot message as DingTalk sends it (HTTP callback body and Stream TOPIC_ROBOT data alike). */
export function robotMessage(o: { msgId: string; text: string; staffId?: string; session?: string; fakeUrl: string; createAt?: number }): DingtalkRobotMessage {
  const session = o.session ?? `s-${o.msgId}`;
  return {
    msgId: o.msgId,
    msgtype: 'text',
    text: { content: o.text },
    createAt: o.createAt ?? Date.now(),
    conversationType: '1',
    conversationId: 'cidAbCdEf==',
    senderId: '$:LWCP_v1:$abcdef==',
    senderNick: '李销售',
    senderStaffId: o.staffId ?? 'dt-rep-li',
    senderCorpId: 'ding0123',
    chatbotUserId: '$:LWCP_v1:$bot==',
    robotCode: DINGTALK.robotCode,
    isInAtList: true,
    sessionWebhook: `${o.fakeUrl}/robot/sendBySession?session=${encodeURIComponent(session)}`,
    sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
  };
}

/** POSTs a robot callback signed exactly as DingTalk does: `timestamp` (ms) and `sign` headers. */
export function postRobot(
  server: RunningServer,
  body: string | object,
  o: { timestamp?: number; sign?: string | null; secret?: string; path?: string } = {},
): Promise<Response> {
  const timestamp = String(o.timestamp ?? Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', timestamp };
  const sign = o.sign === undefined ? robotSign(timestamp, o.secret ?? DINGTALK.appSecret) : o.sign;
  if (sign !== null) headers.sign = sign;
  return fetch(`${server.url}${o.path ?? '/dingtalk/robot'}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export const eventCrypto = () => new DingtalkEventCrypto(DINGTALK.eventToken, DINGTALK.eventAesKey, DINGTALK.appKey);

/** An event-subscription push as DingTalk makes it: {encrypt} body, signature/timestamp/nonce in the query. */
export function postEvent(
  server: RunningServer,
  payload: object,
  o: { timestamp?: number; badSignature?: boolean; ownerKey?: string; path?: string } = {},
): Promise<Response> {
  const c = o.ownerKey ? new DingtalkEventCrypto(DINGTALK.eventToken, DINGTALK.eventAesKey, o.ownerKey) : eventCrypto();
  const encrypt = c.encrypt(JSON.stringify(payload));
  const timestamp = String(o.timestamp ?? Date.now());
  const nonce = `n${++seq}x${Math.random().toString(36).slice(2, 8)}`;
  let signature = c.signature(timestamp, nonce, encrypt);
  if (o.badSignature) signature = signature.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a'));
  const q = new URLSearchParams({ signature, timestamp, nonce });
  return fetch(`${server.url}${o.path ?? '/dingtalk/events'}?${q}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ encrypt }) });
}
