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

/** The POSTed body: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export function parseWecomEnvelope(xml: string): WecomEnvelope {
  const root = parseWecomXml(xml);
  const encrypt = root.Encrypt;
  if (typeof encrypt !== 'string' || encrypt === '') throw new WecomXmlError('xml_malformed', 'envelope has no Encrypt element');
  const envelope: WecomEnvelope = { encrypt, toUserName: typeof root.ToUserName === 'string' ? root.ToUserName : '' };
  if (typeof root.AgentID === 'string' && root.AgentID !== '') envelope.agentId = root.AgentID;
  return envelope;
}
