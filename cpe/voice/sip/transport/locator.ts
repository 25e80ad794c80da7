/**
 * Locating SIP servers (RFC 3263 §4): NAPTR → SRV → A/AAAA, or SRV → A, or A only, as P103/P702
 * choose (0 A, 1 SRV, 2 NAPTR/SRV). The resolver is injected (node:dns/promises Resolver in the
 * unit, a table in tests).
 */
import net from 'node:net';
import { TransportError } from '../../../shared/errors';
import type { TransportProtocol, TransportTarget } from './transport';

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface NaptrRecord {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}

export interface DnsResolver {
  resolve4(host: string): Promise<string[]>;
  resolveSrv(name: string): Promise<SrvRecord[]>;
  resolveNaptr(name: string): Promise<NaptrRecord[]>;
}

export type DnsMode = 'a' | 'srv' | 'naptr';

export function dnsModeFromP(v: number): DnsMode {
  return v === 1 ? 'srv' : v === 2 ? 'naptr' : 'a';
}

const NAPTR_SERVICE: Record<TransportProtocol, string> = { udp: 'SIP+D2U', tcp: 'SIP+D2T', tls: 'SIPS+D2T' };
const SRV_PREFIX: Record<TransportProtocol, string> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };

export function defaultPort(p: TransportProtocol): number {
  return p === 'tls' ? 5061 : 5060;
}

/** The ordered list of targets to try for host[:port] over the given transport. */
export async function locate(host: string, port: number | undefined, protocol: TransportProtocol, mode: DnsMode, dns: DnsResolver): Promise<TransportTarget[]> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const serverName = host;
  if (net.isIP(bare)) return [{ protocol, address: bare, port: port ?? defaultPort(protocol), serverName: bare }];
  if (bare.toLowerCase() === 'localhost') return [{ protocol, address: '127.0.0.1', port: port ?? defaultPort(protocol), serverName }];
  // §4.2: an explicit port means an A lookup only
  if (port !== undefined || mode === 'a') return aTargets(bare, port ?? defaultPort(protocol), protocol, serverName, dns);
  let srvName = SRV_PREFIX[protocol] + bare;
  if (mode === 'naptr') {
    const naptr = await soft(dns.resolveNaptr(bare));
    const match = naptr
      .filter((r) => r.flags.toLowerCase() === 's' && r.service.toUpperCase() === NAPTR_SERVICE[protocol])
      .sort((a, b) => a.order - b.order || a.preference - b.preference)[0];
    if (match) srvName = match.replacement;
  }
  const srv = (await soft(dns.resolveSrv(srvName))).sort((a, b) => a.priority - b.priority || b.weight - a.weight);
  if (srv.length === 0) return aTargets(bare, defaultPort(protocol), protocol, serverName, dns);
  const out: TransportTarget[] = [];
  for (const r of srv) {
    const addrs = net.isIP(r.name) ? [r.name] : await soft(dns.resolve4(r.name));
    for (const a of addrs) out.push({ protocol, address: a, port: r.port, serverName });
  }
  if (out.length === 0) throw new TransportError(`no address for ${host}`);
  return out;
}

async function aTargets(host: string, port: number, protocol: TransportProtocol, serverName: string, dns: DnsResolver): Promise<TransportTarget[]> {
  let addrs: string[];
  try {
    addrs = await dns.resolve4(host);
  } catch (e) {
    throw new TransportError(`cannot resolve ${host}: ${(e as Error).message}`);
  }
  if (addrs.length === 0) throw new TransportError(`no address for ${host}`);
  return addrs.map((address) => ({ protocol, address, port, serverName }));
}

async function soft<T>(p: Promise<T[]>): Promise<T[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}
