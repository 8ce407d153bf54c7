import type { PlaygroundBubble, PlaygroundDriver, PlaygroundIo, PlaygroundKit } from '../../channel/adapter.js';
import type { WecomEnv, WecomSettings } from './wecom.config.js';
import { WecomCrypto } from './wecom.crypto.js';
import { FakeWecomServer, type RecordedRequest } from './wecom.fake.js';
import { SUBMIT_KEY } from './wecom.render.js';

// The playground's WeCom: FakeWecomServer stands in for qyapi.weixin.qq.com, and a member's message
// or card click reaches /wecom/callback/<tenant> exactly as WeCom sends it (AES-encrypted XML,
// msg_signature over token, timestamp, nonce and ciphertext), so the adapter's real checks run.

/** A made-up app: no real corp has this id, and the fake accepts only this secret. */
const CREDENTIALS: WecomEnv = {
  corpId: 'wwkeluplayground',
  agentId: '1000001',
  secret: 'kelu-playground-secret',
  token: 'KeluPlayground',
  encodingAesKey: 'KeluPlaygroundKeyKeluPlaygroundKeyKeluPlayg',
};

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

type Card = Record<string, any>;

/** A template_card as the member sees it: title, fields, buttons or the first question's options. */
function cardOf(c: Card): PlaygroundBubble['card'] {
  const select = c.checkbox ?? c.select_list?.[0];
  const desc = [c.main_title?.desc, c.sub_title_text].filter(Boolean).join('\n');
  return {
    title: String(c.main_title?.title ?? ''),
    ...(desc ? { description: desc } : {}),
    fields: (c.horizontal_content_list ?? []).map((f: Card) => ({ label: String(f.keyname), value: String(f.value ?? '') })),
    buttons: (c.button_list ?? []).map((b: Card) => ({ key: String(b.key), text: String(b.text), ...(b.style === 1 ? { primary: true } : {}) })),
    ...(select ? { choice: { title: String(select.title ?? c.main_title?.title ?? ''), options: (select.option_list ?? []).map((o: Card) => ({ id: String(o.id), text: String(o.text) })) } } : {}),
  };
}

export const wecomPlayground: PlaygroundKit<WecomSettings, WecomEnv> = {
  credentials: CREDENTIALS,
  async start(env, io) {
    const fake = new FakeWecomServer({ corpId: CREDENTIALS.corpId, secrets: [CREDENTIALS.secret] });
    const { url } = await fake.start();
    return { env: { ...env, apiBase: url }, driver: async () => wecomDriver(fake, io) };
  },
};

function wecomDriver(fake: FakeWecomServer, io: PlaygroundIo): PlaygroundDriver {
  const crypto = new WecomCrypto(CREDENTIALS.token, CREDENTIALS.encodingAesKey);
  let seq = 0;
  // A click's response_code (WeCom issues one per click) -> the send it was on.
  const clicks = new Map<string, RecordedRequest>();

  const post = async (inner: string) => {
    const encrypt = crypto.encrypt(inner, CREDENTIALS.corpId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = `pg${++seq}${Math.random().toString(36).slice(2, 8)}`;
    const q = new URLSearchParams({ msg_signature: crypto.signature(timestamp, nonce, encrypt), timestamp, nonce });
    const body = `<xml><ToUserName>${cdata(CREDENTIALS.corpId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata(CREDENTIALS.agentId)}</AgentID></xml>`;
    const res = await io.post(`/wecom/callback/${encodeURIComponent(io.tenantId)}?${q}`, body, { 'content-type': 'text/xml' });
    if (res.status !== 200) throw new Error(`the WeCom callback answered ${res.status}`);
  };
  const head = (from: string) => `<ToUserName>${cdata(CREDENTIALS.corpId)}</ToUserName><FromUserName>${cdata(from)}</FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>`;

  const sends = () => fake.shown.map((r, i) => ({ r, i }));

  return {
    async say(from, text) {
      // MsgId: a 64-bit number in WeCom; unique per message here.
      const msgId = `${Date.now()}${String(++seq).padStart(4, '0')}`;
      await post(`<xml>${head(from)}<MsgType>${cdata('text')}</MsgType><Content>${cdata(text)}</Content><MsgId>${msgId}</MsgId><AgentID>${CREDENTIALS.agentId}</AgentID></xml>`);
      return { eventId: msgId };
    },
    async press(from, bubbleId, key) {
      const [index] = bubbleId.split(':');
      const send = fake.shown[Number(index)];
      const card = (send?.body as Card | undefined)?.template_card as Card | undefined;
      if (!send || !card) throw new Error('no such card');
      const code = `pgclick${++seq}${Math.random().toString(36).slice(2, 8)}`;
      clicks.set(code, send);
      const question = card.checkbox ?? card.select_list?.[0];
      const selected = question
        ? `<SelectedItems><SelectedItem><QuestionKey>${cdata(String(question.question_key))}</QuestionKey><OptionIds><OptionId>${cdata(key)}</OptionId></OptionIds></SelectedItem></SelectedItems>`
        : '';
      await post(`<xml>${head(from)}<MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event><EventKey>${cdata(question ? SUBMIT_KEY : key)}</EventKey><TaskId>${cdata(String(card.task_id))}</TaskId><CardType>${cdata(String(card.card_type))}</CardType><ResponseCode>${cdata(code)}</ResponseCode><AgentID>${CREDENTIALS.agentId}</AgentID>${selected}</xml>`);
    },
    shown() {
      const out: PlaygroundBubble[] = [];
      const bySend = new Map<RecordedRequest, PlaygroundBubble[]>();
      for (const { r, i } of sends()) {
        const b = r.body as Card;
        const to = String(b.touser ?? '').split('|').filter(Boolean);
        const at = new Date(r.at).toISOString();
        const made = to.map((user): PlaygroundBubble => {
          const base = { id: `${i}:${user}`, to: user, at };
          if (b.msgtype === 'template_card') return { ...base, card: cardOf(b.template_card as Card) };
          return { ...base, text: String(b.text?.content ?? b.markdown?.content ?? '') };
        });
        bySend.set(r, made);
        out.push(...made);
      }
      // Updates, in the order WeCom received them, onto the card they name by response_code.
      for (const u of fake.calls('/cgi-bin/message/update_template_card')) {
        const b = u.body as Card;
        const send = clicks.get(String(b.response_code)) ?? fake.shown.find((r) => r.responseCode === b.response_code);
        const users = new Set<string>((b.userids ?? []) as string[]);
        for (const bubble of (send && bySend.get(send)) ?? []) {
          if (users.size && !users.has(bubble.to)) continue;
          if (b.template_card) bubble.card = { ...cardOf(b.template_card as Card)!, buttons: [], done: String(b.template_card.replace_text ?? '已处理') };
          else if (bubble.card) bubble.card = { ...bubble.card, buttons: [], choice: undefined, done: String(b.button?.replace_name ?? '已处理') };
        }
      }
      return out;
    },
    stop: () => fake.stop(),
  };
}
