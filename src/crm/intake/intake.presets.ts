import type { Preset } from './intake.types.js';

/**
 * Presets are data: a source's field names, where its leads are, and how it signs. The admin starts
 * from one and edits it; nothing here is a code path of its own.
 *
 * 巨量引擎 (Douyin / Toutiao ads) 线索推送: a push per lead, a flat JSON object. Field names learned from
 * the platform's published clue field list (clue_id / telephone / remark_dict ... in the pull API) and
 * from what its push actually sends (id, telphone — spelled so — adv_name, ...): both spellings map.
 * The push carries `signature` and `timestamp` headers (and `access_token` when a token is set); the
 * signature is taken as base64(HMAC-SHA256(key, "<id>|<token>|<timestamp>")). Only the message template
 * is ours to guess: it is data, and a tenant can correct it from the admin page without a release.
 */
export const DOUYIN_PRESET: Preset = {
  key: 'douyin',
  label: '巨量引擎 线索推送（抖音/头条）',
  secrets: ['key', 'token'],
  notes: '在巨量引擎“线索推送 - 自定义接口”填写推送地址，并填入这里生成的密钥（key）和 token。',
  mapping: {
    records: [''],
    externalId: ['id', 'clue_id'],
    fields: {
      name: ['name'],
      phone: ['telphone', 'telephone', 'phone'],
      email: ['email'],
      wechatId: ['weixin'],
      region: ['province_name', 'location'],
      text: ['remark'],
      campaign: ['ad_name', 'promotion_name', 'adv_name'],
    },
    extras: ['remark_dict'],
    known: [
      'adv_id', 'advertiser_id', 'advertiser_name', 'ad_id', 'creative_id', 'promotion_id', 'req_id', 'site_id', 'site_name', 'module_id', 'module_name',
      'clue_type', 'clue_source', 'flow_type', 'create_time', 'create_time_detail', 'date', 'external_url', 'app_name', 'gender', 'age', 'qq',
      'city_name', 'country_name', 'address', 'form_remark', 'intention_estimation', 'convert_status', 'clue_state', 'clue_state_name',
      'clue_owner_name', 'follow_state_name', 'system_tags', 'allocation_status', 'store', 'mid_info',
    ],
    sourceChannel: '抖音',
    signature: {
      header: 'signature', algorithm: 'hmac-sha256', encoding: 'base64', message: '{field.id}|{secret.token}|{header.timestamp}', prefix: '', key: 'key',
      timestampHeader: 'timestamp', maxSkewSeconds: 900, tokenHeader: { header: 'access_token', secret: 'token' },
    },
  },
};

/** Any web form (the tenant's own site, a form builder with webhooks): signed with a hex HMAC of the raw body. */
export const WEBFORM_PRESET: Preset = {
  key: 'webform',
  label: '网页表单（JSON Webhook）',
  secrets: ['key'],
  notes: '表单服务把线索以 JSON POST 到推送地址，请求头 X-Kelu-Signature: sha256=<HMAC-SHA256(密钥, 原始请求体) 的十六进制>。',
  mapping: {
    records: ['', 'leads', 'data'],
    externalId: ['id', 'submission_id', 'entry_id'],
    fields: {
      name: ['name', '姓名', '联系人'],
      phone: ['phone', 'mobile', 'tel', '手机', '手机号', '电话', '联系电话'],
      email: ['email', '邮箱'],
      wechatId: ['wechat', '微信', '微信号'],
      company: ['company', '单位', '公司', '医院'],
      region: ['region', '地区', '省份'],
      text: ['message', 'remark', '留言', '需求', '备注'],
      campaign: ['utm_campaign', 'campaign'],
      visitorId: ['kelu_vid', 'visitorId'],
    },
    extras: ['answers', 'fields'],
    known: ['utm_source', 'utm_medium', 'utm_content', 'utm_term', 'submitted_at', 'created_at', 'form', 'form_id', 'page', 'url'],
    sourceChannel: '官网表单',
    signature: { header: 'x-kelu-signature', algorithm: 'hmac-sha256', encoding: 'hex', message: '{body}', prefix: 'sha256=', key: 'key', maxSkewSeconds: 300 },
  },
};

export const PRESETS: Record<string, Preset> = { douyin: DOUYIN_PRESET, webform: WEBFORM_PRESET };
