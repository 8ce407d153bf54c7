import { describe, expect, it } from '@jest/globals';
import {
  DingtalkPayloadError,
  mapDingtalkCardCallback,
  mapDingtalkEvent,
  mapDingtalkRobotMessage,
  stripMentions,
} from '../../../src/adapters/dingtalk/dingtalk.mapper.js';
import type { DingtalkRobotMessage } from '../../../src/adapters/dingtalk/dingtalk.types.js';

// Anonymized from the shapes DingTalk delivers over Stream TOPIC_ROBOT and the robot HTTP callback.
const base: DingtalkRobotMessage = {
  conversationId: 'cidAbCdEfGh1234567890==',
  chatbotCorpId: 'ding0a1b2c3d4e5f6789',
  chatbotUserId: '$:LWCP_v1:$botBotBotBot==',
  msgId: 'msgTe5tAbc123DEF456ghi789==',
  senderNick: '王小明',
  isAdmin: false,
  senderStaffId: '0123456789012345',
  sessionWebhookExpiredTime: 1_718_006_400_000,
  createAt: 1_718_001_000_000,
  senderCorpId: 'ding0a1b2c3d4e5f6789',
  conversationType: '2',
  conversationTitle: '华东销售群',
  senderId: '$:LWCP_v1:$sEnDeRsEnDeR==',
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc123',
  robotCode: 'dingrobotcode0001',
  msgtype: 'text',
  isInAtList: true,
  atUsers: [{ dingtalkId: '$:LWCP_v1:$botBotBotBot==' }],
  text: { content: '@Kelu 李总 13812345678 想要 50 台' },
};

describe('stripMentions', () => {
  it.each([
    ['@Kelu 李总 138', '李总 138'],
    [' 李总 138', '李总 138'],
    ['@Kelu\u2005李总\u2005下周二来访', '李总 下周二来访'],
    ['客户 @王五 跟进一下 @Kelu', '客户 跟进一下'],
    ['邮箱 li@example.com 请回复', '邮箱 li@example.com 请回复'],
    ['@Kelu', ''],
    ['第一行\n@Kelu 第二行', '第一行\n第二行'],
  ])('%j -> %j', (input, expected) => {
    expect(stripMentions(input)).toBe(expected);
  });
});

describe('mapDingtalkRobotMessage', () => {
  it('maps a group text message with the robot mentioned', () => {
    const e = mapDingtalkRobotMessage(base, 't1');
    expect(e).toEqual({
      kind: 'text',
      platform: 'dingtalk',
      tenantId: 't1',
      eventId: 'msgTe5tAbc123DEF456ghi789==',
      at: '2024-06-10T06:30:00.000Z',
      sender: { userId: '0123456789012345', name: '王小明' },
      conversation: {
        id: 'cidAbCdEfGh1234567890==',
        type: 'group',
        title: '华东销售群',
        replyUrl: 'https://oapi.dingtalk.com/robot/sendBySession?session=abc123',
        replyUrlExpiresAt: '2024-06-10T08:00:00.000Z',
      },
      text: '李总 13812345678 想要 50 台',
      raw: base,
    });
  });

  const cases: [string, DingtalkRobotMessage, Record<string, unknown>][] = [
    [
      'single chat, unionId, other people mentioned',
      {
        ...base,
        conversationType: '1',
        conversationTitle: undefined,
        senderUnionId: 'unionXyZ123',
        atUsers: [{ dingtalkId: '$:LWCP_v1:$botBotBotBot==' }, { dingtalkId: '$:LWCP_v1:$zhao==', staffId: '2222' }],
        text: { content: '@赵六 请跟进' },
      },
      { kind: 'text', text: '请跟进', mentions: ['2222'], sender: { userId: '0123456789012345', unionId: 'unionXyZ123', name: '王小明' } },
    ],
    [
      'sender outside the org falls back to senderId',
      { ...base, senderStaffId: undefined },
      { kind: 'text', sender: { userId: '$:LWCP_v1:$sEnDeRsEnDeR==', name: '王小明' } },
    ],
    [
      'richText keeps the words and the first picture',
      {
        ...base,
        msgtype: 'richText',
        text: undefined,
        content: { richText: [{ text: '@Kelu 名片如下 ' }, { type: 'picture', downloadCode: 'dlPic001', pictureDownloadCode: 'pdl001' }, { text: '张总' }] },
      },
      { kind: 'media', mediaType: 'richText', text: '名片如下 张总', mediaId: 'dlPic001' },
    ],
    [
      'picture',
      { ...base, msgtype: 'picture', text: undefined, content: { downloadCode: 'dlPic002', pictureDownloadCode: 'pdl002' } },
      { kind: 'media', mediaType: 'image', mediaId: 'dlPic002' },
    ],
    [
      'file',
      { ...base, msgtype: 'file', text: undefined, content: { downloadCode: 'dlFile', fileName: '报价单.xlsx', fileId: 'f1', spaceId: 's1' } },
      { kind: 'media', mediaType: 'file', mediaId: 'dlFile', title: '报价单.xlsx' },
    ],
    [
      'audio carries the recognition text',
      { ...base, msgtype: 'audio', text: undefined, content: { downloadCode: 'dlAudio', duration: 4000, recognition: '明天上午拜访李总' } },
      { kind: 'media', mediaType: 'voice', mediaId: 'dlAudio', text: '明天上午拜访李总' },
    ],
    [
      'video',
      { ...base, msgtype: 'video', text: undefined, content: { downloadCode: 'dlVideo', duration: '12', videoType: 'mp4' } },
      { kind: 'media', mediaType: 'video', mediaId: 'dlVideo' },
    ],
    ['unknown msgtype', { ...base, msgtype: 'interactiveCard', text: undefined }, { kind: 'unknown', type: 'msgtype:interactiveCard' }],
    [
      'no sessionWebhook: no replyUrl',
      { ...base, sessionWebhook: undefined },
      { conversation: { id: 'cidAbCdEfGh1234567890==', type: 'group', title: '华东销售群' } },
    ],
  ];
  it.each(cases)('%s', (_name, raw, expected) => {
    const e = mapDingtalkRobotMessage(raw, 't1');
    expect(e).toMatchObject({ platform: 'dingtalk', tenantId: 't1', eventId: raw.msgId, ...expected });
    if (!('mentions' in expected)) expect(e).not.toHaveProperty('mentions');
    // toMatchObject ignores extra keys; conversations must match exactly (no stale replyUrl).
    if (expected.conversation) expect(e.conversation).toEqual(expected.conversation);
  });

  it.each([
    ['null', null],
    ['no msgId', { ...base, msgId: '' }],
    ['bad createAt', { ...base, createAt: Number.NaN }],
  ])('rejects %s', (_n, raw) => {
    expect(() => mapDingtalkRobotMessage(raw as DingtalkRobotMessage, 't1')).toThrow(DingtalkPayloadError);
  });
});

