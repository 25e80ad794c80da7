/**
 * URIs (RFC 3261 §19.1, §25.1; tel: RFC 3966): decodeUri / encodeUri. Escapes (%HH) are kept as
 * received in user, password, parameters and headers; `unescape` gives the plain text.
 */
import { DecodeError } from '../../../shared/errors';
import { Params } from './params';

export interface SipUri {
  kind: 'sip';
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** Host name, IPv4, or IPv6 reference with its brackets ("[::1]"). */
  host: string;
  port?: number;
  params: Params;
  /** `?h=v&...` headers, escaped as received. */
  headers: Array<[string, string]>;
}

export interface TelUri {
  kind: 'tel';
  scheme: 'tel';
  number: string;
  params: Params;
}

/** Any other absolute URI (RFC 4475 §3.3.1 unknown schemes): kept opaque. */
export interface AbsoluteUri {
  kind: 'absolute';
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

const ESC = '%[0-9A-Fa-f]{2}';
const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const USER_RE = new RegExp(`^(?:[${UNRESERVED}&=+$,;?/]|${ESC})+$`);
const PASSWORD_RE = new RegExp(`^(?:[${UNRESERVED}&=+$,]|${ESC})*$`);
const PARAM_RE = new RegExp(`^(?:[${UNRESERVED}\\[\\]/:&+$]|${ESC})+$`);
const HNV_RE = new RegExp(`^(?:[${UNRESERVED}\\[\\]/?:+$]|${ESC})*$`);
const HOSTNAME_RE = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;
const IPV6_RE = /^\[[0-9A-Fa-f:.]+\]$/;
const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const TEL_RE = /^[+0-9A-Fa-f*#().\-pPwW]+$/;

export function decodeUri(s: string, pos = 0): Uri {
  const colon = s.indexOf(':');
  if (colon <= 0) throw new DecodeError('URI without scheme', pos);
  const scheme = s.slice(0, colon);
  if (!SCHEME_RE.test(scheme)) throw new DecodeError('bad URI scheme', pos);
  const rest = s.slice(colon + 1);
  if (/[\s<>"]/.test(rest) || rest.length === 0) throw new DecodeError('bad characters in URI', pos);
  const lower = scheme.toLowerCase();
  if (lower === 'sip' || lower === 'sips') return decodeSipUri(lower, rest, pos + colon + 1);
  if (lower === 'tel') return decodeTelUri(rest, pos + colon + 1);
  return { kind: 'absolute', scheme: lower, opaque: rest };
}

function decodeSipUri(scheme: 'sip' | 'sips', s: string, pos: number): SipUri {
  let hostPart = s;
  let user: string | undefined;
  let password: string | undefined;
  const at = s.indexOf('@');
  if (at >= 0) {
    if (s.indexOf('@', at + 1) >= 0) throw new DecodeError('two @ in SIP URI', pos);
    const userinfo = s.slice(0, at);
    hostPart = s.slice(at + 1);
    const pc = userinfo.indexOf(':');
    user = pc >= 0 ? userinfo.slice(0, pc) : userinfo;
    if (pc >= 0) password = userinfo.slice(pc + 1);
    if (!USER_RE.test(user)) throw new DecodeError('bad user in SIP URI', pos);
    if (password !== undefined && !PASSWORD_RE.test(password)) throw new DecodeError('bad password in SIP URI', pos);
  }
  // headers
  let headersStr: string | undefined;
  const q = hostPart.indexOf('?');
  if (q >= 0) {
    headersStr = hostPart.slice(q + 1);
    hostPart = hostPart.slice(0, q);
  }
  const semi = hostPart.indexOf(';');
  const paramStr = semi >= 0 ? hostPart.slice(semi + 1) : undefined;
  const hostport = semi >= 0 ? hostPart.slice(0, semi) : hostPart;
  const { host, port } = decodeHostPort(hostport, pos + at + 1);
  const params = new Params();
  if (paramStr !== undefined) {
    for (const p of paramStr.split(';')) {
      const eq = p.indexOf('=');
      const name = eq >= 0 ? p.slice(0, eq) : p;
      const value = eq >= 0 ? p.slice(eq + 1) : null;
      if (!PARAM_RE.test(name) || (value !== null && !PARAM_RE.test(value))) throw new DecodeError('bad URI parameter', pos);
      params.list.push({ name, value });
    }
  }
  const headers: Array<[string, string]> = [];
  if (headersStr !== undefined) {
    for (const h of headersStr.split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0) throw new DecodeError('bad URI header', pos);
      const hn = h.slice(0, eq);
      const hv = h.slice(eq + 1);
      if (!HNV_RE.test(hn) || !HNV_RE.test(hv)) throw new DecodeError('bad URI header', pos);
      headers.push([hn, hv]);
    }
  }
  const uri: SipUri = { kind: 'sip', scheme, host, params, headers };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port !== undefined) uri.port = port;
  return uri;
}

/** host [":" port] with host = hostname / IPv4address / IPv6reference. */
export function decodeHostPort(s: string, pos = 0): { host: string; port: number | undefined } {
  let host: string;
  let portStr: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) throw new DecodeError('unterminated IPv6 reference', pos);
    host = s.slice(0, close + 1);
    if (!IPV6_RE.test(host)) throw new DecodeError('bad IPv6 reference', pos);
    const after = s.slice(close + 1);
    if (after.length > 0) {
      if (after[0] !== ':') throw new DecodeError('bad host', pos);
      portStr = after.slice(1);
    }
  } else {
    const c = s.indexOf(':');
    host = c >= 0 ? s.slice(0, c) : s;
    if (c >= 0) portStr = s.slice(c + 1);
    if (!HOSTNAME_RE.test(host)) throw new DecodeError('bad host', pos);
  }
  if (portStr === undefined) return { host, port: undefined };
  return { host, port: decodePort(portStr, pos) };
}

