import type { Card, Reply } from '../../channel/messages.js';
import type { DingtalkCardPayload, DingtalkRobotPayload, DingtalkStandardCardData, DingtalkWebhookBody } from './dingtalk.types.js';

// Pure: Reply -> DingTalk bodies. Cards render into the parameter map of OUR card template (built once in
// the DingTalk card builder, id in config). The template contract, every value a string:
//   title, markdown        header and body
//   buttons                JSON [{text, actionKey, style}] -> each button's callback params carry {actionKey}
//   question, options      JSON choice (questionnaires): {questionKey, title, multiple, submitText} / [{id, text}]
//   selects                JSON [{questionKey, title, options: [{id, text}]}]: one-answer selectors submitted together;
//                          the submit's callback params carry {actionKey: "submit", selected: [{questionKey, optionIds}]}
//   url                    "open in Kelu" link, may be empty
//   handled, resultText    "true" + "王小明 已认领" once someone acted; the template hides the buttons then

/** Text and markdown for robot sends (batchSend / groupMessages). A card sent this way degrades to markdown. */
export function renderRobotPayload(reply: Reply): DingtalkRobotPayload {
  switch (reply.kind) {
    case 'text':
      return { msgKey: 'sampleText', msgParam: { content: reply.text } };
    case 'markdown':
      return { msgKey: 'sampleMarkdown', msgParam: { title: reply.title ?? firstLine(reply.text), text: reply.text } };
    case 'card':
      return { msgKey: 'sampleMarkdown', msgParam: { title: reply.card.title, text: cardMarkdown(reply.card, true) } };
    case 'cardUpdate':
      return { msgKey: 'sampleText', msgParam: { content: reply.resultText } };
  }
}

/** The body a sessionWebhook accepts. */
export function renderWebhookBody(reply: Reply): DingtalkWebhookBody {
  const p = renderRobotPayload(reply);
  if (p.msgKey === 'sampleText') return { msgtype: 'text', text: { content: String(p.msgParam.content) } };
  return { msgtype: 'markdown', markdown: { title: String(p.msgParam.title), text: String(p.msgParam.text) } };
}

/** Text and markdown as a robot's ordinary card (the keyed path of a reply): the same words, a card's frame. */
export function renderStandardCard(reply: Reply): DingtalkStandardCardData {
  const p = renderRobotPayload(reply);
  const config = { autoLayout: true, enableForward: true };
  if (p.msgKey === 'sampleText') return { config, contents: [{ type: 'text', text: String(p.msgParam.content), id: 'text_1' }] };
  // No header: a markdown reply's first line already is its title.
  return { config, contents: [{ type: 'markdown', text: String(p.msgParam.text), id: 'markdown_1' }] };
}

export function renderCard(card: Card): DingtalkCardPayload {
  const cardParamMap: Record<string, string> = {
    title: card.title,
    markdown: cardMarkdown(card, false),
    buttons: JSON.stringify((card.buttons ?? []).map((b) => ({ text: b.text, actionKey: b.key, style: b.style ?? 'default' }))),
    url: card.url ?? '',
    handled: 'false',
    resultText: '',
  };
  if (card.choice) {
    const { options, ...question } = card.choice;
    cardParamMap.question = JSON.stringify({ ...question, multiple: question.multiple ?? false, submitText: question.submitText ?? '提交' });
    cardParamMap.options = JSON.stringify(options);
  }
  if (card.selects?.length) cardParamMap.selects = JSON.stringify(card.selects);
  return { outTrackId: card.cardId, cardParamMap };
}

/** After an action: the buttons go, the result line ("王小明 已认领") shows who handled it. */
export function renderCardUpdate(update: Extract<Reply, { kind: 'cardUpdate' }>): DingtalkCardPayload {
  const full = update.card ? renderCard(update.card).cardParamMap : {};
  return {
    outTrackId: update.cardId,
    cardParamMap: { ...full, buttons: '[]', handled: 'true', resultText: update.resultText },
  };
}

function cardMarkdown(card: Card, withLinks: boolean): string {
  const lines: string[] = [];
  if (withLinks) lines.push(`### ${escapeMd(card.title)}`);
  if (card.description) lines.push(escapeMd(card.description));
  for (const f of card.fields ?? []) lines.push(`**${escapeMd(f.label)}**：${escapeMd(f.value)}`);
  if (withLinks && card.choice) lines.push(...card.choice.options.map((o, i) => `${i + 1}. ${escapeMd(o.text)}`));
  if (withLinks) for (const x of card.selects ?? []) lines.push(`${escapeMd(x.title)}：${x.options.map((o) => escapeMd(o.text)).join(' / ')}`);
  if (withLinks && card.url) lines.push(`[在客路中打开](${card.url})`);
  // DingTalk markdown needs a blank line to break lines.
  return lines.join('\n\n');
}

/** Customer text must not turn into links or headings inside our markdown. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]#>|])/g, '\\$1');
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/^[#>*\s]+/, '').slice(0, 30) || '客路';
}
