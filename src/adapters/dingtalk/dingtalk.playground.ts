import type { PlaygroundBubble, PlaygroundDriver, PlaygroundIo, PlaygroundKit } from '../../channel/adapter.js';
import type { DingtalkEnv, DingtalkSettings } from './dingtalk.config.js';
import { robotSign } from './dingtalk.crypto.js';
import { FakeDingtalkServer } from './dingtalk.fake.js';
import type { DingtalkRobotMessage } from './dingtalk.types.js';

// The playground's DingTalk: FakeDingtalkServer stands in for api.dingtalk.com, oapi and the Stream
// gateway. A member's message to the robot reaches /dingtalk/robot/<tenant> signed as DingTalk signs it
// (HMAC-SHA256 of timestamp and app secret); a card button comes back over the Stream connection as
// DingTalk sends card callbacks. Cards render from our template's parameter map.

const CREDENTIALS: DingtalkEnv = {
  appKey: 'kelu-playground-app',
  appSecret: 'kelu-playground-secret',
  robotCode: 'kelu-playground-robot',
  cardTemplateId: 'kelu-playground-card.schema',
};

type Json = Record<string, any>;

const parse = (s: unknown): any => {
  try {
    return typeof s === 'string' ? JSON.parse(s) : undefined;
  } catch {
    return undefined;
  }
};
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/** Our template's parameter map as the member sees it: markdown lines "**label**：value" are its fields. */
function cardOf(m: Json): PlaygroundBubble['card'] {
  const lines = String(m.markdown ?? '').split('\n\n').filter(Boolean);
  const fields: { label: string; value: string }[] = [];
  const desc: string[] = [];
  for (const l of lines) {
    const f = /^\*\*(.+?)\*\*：([\s\S]*)$/.exec(l);
    if (f) fields.push({ label: unescape(f[1]!), value: unescape(f[2]!) });
    else desc.push(unescape(l));
  }
  const question = parse(m.question) as Json | undefined;
  const options = (parse(m.options) ?? []) as Json[];
  const handled = m.handled === 'true';
  return {
    title: String(m.title ?? ''),
    ...(desc.length ? { description: desc.join('\n') } : {}),
    fields,
    buttons: handled ? [] : ((parse(m.buttons) ?? []) as Json[]).map((b) => ({ key: String(b.actionKey), text: String(b.text), ...(b.style === 'primary' ? { primary: true } : {}) })),
    ...(question && !handled ? { choice: { title: String(question.title ?? ''), options: options.map((o) => ({ id: String(o.id), text: String(o.text) })) } } : {}),
    ...(handled ? { done: String(m.resultText || '已处理') } : {}),
  };
}

export const dingtalkPlayground: PlaygroundKit<DingtalkSettings, DingtalkEnv> = {
  credentials: CREDENTIALS,
  async start(env, io) {
    const fake = new FakeDingtalkServer({ appKey: CREDENTIALS.appKey, appSecret: CREDENTIALS.appSecret, redeliverDelayMs: 2000 });
    const { url, gatewayUrl } = await fake.start();
    // Stream on: card callbacks reach an app only over its Stream connection.
    return { env: { ...env, apiBase: url, oapiBase: url, gatewayUrl, stream: true }, driver: async () => dingtalkDriver(fake, io) };
  },
};

