// What handlers return; each adapter's deliver() renders these for its platform.

export interface CardButton {
  key: string;
  text: string;
  style?: 'primary' | 'default' | 'danger';
}

export interface CardField {
  label: string;
  value: string;
}

export interface Card {
  /** Our stable id for the card (a task id); platform callbacks carry it back. */
  cardId: string;
  title: string;
  description?: string;
  fields?: CardField[];
  buttons?: CardButton[];
  /** A choice card (questionnaires): one question with options. */
  choice?: { questionKey: string; title: string; options: { id: string; text: string }[]; multiple?: boolean; submitText?: string };
  /**
   * Several one-answer questions on one card, answered with one submit (at most 3, each with 1-10
   * options); the answers come back as CardActionEvent.selected, one item per question.
   */
  selects?: { questionKey: string; title: string; options: { id: string; text: string }[] }[];
  url?: string;
  /** Remember per recipient where this card went, so every copy can be updated later (shared todo cards). */
  track?: boolean;
  /** Also put this on the recipient's platform todo list where the platform has one (our cardId as its source id). */
  todo?: { subject: string; description?: string; dueAt?: string };
}

export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'markdown'; title?: string; text: string }
  | { kind: 'card'; card: Card }
  /** Replaces a card already shown (after an action): the buttons give way to a result line. */
  | {
      kind: 'cardUpdate';
      cardId: string;
      resultText: string;
      responseCode?: string;
      card?: Card;
      /** Whatever the adapter returned as `cardRef` when it sent this card (e.g. a platform todo id), handed back untouched. */
      ref?: Record<string, unknown>;
    };

export interface Recipient {
  /** Platform user ids (users bound to the CRM). */
  userIds?: string[];
  /** A conversation to answer in (group chat id). */
  conversationId?: string;
  conversationType?: 'single' | 'group';
  replyUrl?: string;
  replyUrlExpiresAt?: string;
}

export interface OutboundMessage {
  platform: string;
  tenantId: string;
  to: Recipient;
  reply: Reply;
}