describe('mapDingtalkCardCallback', () => {
  const when = new Date('2024-06-10T07:00:00.000Z');
  const cb = (params: Record<string, unknown>, actionIds = ['btn_claim']) => ({
    extension: '{}',
    corpId: 'ding0a1b2c3d4e5f6789',
    spaceType: 'IM_GROUP',
    spaceId: 'cidAbCdEfGh1234567890==',
    userIdType: 1,
    type: 'actionCallback',
    userId: '0123456789012345',
    content: JSON.stringify({ cardPrivateData: { actionIds, params } }),
    outTrackId: 'task_01HZX3',
    value: JSON.stringify({ cardPrivateData: { actionIds, params } }),
  });

  it.each([
    ['actionKey param wins', cb({ actionKey: 'claim' }), { actionKey: 'claim' }],
    ['falls back to action param', cb({ action: 'done' }), { actionKey: 'done' }],
    ['falls back to the action id', cb({}), { actionKey: 'btn_claim' }],
    [
      'choice selection',
      cb({ actionKey: 'submit', questionKey: 'budget', optionIds: ['b2', 3] }),
      { actionKey: 'submit', selected: [{ questionKey: 'budget', optionIds: ['b2', '3'] }] },
    ],
    [
      'several selectors submitted together',
      cb({ actionKey: 'submit', selected: [{ questionKey: 'way', optionIds: ['tender'] }, { questionKey: 'dm', optionIds: ['dean'] }, { bad: 1 }] }),
      { actionKey: 'submit', selected: [{ questionKey: 'way', optionIds: ['tender'] }, { questionKey: 'dm', optionIds: ['dean'] }] },
    ],
    ['only value present', { ...cb({ actionKey: 'claim' }), content: undefined }, { actionKey: 'claim' }],
  ])('%s', (_n, raw, expected) => {
    const e = mapDingtalkCardCallback(raw, 't1', when);
    expect(e).toMatchObject({
      kind: 'cardAction',
      platform: 'dingtalk',
      tenantId: 't1',
      cardId: 'task_01HZX3',
      at: '2024-06-10T07:00:00.000Z',
      sender: { userId: '0123456789012345' },
      conversation: { id: 'cidAbCdEfGh1234567890==', type: 'group' },
      ...expected,
    });
    expect(e.eventId).toBe(`card:task_01HZX3:0123456789012345:${expected.actionKey}`);
  });

  it('rejects callbacks without a card, a user or an action', () => {
    expect(() => mapDingtalkCardCallback({ ...cb({}), outTrackId: '' }, 't1', when)).toThrow(DingtalkPayloadError);
    expect(() => mapDingtalkCardCallback({ ...cb({}), userId: '' }, 't1', when)).toThrow(DingtalkPayloadError);
    expect(() => mapDingtalkCardCallback(cb({}, []), 't1', when)).toThrow(DingtalkPayloadError);
    expect(() => mapDingtalkCardCallback({ ...cb({}), content: 'not json', value: undefined }, 't1', when)).toThrow(DingtalkPayloadError);
  });
});

describe('mapDingtalkEvent', () => {
  it.each([
    ['user_add_org', 'create'],
    ['user_active_org', 'create'],
    ['user_modify_org', 'update'],
    ['user_leave_org', 'delete'],
  ] as const)('%s -> memberChange %s, one per user', (type, change) => {
    const payload = { EventType: type, TimeStamp: '1718001000000', CorpId: 'ding0a1b2c3d4e5f6789', UserId: ['u001', 'u002'] };
    const events = mapDingtalkEvent(payload, 't1');
    expect(events).toEqual(
      ['u001', 'u002'].map((userId) => ({
        kind: 'memberChange',
        platform: 'dingtalk',
        tenantId: 't1',
        eventId: `${type}:1718001000000:${userId}`,
        at: '2024-06-10T06:30:00.000Z',
        sender: { userId },
        change,
        userId,
        changeType: type,
        raw: payload,
      })),
    );
  });

  it('maps unknown event types to unknown', () => {
    const [e] = mapDingtalkEvent({ EventType: 'org_dept_create', TimeStamp: 1718001000000, DeptId: [42] }, 't1');
    expect(e).toMatchObject({ kind: 'unknown', type: 'org_dept_create', eventId: 'org_dept_create:1718001000000' });
  });

  it('rejects a payload without EventType', () => {
    expect(() => mapDingtalkEvent({} as never, 't1')).toThrow(DingtalkPayloadError);
  });
});
