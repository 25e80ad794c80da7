/**
 * The RADIUS web-login P-values (reference §1.2 "RADIUS web-auth block", catalogue web-access.ts)
 * as settings, read afresh at every login so a change applies to the next one. Pure.
 *   P28107 enable; P28108 server (`host` or `host:port`); P28109 port (empty: the port in P28108,
 *   else 1812); P28110 shared secret; P28111 vendor ID of the level attribute (empty: 42397,
 *   Grandstream's enterprise number); P28112 that attribute's vendor type (empty: 1);
 *   P28114 when the server fails: 0 reject, 1 check the local passwords.
 */
import net from 'node:net';

export const P = { enable: 28107, server: 28108, port: 28109, secret: 28110, vendorId: 28111, levelAttribute: 28112, onServerError: 28114 } as const;

/** RFC 2865 §3: the RADIUS authentication port. */
export const DEFAULT_AUTH_PORT = 1812;
/** IANA Private Enterprise Number of Grandstream Networks. */
export const GRANDSTREAM_VENDOR_ID = 42397;
export const DEFAULT_LEVEL_VENDOR_TYPE = 1;

export interface LevelAttribute {
  readonly vendorId: number;
  readonly vendorType: number;
}

export interface RadiusSettings {
  readonly enabled: boolean;
  /** undefined when P28108 is empty or unusable (see `problems`). */
  readonly server: { readonly host: string; readonly port: number } | undefined;
  readonly secret: Buffer;
  /** undefined when P28111 / P28112 cannot be read: every accepted user then gets the default level. */
  readonly levelAttribute: LevelAttribute | undefined;
  readonly onServerError: 'reject' | 'checkLocally';
  /** What is wrong with the settings, for the log (never a secret's value). */
  readonly problems: readonly string[];
}

export function radiusSettings(get: (id: number) => string): RadiusSettings {
  const problems: string[] = [];
  const server = serverOf(get(P.server), get(P.port), problems);
  const secret = Buffer.from(get(P.secret), 'utf8');
  // RFC 2865 §3: the shared secret MUST NOT be empty
  if (secret.length === 0) problems.push('no shared secret (P28110)');
  return {
    enabled: get(P.enable) === '1',
    server,
    secret,
    levelAttribute: levelAttributeOf(get(P.vendorId), get(P.levelAttribute), problems),
    onServerError: get(P.onServerError) === '0' ? 'reject' : 'checkLocally',
    problems,
  };
}

function serverOf(raw: string, portRaw: string, problems: string[]): RadiusSettings['server'] {
  const s = raw.trim();
  if (s === '') {
    problems.push('no RADIUS server (P28108)');
    return undefined;
  }
  let host: string;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  const plain = /^([^:\s/[\]]+)(?::(\d+))?$/.exec(s);
  if (bracket) [host, port] = [bracket[1]!, bracket[2]];
  else if (net.isIPv6(s)) host = s;
  else if (plain) [host, port] = [plain[1]!, plain[2]];
  else {
    problems.push(`RADIUS server ${JSON.stringify(s)} is not host or host:port (P28108)`);
    return undefined;
  }
  const p = portRaw.trim() !== '' ? portRaw.trim() : port;
  const n = p === undefined ? DEFAULT_AUTH_PORT : Number(p);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    problems.push(`RADIUS port ${JSON.stringify(p)} is not 1..65535 (P28109)`);
    return undefined;
  }
  return { host, port: n };
}

function levelAttributeOf(vendorRaw: string, typeRaw: string, problems: string[]): LevelAttribute | undefined {
  const vendorId = vendorRaw.trim() === '' ? GRANDSTREAM_VENDOR_ID : Number(vendorRaw.trim());
  const vendorType = typeRaw.trim() === '' ? DEFAULT_LEVEL_VENDOR_TYPE : Number(typeRaw.trim());
  // RFC 2865 §5.26: the Vendor-Id's high-order octet is 0
  if (!/^\d*$/.test(vendorRaw.trim()) || !Number.isInteger(vendorId) || vendorId < 1 || vendorId > 0xffffff) {
    problems.push(`vendor ID ${JSON.stringify(vendorRaw)} is not an enterprise number 1..16777215 (P28111): the level attribute is not read`);
    return undefined;
  }
  if (!/^\d*$/.test(typeRaw.trim()) || !Number.isInteger(vendorType) || vendorType < 1 || vendorType > 255) {
    problems.push(`access level attribute ${JSON.stringify(typeRaw)} is not a vendor type 1..255 (P28112): the level attribute is not read`);
    return undefined;
  }
  return { vendorId, vendorType };
}
