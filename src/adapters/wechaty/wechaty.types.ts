// What the connection reads off a Wechaty message or friendship before mapping: plain data, so the
// mappers stay pure and table-testable without a puppet.

/** Wechaty's MessageType numbers (wechaty-puppet types.Message) that Kelu reads. */
export const WechatyMessageType = {
  Contact: 3,
  ChatHistory: 4,
  Text: 7,
  Url: 14,
} as const;

export interface WechatyMessageInput {
  id: string;
  type: number;
  text: string;
  talkerId: string;
  talkerName?: string;
  /** The group chat, when the message was said in one. */
  roomId?: string;
  roomTopic?: string;
  /** In a group: whether the message @-mentions the assistant (only those are for Kelu). */
  mentionsSelf?: boolean;
  /** When the platform says it was sent. */
  date: Date;
  /** For a shared contact card: the card's contact id (messageContact). */
  cardContactId?: string;
}

export interface WechatyFriendshipInput {
  id: string;
  /** types.Friendship: 1 Confirm (now friends), 2 Receive (a request), 3 Verify. */
  type: number;
  contactId: string;
  contactName?: string;
  /** The assistant's own account: it stands as the sender of a new friend. */
  selfId: string;
  date: Date;
}
