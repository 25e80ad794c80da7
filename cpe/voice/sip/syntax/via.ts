/** Via header values (RFC 3261 §20.42, §25.1 via-parm; rport RFC 3581). */
import { Cursor } from './cursor';
import { Params, parseGenericParams } from './params';
import { decodeHostPort } from './uri';
import { DecodeError } from '../../../shared/errors';

export interface Via {
  /** "SIP/2.0" (protocol name and version as received, upper-cased). */
  protocol: string;
  /** UDP, TCP, TLS, SCTP, WS, or an unknown token (upper-cased). */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

/** The magic cookie of RFC 3261 §8.1.1.7 branches. */
export const BRANCH_COOKIE = 'z9hG4bK';

export function decodeVia(value: string, pos = 0): Via {
  const c = new Cursor(value, pos);
  c.sws();
  const name = c.token('protocol name');
  if (!c.sep('/')) c.fail('expected /');
  const version = c.token('protocol version');
  if (!c.sep('/')) c.fail('expected /');
  const transport = c.token('transport');
  const before = c.i;
  c.sws();
  if (c.i === before) c.fail('expected whitespace before sent-by');
  let hostStr: string;
  if (c.peek() === '[') {
    hostStr = c.until(']');
    c.expect(']', ']');
    hostStr += ']';
  } else hostStr = c.until(':; \t,');
  let portStr = '';
  if (c.sep(':')) portStr = c.until('; \t,');
  const hp = decodeHostPort(portStr ? `${hostStr}:${portStr}` : hostStr, pos + before);
  if (name.toUpperCase() !== 'SIP' || version !== '2.0') throw new DecodeError('unknown Via protocol', pos);
  const params = parseGenericParams(c);
  c.end('Via');
  const via: Via = { protocol: 'SIP/2.0', transport: transport.toUpperCase(), host: hp.host, params };
  if (hp.port !== undefined) via.port = hp.port;
  return via;
}

export function encodeVia(v: Via): string {
  return `${v.protocol}/${v.transport} ${v.host}${v.port !== undefined ? ':' + v.port : ''}${v.params.encode()}`;
}

export function viaBranch(v: Via | undefined): string | undefined {
  const b = v?.params.get('branch');
  return typeof b === 'string' ? b : undefined;
}
