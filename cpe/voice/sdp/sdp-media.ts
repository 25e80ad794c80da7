/**
 * Reading the parts of an SDP media description that calls care about: rtpmap/fmtp (RFC 4566
 * §6), ptime, direction (RFC 3264 §5.1, §8.4) and the effective connection address.
 */
import type { SdpAttribute, SdpMedia, SessionDescription } from './sdp';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export interface RtpMap {
  readonly payloadType: number;
  readonly encoding: string;
  readonly clockRate: number;
  readonly channels?: number;
}

/** RFC 3551 static payload types a peer may list without an rtpmap. */
const STATIC_PT: Record<number, { encoding: string; clockRate: number }> = {
  0: { encoding: 'PCMU', clockRate: 8000 },
  3: { encoding: 'GSM', clockRate: 8000 },
  4: { encoding: 'G723', clockRate: 8000 },
  8: { encoding: 'PCMA', clockRate: 8000 },
  9: { encoding: 'G722', clockRate: 8000 },
  13: { encoding: 'CN', clockRate: 8000 },
  18: { encoding: 'G729', clockRate: 8000 },
};

function attr(attrs: readonly SdpAttribute[], name: string): SdpAttribute[] {
  return attrs.filter((a) => a.name.toLowerCase() === name);
}

/** The rtpmap of each format of an RTP m= line (static types filled from RFC 3551). Unknown dynamic types are left out. */
export function rtpMaps(m: SdpMedia): RtpMap[] {
  const out: RtpMap[] = [];
  const maps = new Map<number, RtpMap>();
  for (const a of attr(m.attributes, 'rtpmap')) {
    const r = /^(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec((a.value ?? '').trim());
    if (!r) continue;
    const pt = Number(r[1]);
    maps.set(pt, { payloadType: pt, encoding: r[2] as string, clockRate: Number(r[3]), ...(r[4] !== undefined ? { channels: Number(r[4]) } : {}) });
  }
  for (const f of m.formats) {
    if (!/^\d+$/.test(f)) continue;
    const pt = Number(f);
    const known = maps.get(pt);
    if (known) out.push(known);
    else {
      const st = STATIC_PT[pt];
      if (st) out.push({ payloadType: pt, ...st });
    }
  }
  return out;
}

export function fmtpOf(m: SdpMedia, pt: number): string | undefined {
  for (const a of attr(m.attributes, 'fmtp')) {
    const r = /^(\d+) (.*)$/.exec((a.value ?? '').trim());
    if (r && Number(r[1]) === pt) return r[2];
  }
  return undefined;
}

export function ptimeOf(m: SdpMedia): number | undefined {
  const a = attr(m.attributes, 'ptime')[0];
  const n = a?.value !== undefined ? Number(a.value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** RFC 3264 §5.1: media-level direction, else session-level, else sendrecv. */
export function directionOf(sd: SessionDescription, m: SdpMedia): Direction {
  for (const list of [m.attributes, sd.attributes]) {
    for (const a of list) {
      const d = DIRECTIONS.find((x) => x === a.name.toLowerCase());
      if (d && a.value === undefined) return d;
    }
  }
  return 'sendrecv';
}

/** The address media goes to (media-level c= first). */
export function connectionAddress(sd: SessionDescription, m: SdpMedia): string | undefined {
  const c = m.connections[0] ?? sd.connection;
  return c?.address.split('/')[0];
}

/** RFC 3264 §8.4 note: the old RFC 2543 hold form c=0.0.0.0. */
export function isNullAddress(address: string | undefined): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** The direction an answerer uses towards an offered direction (RFC 3264 §6.1), given whether it wants to send/receive. */
export function answerDirection(offered: Direction, wantSend: boolean, wantRecv: boolean): Direction {
  const canSend = wantSend && (offered === 'sendrecv' || offered === 'recvonly');
  const canRecv = wantRecv && (offered === 'sendrecv' || offered === 'sendonly');
  if (canSend && canRecv) return 'sendrecv';
  if (canSend) return 'sendonly';
  if (canRecv) return 'recvonly';
  return 'inactive';
}

/** The direction seen from the other side. */
export function reverseDirection(d: Direction): Direction {
  return d === 'sendonly' ? 'recvonly' : d === 'recvonly' ? 'sendonly' : d;
}
