/**
 * XML helpers for the SOAP codec: a synchronous parse (sax, into xml2js's tree shape) with namespace prefixes stripped,
 * accessors over its output, and escaping for the encoder. Pure: no I/O, no module state.
 */
import * as sax from 'sax';
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
  if (xml.trim() === '') throw new DecodeError('empty XML document', 0);
  let out: { root: string; value: unknown } | undefined;
  try {
    out = buildTree(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new DecodeError(`malformed XML: ${msg.split('\n')[0] ?? msg}`);
  }
  if (!out) throw new DecodeError('empty XML document', 0);
  return { root: out.root, node: asNode(out.value) };
}

/** An element being built: its object (children by local name, `$`), its text so far. */
interface Open {
  readonly name: string;
  readonly obj: Record<string, unknown>;
  text: string;
  cdata: boolean;
}

/** Reached the end of the root element: whatever follows it is ignored, as xml2js did. */
const ROOT_CLOSED = new Error('root closed');

/**
 * The xml2js tree (explicitArray, prefixes stripped from element names, `$` attributes, `_`
 * text, a leaf without attributes as its text) built straight from the sax events: the same
 * strict tokenizer xml2js runs on, without xml2js's per-document parser objects. Throws sax's
 * error on malformed input.
 */
function buildTree(xml: string): { root: string; value: unknown } | undefined {
  const p = sax.parser(true, { trim: false, normalize: false, xmlns: false });
  const stack: Open[] = [];
  let out: { root: string; value: unknown } | undefined;
  p.onerror = (e) => {
    throw e;
  };
  p.onopentag = (tag) => {
    const obj: Record<string, unknown> = {};
    let attrs: Record<string, string> | undefined;
    for (const k in tag.attributes) {
      if (!Object.prototype.hasOwnProperty.call(tag.attributes, k)) continue;
      attrs ??= {};
      attrs[k] = tag.attributes[k]!;
    }
    if (attrs) obj.$ = attrs;
    stack.push({ name: tag.name, obj, text: '', cdata: false });
  };
  p.ontext = (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  p.oncdata = (t) => {
    const top = stack[stack.length - 1];
    if (top) {
      top.text += t;
      top.cdata = true;
    }
  };
  p.onclosetag = () => {
    const e = stack.pop();
    if (!e) return;
    let value: unknown = e.obj;
    const hasKeys = Object.keys(e.obj).length > 0;
    if (!e.cdata && /^\s*$/.test(e.text)) {
      if (!hasKeys) value = e.text;
    } else if (!hasKeys) {
      value = e.text;
    } else {
      e.obj._ = e.text;
    }
    const name = stripPrefix(e.name);
    const parent = stack[stack.length - 1];
    if (parent) {
      const list = parent.obj[name];
      if (Array.isArray(list)) list.push(value);
      else parent.obj[name] = [value];
      return;
    }
    out = { root: name, value };
    throw ROOT_CLOSED;
  };
  try {
    p.write(xml).close();
  } catch (e) {
    if (e !== ROOT_CLOSED) throw e;
  }
  return out;
}

/** xml2js's processors.stripPrefix: `soap-env:Body` → `Body` (names starting xmlns kept). */
function stripPrefix(name: string): string {
  return name.replace(/(?!xmlns)^.*:/, '');
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

const NEEDS_ESC = /[&<>"']/;

export function esc(s: string): string {
  // Most values need nothing: a test is cheaper than a replace with a callback.
  return NEEDS_ESC.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c] ?? c) : s;
}

/** `<Name>text</Name>` with the text escaped. */
export function el(name: string, value: string | number | boolean): string {
  const v = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return `<${name}>${esc(v)}</${name}>`;
}
