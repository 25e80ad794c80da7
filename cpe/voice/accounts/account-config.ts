/**
 * An account's settings, read from its P-values (reference §1.7: profile 1 = FXS column, profile 2 =
 * FXO column). One table names every P-number each account reads, so a change event touching any
 * of them re-registers exactly that account.
 */
import type { ParamStore } from '../../params/store';
import type { TransportProtocol } from '../sip/transport/transport';
import { dnsModeFromP, type DnsMode } from '../sip/transport/locator';
import { timersFromPValues } from '../sip/transaction/timers';
import { tlsVersions, type TlsVersions } from '../../shared/tls-versions';
import type { SipTimers } from '../sip/transaction/timers';

export type Profile = 1 | 2;

/** [FXS, FXO] P-numbers of each setting. */
export const P = {
  active: [271, 401],
  primaryServer: [47, 747],
  failoverServer: [967, 987],
  preferPrimaryServer: [4567, 4568],
  outboundProxy: [48, 748],
  backupProxy: [2333, 2433],
  preferPrimaryProxy: [28096, 28097],
  transport: [130, 830],
  sipsWithTls: [2329, 2429],
  natTraversal: [52, 730],
  userId: [35, 735],
  authId: [36, 736],
  password: [34, 734],
  displayName: [3, 703],
  dnsMode: [103, 702],
  srvUseRegisteredIp: [28092, 28093],
  registration: [31, 731],
  unregisterOnReboot: [81, 752],
  expiresMinutes: [32, 732],
  reregisterBefore: [2330, 2430],
  retryWait: [138, 471],
  retryWait403: [26002, 26102],
  optionsKeepAlive: [2397, 2497],
  optionsInterval: [2398, 2498],
  optionsMaxLost: [2399, 2499],
  localPort: [40, 740],
  randomPort: [20501, 20502],
  removeObpFromRoute: [4562, 4563],
  instanceId: [288, 489],
  userAgent: [29071, 29171],
  userAgentPostfix: [4834, 4835],
  t1: [209, 440],
  t2: [250, 441],
  timerD: [2387, 2487],
  allowNotifyReset: [26015, 26115],
  proxyRequire: [197, 792],
  natIp: [101, 866],
  authOnFirstRegister: [2359, 2459],
  tlsCheckDomain: [2311, 2411],
  tlsCheckChain: [2367, 2467],
} as const satisfies Record<string, readonly [number, number]>;

/** Global P-values both accounts read. */
export const GLOBAL_P = { stunServer: 76, keepAliveInterval: 84, disableNotifyAuth: 4428, trustedCaA: 2386, trustedCaB: 2486, allowDhcp120: 1411, tlsMin: 22293, tlsMax: 22294 } as const;

export function accountPValues(profile: Profile): Set<number> {
  const s = new Set<number>(Object.values(GLOBAL_P));
  for (const pair of Object.values(P)) s.add(pair[profile - 1] as number);
  return s;
}

export interface HostSpec {
  host: string;
  port?: number;
}

export interface AccountConfig {
  profile: Profile;
  active: boolean;
  /** P31/P731: send REGISTER at all (0 = the account may still place calls, unregistered). */
  register: boolean;
  /** P197/P792: option tags sent in Proxy-Require (RFC 3261 §20.29) on REGISTER and INVITE; empty = none. */
  proxyRequire: string;
  /** P2359/P2459: the first REGISTER already carries an Authorization header (empty nonce and response). */
  authOnFirstRegister: boolean;
  servers: HostSpec[];
  preferPrimaryServer: boolean;
  proxies: HostSpec[];
  preferPrimaryProxy: boolean;
  protocol: TransportProtocol;
  sips: boolean;
  nat: 'none' | 'stun' | 'keep-alive' | 'upnp';
  /** P101/P866: the address a static NAT gives this unit, written in Contact and SDP ('' none). */
  natIp: string;
  userId: string;
  authId: string;
  password: string;
  displayName: string;
  dnsMode: DnsMode;
  /** P28092: calls go to the address registered with (1), or to a fresh lookup of the server (0). */
  callsUseRegisteredAddress: boolean;
  expiresSeconds: number;
  reregisterBeforeSeconds: number;
  retrySeconds: number;
  retry403Seconds: number;
  optionsKeepAlive: boolean;
  optionsIntervalSeconds: number;
  optionsMaxLost: number;
  localPort: number;
  randomPort: boolean;
  removeObpFromRoute: boolean;
  instanceId: boolean;
  userAgent: string;
  timers: SipTimers;
  unregisterOnReboot: boolean;
  allowNotifyReset: boolean;
  notifyAuth: boolean;
  stunServer: HostSpec | undefined;
  keepAliveSeconds: number;
  trustedCas: string[];
  /** P2311/P2411: the TLS server's certificate must name the server. */
  tlsCheckDomain: boolean;
  /** P2367/P2467: the TLS server's certificate chain must lead to a trusted CA. */
  tlsCheckChain: boolean;
  /** P22293/P22294: the TLS versions (cpe/shared/tls-versions.ts). */
  tlsVersions: TlsVersions;
}

