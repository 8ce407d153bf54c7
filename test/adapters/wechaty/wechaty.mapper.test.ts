import { describe, expect, it } from '@jest/globals';
import { chatHistoryText, mapWechatyFriendship, mapWechatyMessage } from '../../../src/adapters/wechaty/wechaty.mapper.js';
import { renderWechatyText } from '../../../src/adapters/wechaty/wechaty.render.js';

const at = new Date('2026-03-09T01:30:00Z');
const msg = (o: Partial<Parameters<typeof mapWechatyMessage>[0]>) => ({ id: 'm1', type: 7, text: '', talkerId: 'wx-rep', date: at, ...o });

const RECORD = `<msg><appmsg appid="" sdkver="0"><title>群聊的聊天记录</title><des>孙主任: 想看移动DR&#x0A;孙主任: 电话13800001111</des><type>19</type>
<recorditem><![CDATA[<recordinfo><datalist count="2"><dataitem datatype="1"><datadesc>孙主任: 下周四上午10点看移动DR的演示</datadesc></dataitem><dataitem datatype="1"><datadesc>孙主任: 电话 13800001111 &amp; 邮箱 sun@example.cn</datadesc></dataitem></datalist></recordinfo>]]></recorditem></appmsg></msg>`;

describe('wechaty mapper', () => {
  it.each([
    ['a text in a private chat', msg({ text: ' 孙主任 13800001111 ' }), { kind: 'text', text: '孙主任 13800001111', conversation: { id: 'wx-rep', type: 'single' } }],
    ['a text in a group that mentions the assistant', msg({ text: '@客路助手\u2005孙主任 13800001111', roomId: 'room-1', roomTopic: '销售群', mentionsSelf: true }), { kind: 'text', text: '孙主任 13800001111', conversation: { id: 'room-1', type: 'group', title: '销售群' } }],
    ['merged chat records (XML)', msg({ type: 4, text: RECORD }), { kind: 'text', forwarded: true, text: '群聊的聊天记录\n孙主任: 下周四上午10点看移动DR的演示\n孙主任: 电话 13800001111 & 邮箱 sun@example.cn' }],
    ['merged chat records (plain text from the puppet)', msg({ type: 4, text: '孙主任: 想看移动DR' }), { kind: 'text', forwarded: true, text: '孙主任: 想看移动DR' }],
    ['a shared contact card', msg({ type: 3, cardContactId: 'wxid_customer' }), { kind: 'contactChange', change: 'add', externalUserId: 'wxid_customer', changeType: 'contact_card' }],
    ['a link', msg({ type: 14, text: '产品介绍' }), { kind: 'media', mediaType: 'link' }],
    ['an image', msg({ type: 6 }), { kind: 'unknown', type: 'message:6' }],
  ])('%s', (_name, input, expected) => {
    const e = mapWechatyMessage(input, 't1');
    expect(e).toMatchObject({ platform: 'wechaty', tenantId: 't1', eventId: 'm1', at: at.toISOString(), sender: { userId: 'wx-rep' }, ...expected });
  });

  it('marks every sender as possibly a customer (unbound ones are not answered)', () => {
    expect(mapWechatyMessage(msg({ text: '你好' }), 't1')?.sender).toEqual({ userId: 'wx-rep', mayBeOutsider: true });
  });

  it('maps nothing for an empty text, a card without its contact, or group talk not addressed to the assistant', () => {
    expect(mapWechatyMessage(msg({ text: '  ' }), 't1')).toBeNull();
    expect(mapWechatyMessage(msg({ text: '大家好 13800001111', roomId: 'room-1' }), 't1')).toBeNull();
    expect(mapWechatyMessage(msg({ type: 3 }), 't1')).toBeNull();
  });

  it('takes the description when a record has no items', () => {
    expect(chatHistoryText('<msg><appmsg><title>聊天记录</title><des>甲: 你好&#x0A;乙: 在</des></appmsg></msg>')).toBe('聊天记录\n甲: 你好\n乙: 在');
  });

  it('a confirmed friendship is a contact capture from the assistant; a request is not', () => {
    const f = { id: 'f1', contactId: 'wxid_new', selfId: 'wx-self', date: at };
    expect(mapWechatyFriendship({ ...f, type: 1 }, 't1')).toMatchObject({
      kind: 'contactChange', change: 'add', eventId: 'friendship:f1', externalUserId: 'wxid_new', sender: { userId: 'wx-self' }, changeType: 'friendship',
    });
    expect(mapWechatyFriendship({ ...f, type: 2 }, 't1')).toBeNull();
  });

  it('renders cards as text: title, fields, choices', () => {
    expect(renderWechatyText({ kind: 'card', card: { cardId: 'c', title: '已建客户：孙主任', fields: [{ label: '电话', value: '138****1111' }], buttons: [{ key: 'ok', text: '确认' }, { key: 'no', text: '不是客户' }] } }))
      .toBe('已建客户：孙主任\n电话：138****1111\n（确认 / 不是客户）');
    expect(renderWechatyText({ kind: 'markdown', title: '提醒', text: '**明天** 10:00' })).toBe('提醒\n明天 10:00');
  });
});
