/**
 * SDP (RFC 4566): a pure codec from text to a session description and back. No clock, no I/O.
 * Decoding is strict on syntax (each line `<type>=<value>`, known type letters, numeric fields)
 * and lenient on the order of session-level lines, as real peers (and RFC 3264's own §9 example)
 * are. Encoding always writes RFC 4566 §5 order with CRLF line ends.
 */
import { DecodeError } from '../../shared/errors';

export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  /** Address, with `/ttl[/count]` kept verbatim for multicast. */
  readonly address: string;
}

export interface SdpBandwidth {
  readonly type: string;
  readonly value: number;
}

export interface SdpTiming {
  readonly start: string;
  readonly stop: string;
  readonly repeats: readonly string[];
}

export interface SdpAttribute {
  readonly name: string;
  /** undefined for property attributes (`a=sendrecv`). */
  readonly value?: string;
}

export interface SdpMedia {
  readonly type: string;
  readonly port: number;
  readonly portCount?: number;
  readonly proto: string;
  readonly formats: readonly string[];
  readonly information?: string;
  readonly connections: readonly SdpConnection[];
  readonly bandwidths: readonly SdpBandwidth[];
  readonly key?: string;
  readonly attributes: readonly SdpAttribute[];
}

export interface SessionDescription {
  readonly version: number;
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly information?: string;
  readonly uri?: string;
  readonly emails: readonly string[];
  readonly phones: readonly string[];
  readonly connection?: SdpConnection;
  readonly bandwidths: readonly SdpBandwidth[];
  readonly timing: readonly SdpTiming[];
  readonly timeZones?: string;
  readonly key?: string;
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly SdpMedia[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

const SESSION_TYPES = new Set(['v', 'o', 's', 'i', 'u', 'e', 'p', 'c', 'b', 't', 'r', 'z', 'k', 'a', 'm']);
const MEDIA_TYPES = new Set(['i', 'c', 'b', 'k', 'a', 'm']);
const MAX_SDP = 64 * 1024;

/** RFC 4566 §5: decodes a session description. Throws DecodeError naming the line. */
export function decodeSdp(text: string | Buffer): SessionDescription {
  const src = typeof text === 'string' ? text : text.toString('utf8');
  if (src.length > MAX_SDP) throw new DecodeError('SDP too large', MAX_SDP);
  const lines = src.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let offset = 0;
  const session: Partial<Mutable<SessionDescription>> & {
    emails: string[];
    phones: string[];
    bandwidths: SdpBandwidth[];
    timing: { start: string; stop: string; repeats: string[] }[];
    attributes: SdpAttribute[];
    media: SdpMedia[];
  } = { emails: [], phones: [], bandwidths: [], timing: [], attributes: [], media: [] };
  let media: (Mutable<SdpMedia> & { connections: SdpConnection[]; bandwidths: SdpBandwidth[]; attributes: SdpAttribute[] }) | undefined;

  lines.forEach((line, index) => {
    const at = offset;
    offset += line.length + 1;
    if (line === '') throw new DecodeError(`empty line ${index + 1}`, at);
    const m = /^([a-z])=(.*)$/.exec(line);
    if (!m) throw new DecodeError(`malformed line ${index + 1}: ${JSON.stringify(line.slice(0, 40))}`, at);
    const type = m[1] as string;
    const value = m[2] as string;
    if (index === 0 && type !== 'v') throw new DecodeError('SDP must start with v=', at);
    if (!SESSION_TYPES.has(type)) throw new DecodeError(`unknown SDP line type ${type}=`, at);
    if (media && !MEDIA_TYPES.has(type)) throw new DecodeError(`${type}= not allowed in a media description`, at);
    const fail = (what: string): never => {
      throw new DecodeError(`bad ${type}= line ${index + 1} (${what})`, at);
    };
    switch (type) {
      case 'v':
        if (index !== 0 || value !== '0') fail('version must be 0');
        session.version = 0;
        return;
      case 'o': {
        const f = value.split(' ');
        if (f.length !== 6 || f.some((x) => x === '')) fail('six fields');
        if (!/^\d+$/.test(f[1] as string) || !/^\d+$/.test(f[2] as string)) fail('numeric session id and version');
        session.origin = { username: f[0] as string, sessionId: f[1] as string, sessionVersion: f[2] as string, netType: f[3] as string, addrType: f[4] as string, address: f[5] as string };
        return;
      }
      case 's':
        session.sessionName = value;
        return;
      case 'i':
        if (media) media.information = value;
        else session.information = value;
        return;
      case 'u':
        session.uri = value;
        return;
      case 'e':
        session.emails.push(value);
        return;
      case 'p':
        session.phones.push(value);
        return;
      case 'c': {
        const c = decodeConnection(value) ?? fail('<nettype> <addrtype> <address>');
        if (media) media.connections.push(c);
        else session.connection = c;
        return;
      }
      case 'b': {
        const b = /^([A-Za-z0-9_.-]+):(\d+)$/.exec(value) ?? fail('<type>:<bandwidth>');
        (media ? media.bandwidths : session.bandwidths).push({ type: b[1] as string, value: Number(b[2]) });
        return;
      }
      case 't': {
        const t = /^(\d+) (\d+)$/.exec(value) ?? fail('<start> <stop>');
        session.timing.push({ start: t[1] as string, stop: t[2] as string, repeats: [] });
        return;
      }
      case 'r': {
        const last = session.timing[session.timing.length - 1] ?? fail('r= without t=');
        last.repeats.push(value);
        return;
      }
      case 'z':
        session.timeZones = value;
        return;
      case 'k':
        if (media) media.key = value;
        else session.key = value;
        return;
      case 'a': {
        const a = decodeAttribute(value) ?? fail('attribute name');
        (media ? media.attributes : session.attributes).push(a);
        return;
      }
      case 'm': {
        const f = /^([A-Za-z0-9_-]+) (\d+)(?:\/(\d+))? ([A-Za-z0-9/._-]+)((?: \S+)*)$/.exec(value) ?? fail('<media> <port> <proto> <fmt> ...');
        const port = Number(f[2]);
        if (port > 65535) fail('port out of range');
        if (media) session.media.push(media);
        media = {
          type: f[1] as string,
          port,
          proto: f[4] as string,
          formats: (f[5] as string).trim() === '' ? [] : (f[5] as string).trim().split(' '),
          connections: [],
          bandwidths: [],
          attributes: [],
        };
        if (f[3] !== undefined) media.portCount = Number(f[3]);
        return;
      }
      default:
        return;
    }
  });
  if (media) session.media.push(media);
  if (session.version === undefined) throw new DecodeError('missing v=', 0);
  if (!session.origin) throw new DecodeError('missing o=', 0);
  if (session.sessionName === undefined) throw new DecodeError('missing s=', 0);
  if (session.timing.length === 0) throw new DecodeError('missing t=', 0);
  // RFC 4566 §5.7: every media needs a connection address, at session or media level.
  for (const md of session.media) {
    if (!session.connection && md.connections.length === 0 && md.port !== 0) throw new DecodeError(`m=${md.type} has no c= line`, 0);
  }
  return session as SessionDescription;
}

function decodeConnection(value: string): SdpConnection | undefined {
  const f = value.split(' ');
  if (f.length !== 3 || f.some((x) => x === '')) return undefined;
  return { netType: f[0] as string, addrType: f[1] as string, address: f[2] as string };
}

function decodeAttribute(value: string): SdpAttribute | undefined {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return undefined;
  return colon < 0 ? { name } : { name, value: value.slice(colon + 1) };
}

/** RFC 4566 §5: encodes in the mandated order with CRLF line ends. */
export function encodeSdp(sd: SessionDescription): string {
  const out: string[] = [];
  const o = sd.origin;
  out.push(`v=${sd.version}`);
  out.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`);
  out.push(`s=${sd.sessionName}`);
  if (sd.information !== undefined) out.push(`i=${sd.information}`);
  if (sd.uri !== undefined) out.push(`u=${sd.uri}`);
  for (const e of sd.emails) out.push(`e=${e}`);
  for (const p of sd.phones) out.push(`p=${p}`);
  if (sd.connection) out.push(encodeConnection(sd.connection));
  for (const b of sd.bandwidths) out.push(`b=${b.type}:${b.value}`);
  for (const t of sd.timing) {
    out.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) out.push(`r=${r}`);
  }
  if (sd.timeZones !== undefined) out.push(`z=${sd.timeZones}`);
  if (sd.key !== undefined) out.push(`k=${sd.key}`);
  for (const a of sd.attributes) out.push(encodeAttribute(a));
  for (const m of sd.media) {
    const port = m.portCount === undefined ? `${m.port}` : `${m.port}/${m.portCount}`;
    out.push(`m=${m.type} ${port} ${m.proto}${m.formats.map((f) => ` ${f}`).join('')}`);
    if (m.information !== undefined) out.push(`i=${m.information}`);
    for (const c of m.connections) out.push(encodeConnection(c));
    for (const b of m.bandwidths) out.push(`b=${b.type}:${b.value}`);
    if (m.key !== undefined) out.push(`k=${m.key}`);
    for (const a of m.attributes) out.push(encodeAttribute(a));
  }
  return out.join('\r\n') + '\r\n';
}

function encodeConnection(c: SdpConnection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

function encodeAttribute(a: SdpAttribute): string {
  return a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`;
}
