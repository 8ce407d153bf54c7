// DingTalk wire shapes, as far as this adapter reads or writes them. Nothing outside adapters/dingtalk imports these.

/** Robot message: the same JSON arrives as Stream TOPIC_ROBOT data and as the robot HTTP callback body. */
export interface DingtalkRobotMessage {
  msgId: string;
  msgtype: 'text' | 'richText' | 'picture' | 'file' | 'audio' | 'video' | (string & {});
  createAt: number;
  /** '1' single chat with the robot, '2' group. */
  conversationType: '1' | '2' | (string & {});
  conversationId: string;
  conversationTitle?: string;
  senderId: string;
  senderNick?: string;
  /** The sender's userid in the organisation; absent for people outside it. */
  senderStaffId?: string;
  senderCorpId?: string;
  /** Present only for some app types; we take it when it is there. */
  senderUnionId?: string;
  isAdmin?: boolean;
  chatbotUserId?: string;
  chatbotCorpId?: string;
  robotCode?: string;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  isInAtList?: boolean;
  atUsers?: { dingtalkId: string; staffId?: string }[];
  text?: { content: string };
  content?: DingtalkRobotContent;
}

export interface DingtalkRobotContent {
  downloadCode?: string;
  pictureDownloadCode?: string;
  fileName?: string;
  fileId?: string;
  spaceId?: string;
  duration?: number | string;
  recognition?: string;
  videoType?: string;
  richText?: { text?: string; type?: string; downloadCode?: string; pictureDownloadCode?: string }[];
}

/** Card callback (Stream TOPIC_CARD data). `content` and `value` are JSON strings. */
export interface DingtalkCardCallback {
  outTrackId: string;
  corpId?: string;
  userId: string;
  userIdType?: number;
  type?: string;
  spaceType?: string;
  spaceId?: string;
  content?: string;
  value?: string;
  extension?: string;
}

export interface DingtalkCardPrivateData {
  cardPrivateData?: { actionIds?: string[]; params?: Record<string, unknown> };
}

/** Decrypted event-subscription push (HTTP mode). Field names are PascalCase on this channel. */
export interface DingtalkEventPayload {
  EventType: string;
  TimeStamp?: string | number;
  CorpId?: string;
  UserId?: string[] | string;
  [key: string]: unknown;
}

/** The encrypted envelope DingTalk POSTs for event subscriptions. */
export interface DingtalkEncryptedBody {
  encrypt: string;
}

export type DingtalkMsgKey = 'sampleText' | 'sampleMarkdown' | 'sampleLink' | 'sampleActionCard' | 'sampleImageMsg';

/** A robot message ready for oToMessages/batchSend or groupMessages/send (msgParam is JSON text on the wire). */
export interface DingtalkRobotPayload {
  msgKey: DingtalkMsgKey;
  msgParam: Record<string, unknown>;
}

/** The body a sessionWebhook accepts (the older custom-robot shape). */
export type DingtalkWebhookBody =
  | { msgtype: 'text'; text: { content: string }; at?: { atUserIds?: string[]; isAtAll?: boolean } }
  | { msgtype: 'markdown'; markdown: { title: string; text: string }; at?: { atUserIds?: string[]; isAtAll?: boolean } };

/** What an interactive card send or update carries; the template id is configuration, not content. */
export interface DingtalkCardPayload {
  outTrackId: string;
  cardParamMap: Record<string, string>;
}

/**
 * The data of a robot's ordinary interactive card (cardTemplateId "StandardCard", no card-builder template):
 * sent as a JSON string. Kelu uses it for text and markdown replies because its cardBizId is DingTalk's
 * idempotency id, which a session webhook or a robot message does not have.
 */
export interface DingtalkStandardCardData {
  config: { autoLayout: boolean; enableForward: boolean };
  contents: { type: 'text' | 'markdown'; text: string; id: string }[];
}
