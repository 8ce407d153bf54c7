// Raw WeCom callback payloads (self-built app, "接收消息与事件"), as parseWecomXml returns them:
// every leaf a string, nested elements kept nested. Field names are WeCom's own.

/** Whatever a decrypted callback parsed to; the mapper narrows it by MsgType / Event. */
export type WecomRawMessage = Record<string, unknown>;

/** The POSTed outer XML. `toUserName` is the CorpID; `agentId` is absent on some events. */
export interface WecomEnvelope {
  toUserName: string;
  encrypt: string;
  agentId?: string;
}

interface RawBase {
  /** The CorpID. */
  ToUserName: string;
  /** The member's UserID, or "sys" for system events. */
  FromUserName: string;
  /** Unix seconds. */
  CreateTime: string;
  AgentID?: string;
}

interface RawMessageBase extends RawBase {
  MsgId: string;
}

export interface RawText extends RawMessageBase { MsgType: 'text'; Content: string }
export interface RawImage extends RawMessageBase { MsgType: 'image'; PicUrl?: string; MediaId: string }
export interface RawVoice extends RawMessageBase { MsgType: 'voice'; MediaId: string; Format?: string }
export interface RawVideo extends RawMessageBase { MsgType: 'video'; MediaId: string; ThumbMediaId?: string }
export interface RawFile extends RawMessageBase { MsgType: 'file'; MediaId: string; Title?: string; FileName?: string }
export interface RawLink extends RawMessageBase { MsgType: 'link'; Title?: string; Description?: string; Url: string; PicUrl?: string }
export interface RawLocation extends RawMessageBase {
  MsgType: 'location';
  /** Latitude. */
  Location_X: string;
  /** Longitude. */
  Location_Y: string;
  Scale?: string;
  Label?: string;
}

interface RawEventBase extends RawBase {
  MsgType: 'event';
  Event: string;
}

export interface RawEnterAgent extends RawEventBase { Event: 'enter_agent'; EventKey?: string }

export interface RawSelectedItem {
  QuestionKey: string;
  OptionIds?: { OptionId: string | string[] };
}

export interface RawTemplateCardEvent extends RawEventBase {
  Event: 'template_card_event';
  /** The button / submit key, or the action_menu key. */
  EventKey: string;
  /** Our card id (task_id at send time). */
  TaskId: string;
  CardType?: 'text_notice' | 'news_notice' | 'button_interaction' | 'vote_interaction' | 'multiple_interaction';
  /** One-time code for update_template_card (72 h). */
  ResponseCode?: string;
  SelectedItems?: { SelectedItem: RawSelectedItem | RawSelectedItem[] };
}

export type ExternalContactChangeType =
  | 'add_external_contact'
  | 'edit_external_contact'
  | 'add_half_external_contact'
  | 'del_external_contact'
  | 'del_follow_user'
  | 'transfer_fail';

export interface RawExternalContactChange extends RawEventBase {
  Event: 'change_external_contact';
  ChangeType: ExternalContactChangeType | string;
  /** The member (sales rep) whose customer changed. */
  UserID: string;
  ExternalUserID: string;
  State?: string;
  WelcomeCode?: string;
  /** del_external_contact: DELETE_BY_TRANSFER when removed by a handover. */
  Source?: string;
  /** transfer_fail: customer_refused / customer_limit_exceed. */
  FailReason?: string;
}

export type ContactChangeType = 'create_user' | 'update_user' | 'delete_user';

export interface RawMemberChange extends RawEventBase {
  Event: 'change_contact';
  ChangeType: ContactChangeType | string;
  UserID: string;
  /** update_user only, when the UserID itself changed. */
  NewUserID?: string;
  Name?: string;
}

export type RawWecomMessage = RawText | RawImage | RawVoice | RawVideo | RawFile | RawLink | RawLocation;
export type RawWecomEvent = RawEnterAgent | RawTemplateCardEvent | RawExternalContactChange | RawMemberChange;

/** The common shape of every API answer. */
export interface WecomApiResult {
  errcode?: number;
  errmsg?: string;
}

export interface WecomSendResult extends WecomApiResult {
  msgid?: string;
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  /** Only for button / vote / multiple interaction cards. */
  response_code?: string;
}

export interface WecomExternalContact extends WecomApiResult {
  external_contact: {
    external_userid: string;
    name: string;
    type?: number;
    avatar?: string;
    corp_name?: string;
    gender?: number;
    unionid?: string;
    [k: string]: unknown;
  };
  follow_user?: { userid: string; remark?: string; description?: string; createtime?: number; state?: string; [k: string]: unknown }[];
  next_cursor?: string;
}
