/**
 * The XML config file (reference §2): `<gs_provision version="1">`, an optional `<mac>` that must
 * be the unit's, then `<config version="1">` holding `<Pnnn>value</Pnnn>` elements. Pure codec:
 * text ⇄ entries. Parsing through xml2js (sax, strict mode; no DTD or entity expansion).
 */
import { Parser } from 'xml2js';
import { DecodeError } from '../../shared/errors';
import { macHex, pNumber, type ConfigEntries, type ConfigEntry } from './config-entries';

export interface XmlConfig {
  /** The `<mac>` element, 12 lower-case hex digits, when the file has one. */
  readonly mac?: string;
  readonly entries: ConfigEntries;
}

interface XmlNode {
  '#name': string;
  _?: string;
  $?: Record<string, string>;
  $$?: XmlNode[];
}

/** Accepted `encoding` declarations (the HT802 parser checks for utf-8; ASCII is a subset). */
const ENCODINGS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** True when the bytes start (after a BOM and blanks) with `<`. */
export function looksLikeXml(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i] === 0x3c;
}

/**
 * Decodes a config XML. `expectMac` (the unit's MAC) is compared with `<mac>` when the file has
 * one (reference §2: "MAC addresses are not matched"). Throws DecodeError on any structural fault.
 */
export function decodeXmlConfig(input: string | Uint8Array, expectMac?: string): XmlConfig {
  let text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const decl = /^\s*<\?xml[^?]*encoding\s*=\s*["']([^"']+)["']/i.exec(text);
  if (decl && !ENCODINGS.has(decl[1]!.toLowerCase())) throw new DecodeError(`config XML: unsupported encoding ${decl[1]}`, 0);
  const root = parseXml(text);
  if (root['#name'] !== 'gs_provision') throw new DecodeError(`config XML: root element is <${root['#name']}>, expected <gs_provision>`, 0);
  const version = root.$?.version;
  if (version === undefined) throw new DecodeError('config XML: <gs_provision> has no version attribute', 0);
  if (version !== '1') throw new DecodeError(`config XML: gs_provision version ${version} is not supported (1 expected)`, 0);
  let mac: string | undefined;
  let config: XmlNode | undefined;
  for (const child of root.$$ ?? []) {
    if (child['#name'] === 'mac') {
      if (mac !== undefined) throw new DecodeError('config XML: more than one <mac>', 0);
      const raw = textOf(child);
      try {
        mac = macHex(raw);
      } catch {
        throw new DecodeError(`config XML: <mac> is not a MAC address: ${JSON.stringify(raw)}`, 0);
      }
    } else if (child['#name'] === 'config') {
      if (config) throw new DecodeError('config XML: more than one <config>', 0);
      config = child;
    } else {
      throw new DecodeError(`config XML: unexpected element <${child['#name']}> in <gs_provision>`, 0);
    }
  }
  if (!config) throw new DecodeError('config XML: no <config> element', 0);
  const cv = config.$?.version;
  if (cv !== undefined && cv !== '1') {
    throw new DecodeError(`config XML: config version ${cv} is not supported (the HT813 reads version 1 P-value files)`, 0);
  }
  if (mac !== undefined && expectMac !== undefined && mac !== macHex(expectMac)) {
    throw new DecodeError(`config XML: <mac> ${mac} does not match this unit (${macHex(expectMac)})`, 0);
  }
  const entries: ConfigEntry[] = [];
  for (const el of config.$$ ?? []) {
    const id = pNumber(el['#name']);
    if (id === undefined) throw new DecodeError(`config XML: <${el['#name']}> in <config> is not a P-value element`, 0);
    entries.push([id, textOf(el)]);
  }
  return mac === undefined ? { entries } : { mac, entries };
}

/** Encodes entries as a version 1 file; the output decodes back to the same entries. */
export function encodeXmlConfig(cfg: XmlConfig): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<gs_provision version="1">'];
  if (cfg.mac !== undefined) lines.push(`  <mac>${macHex(cfg.mac)}</mac>`);
  lines.push('  <config version="1">');
  for (const [id, v] of cfg.entries) lines.push(v === '' ? `    <P${id}/>` : `    <P${id}>${escapeXml(v)}</P${id}>`);
  lines.push('  </config>', '</gs_provision>', '');
  return lines.join('\n');
}

/** Escapes text content; CR is kept as a character reference so it survives XML line-end normalisation. */
export function escapeXml(v: string): string {
  return v.replace(/[&<>"'\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '&#13;',
  );
}

function textOf(el: XmlNode): string {
  if (el.$$ && el.$$.length > 0) throw new DecodeError(`config XML: <${el['#name']}> holds elements, text expected`, 0);
  return el._ ?? '';
}

function parseXml(text: string): XmlNode {
  const parser = new Parser({
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitArray: true,
    explicitRoot: false,
    trim: false,
    normalize: false,
    strict: true,
    async: false,
  });
  let result: XmlNode | undefined;
  let failure: unknown;
  // xml2js calls back synchronously when async is false.
  try {
    parser.parseString(text, (err: unknown, res: unknown) => {
      if (err) failure = err;
      else result = res as XmlNode;
    });
  } catch (e) {
    failure = e;
  }
  if (failure !== undefined) {
    const msg = failure instanceof Error ? failure.message.split('\n').join(' ') : String(failure);
    throw new DecodeError(`not well-formed XML: ${msg}`, 0);
  }
  if (!result || typeof result !== 'object') throw new DecodeError('not XML: no root element', 0);
  return result;
}
