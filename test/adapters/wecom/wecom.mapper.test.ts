import { describe, expect, it } from '@jest/globals';
import { mapWecomMessage } from '../../../src/adapters/wecom/wecom.mapper.js';
import { parseWecomXml } from '../../../src/adapters/wecom/wecom.xml.js';

// Payloads follow WeCom's "接收消息与事件" samples (self-built app), anonymized: corp ww5f3e...,
// members LiLei / HanMeimei, customer wmXy... ids.
const CORP = 'ww5f3e9a1c2b7d4e60';
const head = (from: string, type: string, time = '1718000000') =>
  `<ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${time}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>`;
const msg = (type: string, body: string, msgId = '7380012345678901234') =>
  `<xml>${head('LiLei', type)}${body}<MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
const evt = (from: string, event: string, body: string, time?: string) =>
  `<xml>${head(from, 'event', time)}<Event><![CDATA[${event}]]></Event>${body}</xml>`;

const map = (xml: string) => mapWecomMessage(parseWecomXml(xml), 't_acme');
const AT = '2024-06-10T06:13:20.000Z';
const DM = { conversation: { id: 'LiLei', type: 'single' } };
const common = { platform: 'wecom', tenantId: 't_acme', at: AT };

const cases: [string, string, Record<string, unknown>][] = [
  ['text', msg('text', '<Content><![CDATA[王总 13812345678 想要 50 台，下周三回电]]></Content>'),
    { ...common, ...DM, kind: 'text', eventId: '7380012345678901234', sender: { userId: 'LiLei' }, text: '王总 13812345678 想要 50 台，下周三回电' }],
  ['image', msg('image', '<PicUrl><![CDATA[https://wework.qpic.cn/wwpic/abc/0]]></PicUrl><MediaId><![CDATA[1Xq-media-img]]></MediaId>'),
    { ...common, ...DM, kind: 'media', mediaType: 'image', eventId: '7380012345678901234', mediaId: '1Xq-media-img', url: 'https://wework.qpic.cn/wwpic/abc/0' }],
  ['voice', msg('voice', '<MediaId><![CDATA[1Xq-media-voice]]></MediaId><Format><![CDATA[amr]]></Format>'),
    { ...common, ...DM, kind: 'media', mediaType: 'voice', mediaId: '1Xq-media-voice' }],
  ['video', msg('video', '<MediaId><![CDATA[1Xq-media-video]]></MediaId><ThumbMediaId><![CDATA[thumb1]]></ThumbMediaId>'),
    { ...common, ...DM, kind: 'media', mediaType: 'video', mediaId: '1Xq-media-video' }],
  ['file', msg('file', '<MediaId><![CDATA[1Xq-media-file]]></MediaId><FileName><![CDATA[报价单.xlsx]]></FileName>'),
    { ...common, ...DM, kind: 'media', mediaType: 'file', mediaId: '1Xq-media-file', title: '报价单.xlsx' }],
  ['link', msg('link', '<Title><![CDATA[产品手册]]></Title><Description><![CDATA[2024 版]]></Description><Url><![CDATA[https://example.com/manual]]></Url><PicUrl><![CDATA[https://example.com/p.png]]></PicUrl>'),
    { ...common, ...DM, kind: 'media', mediaType: 'link', url: 'https://example.com/manual', title: '产品手册', description: '2024 版', text: '产品手册' }],
  ['location', msg('location', '<Location_X>31.2304</Location_X><Location_Y>121.4737</Location_Y><Scale>15</Scale><Label><![CDATA[上海市黄浦区人民广场]]></Label>'),
    { ...common, ...DM, kind: 'media', mediaType: 'location', location: { lat: 31.2304, lng: 121.4737, label: '上海市黄浦区人民广场' }, text: '上海市黄浦区人民广场' }],
  ['enter_agent', evt('LiLei', 'enter_agent', '<EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID>'),
    { ...common, ...DM, kind: 'enter', eventId: 'LiLei:1718000000:enter_agent', sender: { userId: 'LiLei' } }],
  ['template_card_event button', evt('LiLei', 'template_card_event',
    '<EventKey><![CDATA[claim]]></EventKey><TaskId><![CDATA[lead_8f2k1]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[rc_abc123]]></ResponseCode><AgentID>1000002</AgentID>'),
    { ...common, ...DM, kind: 'cardAction', eventId: 'LiLei:1718000000:template_card_event:lead_8f2k1:claim:', cardId: 'lead_8f2k1', actionKey: 'claim', responseCode: 'rc_abc123' }],
  ['template_card_event vote', evt('LiLei', 'template_card_event',
    '<EventKey><![CDATA[submit]]></EventKey><TaskId><![CDATA[q_budget_1]]></TaskId><CardType><![CDATA[vote_interaction]]></CardType><ResponseCode><![CDATA[rc_2]]></ResponseCode><AgentID>1000002</AgentID>' +
    '<SelectedItems><SelectedItem><QuestionKey><![CDATA[budget]]></QuestionKey><OptionIds><OptionId><![CDATA[b_50_100]]></OptionId><OptionId><![CDATA[b_100_plus]]></OptionId></OptionIds></SelectedItem></SelectedItems>'),
    { ...common, ...DM, kind: 'cardAction', cardId: 'q_budget_1', actionKey: 'submit', responseCode: 'rc_2', selected: [{ questionKey: 'budget', optionIds: ['b_50_100', 'b_100_plus'] }] }],
  ['add_external_contact', evt('sys', 'change_external_contact',
    '<ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[LiLei]]></UserID><ExternalUserID><![CDATA[wmXyAAAA1]]></ExternalUserID><State><![CDATA[expo2024]]></State><WelcomeCode><![CDATA[WELCOME1]]></WelcomeCode>'),
    { ...common, kind: 'contactChange', eventId: 'sys:1718000000:change_external_contact:add_external_contact:LiLei:wmXyAAAA1', sender: { userId: 'LiLei' }, change: 'add', changeType: 'add_external_contact', externalUserId: 'wmXyAAAA1', state: 'expo2024', welcomeCode: 'WELCOME1' }],
  ['edit_external_contact', evt('sys', 'change_external_contact',
    '<ChangeType><![CDATA[edit_external_contact]]></ChangeType><UserID><![CDATA[LiLei]]></UserID><ExternalUserID><![CDATA[wmXyAAAA1]]></ExternalUserID>'),
    { ...common, kind: 'contactChange', change: 'edit', changeType: 'edit_external_contact', externalUserId: 'wmXyAAAA1' }],
  ['add_half_external_contact', evt('sys', 'change_external_contact',
    '<ChangeType><![CDATA[add_half_external_contact]]></ChangeType><UserID><![CDATA[LiLei]]></UserID><ExternalUserID><![CDATA[wmXyAAAA2]]></ExternalUserID><State><![CDATA[qr7]]></State><WelcomeCode><![CDATA[W2]]></WelcomeCode>'),
    { ...common, kind: 'contactChange', change: 'addHalf', externalUserId: 'wmXyAAAA2', state: 'qr7', welcomeCode: 'W2' }],
  ['del_external_contact', evt('sys', 'change_external_contact',
    '<ChangeType><![CDATA[del_external_contact]]></ChangeType><UserID><![CDATA[LiLei]]></UserID><ExternalUserID><![CDATA[wmXyAAAA1]]></ExternalUserID><Source><![CDATA[DELETE_BY_TRANSFER]]></Source>'),
    { ...common, kind: 'contactChange', change: 'delete', externalUserId: 'wmXyAAAA1' }],
  ['del_follow_user', evt('sys', 'change_external_contact',
    '<ChangeType><![CDATA[del_follow_user]]></ChangeType><UserID><![CDATA[LiLei]]></UserID><ExternalUserID><![CDATA[wmXyAAAA1]]></ExternalUserID>'),
    { ...common, kind: 'contactChange', change: 'deleteFollowUser', sender: { userId: 'LiLei' } }],
  ['transfer_fail', evt('sys', 'change_external_contact',
    '<FailReason><![CDATA[customer_refused]]></FailReason><ChangeType><![CDATA[transfer_fail]]></ChangeType><UserID><![CDATA[HanMeimei]]></UserID><ExternalUserID><![CDATA[wmXyAAAA1]]></ExternalUserID>'),
    { ...common, kind: 'contactChange', change: 'transferFail', sender: { userId: 'HanMeimei' }, externalUserId: 'wmXyAAAA1' }],
  ['create_user', evt('sys', 'change_contact',
    '<ChangeType><![CDATA[create_user]]></ChangeType><UserID><![CDATA[WangFang]]></UserID><Name><![CDATA[王芳]]></Name><Department><![CDATA[1,2]]></Department>'),
    { ...common, kind: 'memberChange', eventId: 'sys:1718000000:change_contact:create_user:WangFang:', change: 'create', changeType: 'create_user', userId: 'WangFang', sender: { userId: 'sys' } }],
  ['update_user', evt('sys', 'change_contact',
    '<ChangeType><![CDATA[update_user]]></ChangeType><UserID><![CDATA[WangFang]]></UserID><NewUserID><![CDATA[WangFang2]]></NewUserID>'),
    { ...common, kind: 'memberChange', eventId: 'sys:1718000000:change_contact:update_user:WangFang:WangFang2', change: 'update', userId: 'WangFang' }],
  ['delete_user', evt('sys', 'change_contact', '<ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[WangFang]]></UserID>'),
    { ...common, kind: 'memberChange', change: 'delete', userId: 'WangFang' }],
  ['create_party (unknown)', evt('sys', 'change_contact', '<ChangeType><![CDATA[create_party]]></ChangeType><Id>3</Id><Name><![CDATA[华东区]]></Name>'),
    { ...common, kind: 'unknown', type: 'change_contact:create_party' }],
  ['menu click (unknown event)', evt('LiLei', 'click', '<EventKey><![CDATA[menu_1]]></EventKey><AgentID>1000002</AgentID>'),
    { ...common, kind: 'unknown', type: 'event:click', sender: { userId: 'LiLei' } }],
  ['unknown message type', msg('miniprogram', '<Title><![CDATA[x]]></Title>'),
    { ...common, ...DM, kind: 'unknown', type: 'miniprogram', eventId: '7380012345678901234' }],
];

describe('mapWecomMessage', () => {
  it.each(cases)('%s', (_name, xml, expected) => {
    const ev = map(xml);
    expect(ev).toMatchObject(expected);
    expect(ev.raw).toEqual(parseWecomXml(xml));
    expect(ev.eventId).toBeTruthy();
  });

  it('system events carry no conversation', () => {
    expect(map(cases.find((c) => c[0] === 'add_external_contact')![1]).conversation).toBeUndefined();
  });

  it('a retry of the same event maps to the same eventId', () => {
    for (const [, xml] of cases) expect(map(xml).eventId).toBe(map(xml).eventId);
  });

  it('distinct events in the same second never share an eventId', () => {
    const ids = cases.map(([, xml]) => map(xml).eventId);
    // The seven media/text/unknown messages share one MsgId on purpose (same fixture); the rest must differ.
    const events = ids.filter((id) => id !== '7380012345678901234');
    expect(new Set(events).size).toBe(events.length);

    const add = (user: string, ext: string) =>
      map(evt('sys', 'change_external_contact', `<ChangeType>add_external_contact</ChangeType><UserID>${user}</UserID><ExternalUserID>${ext}</ExternalUserID>`)).eventId;
    expect(new Set([add('LiLei', 'wm1'), add('HanMeimei', 'wm1'), add('LiLei', 'wm2')]).size).toBe(3);

    const click = (task: string, key: string) =>
      map(evt('LiLei', 'template_card_event', `<EventKey>${key}</EventKey><TaskId>${task}</TaskId>`)).eventId;
    expect(new Set([click('t1', 'claim'), click('t1', 'skip'), click('t2', 'claim')]).size).toBe(3);

    const vote = (opt: string) =>
      map(evt('LiLei', 'template_card_event', `<EventKey>submit</EventKey><TaskId>q1</TaskId><SelectedItems><SelectedItem><QuestionKey>k</QuestionKey><OptionIds><OptionId>${opt}</OptionId></OptionIds></SelectedItem></SelectedItems>`)).eventId;
    expect(vote('a')).not.toBe(vote('b'));

    const unknown = (key: string) => map(evt('LiLei', 'click', `<EventKey>${key}</EventKey>`)).eventId;
    expect(unknown('m1')).not.toBe(unknown('m2'));
  });

  it('accepts JSON-callback values (numbers) as well as strings', () => {
    const ev = mapWecomMessage({ ToUserName: CORP, FromUserName: 'LiLei', CreateTime: 1718000000, MsgType: 'text', Content: 'hello', MsgId: '42', AgentID: 1000002 }, 't1');
    expect(ev).toMatchObject({ kind: 'text', text: 'hello', eventId: '42', at: AT });
  });

  it('a template_card_event with a single SelectedItem object (not array) still maps', () => {
    const ev = mapWecomMessage(
      { FromUserName: 'LiLei', CreateTime: '1718000000', MsgType: 'event', Event: 'template_card_event', TaskId: 't', EventKey: 'submit', SelectedItems: { SelectedItem: { QuestionKey: 'q', OptionIds: { OptionId: 'o1' } } } },
      't1',
    );
    expect(ev).toMatchObject({ kind: 'cardAction', selected: [{ questionKey: 'q', optionIds: ['o1'] }] });
  });

  it('refuses a payload without sender or time', () => {
    expect(() => mapWecomMessage({ MsgType: 'text', Content: 'x' }, 't1')).toThrow(/FromUserName or CreateTime/);
    expect(() => mapWecomMessage({ FromUserName: 'a', CreateTime: 'yesterday', MsgType: 'text' }, 't1')).toThrow();
  });
});
