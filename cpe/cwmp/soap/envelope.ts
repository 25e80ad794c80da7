/**
 * SOAP envelope codec for CWMP (TR-069 §3.4, A.2): decodeEnvelope(xml) → Envelope and
 * encodeEnvelope(envelope) → xml. Header fields: cwmp:ID (echoed by the responder), HoldRequests,
 * SessionTimeout (1.3), SupportedCWMPVersions (1.4). Pure: throws DecodeError on bad input.
 */
import { DecodeError } from '../../shared/errors';
import { decodeBody } from './decode-message';
import { encodeMessage } from './encode-message';
import { CWMP_VERSIONS, type CwmpVersion, type DecodedBody, type Envelope, type OutgoingEnvelope } from './types';
import { attr, child, children, esc, parseXml, textOf, type XmlNode } from './xml';

const NS_PREFIX = 'urn:dslforum-org:cwmp-';

function versionIn(node: XmlNode | undefined): CwmpVersion | undefined {
  const attrs = node?.$;
  if (!attrs) return undefined;
  for (const [k, v] of Object.entries(attrs)) {
    if ((k === 'xmlns' || k.startsWith('xmlns:')) && v.startsWith(NS_PREFIX)) {
      const ver = v.slice(NS_PREFIX.length) as CwmpVersion;
      if (!CWMP_VERSIONS.includes(ver)) throw new DecodeError(`unsupported CWMP namespace ${v}`);
      return ver;
    }
  }
  return undefined;
}

function elementNames(node: XmlNode): string[] {
  return Object.keys(node).filter((k) => k !== '$' && k !== '_');
}

export function decodeEnvelope(xml: string): Envelope {
  const { root, node } = parseXml(xml);
  if (root !== 'Envelope') throw new DecodeError(`root element is ${root}, not a SOAP Envelope`, 0);
  const header = child(node, 'Header');
  const bodyEl = child(node, 'Body');
  if (!bodyEl) throw new DecodeError('SOAP Envelope without a Body');
  const names = elementNames(bodyEl);
  if (names.length > 1 || children(bodyEl, names[0] ?? '').length > 1) throw new DecodeError('SOAP Body with more than one element');
  const name = names[0];
  const bodyNode = name === undefined ? undefined : child(bodyEl, name);
  const version = versionIn(node) ?? versionIn(header) ?? versionIn(bodyEl) ?? versionIn(bodyNode) ?? versionOfHeaderChildren(header) ?? '1-0';

  let id: string | undefined;
  let holdRequests: boolean | undefined;
  let sessionTimeout: number | undefined;
  let supportedCwmpVersions: string | undefined;
  if (header) {
    const idEl = child(header, 'ID');
    if (idEl) id = textOf(idEl);
    const hold = child(header, 'HoldRequests');
    if (hold) holdRequests = /^(1|true)$/i.test(textOf(hold).trim());
    const st = child(header, 'SessionTimeout');
    if (st) {
      const t = textOf(st).trim();
      if (!/^\d{1,9}$/.test(t)) throw new DecodeError(`SessionTimeout is not a number of seconds: ${JSON.stringify(t.slice(0, 20))}`);
      sessionTimeout = Number(t);
    }
    const sv = child(header, 'SupportedCWMPVersions');
    if (sv) supportedCwmpVersions = textOf(sv).trim();
    for (const h of elementNames(header)) {
      if (KNOWN_HEADERS.has(h)) continue;
      for (const e of children(header, h)) {
        if (attr(e, 'mustUnderstand') === '1') throw new DecodeError(`header ${h} must be understood and is not`);
      }
    }
  }
  let body: DecodedBody | null = null;
  if (name !== undefined && bodyNode) body = decodeBody(name, bodyNode);
  const out: { -readonly [K in keyof Envelope]: Envelope[K] } = { version, body };
  if (id !== undefined) out.id = id;
  if (holdRequests !== undefined) out.holdRequests = holdRequests;
  if (sessionTimeout !== undefined) out.sessionTimeout = sessionTimeout;
  if (supportedCwmpVersions !== undefined) out.supportedCwmpVersions = supportedCwmpVersions;
  return out;
}

const KNOWN_HEADERS = new Set(['ID', 'HoldRequests', 'SessionTimeout', 'SupportedCWMPVersions', 'UseCWMPVersion', 'NoMoreRequests']);

function versionOfHeaderChildren(header: XmlNode | undefined): CwmpVersion | undefined {
  if (!header) return undefined;
  for (const h of elementNames(header)) for (const e of children(header, h)) {
    const v = versionIn(e);
    if (v) return v;
  }
  return undefined;
}

/** The wire form. mustUnderstand follows TR-069 Table 5: ID and HoldRequests 1, SessionTimeout and SupportedCWMPVersions 0. */
export function encodeEnvelope(env: OutgoingEnvelope): string {
  const h: string[] = [];
  if (env.id !== undefined) h.push(`<cwmp:ID soap-env:mustUnderstand="1">${esc(env.id)}</cwmp:ID>`);
  if (env.holdRequests !== undefined) h.push(`<cwmp:HoldRequests soap-env:mustUnderstand="1">${env.holdRequests ? 1 : 0}</cwmp:HoldRequests>`);
  if (env.sessionTimeout !== undefined) h.push(`<cwmp:SessionTimeout soap-env:mustUnderstand="0">${env.sessionTimeout}</cwmp:SessionTimeout>`);
  if (env.supportedCwmpVersions !== undefined) {
    h.push(`<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">${esc(env.supportedCwmpVersions)}</cwmp:SupportedCWMPVersions>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/"' +
    ` xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="${NS_PREFIX}${env.version}">` +
    (h.length > 0 ? `<soap-env:Header>${h.join('')}</soap-env:Header>` : '') +
    `<soap-env:Body>${env.body ? encodeMessage(env.body) : ''}</soap-env:Body></soap-env:Envelope>`
  );
}

/** xsd:dateTime helpers live with the data model's bindings (one copy). */
export { formatDateTime, UNKNOWN_TIME, dateTimeMs as parseDateTime } from '../../datamodel/bindings';
