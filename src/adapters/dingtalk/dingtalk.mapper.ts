import type { CardActionEvent, Conversation, InboundEvent, MediaEvent, MemberChangeEvent, Sender } from '../../channel/events.js';
import { robotShapeProblem } from './dingtalk.shape.js';
import type { DingtalkCardCallback, DingtalkCardPrivateData, DingtalkEventPayload, DingtalkRobotMessage } from './dingtalk.types.js';

// Pure mappers: raw DingTalk payload in, platform-free event out. No I/O, no clock unless passed in.

export const DINGTALK = 'dingtalk';

export class DingtalkPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DingtalkPayloadError';
  }
}

/**
 * @-mentions arrive inline ("@Kelu 李总 138…"), and the names are not in the payload (atUsers has ids only),
 * so every whitespace-led @token is dropped. An @ inside a word (an e-mail address) is kept.
 * DingTalk clients put U+2005 after a mention; \s covers it.
 */
export function stripMentions(text: string): string {
  return text
    .replace(/(^|\s)@[^\s@]+/gu, '$1')
    .replace(/[ \t\u2005\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

export function mapDingtalkRobotMessage(raw: DingtalkRobotMessage, tenantId: string): InboundEvent {
  if (!raw || typeof raw !== 'object' || !raw.msgId || !raw.conversationId) throw new DingtalkPayloadError('robot message without msgId or conversationId');
  const problem = robotShapeProblem(raw);
  if (problem) throw new DingtalkPayloadError(`robot message: ${problem}`);
  const sender: Sender = {
    // Outside-organisation senders have no staffId; senderId is stable per robot and still lets us reply.
    userId: raw.senderStaffId || raw.senderId,
    ...(raw.senderUnionId ? { unionId: raw.senderUnionId } : {}),
    ...(raw.senderNick ? { name: raw.senderNick } : {}),
  };
  const conversation: Conversation = {
    id: raw.conversationId,
    type: raw.conversationType === '2' ? 'group' : 'single',
    ...(raw.conversationTitle ? { title: raw.conversationTitle } : {}),
    ...(raw.sessionWebhook ? { replyUrl: raw.sessionWebhook } : {}),
    ...(raw.sessionWebhook && raw.sessionWebhookExpiredTime ? { replyUrlExpiresAt: isoFromMs(raw.sessionWebhookExpiredTime) } : {}),
  };
  const base = { platform: DINGTALK, tenantId, eventId: raw.msgId, at: isoFromMs(raw.createAt), sender, conversation, raw };
  const mentions = (raw.atUsers ?? []).filter((u) => u.dingtalkId !== raw.chatbotUserId).map((u) => u.staffId || u.dingtalkId);
  const c = raw.content ?? {};

  switch (raw.msgtype) {
    case 'text':
      return { ...base, kind: 'text', text: stripMentions(raw.text?.content ?? ''), ...(mentions.length ? { mentions } : {}) };
    case 'richText': {
      const parts = c.richText ?? [];
      const text = stripMentions(parts.map((p) => p.text ?? '').join(''));
      const picture = parts.find((p) => p.downloadCode || p.pictureDownloadCode);
      return media(base, 'richText', { text, mediaId: picture?.downloadCode ?? picture?.pictureDownloadCode });
    }
    case 'picture':
      return media(base, 'image', { mediaId: c.downloadCode ?? c.pictureDownloadCode });
    case 'file':
      return media(base, 'file', { mediaId: c.downloadCode, title: c.fileName });
    case 'audio':
      return media(base, 'voice', { mediaId: c.downloadCode, text: c.recognition });
    case 'video':
      return media(base, 'video', { mediaId: c.downloadCode });
    default:
      return { ...base, kind: 'unknown', type: `msgtype:${raw.msgtype}` };
  }
}

type Base = Omit<MediaEvent, 'kind' | 'mediaType'>;
function media(base: Base, mediaType: MediaEvent['mediaType'], f: { mediaId?: string; title?: string; text?: string }): MediaEvent {
  const e: MediaEvent = { ...base, kind: 'media', mediaType };
  if (f.mediaId) e.mediaId = f.mediaId;
  if (f.title) e.title = f.title;
  if (f.text) e.text = f.text;
  return e;
}

/**
 * A button press on an interactive card. Our card template puts `actionKey` in each button's callback
 * params; a template without it falls back to the component's action id.
 * Callbacks carry no id or time of their own, so the event id is card+user+action (a double click is one event)
 * and the receive time is passed in.
 */
export function mapDingtalkCardCallback(raw: DingtalkCardCallback, tenantId: string, receivedAt: Date): CardActionEvent {
  if (!raw || typeof raw !== 'object' || !raw.outTrackId || !raw.userId) throw new DingtalkPayloadError('card callback without outTrackId or userId');
  const priv = parseJson<DingtalkCardPrivateData>(raw.content) ?? parseJson<DingtalkCardPrivateData>(raw.value) ?? {};
  const params = priv.cardPrivateData?.params ?? {};
  const actionKey = str(params.actionKey) ?? str(params.action) ?? priv.cardPrivateData?.actionIds?.[0];
  if (!actionKey) throw new DingtalkPayloadError('card callback without an action');
  const e: CardActionEvent = {
    kind: 'cardAction',
    platform: DINGTALK,
    tenantId,
    eventId: `card:${raw.outTrackId}:${raw.userId}:${actionKey}`,
    at: receivedAt.toISOString(),
    sender: { userId: raw.userId },
    cardId: raw.outTrackId,
    actionKey,
    raw,
  };
  const questionKey = str(params.questionKey);
  const optionIds = params.optionIds;
  if (questionKey && Array.isArray(optionIds)) e.selected = [{ questionKey, optionIds: optionIds.map(String) }];
  // Several selectors submitted together (a card's `selects`).
  const many = Array.isArray(params.selected) ? (params.selected as unknown[]).filter((x): x is { questionKey: unknown; optionIds: unknown } => !!x && typeof x === 'object') : [];
  const items = many.flatMap((x) => (str(x.questionKey) && Array.isArray(x.optionIds) ? [{ questionKey: str(x.questionKey)!, optionIds: (x.optionIds as unknown[]).map(String) }] : []));
  if (items.length) e.selected = items;
  if (raw.spaceId) e.conversation = { id: raw.spaceId, type: raw.spaceType === 'IM_GROUP' ? 'group' : 'single' };
  return e;
}

const MEMBER_EVENTS: Record<string, MemberChangeEvent['change']> = {
  user_add_org: 'create',
  user_active_org: 'create',
  user_modify_org: 'update',
  user_leave_org: 'delete',
};

/**
 * A decrypted event-subscription push. One push can name several users, so this returns one event per user.
 * check_url is answered by the route and never reaches here. The push has no id, so the event id is
 * type:timestamp:user (DingTalk resends the same TimeStamp on retry).
 */
export function mapDingtalkEvent(payload: DingtalkEventPayload, tenantId: string): InboundEvent[] {
  if (!payload || typeof payload.EventType !== 'string') throw new DingtalkPayloadError('event without EventType');
  const type = payload.EventType;
  const at = payload.TimeStamp !== undefined ? isoFromMs(Number(payload.TimeStamp)) : new Date(0).toISOString();
  const ts = String(payload.TimeStamp ?? '');
  const users = Array.isArray(payload.UserId) ? payload.UserId : payload.UserId ? [payload.UserId] : [];
  const change = MEMBER_EVENTS[type];
  if (change && users.length) {
    return users.map((userId) => ({
      kind: 'memberChange', platform: DINGTALK, tenantId, eventId: `${type}:${ts}:${userId}`, at,
      sender: { userId }, change, userId, changeType: type, raw: payload,
    }));
  }
  return [{ kind: 'unknown', platform: DINGTALK, tenantId, eventId: `${type}:${ts}`, at, sender: { userId: '' }, type, raw: payload }];
}

function isoFromMs(ms: number): string {
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) throw new DingtalkPayloadError('bad timestamp');
  return d.toISOString();
}

function parseJson<T>(s: string | undefined): T | undefined {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
