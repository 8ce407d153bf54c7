// The platform-free event union. Adapters map raw payloads to these; bot/ and crm/ see nothing else.
// `platform` is an opaque string here on purpose: the core never branches on it.

export interface Sender {
  /** The platform's own user id (WeCom userid, DingTalk staffId). */
  userId: string;
  /** A cross-app id where the platform has one (DingTalk unionId). */
  unionId?: string;
  name?: string;
  /**
   * The sender may be outside the organisation (a customer writing to a personal account): when
   * their account is not bound to a user, the message is kept but not answered.
   */
  mayBeOutsider?: boolean;
}

export interface Conversation {
  id: string;
  type: 'single' | 'group';
  title?: string;
  /** A short-lived reply address some platforms hand out (DingTalk sessionWebhook). */
  replyUrl?: string;
  replyUrlExpiresAt?: string;
}

interface EventBase {
  platform: string;
  tenantId: string;
  /** The platform's own id for this event: the idempotency key. */
  eventId: string;
  /** When the platform says it happened (ISO 8601). */
  at: string;
  sender: Sender;
  conversation?: Conversation;
  /** The raw payload, kept for audit only; handlers must not read it. */
  raw?: unknown;
}

export interface TextEvent extends EventBase {
  kind: 'text';
  text: string;
  /** True when a rep forwarded a customer's message (merged forward, quote), not their own words. */
  forwarded?: boolean;
  mentions?: string[];
}

export interface MediaEvent extends EventBase {
  kind: 'media';
  mediaType: 'image' | 'voice' | 'video' | 'file' | 'link' | 'location' | 'richText';
  mediaId?: string;
  url?: string;
  title?: string;
  description?: string;
  location?: { lat: number; lng: number; label?: string };
  /** Text content where the media carries some (rich text, link title, voice recognition). */
  text?: string;
}

export interface CardActionEvent extends EventBase {
  kind: 'cardAction';
  /** Our id for the card (WeCom task_id, DingTalk outTrackId). */
  cardId: string;
  /** Which button or option was chosen (event_key). */
  actionKey: string;
  selected?: { questionKey: string; optionIds: string[] }[];
  /** A one-time code some platforms require to update the card afterwards. */
  responseCode?: string;
}

export interface ContactChangeEvent extends EventBase {
  kind: 'contactChange';
  change: 'add' | 'edit' | 'delete' | 'deleteFollowUser' | 'transferFail' | 'addHalf' | 'other';
  /** The customer's id on the platform (WeCom external_userid). */
  externalUserId: string;
  welcomeCode?: string;
  state?: string;
  changeType: string;
}

export interface MemberChangeEvent extends EventBase {
  kind: 'memberChange';
  change: 'create' | 'update' | 'delete' | 'other';
  userId: string;
  changeType: string;
}

export interface EnterEvent extends EventBase {
  kind: 'enter';
}

export interface UnknownEvent extends EventBase {
  kind: 'unknown';
  type: string;
}

export type InboundEvent = TextEvent | MediaEvent | CardActionEvent | ContactChangeEvent | MemberChangeEvent | EnterEvent | UnknownEvent;
export type InboundKind = InboundEvent['kind'];
