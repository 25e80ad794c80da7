/**
 * The SNMP P-values (reference §1.2 "SNMP block", P21896-P21916) as settings. Pure: a getter in,
 * settings and the reasons a part is unusable out. Problems never quote a key or a community.
 */
import net from 'node:net';
import type { SnmpVersion } from './snmp-message';
import type { SecurityLevel } from './usm';
import type { AuthProtocol, PrivProtocol } from './usm-crypto';

export const P = {
  enable: 21896,
  trapHost: 21897,
  trapPort: 21898,
  trapVersion: 21899,
  trapCommunity: 21900,
  trapInterval: 21901,
  community: 21902,
  port: 21903,
  version: 21904,
  user: 21905,
  authProtocol: 21906,
  privProtocol: 21907,
  authKey: 21908,
  privKey: 21909,
  level: 21910,
  trapUser: 21911,
  trapAuthProtocol: 21912,
  trapPrivProtocol: 21913,
  trapAuthKey: 21914,
  trapPrivKey: 21915,
  trapLevel: 21916,
} as const;

export const SNMP_PVALUES: ReadonlySet<number> = new Set(Object.values(P));

/** RFC 3414 §11.2: passwords shorter than 8 characters are refused (as net-snmp does). */
export const MIN_PASSWORD_LENGTH = 8;

export interface UsmUserConfig {
  readonly name: string;
  readonly level: SecurityLevel;
  readonly auth?: AuthProtocol;
  readonly priv?: PrivProtocol;
  readonly authKey: string;
  readonly privKey: string;
}

export interface TrapSettings {
  /** Host name or IP literal (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  readonly version: SnmpVersion;
  readonly community: string;
  /** v3 traps: the trap user; undefined when unusable (see problems). */
  readonly user?: UsmUserConfig;
  readonly intervalMinutes: number;
}

export interface SnmpSettings {
  readonly enabled: boolean;
  /** P21903, before the fleet offset. */
  readonly port: number;
  readonly version: SnmpVersion;
  readonly community: string;
  /** v3 agent user; undefined when none or unusable. */
  readonly user?: UsmUserConfig;
  /** Traps go out only when SNMP is on and P21897 names a destination. */
  readonly trap?: TrapSettings;
  readonly problems: readonly string[];
}

const VERSIONS: Readonly<Record<string, SnmpVersion>> = { '1': 'v1', '2': 'v2c', '3': 'v3' };
const LEVELS: readonly SecurityLevel[] = ['noAuthNoPriv', 'authNoPriv', 'authPriv'];
const AUTH: Readonly<Record<string, AuthProtocol>> = { '1': 'md5', '2': 'sha' };
const PRIV: Readonly<Record<string, PrivProtocol>> = { '1': 'des', '2': 'aes' };

interface UserPValues {
  readonly label: string;
  readonly name: number;
  readonly level: number;
  readonly auth: number;
  readonly priv: number;
  readonly authKey: number;
  readonly privKey: number;
}

const AGENT_USER: UserPValues = { label: 'SNMPv3 user', name: P.user, level: P.level, auth: P.authProtocol, priv: P.privProtocol, authKey: P.authKey, privKey: P.privKey };
const TRAP_USER: UserPValues = { label: 'SNMPv3 trap user', name: P.trapUser, level: P.trapLevel, auth: P.trapAuthProtocol, priv: P.trapPrivProtocol, authKey: P.trapAuthKey, privKey: P.trapPrivKey };

/** A v3 user from its six P-values, or the reason it cannot be used. */
export function usmUserConfig(get: (id: number) => string, u: UserPValues, desAvailable: boolean): UsmUserConfig | string {
  const name = get(u.name);
  if (name === '') return `P${u.name} (${u.label}) is empty`;
  if (Buffer.byteLength(name, 'utf8') > 32) return `P${u.name} (${u.label}) is longer than 32 octets (RFC 3414 §2.4)`;
  const level = LEVELS[Number(get(u.level))] ?? 'noAuthNoPriv';
  const authKey = get(u.authKey);
  const privKey = get(u.privKey);
  if (level === 'noAuthNoPriv') return { name, level, authKey: '', privKey: '' };
  const auth = AUTH[get(u.auth)];
  if (!auth) return `P${u.level} asks for authentication but P${u.auth} is None`;
  if (authKey.length < MIN_PASSWORD_LENGTH) return `P${u.authKey} (authentication key) is shorter than ${MIN_PASSWORD_LENGTH} characters (RFC 3414 §11.2)`;
  if (level === 'authNoPriv') return { name, level, auth, authKey, privKey: '' };
  const priv = PRIV[get(u.priv)];
  if (!priv) return `P${u.level} asks for privacy but P${u.priv} is None`;
  if (priv === 'des' && !desAvailable) return `P${u.priv} = DES refused: DES-CBC is not available in this OpenSSL`;
  if (privKey.length < MIN_PASSWORD_LENGTH) return `P${u.privKey} (privacy key) is shorter than ${MIN_PASSWORD_LENGTH} characters (RFC 3414 §11.2)`;
  return { name, level, auth, priv, authKey, privKey };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; the port defaults to P21898. */
export function parseTrapDestination(v: string, defaultPort: number): { host: string; port: number } | string {
  const s = v.trim();
  let host = s;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) [host, port] = [bracket[1]!, bracket[2]];
  else if (!net.isIPv6(s)) {
    const m = /^([^:\s/]+)(?::(\d+))?$/.exec(s);
    if (!m) return `P${P.trapHost} (trap destination) is not host or host:port`;
    [host, port] = [m[1]!, m[2]];
  }
  const n = port === undefined ? defaultPort : Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) return `P${P.trapHost} (trap destination): port out of range`;
  return { host, port: n };
}

export function snmpSettings(get: (id: number) => string, desAvailable: boolean): SnmpSettings {
  const problems: string[] = [];
  const enabled = get(P.enable) === '1';
  const version = VERSIONS[get(P.version)] ?? 'v3';
  const community = get(P.community);
  let user: UsmUserConfig | undefined;
  if (enabled && version === 'v3') {
    const u = usmUserConfig(get, AGENT_USER, desAvailable);
    if (typeof u === 'string') problems.push(`${u}: v3 requests are refused`);
    else user = u;
  }
  if (enabled && version !== 'v3' && community === '') problems.push(`P${P.community} (community) is empty: every v1/v2c request is refused`);
  let trap: TrapSettings | undefined;
  const dest = get(P.trapHost).trim();
  if (enabled && dest !== '') {
    const d = parseTrapDestination(dest, Number(get(P.trapPort)) || 162);
    const tVersion = VERSIONS[get(P.trapVersion)] ?? 'v2c';
    const intervalMinutes = Math.min(1440, Math.max(1, Number(get(P.trapInterval)) || 5));
    if (typeof d === 'string') problems.push(`${d}: no traps are sent`);
    else if (tVersion === 'v3') {
      const u = usmUserConfig(get, TRAP_USER, desAvailable);
      if (typeof u === 'string') problems.push(`${u}: no traps are sent`);
      else trap = { ...d, version: tVersion, community: '', user: u, intervalMinutes };
    } else trap = { ...d, version: tVersion, community: get(P.trapCommunity), intervalMinutes };
  }
  return { enabled, port: Number(get(P.port)) || 161, version, community, ...(user ? { user } : {}), ...(trap ? { trap } : {}), problems };
}
