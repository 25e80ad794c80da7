/**
 * TR-111 Part 2 UDP connection requests: the message is an HTTP GET request line carried in one
 * UDP datagram, `GET http://host:port?ts=&id=&un=&cn=&sig= HTTP/1.1`, with
 * sig = HMAC-SHA1(ConnectionRequestPassword, ts‖id‖un‖cn) in hex. Pure checks; the replay state
 * (last ts and id) is the caller's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UdpConnectionRequest {
  readonly ts: number;
  readonly id: string;
  readonly un: string;
  readonly cn: string;
  readonly sig: string;
}

/** Parses the datagram; undefined when it is not a well-formed UDP connection request. */
export function decodeUdpConnectionRequest(datagram: Buffer): UdpConnectionRequest | undefined {
  if (datagram.length > 2048) return undefined;
  const line = datagram.toString('latin1').split(/\r?\n/)[0] ?? '';
  const m = /^GET (\S+) HTTP\/1\.1$/.exec(line);
  if (!m) return undefined;
  let url: URL;
  try {
    url = new URL(m[1]!, 'http://x/');
  } catch {
    return undefined;
  }
  const q = url.searchParams;
  const ts = q.get('ts');
  const id = q.get('id');
  const un = q.get('un');
  const cn = q.get('cn');
  const sig = q.get('sig');
  if (!ts || !/^\d{1,12}$/.test(ts) || !id || un === null || !cn || !sig || !/^[0-9a-fA-F]{40}$/.test(sig)) return undefined;
  return { ts: Number(ts), id, un, cn, sig };
}

export function udpSignature(password: string, r: Pick<UdpConnectionRequest, 'ts' | 'id' | 'un' | 'cn'>): string {
  return createHmac('sha1', password).update(`${r.ts}${r.id}${r.un}${r.cn}`).digest('hex');
}

export type UdpVerdict = 'accept' | 'bad-user' | 'bad-signature' | 'replay';

/** TR-111 §2.2.2: username and signature must match; a repeated id or an older ts is ignored. */
export function checkUdpConnectionRequest(
  r: UdpConnectionRequest,
  creds: { username: string; password: string },
  last: { ts: number; id: string } | undefined,
): UdpVerdict {
  if (r.un !== creds.username) return 'bad-user';
  const want = Buffer.from(udpSignature(creds.password, r), 'hex');
  const got = Buffer.from(r.sig, 'hex');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return 'bad-signature';
  if (last && (r.id === last.id || r.ts < last.ts)) return 'replay';
  return 'accept';
}
