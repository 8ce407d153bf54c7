/*
 * Every mapping here is one UTF-16 unit to one UTF-16 unit, so an index into the
 * normalized text is also an index into the original. Extractors match on the
 * normalized text and slice `text` fields from the original.
 */

// Traditional → Simplified for the characters that matter to dates, money, titles,
// organizations and trade words. Not a full converter: a pair is listed only when
// both sides are single BMP characters.
const T2S_PAIRS = [
  '週周 禮礼 後后 個个 號号 點点 鐘钟 時时 晝昼 慶庆 節节 兩两 聽听 尋寻 這这 國国 醫医 電电 話话 經经 師师 長长 書书 價价',
  '錢钱 預预 購购 標标 約约 單单 樣样 試试 報报 萬万 塊块 幾几 來来 們们 會会 開开 發发 貨货 見见 說说 聯联 繫系 學学 廠厂',
  '機机 儀仪 療疗 設设 備备 碼码 郵邮 紅红 階阶 構构 區区 縣县 鎮镇 廳厅 處处 協协 診诊 衛卫 幫帮 務务 廣广 東东 華华 門门',
  '雲云 灣湾 臺台 島岛 車车 馬马 張张 陳陈 劉刘 黃黄 楊杨 趙赵 吳吴 孫孙 鄭郑 謝谢 許许 葉叶 蕭萧 羅罗 鍾钟 歐欧 陽阳 龍龙',
  '韓韩 馮冯 鄧邓 蘇苏 盧卢 蔣蒋 魯鲁 湯汤 顧顾 總总 監监 護护 隊队 員员 與与 問问 題题 過过 還还 讓让 給给 對对 應应 現现',
  '兒儿 舊旧 間间 邊边 種种 氣气 測测 檢检 輪轮 動动 體体 溫温 壓压 製制 課课 層层 講讲 議议 買买 賣卖 貴贵 於于 並并 連连',
  '歲岁 錶表 準准 夠够 緊紧 趕赶 盡尽 剛刚 讀读 寫写 將将 臨临 淩凌 內内',
].join(' ');

const T2S = new Map<number, number>();
for (const pair of T2S_PAIRS.split(' ')) T2S.set(pair.charCodeAt(0), pair.charCodeAt(1));

const SPACE_LIKE = new Set([0x3000, 0x00a0, 0x2002, 0x2003, 0x2009, 0x200b, 0xfeff]);

/** Full-width ASCII → half-width, Traditional → Simplified (subset), ASCII lower-case,
 * control characters and odd spaces → plain space. Same length as the input. */
export function normalize(text: string): string {
  let out = '';
  let changed = false;
  const codes: number[] = new Array(text.length);
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    const orig = c;
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (SPACE_LIKE.has(c) || c < 0x20 || c === 0x7f) c = 0x20;
    else if (c === 0x3002 || c === 0xff61) c = 0x3002; // keep ideographic full stop
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c >= 0x4e00) {
      const s = T2S.get(c);
      if (s !== undefined) c = s;
    }
    if (c !== orig) changed = true;
    codes[i] = c;
  }
  if (!changed) return text;
  // Chunked to stay clear of argument-count limits on very long messages.
  for (let i = 0; i < codes.length; i += 8192) {
    out += String.fromCharCode(...codes.slice(i, i + 8192));
  }
  return out;
}

/** Normalization for catalog keys: same mapping plus removal of spaces, so
 * "移动 DR" and "移动DR" meet. */
export function normalizeKey(text: string): string {
  return normalize(text).replace(/\s+/g, '');
}