/** 1 to 5 digits, at most 65535. */
function decodePort(s: string, pos: number): number {
  if (s.length === 0 || s.length > 5) throw new DecodeError('bad port', pos);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new DecodeError('bad port', pos);
    n = n * 10 + d;
  }
  if (n > 65535) throw new DecodeError('bad port', pos);
  return n;
}

function decodeTelUri(s: string, pos: number): TelUri {
  const parts = s.split(';');
  const number = parts[0] ?? '';
  if (!TEL_RE.test(number)) throw new DecodeError('bad tel number', pos);
  const params = new Params();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    const name = eq >= 0 ? p.slice(0, eq) : p;
    if (!PARAM_RE.test(name)) throw new DecodeError('bad tel parameter', pos);
    params.list.push({ name, value: eq >= 0 ? p.slice(eq + 1) : null });
  }
  return { kind: 'tel', scheme: 'tel', number, params };
}

export function encodeUri(u: Uri): string {
  if (u.kind === 'absolute') return `${u.scheme}:${u.opaque}`;
  if (u.kind === 'tel') return `tel:${u.number}${encodeUriParams(u.params)}`;
  let s = u.scheme + ':';
  if (u.user !== undefined) {
    s += u.user;
    if (u.password !== undefined) s += ':' + u.password;
    s += '@';
  }
  s += u.host;
  if (u.port !== undefined) s += ':' + u.port;
  s += encodeUriParams(u.params);
  if (u.headers.length > 0) s += '?' + u.headers.map(([n, v]) => `${n}=${v}`).join('&');
  return s;
}

function encodeUriParams(p: Params): string {
  let s = '';
  for (const x of p.list) s += ';' + x.name + (x.value === null ? '' : '=' + x.value);
  return s;
}

/** Plain text of an escaped URI component (%HH → byte, UTF-8). */
export function unescape(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Escapes a user part for a SIP URI (`#` is escaped as %23 unless told otherwise, P1406). */
export function escapeUser(s: string, keepHash = false): string {
  let out = '';
  for (const ch of s) {
    if (/[A-Za-z0-9\-_.!~*'()&=+$,;?/]/.test(ch) || (keepHash && ch === '#')) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function sipUri(host: string, opts: { user?: string; port?: number; scheme?: 'sip' | 'sips'; params?: Params } = {}): SipUri {
  const u: SipUri = { kind: 'sip', scheme: opts.scheme ?? 'sip', host, params: opts.params ?? new Params(), headers: [] };
  if (opts.user !== undefined) u.user = opts.user;
  if (opts.port !== undefined) u.port = opts.port;
  return u;
}

export function cloneUri<T extends Uri>(u: T): T {
  if (u.kind === 'absolute') return { ...u };
  if (u.kind === 'tel') return { ...u, params: u.params.clone() };
  // field by field, in sipUri's order: one object shape for every SIP URI
  const c: SipUri = { kind: 'sip', scheme: u.scheme, host: u.host, params: u.params.clone(), headers: u.headers.map(([a, b]) => [a, b] as [string, string]) };
  if (u.user !== undefined) c.user = u.user;
  if (u.password !== undefined) c.password = u.password;
  if (u.port !== undefined) c.port = u.port;
  return c as T;
}

/** Host in brackets for IPv6 literals (for URIs and Via). */
export function hostForUri(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}
