import type { Card, Reply } from '../../channel/messages.js';

// Personal WeChat has no interactive cards: every reply becomes plain text, a card its title,
// fields and a line naming its choices (a capability the adapter does not claim).

export function renderWechatyText(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return reply.text;
    case 'markdown':
      return [reply.title, stripMarkdown(reply.text)].filter(Boolean).join('\n');
    case 'card':
      return cardText(reply.card);
    case 'cardUpdate':
      return reply.card ? `${cardText({ ...reply.card, buttons: [] })}\n${reply.resultText}` : reply.resultText;
  }
}

function cardText(card: Card): string {
  const lines = [card.title];
  if (card.description) lines.push(card.description);
  for (const f of card.fields ?? []) lines.push(`${f.label}：${f.value}`);
  if (card.choice) lines.push(`${card.choice.title}：${card.choice.options.map((o) => o.text).join(' / ')}`);
  for (const x of card.selects ?? []) lines.push(`${x.title}：${x.options.map((o) => o.text).join(' / ')}`);
  if (card.buttons?.length) lines.push(`（${card.buttons.map((b) => b.text).join(' / ')}）`);
  if (card.url) lines.push(card.url);
  return lines.join('\n');
}

function stripMarkdown(s: string): string {
  return s.replace(/^#+\s*/gm, '').replace(/\*\*(.*?)\*\*/g, '$1').replace(/\[(.*?)\]\((.*?)\)/g, '$1 $2');
}
