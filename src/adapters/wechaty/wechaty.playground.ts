import type { PuppetMock } from 'wechaty-puppet-mock';
import type { PlaygroundBubble, PlaygroundKit } from '../../channel/adapter.js';
import type { WechatyEnv, WechatySettings } from './wechaty.config.js';
import type { WechatySessions } from './wechaty.channel.js';
import { WechatyMessageType } from './wechaty.types.js';

// The playground's personal WeChat: the assistant account runs on wechaty-puppet-mock (Wechaty's own
// mock puppet, no network), logged in at once. A person's message is a mock message the puppet emits,
// so the adapter's session reads and stores it as it would a real one; replies are what the session
// sent through the puppet. Personal WeChat has no cards: they arrive as text, with nothing to press.

const CREDENTIALS: WechatyEnv = { puppet: 'wechaty-puppet-mock' };
const ASSISTANT = 'kelu-playground-assistant';

async function until<T>(fn: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`wechaty playground: ${what} timed out`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const wechatyPlayground: PlaygroundKit<WechatySettings, WechatyEnv> = {
  credentials: CREDENTIALS,
  async start(env, io) {
    return {
      env,
      async driver(instance) {
        const sessions = instance.connection as WechatySessions;
        const session = await until(() => { const s = sessions.link(io.tenantId); return s?.bot && s.state !== 'starting' ? s : undefined; }, 30_000, 'the assistant to start');
        const puppet = session.bot!.puppet as unknown as PuppetMock;
        puppet.mocker.login(puppet.mocker.createContact({ id: ASSISTANT, name: '客路助手' }));
        await until(() => session.state === 'logged_in', 10_000, 'the assistant to log in');
        const sent: PlaygroundBubble[] = [];
        const send = puppet.messageSendText.bind(puppet);
        // The demo company's people are the assistant's friends (the mock knows only contacts it created).
        const friends = new Set<string>();
        const befriend = (id: string) => {
          if (!friends.has(id)) puppet.mocker.createContact({ id, name: id });
          friends.add(id);
        };
        puppet.messageSendText = async (to: string, text: string) => {
          befriend(to);
          const id = await send(to, text);
          sent.push({ id: `${sent.length}:${to}`, to, at: new Date().toISOString(), text });
          return id;
        };
        let seq = 0;
        return {
          async say(from, text) {
            befriend(from);
            const id = `pgmsg${Date.now()}${++seq}`;
            puppet.mocker.MessageMock.create({ id, talkerId: from, listenerId: ASSISTANT, type: WechatyMessageType.Text, text, timestamp: Date.now() } as never);
            puppet.emit('message', { messageId: id });
            return { eventId: id };
          },
          async press() {
            throw new Error('personal WeChat has no card buttons');
          },
          shown: () => sent.map((b) => ({ ...b })),
          stop: async () => undefined,
        };
      },
    };
  },
};
