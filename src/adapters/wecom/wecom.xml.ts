import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../lib/errors.js';
import type { WecomEnvelope, WecomRawMessage } from './wecom.types.js';

export type WecomXmlErrorCode = 'xml_doctype' | 'xml_malformed';

/** Messages are fixed strings: an error body never echoes the request. */
export class WecomXmlError extends AppError {
  constructor(code: WecomXmlErrorCode, message: string) {
    super(code, message, 400, { expose: false });
    this.name = 'WecomXmlError';
  }
}

// Elements WeCom repeats; forcing arrays keeps one shape whether one or many arrive.
const ALWAYS_ARRAY = new Set(['xml.SelectedItems.SelectedItem', 'xml.SelectedItems.SelectedItem.OptionIds.OptionId']);

const parser = new XMLParser({
  ignoreAttributes: true,
  // Strings only: MsgId is a 64-bit integer that a JS number would round.
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Any DOCTYPE is refused before parsing, so no user-defined entity can exist; what remains is
  // the parser's fixed table (XML's five, character references, HTML names), never CDATA.
  processEntities: true,
  htmlEntities: true,
  isArray: (_name, jPath) => ALWAYS_ARRAY.has(String(jPath)),
  maxNestedTags: 20,
});

const CDATA = /<!\[CDATA\[[\s\S]*?\]\]>/g;
const DECLARATION = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/**
 * Parses a WeCom XML document (the outer envelope or the decrypted message) into a flat object
 * of strings; nested elements (SendLocationInfo, SelectedItems) stay nested.
 */
export function parseWecomXml(xml: string): WecomRawMessage {
  if (typeof xml !== 'string' || xml.trim() === '') throw new WecomXmlError('xml_malformed', 'empty XML body');
  const flat = parseFlatXml(xml);
  if (flat) return flat;
  // CDATA may legitimately contain "<!DOCTYPE" (a user pasting HTML); only markup outside it counts.
  if (DECLARATION.test(xml.replace(CDATA, ''))) {
    throw new WecomXmlError('xml_doctype', 'XML with a DOCTYPE or entity declaration is refused');
  }
  if (XMLValidator.validate(xml) !== true) throw new WecomXmlError('xml_malformed', 'XML is not well-formed');
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new WecomXmlError('xml_malformed', 'XML is not well-formed');
  }
  const root = (doc as Record<string, unknown> | null)?.xml;
  if (root === '') return {};
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new WecomXmlError('xml_malformed', 'XML root must be a single <xml> element');
  }
  return root as WecomRawMessage;
}

const OPEN = /\s*<([A-Za-z_][A-Za-z0-9_]*)>/y;
const CDATA_BODY = /<!\[CDATA\[([\s\S]*?)\]\]>/y;
const TEXT_BODY = /([^<&]*)/y;

/**
 * Most callbacks are one level of leaf elements (text messages above all): this scanner reads
 * exactly that shape in one pass and returns null for anything else (nesting, entities,
 * declarations, attributes), which then goes through the full validating parser.
 */
function parseFlatXml(xml: string): WecomRawMessage | null {
  const head = /^\s*(?:<\?xml[^<>]*\?>)?\s*<xml>/.exec(xml);
  if (!head) return null;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = head[0].length;
  for (;;) {
    OPEN.lastIndex = pos;
    const open = OPEN.exec(xml);
    if (!open) break;
    const tag = open[1]!;
    pos = OPEN.lastIndex;
    let value: string;
    CDATA_BODY.lastIndex = pos;
    const cdata = CDATA_BODY.exec(xml);
    if (cdata) {
      value = cdata[1]!;
      pos = CDATA_BODY.lastIndex;
    } else {
      TEXT_BODY.lastIndex = pos;
      value = TEXT_BODY.exec(xml)![1]!.trim();
      pos = TEXT_BODY.lastIndex;
    }
    const close = `</${tag}>`;
    if (!xml.startsWith(close, pos) || tag in out || tag === '__proto__') return null;
    pos += close.length;
    out[tag] = value.trim();
  }
  if (!/^\s*<\/xml>\s*$/.test(xml.slice(pos))) return null;
  return { ...out };
}

// The envelope WeCom actually sends, matched whole: three known elements, CDATA or plain base64
// text, nothing else. It is on the hot path of every callback; anything that does not match this
// exact shape goes through the full validating parser below.
const FIELD = (tag: string, body: string) => `\\s*<${tag}>(?:<!\\[CDATA\\[(${body})\\]\\]>|(${body}))</${tag}>`;
const ENVELOPE = new RegExp(
  `^\\s*(?:<\\?xml[^<>]*\\?>)?\\s*<xml>${FIELD('ToUserName', '[A-Za-z0-9_@.\\-]*')}${FIELD('Encrypt', '[A-Za-z0-9+/=]+')}(?:${FIELD('AgentID', '[0-9]*')})?\\s*</xml>\\s*$`,
);

/** The POSTed body: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export function parseWecomEnvelope(xml: string): WecomEnvelope {
  const m = typeof xml === 'string' ? ENVELOPE.exec(xml) : null;
  if (m) {
    const envelope: WecomEnvelope = { toUserName: m[1] ?? m[2] ?? '', encrypt: (m[3] ?? m[4])! };
    const agentId = m[5] ?? m[6];
    if (agentId) envelope.agentId = agentId;
    return envelope;
  }
  const root = parseWecomXml(xml);
  const encrypt = root.Encrypt;
  if (typeof encrypt !== 'string' || encrypt === '') throw new WecomXmlError('xml_malformed', 'envelope has no Encrypt element');
  const envelope: WecomEnvelope = { encrypt, toUserName: typeof root.ToUserName === 'string' ? root.ToUserName : '' };
  if (typeof root.AgentID === 'string' && root.AgentID !== '') envelope.agentId = root.AgentID;
  return envelope;
}
