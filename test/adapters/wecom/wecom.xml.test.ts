import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { WecomXmlError, parseWecomEnvelope, parseWecomXml } from '../../../src/adapters/wecom/wecom.xml.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WecomXmlError);
    return (e as WecomXmlError).code;
  }
  throw new Error('expected a throw');
};

describe('parseWecomEnvelope', () => {
  it('reads the official sample envelope (from the shared vectors)', () => {
    const vectors = JSON.parse(
      readFileSync(path.resolve(process.cwd(), '../shared/benchmarks/wecom-crypto-vectors.json'), 'utf8'),
    ) as { id: string; postBody?: string; encrypt?: string }[];
    const v = vectors.find((x) => x.id === 'wecom-official-decryptmsg-xml')!;
    expect(parseWecomEnvelope(v.postBody!)).toEqual({ toUserName: 'wx5823bf96d3bd56c7', encrypt: v.encrypt, agentId: '218' });
    const py = vectors.find((x) => x.id === 'wecom-python-sample-decryptmsg-xml')!;
    expect(parseWecomEnvelope(py.postBody!)).toEqual({ toUserName: 'ww1436e0e65a779aee', encrypt: py.encrypt, agentId: '1000002' });
  });

  it('has no agentId when the element is absent (external-contact events)', () => {
    const env = parseWecomEnvelope('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>');
    expect(env).toEqual({ toUserName: 'ww1', encrypt: 'abc=' });
  });

  it('refuses an envelope without Encrypt', () => {
    expect(codeOf(() => parseWecomEnvelope('<xml><ToUserName>ww1</ToUserName></xml>'))).toBe('xml_malformed');
    expect(codeOf(() => parseWecomEnvelope('<xml><Encrypt></Encrypt></xml>'))).toBe('xml_malformed');
  });
});

describe('parseWecomXml', () => {
  it('flattens a text message, CDATA and plain values alike, all strings', () => {
    const xml = `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>
<FromUserName><![CDATA[ZhangSan]]></FromUserName>
<CreateTime>1700000000</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[客户王五 预算 <50万> & 下周见]]></Content>
<MsgId>7213123456789012345</MsgId>
<AgentID>1000002</AgentID></xml>`;
    expect(parseWecomXml(xml)).toEqual({
      ToUserName: 'ww1436e0e65a779aee',
      FromUserName: 'ZhangSan',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: '客户王五 预算 <50万> & 下周见',
      MsgId: '7213123456789012345', // beyond 2^53: must stay a string
      AgentID: '1000002',
    });
  });

  it('decodes the predefined entities outside CDATA', () => {
    expect(parseWecomXml('<xml><Content>a &amp; b &lt;c&gt; &#20320;</Content></xml>')).toEqual({ Content: 'a & b <c> 你' });
  });

  it('keeps empty elements as empty strings', () => {
    expect(parseWecomXml('<xml><EventKey><![CDATA[]]></EventKey><Other/></xml>')).toEqual({ EventKey: '', Other: '' });
  });

  it('keeps SelectedItems nested and always as arrays', () => {
    const one = parseWecomXml(
      '<xml><SelectedItems><SelectedItem><QuestionKey><![CDATA[budget]]></QuestionKey><OptionIds><OptionId><![CDATA[b2]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>',
    );
    expect(one).toEqual({ SelectedItems: { SelectedItem: [{ QuestionKey: 'budget', OptionIds: { OptionId: ['b2'] } }] } });
    const two = parseWecomXml(
      '<xml><SelectedItems><SelectedItem><QuestionKey>q1</QuestionKey><OptionIds><OptionId>a</OptionId><OptionId>b</OptionId></OptionIds></SelectedItem><SelectedItem><QuestionKey>q2</QuestionKey><OptionIds><OptionId>c</OptionId></OptionIds></SelectedItem></SelectedItems></xml>',
    );
    expect(two.SelectedItems).toEqual({
      SelectedItem: [
        { QuestionKey: 'q1', OptionIds: { OptionId: ['a', 'b'] } },
        { QuestionKey: 'q2', OptionIds: { OptionId: ['c'] } },
      ],
    });
  });

  it.each([
    ['internal entity', '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]><xml><Content>&a;</Content></xml>'],
    ['external entity (XXE)', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>'],
    ['billion laughs', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><xml><C>&lol2;</C></xml>'],
    ['bare DOCTYPE', '<!DOCTYPE html><xml><A>1</A></xml>'],
    ['lower-case doctype', '<!doctype xml><xml><A>1</A></xml>'],
  ])('refuses %s with xml_doctype', (_n, xml) => {
    expect(codeOf(() => parseWecomXml(xml))).toBe('xml_doctype');
  });

  it('accepts "<!DOCTYPE" inside CDATA (a user pasting HTML)', () => {
    expect(parseWecomXml('<xml><Content><![CDATA[<!DOCTYPE html><p>hi</p>]]></Content></xml>')).toEqual({
      Content: '<!DOCTYPE html><p>hi</p>',
    });
  });

  it.each([
    ['empty', ''],
    ['not XML', 'hello'],
    ['unclosed', '<xml><A>1</A>'],
    ['mismatched', '<xml><A>1</B></xml>'],
    ['two roots', '<xml></xml><xml></xml>'],
    ['wrong root', '<root><A>1</A></root>'],
    ['JSON', '{"Encrypt":"x"}'],
  ])('refuses %s with xml_malformed', (_n, xml) => {
    expect(codeOf(() => parseWecomXml(xml))).toBe('xml_malformed');
  });

  it('refuses a tag named __proto__ without polluting objects', () => {
    expect(codeOf(() => parseWecomXml('<xml><__proto__><polluted>yes</polluted></__proto__></xml>'))).toBe('xml_malformed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a text containing "]]>", which an XML writer splits across two CDATA sections', () => {
    // Found by bench:fuzz: a customer's message may contain "]]>"; WeCom (any XML writer) then ends the
    // section before ">" and opens another.
    expect(parseWecomXml('<xml><Content><![CDATA[a]]]]><![CDATA[>b <x>]]></Content><MsgId>1</MsgId></xml>')).toEqual({ Content: 'a]]>b <x>', MsgId: '1' });
  });

  it('leaves entity-looking text inside CDATA alone', () => {
    expect(parseWecomXml('<xml><Content><![CDATA[&amp; &#20320;]]></Content></xml>')).toEqual({ Content: '&amp; &#20320;' });
  });
});
