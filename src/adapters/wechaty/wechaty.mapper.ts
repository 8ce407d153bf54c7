import type { Conversation, InboundEvent, Sender } from '../../channel/events.js';
import { WechatyMessageType, type WechatyFriendshipInput, type WechatyMessageInput } from './wechaty.types.js';

// Pure mappers: what the puppet said, as plain data, in; a platform-free event (or nothing) out.

export const WECHATY = 'wechaty';

/** A message to the assistant: text and merged chat records are captures, a contact card a contact. */
export function mapWechatyMessage(m: WechatyMessageInput, tenantId: string): InboundEvent | null {
  // In a group the assistant hears everyone; only what is addressed to it is for Kelu.
  if (m.roomId && !m.mentionsSelf) return null;
  // Personal WeChat has no organisation: any sender may be a customer writing to the assistant.
  const sender: Sender = { userId: m.talkerId, ...(m.talkerName ? { name: m.talkerName } : {}), mayBeOutsider: true };
  const conversation: Conversation = m.roomId
    ? { id: m.roomId, type: 'group', ...(m.roomTopic ? { title: m.roomTopic } : {}) }
    : { id: m.talkerId, type: 'single' };
  const base = { platform: WECHATY, tenantId, eventId: m.id, at: m.date.toISOString(), sender, conversation, raw: { id: m.id, type: m.type } };
  switch (m.type) {
    case WechatyMessageType.Text: {
      // "@客路助手 " and other mentions are not part of what the customer said.
      const text = (m.roomId ? m.text.replace(/(^|\s)@[^\s@\u2005]+[\u2005\s]?/gu, '$1') : m.text).trim();
      return text ? { ...base, kind: 'text', text } : null;
    }
    case WechatyMessageType.ChatHistory: {
      const text = chatHistoryText(m.text);
      return text ? { ...base, kind: 'text', text, forwarded: true } : null;
    }
    case WechatyMessageType.Contact:
      if (!m.cardContactId) return null;
      return { ...base, kind: 'contactChange', change: 'add', externalUserId: m.cardContactId, changeType: 'contact_card' };
    case WechatyMessageType.Url:
      return { ...base, kind: 'media', mediaType: 'link', text: m.text };
    default:
      return { ...base, kind: 'unknown', type: `message:${m.type}` };
  }
}

/** Someone became the assistant's friend: a contact capture, owned by whoever holds the assistant's account. */
export function mapWechatyFriendship(f: WechatyFriendshipInput, tenantId: string): InboundEvent | null {
  if (f.type !== 1) return null; // only Confirm: a request is accepted first, and confirmed after
  return {
    platform: WECHATY,
    tenantId,
    eventId: `friendship:${f.id}`,
    at: f.date.toISOString(),
    sender: { userId: f.selfId },
    conversation: { id: f.selfId, type: 'single' },
    kind: 'contactChange',
    change: 'add',
    externalUserId: f.contactId,
    changeType: 'friendship',
    raw: { id: f.id, type: f.type },
  };
}

/**
 * A merged chat record (聊天记录) arrives as app-message XML: a <title> and a <des> whose lines are
 * "name: words". Puppets that already give plain text pass through unchanged.
 */
export function chatHistoryText(raw: string): string {
  if (!raw.includes('<')) return raw.trim();
  const pick = (tag: string) => {
    const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(raw);
    return m ? decodeXml(m[1]!.replace(/^<!\[CDATA\[|\]\]>$/g, '')).trim() : '';
  };
  const items = [...raw.matchAll(/<datadesc>([\s\S]*?)<\/datadesc>/g)].map((m) => decodeXml(m[1]!.replace(/^<!\[CDATA\[|\]\]>$/g, '')).trim()).filter(Boolean);
  const body = items.length ? items.join('\n') : pick('des');
  return [pick('title'), body].filter(Boolean).join('\n');
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}
