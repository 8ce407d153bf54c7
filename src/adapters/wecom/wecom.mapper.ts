import { createHash } from 'node:crypto';
import type { ContactChangeEvent, InboundEvent, MediaEvent, MemberChangeEvent, Sender } from '../../channel/events.js';
import { AppError } from '../../lib/errors.js';

const PLATFORM = 'wecom';

// Raw values may come from the XML parser (strings) or a JSON callback (numbers).
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function list<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null || (v as unknown) === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** Stable across retries (same payload), different for any payload that differs. */
function digest(raw: Record<string, unknown>): string {
  const canon = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]))
      : Array.isArray(v) ? v.map(canon) : v;
  return createHash('sha256').update(JSON.stringify(canon(raw))).digest('hex').slice(0, 16);
}

const EXTERNAL_CHANGES: Record<string, ContactChangeEvent['change']> = {
  add_external_contact: 'add',
  edit_external_contact: 'edit',
  del_external_contact: 'delete',
  del_follow_user: 'deleteFollowUser',
  transfer_fail: 'transferFail',
  add_half_external_contact: 'addHalf',
};

const MEMBER_CHANGES: Record<string, MemberChangeEvent['change']> = {
  create_user: 'create',
  update_user: 'update',
  delete_user: 'delete',
};

const MEDIA_TYPES = new Set(['image', 'voice', 'video', 'file', 'link', 'location']);

/**
 * Maps one decrypted WeCom callback to the platform-free event. Pure: the same payload always
 * gives the same event, eventId included, so a WeCom retry dedupes on eventId.
 * Unrecognized payloads become kind 'unknown' rather than being dropped.
 */
export function mapWecomMessage(raw: Record<string, unknown>, tenantId: string): InboundEvent {
  const from = str(raw.FromUserName);
  const createTime = str(raw.CreateTime);
  if (!from || !createTime || !/^\d{1,12}$/.test(createTime)) {
    throw new AppError('wecom_payload_invalid', 'WeCom payload lacks FromUserName or CreateTime', 400, { expose: false });
  }
  const msgType = str(raw.MsgType) ?? '';
  const event = str(raw.Event) ?? '';
  const base = {
    platform: PLATFORM,
    tenantId,
    at: new Date(Number(createTime) * 1000).toISOString(),
    sender: { userId: from } as Sender,
    raw,
  };
  // A self-built app only ever talks one-to-one with a member; system events have no conversation.
  const single = { conversation: { id: from, type: 'single' as const } };
  // Events carry no MsgId; WeCom retries resend the identical payload, so these parts repeat.
  const eventKey = (...parts: (string | undefined)[]) => [from, createTime, event, ...parts.map((p) => p ?? '')].join(':');

  if (msgType !== 'event') {
    const msgId = str(raw.MsgId);
    const eventId = msgId || `${from}:${createTime}:${msgType}:${digest(raw)}`;
    if (msgType === 'text') return { ...base, ...single, kind: 'text', eventId, text: str(raw.Content) ?? '' };
    if (MEDIA_TYPES.has(msgType)) return { ...base, ...single, eventId, ...media(msgType as MediaEvent['mediaType'], raw) };
    return { ...base, ...single, kind: 'unknown', eventId, type: msgType || 'unknown' };
  }

  switch (event) {
    case 'enter_agent':
      return { ...base, ...single, kind: 'enter', eventId: eventKey() };
    case 'template_card_event': {
      const cardId = str(raw.TaskId) ?? '';
      const actionKey = str(raw.EventKey) ?? '';
      const selected = selectedItems(raw.SelectedItems);
      const responseCode = str(raw.ResponseCode);
      return {
        ...base,
        ...single,
        kind: 'cardAction',
        // Two submits of one card within a second differ only in their choices; the digest of
        // the choices keeps them apart while a retry (identical choices) still collides.
        eventId: eventKey(cardId, actionKey, selected.length ? digest({ s: selected }) : ''),
        cardId,
        actionKey,
        ...(selected.length ? { selected } : {}),
        ...(responseCode ? { responseCode } : {}),
      };
    }
    case 'change_external_contact': {
      const changeType = str(raw.ChangeType) ?? '';
      const userId = str(raw.UserID) ?? '';
      const externalUserId = str(raw.ExternalUserID) ?? '';
      const welcomeCode = str(raw.WelcomeCode);
      const state = str(raw.State);
      return {
        ...base,
        kind: 'contactChange',
        eventId: eventKey(changeType, userId, externalUserId),
        // The member whose customer it is; FromUserName is just "sys".
        sender: { userId: userId || from },
        change: EXTERNAL_CHANGES[changeType] ?? 'other',
        changeType,
        externalUserId,
        ...(welcomeCode ? { welcomeCode } : {}),
        ...(state ? { state } : {}),
      };
    }
    case 'change_contact': {
      const changeType = str(raw.ChangeType) ?? '';
      const change = MEMBER_CHANGES[changeType];
      // Department and tag changes carry no UserID; they are kept, but as unknown.
      if (!change) return { ...base, kind: 'unknown', eventId: eventKey(changeType, digest(raw)), type: `change_contact:${changeType}` };
      const userId = str(raw.UserID) ?? '';
      return {
        ...base,
        kind: 'memberChange',
        eventId: eventKey(changeType, userId, str(raw.NewUserID)),
        change,
        changeType,
        userId,
      };
    }
    default:
      return { ...base, kind: 'unknown', eventId: eventKey(digest(raw)), type: `event:${event || 'unknown'}` };
  }
}

function media(mediaType: MediaEvent['mediaType'], raw: Record<string, unknown>): Pick<MediaEvent, 'kind' | 'mediaType'> & Partial<MediaEvent> {
  const out: Pick<MediaEvent, 'kind' | 'mediaType'> & Partial<MediaEvent> = { kind: 'media', mediaType };
  const set = <K extends keyof MediaEvent>(k: K, v: MediaEvent[K] | undefined) => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('mediaId', str(raw.MediaId));
  switch (mediaType) {
    case 'image':
      set('url', str(raw.PicUrl));
      break;
    case 'voice':
      // Present when the corp enabled speech recognition.
      set('text', str(raw.Recognition));
      break;
    case 'file':
      set('title', str(raw.FileName) ?? str(raw.Title));
      break;
    case 'link':
      set('url', str(raw.Url));
      set('title', str(raw.Title));
      set('description', str(raw.Description));
      set('text', str(raw.Title));
      break;
    case 'location': {
      const lat = Number(str(raw.Location_X));
      const lng = Number(str(raw.Location_Y));
      const label = str(raw.Label);
      if (Number.isFinite(lat) && Number.isFinite(lng)) out.location = { lat, lng, ...(label ? { label } : {}) };
      set('text', label);
      break;
    }
    default:
      break;
  }
  return out;
}

function selectedItems(v: unknown): { questionKey: string; optionIds: string[] }[] {
  const container = v as { SelectedItem?: unknown } | undefined;
  if (!container || typeof container !== 'object') return [];
  return list(container.SelectedItem as Record<string, unknown> | Record<string, unknown>[] | undefined).map((item) => ({
    questionKey: str(item.QuestionKey) ?? '',
    optionIds: list((item.OptionIds as { OptionId?: unknown } | undefined)?.OptionId as string | string[] | undefined)
      .map((o) => str(o) ?? '')
      .filter((o) => o !== ''),
  }));
}
