/**
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1):
 * From, To, Contact, Route, Record-Route, Refer-To values.
 */
import { DecodeError } from '../../../shared/errors';
import { Cursor, isTokenChar, isWsp } from './cursor';
import { Params, parseGenericParams, quote } from './params';
import { decodeUri, encodeUri, cloneUri, type Uri } from './uri';

export interface NameAddr {
  displayName?: string;
  uri: Uri;
  params: Params;
}

/**
 * Decodes one name-addr or addr-spec followed by parameters. `nameAddrOnly` for Route and
 * Record-Route, which require the angle brackets.
 */
export function decodeNameAddr(value: string, pos = 0, opts: { nameAddrOnly?: boolean } = {}): NameAddr {
  const c = new Cursor(value, pos);
  c.sws();
  let displayName: string | undefined;
  let bracketed = false;
  if (c.peek() === '"') {
    displayName = c.quoted();
    c.sws();
    if (c.peek() !== '<') c.fail('expected < after display name');
    bracketed = true;
  } else if (c.peek() === '<') {
    bracketed = true;
  } else if (hasBracket(value, c.i)) {
    // display-name = *(token LWS): tokens separated by whitespace, up to "<"
    const words: string[] = [];
    while (c.peek() !== '<') {
      if (c.done) c.fail('expected <');
      words.push(c.token('display name'));
      const before = c.i;
      c.sws();
      if (c.peek() !== '<' && c.i === before) c.fail('bad display name');
    }
    displayName = words.join(' ');
    bracketed = true;
  }
  let uri: Uri;
  if (bracketed) {
    c.expect('<', '<');
    const start = c.i;
    if (isWsp(value.charCodeAt(start))) c.fail('whitespace after <');
    const close = value.indexOf('>', start);
    if (close < 0) c.fail('missing >');
    const inner = value.slice(start, close);
    if (inner.length === 0 || isWsp(inner.charCodeAt(inner.length - 1))) c.fail('whitespace before >');
    uri = decodeUri(inner, pos + start);
    c.i = close + 1;
  } else {
    if (opts.nameAddrOnly) c.fail('name-addr requires <>');
    const start = c.i;
    const spec = c.until(';, \t');
    // RFC 3261 §20: a URI with a comma, question mark or semicolon must be enclosed in <>.
    if (spec.includes('?')) throw new DecodeError('addr-spec with ? must be enclosed in <>', pos + start);
    uri = decodeUri(spec, pos + start);
  }
  const params = parseGenericParams(c);
  c.end('name-addr');
  const na: NameAddr = { uri, params };
  if (displayName !== undefined) na.displayName = displayName;
  return na;
}

function hasBracket(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code === 60) return true;
    if (!isTokenChar(code) && !isWsp(code)) return false;
  }
  return false;
}

export function encodeNameAddr(na: NameAddr): string {
  let s = '';
  if (na.displayName !== undefined && na.displayName !== '') s += quote(na.displayName) + ' ';
  s += '<' + encodeUri(na.uri) + '>';
  return s + na.params.encode();
}

export function cloneNameAddr(na: NameAddr): NameAddr {
  const c: NameAddr = { uri: cloneUri(na.uri), params: na.params.clone() };
  if (na.displayName !== undefined) c.displayName = na.displayName;
  return c;
}