/** host[:port] or [v6]:port as entered on the web page; a leading sip: is tolerated. */
export function parseHostSpec(s: string): HostSpec | undefined {
  const v = s.trim().replace(/^sips?:/i, '');
  if (v === '') return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(v);
  if (!m) return { host: v };
  return m[2] !== undefined ? { host: m[1] as string, port: Number(m[2]) } : { host: m[1] as string };
}

/**
 * The SIP servers of DHCP option 120 (RFC 3361) as the unit's DHCP client decoded them: names or
 * IPv4 addresses, comma- or space-separated, most preferred first (§3.1).
 */
export function dhcpSipServers(option120: string | undefined): HostSpec[] {
  return (option120 ?? '').split(/[\s,]+/).map((s) => parseHostSpec(s)).filter((x): x is HostSpec => !!x);
}

/**
 * `dhcpOption120`: what DHCP said in option 120. With P1411 on, its first server replaces the FXS
 * account's primary server (P47); the setting is one global value on the FXS page (user guide,
 * FXS port settings), so the FXO account keeps P747 (our choice). The option carries no port: the
 * server is located by the DNS mode (P103) as a name without a port is.
 */
export function readAccountConfig(store: ParamStore, profile: Profile, firmwareVersion: string, portOffset = 0, dhcpOption120?: string): AccountConfig {
  const i = profile - 1;
  const get = (pair: readonly [number, number]): string => store.get(pair[i] as number);
  const int = (pair: readonly [number, number], dflt: number): number => {
    const n = Number(get(pair));
    return Number.isFinite(n) && get(pair) !== '' ? n : dflt;
  };
  const bool = (pair: readonly [number, number]): boolean => get(pair) === '1';
  const fromDhcp = profile === 1 && store.get(GLOBAL_P.allowDhcp120) === '1' ? dhcpSipServers(dhcpOption120)[0] : undefined;
  const servers = [fromDhcp ?? parseHostSpec(get(P.primaryServer)), parseHostSpec(get(P.failoverServer))].filter((x): x is HostSpec => !!x);
  const proxies = [parseHostSpec(get(P.outboundProxy)), parseHostSpec(get(P.backupProxy))].filter((x): x is HostSpec => !!x);
  const t = int(P.transport, 0);
  const nat = (['none', 'stun', 'keep-alive', 'upnp'] as const)[int(P.natTraversal, 0)] ?? 'none';
  const userId = get(P.userId);
  const ua = get(P.userAgent).trim();
  const postfix = get(P.userAgentPostfix).trim();
  return {
    profile,
    active: bool(P.active),
    servers,
    preferPrimaryServer: bool(P.preferPrimaryServer),
    proxies,
    preferPrimaryProxy: bool(P.preferPrimaryProxy),
    protocol: t === 1 ? 'tcp' : t === 2 ? 'tls' : 'udp',
    sips: t === 2 && bool(P.sipsWithTls),
    nat,
    natIp: get(P.natIp).trim(),
    userId,
    authId: get(P.authId) || userId,
    password: get(P.password),
    displayName: get(P.displayName),
    dnsMode: dnsModeFromP(int(P.dnsMode, 0)),
    callsUseRegisteredAddress: bool(P.srvUseRegisteredIp),
    expiresSeconds: Math.max(1, int(P.expiresMinutes, 60)) * 60,
    reregisterBeforeSeconds: int(P.reregisterBefore, 0),
    retrySeconds: Math.max(1, int(P.retryWait, 20)),
    retry403Seconds: int(P.retryWait403, 1200),
    optionsKeepAlive: bool(P.optionsKeepAlive) && get(P.registration) !== '0',
    optionsIntervalSeconds: Math.max(1, int(P.optionsInterval, 30)),
    optionsMaxLost: Math.max(1, int(P.optionsMaxLost, 3)),
    localPort: int(P.localPort, profile === 1 ? 5060 : 5062) + portOffset,
    randomPort: bool(P.randomPort),
    removeObpFromRoute: bool(P.removeObpFromRoute),
    instanceId: bool(P.instanceId),
    userAgent: (ua || `Grandstream HT813 ${firmwareVersion}`) + (postfix ? ` ${postfix}` : ''),
    timers: timersFromPValues(int(P.t1, 50), int(P.t2, 400), int(P.timerD, 0)),
    unregisterOnReboot: bool(P.unregisterOnReboot),
    allowNotifyReset: bool(P.allowNotifyReset),
    notifyAuth: store.get(GLOBAL_P.disableNotifyAuth) !== '1',
    stunServer: parseHostSpec(store.get(GLOBAL_P.stunServer)),
    keepAliveSeconds: Math.max(10, Number(store.get(GLOBAL_P.keepAliveInterval)) || 20),
    trustedCas: [store.get(GLOBAL_P.trustedCaA), store.get(GLOBAL_P.trustedCaB)].filter((c) => c.includes('BEGIN CERTIFICATE')),
    register: get(P.registration) !== '0',
    proxyRequire: get(P.proxyRequire).trim(),
    authOnFirstRegister: bool(P.authOnFirstRegister),
    tlsCheckDomain: bool(P.tlsCheckDomain),
    tlsCheckChain: bool(P.tlsCheckChain),
    tlsVersions: tlsVersions((id) => store.get(id)),
  };
}
