/**
 * XML helpers for the SOAP codec: a synchronous xml2js parse with namespace prefixes stripped,
 * accessors over its output, and escaping for the encoder. Pure: no I/O, no module state.
 */
import { Parser, processors } from 'xml2js';
import { DecodeError } from '../../shared/errors';

/** An element as xml2js gives it with explicitArray: children by local name, `$` attributes, `_` text. */
export interface XmlNode {
  readonly $?: Record<string, string>;
  readonly _?: string;
  readonly [child: string]: unknown;
}

/** Envelopes bigger than this are refused before parsing (TR-069 gives no limit; the unit has little memory). */
export const MAX_ENVELOPE_CHARS = 1024 * 1024;

export function parseXml(xml: string): { root: string; node: XmlNode } {
  if (xml.length > MAX_ENVELOPE_CHARS) throw new DecodeError(`envelope larger than ${MAX_ENVELOPE_CHARS} characters`, MAX_ENVELOPE_CHARS);
  // No DTDs: no entity expansion of any kind reaches the parser.
  const dtd = xml.search(/<!DOCTYPE|<!ENTITY/i);
  if (dtd >= 0) throw new DecodeError('DOCTYPE and ENTITY declarations are not accepted', dtd);
  const parser = new Parser({
    explicitArray: true,
    tagNameProcessors: [processors.stripPrefix],
    strict: true,
    async: false,
  });
  let out: unknown;
  let err: unknown;
  try {
    parser.parseString(xml, (e: unknown, v: unknown) => {
      err = e;
      out = v;
    });
  } catch (e) {
    err = e;
  }
  if (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new DecodeError(`malformed XML: ${msg.split('\n')[0] ?? msg}`);
  }
  if (!out || typeof out !== 'object') throw new DecodeError('empty XML document', 0);
  const keys = Object.keys(out as object);
  const root = keys[0];
  if (keys.length !== 1 || root === undefined) throw new DecodeError('XML document without one root element', 0);
  const node = (out as Record<string, unknown>)[root];
  return { root, node: asNode(node) };
}

function asNode(v: unknown): XmlNode {
  if (typeof v === 'string') return { _: v };
  if (v && typeof v === 'object') return v as XmlNode;
  return {};
}

/** All children named `name`. */
export function children(node: XmlNode, name: string): XmlNode[] {
  const v = node[name];
  if (!Array.isArray(v)) return [];
  return v.map(asNode);
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** Text content of an element (empty string when it has none). */
export function textOf(node: XmlNode): string {
  return typeof node._ === 'string' ? node._ : '';
}

/** Text of the first child `name`; `required` throws a DecodeError naming the element when it is missing. */
export function text(node: XmlNode, name: string, required = false): string {
  const c = child(node, name);
  if (!c) {
    if (required) throw new DecodeError(`missing element ${name}`);
    return '';
  }
  return textOf(c);
}

export function intText(node: XmlNode, name: string, required = false, dflt = 0): number {
  const c = child(node, name);
  if (!c) {
    if (required) throw new DecodeError(`missing element ${name}`);
    return dflt;
  }
  const t = textOf(c).trim();
  if (!/^-?\d+$/.test(t)) throw new DecodeError(`element ${name} is not an integer: ${JSON.stringify(t.slice(0, 40))}`);
  return Number(t);
}

export function boolText(node: XmlNode, name: string, required = false): boolean {
  const c = child(node, name);
  if (!c) {
    if (required) throw new DecodeError(`missing element ${name}`);
    return false;
  }
  const t = textOf(c).trim().toLowerCase();
  if (t === '1' || t === 'true') return true;
  if (t === '0' || t === 'false') return false;
  throw new DecodeError(`element ${name} is not a boolean: ${JSON.stringify(t.slice(0, 40))}`);
}

/** Items of an array element, e.g. `ParameterList/ParameterValueStruct`. */
export function items(node: XmlNode, list: string, item: string): XmlNode[] {
  const l = child(node, list);
  return l ? children(l, item) : [];
}

/** An attribute by local name (prefixes differ between senders). */
export function attr(node: XmlNode, localName: string): string | undefined {
  const a = node.$;
  if (!a) return undefined;
  for (const [k, v] of Object.entries(a)) {
    const local = k.includes(':') ? k.slice(k.indexOf(':') + 1) : k;
    if (local === localName) return v;
  }
  return undefined;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

/** `<Name>text</Name>` with the text escaped. */
export function el(name: string, value: string | number | boolean): string {
  const v = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return `<${name}>${esc(v)}</${name}>`;
}
