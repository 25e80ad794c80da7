/**
 * The syslog P-values (reference §1.2) as settings: P207 server (`host` or `host:port`), P208
 * level (0 none, 1 debug, 2 info, 3 warning, 4 error, 5 extra debug), P8402 protocol (0 UDP,
 * 1 TLS), P1387 send SIP log. Syslog is on when P207 names a server and P208 is not 0. Pure.
 */
import net from 'node:net';
import type { LogLevel } from '../shared/log-tap';
import { TLS_VERSION_PVALUES } from '../shared/tls-versions';

export const P = { server: 207, level: 208, protocol: 8402, sipLog: 1387 } as const;
export const SYSLOG_PVALUES: ReadonlySet<number> = new Set(Object.values(P));
/** Trusted CA A / B, which CAs to load (reference §1.3) and the TLS versions (§1.2): they change the TLS channel. */
export const TRUST_PVALUES: ReadonlySet<number> = new Set([2386, 2486, 8502, ...TLS_VERSION_PVALUES]);

/** RFC 5426 §3.3 (UDP) and RFC 5425 §4.1 (TLS). */
export const DEFAULT_PORT = { udp: 514, tls: 6514 } as const;

export type SyslogProtocol = 'udp' | 'tls';

export interface SyslogServer {
  /** A host name or an IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  readonly protocol: SyslogProtocol;
}

export interface SyslogSettings {
  /** undefined: syslog is off (or P207 cannot be read, see `problem`). */
  readonly server: SyslogServer | undefined;
  /** Records from this level up are sent. */
  readonly level: LogLevel | undefined;
  /** P1387: SIP messages too (at severity debug, whatever the level: P1387 asks for them by name). */
  readonly sip: boolean;
  /** Why P207 was not used, when it is set but unusable. */
  readonly problem?: string;
}

/**
 * P208 → the lowest level sent. "Extra debug" (5) is the most verbose, so it reaches down to
 * trace; 1 "debug" stops at debug.
 */
export function levelFromP208(v: string): LogLevel | undefined {
  switch (v) {
    case '1': return 'debug';
    case '2': return 'info';
    case '3': return 'warn';
    case '4': return 'error';
    case '5': return 'trace';
    default: return undefined;
  }
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address. Throws TypeError when unusable. */
export function parseSyslogServer(v: string, protocol: SyslogProtocol): SyslogServer {
  const s = v.trim();
  let host = s;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) {
    host = bracket[1]!;
    port = bracket[2];
  } else if (net.isIPv6(s)) {
    host = s;
  } else {
    const m = /^([^:\s]+)(?::(\d+))?$/.exec(s);
    if (!m) throw new TypeError(`syslog server ${JSON.stringify(v)} is not host or host:port`);
    host = m[1]!;
    port = m[2];
  }
  const n = port === undefined ? DEFAULT_PORT[protocol] : Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new TypeError(`syslog server ${JSON.stringify(v)}: port out of range`);
  if (host.includes('/') || host.length === 0) throw new TypeError(`syslog server ${JSON.stringify(v)} is not host or host:port`);
  return { host, port: n, protocol };
}

export function syslogSettings(get: (id: number) => string): SyslogSettings {
  const level = levelFromP208(get(P.level));
  const raw = get(P.server).trim();
  const protocol: SyslogProtocol = get(P.protocol) === '1' ? 'tls' : 'udp';
  if (raw === '' || level === undefined) return { server: undefined, level: undefined, sip: false };
  const sip = get(P.sipLog) === '1';
  try {
    return { server: parseSyslogServer(raw, protocol), level, sip };
  } catch (e) {
    return { server: undefined, level: undefined, sip: false, problem: (e as Error).message };
  }
}
