import type { BrowserContext } from 'playwright-core';
import type { FakeWecomServer } from './fake-wecom-server.js';

// The WeCom client's WeixinJSBridge, faked for a page in Chromium: @wecom/jssdk finds `wxwork/` in the
// user agent and calls window.WeixinJSBridge.invoke. agentConfig is checked against the tickets the
// fake WeCom server issued (the real client checks with WeCom), and the chat APIs answer only after it.

export interface FakeChat {
  /** What getContext says the page was opened from. */
  entry: 'single_chat_tools' | 'group_chat_tools' | 'normal';
  /** The external contact of the single chat. */
  externalUserId?: string;
}

export interface BridgeRecord {
  calls: { name: string; params: Record<string, unknown> }[];
  sent: string[];
  /** agentConfig calls whose signature did not verify. */
  refused: number;
}

export const WECOM_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.22 MicroMessenger/7.0.1 Language/zh ColorScheme/Light';

export async function installFakeWecomBridge(context: BrowserContext, wecom: FakeWecomServer, chat: FakeChat): Promise<BridgeRecord> {
  const rec: BridgeRecord = { calls: [], sent: [], refused: 0 };
  let verified = false;
  await context.exposeBinding('__fakeWecomInvoke', (_source, name: string, params: Record<string, unknown>, url: string) => {
    rec.calls.push({ name, params });
    const ok = (extra: Record<string, unknown> = {}) => ({ err_msg: `${name}:ok`, ...extra });
    switch (name) {
      case 'agentConfig': {
        verified = wecom.jsSdkSignatureValid('agent', { nonceStr: String(params.nonceStr), timestamp: String(params.timestamp), signature: String(params.signature), url });
        if (!verified) rec.refused++;
        return verified ? ok() : { err_msg: 'agentConfig:fail invalid signature' };
      }
      case 'preVerifyJSAPI':
        return wecom.jsSdkSignatureValid('corp', { nonceStr: String(params.verifyNonceStr), timestamp: String(params.verifyTimestamp), signature: String(params.verifySignature), url })
          ? ok() : { err_msg: 'config:fail invalid signature' };
      case 'getContext':
        return verified ? ok({ entry: chat.entry }) : { err_msg: 'getContext:fail no permission' };
      case 'getCurExternalContact':
        if (!verified) return { err_msg: 'getCurExternalContact:fail no permission' };
        return chat.entry === 'single_chat_tools' && chat.externalUserId ? ok({ userId: chat.externalUserId }) : { err_msg: 'getCurExternalContact:fail without context of external contact' };
      case 'sendChatMessage': {
        if (!verified) return { err_msg: 'sendChatMessage:fail no permission' };
        const text = (params.text as { content?: string } | undefined)?.content ?? '';
        rec.sent.push(text);
        return ok();
      }
      default:
        return { err_msg: `${name}:fail function not exist` };
    }
  });
  await context.addInitScript(`window.WeixinJSBridge = {
    invoke: function (name, params, cb) { window.__fakeWecomInvoke(name, params, location.href).then(cb); },
    on: function () {},
  };`);
  return rec;
}
