/* E-mail addresses and WeChat IDs. A WeChat ID counts only when introduced by
 * 微信/微信号/vx/wx/weixin/wechat: free-floating handles are too ambiguous. */

const EMAIL_RE = /[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g;
const WECHAT_RE = /(?:微信号?|weixin|wechat|vx|wx|v信|威信)(?:号码|号|\s?id)?(?:[/、](?:电话|手机号?|tel))?(?:联系我?|加我?|搜索?|添加)?\s*(?:是|为)?\s*:?\s*([a-z][a-z0-9_-]{5,19}|1[3-9]\d{9})(?![a-z0-9_-])/g;

export function extractEmails(norm: string): Array<{ value: string; index: number }> {
  const out: Array<{ value: string; index: number }> = [];
  EMAIL_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = EMAIL_RE.exec(norm))) {
    const v = m[0].replace(/\.+$/, '');
    if (!out.some((o) => o.value === v)) out.push({ value: v, index: m.index });
  }
  return out;
}

export function extractWechatIds(norm: string, orig: string): Array<{ value: string; index: number }> {
  const out: Array<{ value: string; index: number }> = [];
  WECHAT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WECHAT_RE.exec(norm))) {
    const at = m.index + m[0].length - m[1].length;
    // Keep the case as written: IDs are shown back to the rep.
    const v = orig.slice(at, at + m[1].length).replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    if (v.includes('@')) continue;
    if (!out.some((o) => o.value.toLowerCase() === v.toLowerCase())) out.push({ value: v, index: at });
  }
  return out;
}
