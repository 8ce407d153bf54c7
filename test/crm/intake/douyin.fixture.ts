import { createHmac } from 'node:crypto';

// A 巨量引擎 线索推送 as the platform sends it (one flat object per lead), anonymized.
export function douyinClue(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '7301234567890123456',
    adv_id: '1760000000000001',
    adv_name: '上海某医疗器械有限公司',
    ad_id: '1770000000000002',
    ad_name: '移动DR-春季-抖音信息流',
    creative_id: '1780000000000003',
    req_id: '202603051012340102030405060708',
    site_id: '7200000000000004',
    site_name: '移动DR咨询表单',
    clue_type: 0,
    clue_source: 1,
    flow_type: 4,
    create_time: 1772676000,
    name: '孙主任',
    telphone: '13812345678',
    weixin: '',
    location: '上海+上海',
    province_name: '上海',
    city_name: '上海',
    gender: 0,
    remark: '想了解移动DR的报价',
    remark_dict: { 医院名称: '上海市第六人民医院', 采购时间: '三个月内' },
    external_url: 'https://www.chengzijianzhan.com/tetris/page/7200000000000004/',
    app_name: '抖音',
    ...over,
  };
}

/** Signs a push the way the preset expects: base64 HMAC-SHA256(key, "<id>|<token>|<timestamp>"), with access_token. */
export function douyinHeaders(body: Record<string, unknown>, secrets: { key: string; token: string }, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secrets.key).update(`${String(body.id)}|${secrets.token}|${timestamp}`).digest('base64');
  return { 'content-type': 'application/json', signature, timestamp: String(timestamp), access_token: secrets.token };
}

export function webformHeaders(raw: string, key: string) {
  return { 'content-type': 'application/json', 'x-kelu-signature': `sha256=${createHmac('sha256', key).update(raw).digest('hex')}` };
}