function dingtalkDriver(fake: FakeDingtalkServer, io: PlaygroundIo): PlaygroundDriver {
  let seq = 0;
  // A session webhook (a reply in the chat a message came from) -> whose chat it is.
  const sessions = new Map<string, string>();

  return {
    async say(from, text) {
      const msgId = `msgPlayground${Date.now()}${++seq}`;
      const session = `pg-${seq}-${Math.random().toString(36).slice(2, 8)}`;
      sessions.set(session, from);
      const body: DingtalkRobotMessage = {
        msgId,
        msgtype: 'text',
        text: { content: text },
        createAt: Date.now(),
        conversationType: '1',
        conversationId: `cidPlayground${from}`,
        senderId: `$:LWCP_v1:$${from}`,
        senderNick: from,
        senderStaffId: from,
        senderCorpId: 'dingkeluplayground',
        chatbotUserId: '$:LWCP_v1:$keluBot',
        robotCode: CREDENTIALS.robotCode!,
        isInAtList: true,
        sessionWebhook: `${fake.url}/robot/sendBySession?session=${encodeURIComponent(session)}`,
        sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
      } as DingtalkRobotMessage;
      const timestamp = String(Date.now());
      const res = await io.post(`/dingtalk/robot/${encodeURIComponent(io.tenantId)}`, JSON.stringify(body), {
        'content-type': 'application/json; charset=utf-8', timestamp, sign: robotSign(timestamp, CREDENTIALS.appSecret),
      });
      if (res.status !== 200) throw new Error(`the DingTalk robot callback answered ${res.status}`);
      return { eventId: msgId };
    },
    async press(from, bubbleId, key) {
      const outTrackId = bubbleId.slice(bubbleId.indexOf(':') + 1);
      const card = this.shown().find((b) => b.id === bubbleId)?.card;
      if (!card) throw new Error('no such card');
      const params = card.choice && card.choice.options.some((o) => o.id === key) && !card.buttons.some((b) => b.key === key)
        ? { actionKey: 'submit', questionKey: String(parse(createdParams(fake, outTrackId)?.question)?.questionKey ?? ''), optionIds: [key] }
        : { actionKey: key };
      fake.pushCardCallback({ outTrackId, userId: from, content: JSON.stringify({ cardPrivateData: { actionIds: [key], params } }) });
    },
    shown() {
      const out: PlaygroundBubble[] = [];
      const cards = new Map<string, PlaygroundBubble>();
      const robotCards = new Set<string>();
      fake.requests.forEach((r, i) => {
        const b = (r.body ?? {}) as Json;
        const at = new Date(r.at).toISOString();
        if (r.path === '/v1.0/robot/oToMessages/batchSend') {
          const p = parse(b.msgParam) ?? {};
          for (const to of (b.userIds ?? []) as string[]) out.push({ id: `${i}:${to}`, to, at, text: String(p.content ?? p.text ?? '') });
        } else if (r.path === '/robot/sendBySession') {
          const to = sessions.get(String(r.query.session));
          if (to) out.push({ id: `${i}:${to}`, to, at, text: String(b.text?.content ?? b.markdown?.text ?? '') });
        } else if (r.path === '/v1.0/im/v1.0/robot/interactiveCards/send') {
          // A reply as the robot's ordinary card, shown once per cardBizId however often it was sent.
          const receiver = parse(b.singleChatReceiver);
          const key = String(b.cardBizId);
          if (!receiver?.userId || robotCards.has(key)) return;
          robotCards.add(key);
          out.push({ id: `${i}:${receiver.userId}`, to: String(receiver.userId), at, text: ((parse(b.cardData)?.contents ?? []) as Json[]).map((c) => String(c.text ?? '')).join('\n') });
        } else if (r.path === '/v1.0/card/instances/createAndDeliver') {
          const to = String(b.openSpaceId ?? '').split('IM_ROBOT.')[1];
          if (!to) return;
          const bubble: PlaygroundBubble = { id: `${i}:${b.outTrackId}`, to, at, card: cardOf(b.cardData?.cardParamMap ?? {}) };
          cards.set(String(b.outTrackId), bubble);
          out.push(bubble);
        } else if (r.path === '/v1.0/card/instances' && r.method === 'PUT') {
          const id = String(b.outTrackId);
          for (const [k, bubble] of cards) {
            if (k !== id && !k.startsWith(`${id}:`)) continue;
            bubble.card = cardOf({ ...(createdParams(fake, k) ?? {}), ...(b.cardData?.cardParamMap ?? {}) });
          }
        }
      });
      return out;
    },
    stop: () => fake.stop(),
  };
}

function createdParams(fake: FakeDingtalkServer, outTrackId: string): Json | undefined {
  return (fake.requests.find((r) => r.path === '/v1.0/card/instances/createAndDeliver' && (r.body as Json)?.outTrackId === outTrackId)?.body as Json | undefined)?.cardData?.cardParamMap;
}
