/**
 * Where an account's requests go (user guide "Register a SIP Account"): the candidates are the
 * primary and the failover server (P47/P967), each reached through the outbound proxy and then
 * the backup proxy when set (P48/P2333), in that order. The current candidate resolves to a list
 * of addresses (RFC 3263: SRV targets, A records); on failure the next address of the same
 * candidate is tried first (§4.3), then the next candidate not yet tried in this round.
 */
import type { TransportTarget } from '../sip/transport/transport';
import { locate, type DnsResolver } from '../sip/transport/locator';
import type { AccountConfig, HostSpec } from './account-config';

export interface Candidate {
  readonly server: HostSpec;
  /** Where requests physically go (the outbound proxy, else the server). */
  readonly via: HostSpec;
  readonly proxied: boolean;
}

export function hostText(h: HostSpec): string {
  return h.port !== undefined ? `${h.host}:${h.port}` : h.host;
}

export function buildCandidates(cfg: Pick<AccountConfig, 'servers' | 'proxies'>): Candidate[] {
  const out: Candidate[] = [];
  for (const server of cfg.servers) {
    if (cfg.proxies.length > 0) for (const p of cfg.proxies) out.push({ server, via: p, proxied: true });
    else out.push({ server, via: server, proxied: false });
  }
  return out;
}

export class ServerTargets {
  private candidates: Candidate[] = [];
  private index = 0;
  private readonly tried = new Set<number>();
  private addresses: TransportTarget[] = [];
  private addressIndex = 0;

  /** New settings: the primary first, a fresh round, nothing resolved. */
  reset(cfg: Pick<AccountConfig, 'servers' | 'proxies'>): void {
    this.candidates = buildCandidates(cfg);
    this.index = 0;
    this.tried.clear();
    this.addresses = [];
    this.addressIndex = 0;
  }

  get count(): number {
    return this.candidates.length;
  }

  /** The candidate in use (undefined when no server is configured). */
  get current(): Candidate | undefined {
    return this.candidates[this.index];
  }

  /** The first candidate's server when none is current (the AOR's domain). */
  get server(): HostSpec | undefined {
    return (this.candidates[this.index] ?? this.candidates[0])?.server;
  }

  get onPrimary(): boolean {
    return this.index === 0;
  }

  /** The address requests go to now. */
  get target(): TransportTarget | undefined {
    return this.addresses[this.addressIndex];
  }

  /** The current candidate is being tried in this round. */
  markTried(): void {
    this.tried.add(this.index);
  }

  /** A new round of attempts; `toPrimary` starts it from the primary (prefer-primary). */
  newRound(toPrimary: boolean): void {
    this.tried.clear();
    if (toPrimary) this.index = 0;
  }

  /** Resolves the current candidate (RFC 3263); throws the locator's TransportError. */
  async resolve(cfg: Pick<AccountConfig, 'protocol' | 'dnsMode'>, dns: DnsResolver): Promise<TransportTarget | undefined> {
    this.addresses = [];
    this.addressIndex = 0;
    const c = this.current;
    if (!c) return undefined;
    this.addresses = await locate(c.via.host, c.via.port, cfg.protocol, cfg.dnsMode, dns);
    return this.target;
  }

  /** §4.3: moves to the next address of the current candidate, if it has one. */
  nextAddress(): TransportTarget | undefined {
    if (this.addressIndex + 1 >= this.addresses.length) return undefined;
    this.addressIndex++;
    return this.target;
  }

  /** Moves to the next candidate not tried in this round, if any (it must be resolved next). */
  nextCandidate(): Candidate | undefined {
    this.tried.add(this.index);
    const next = this.candidates.findIndex((_c, i) => !this.tried.has(i));
    if (next < 0) return undefined;
    this.index = next;
    this.addresses = [];
    this.addressIndex = 0;
    return this.current;
  }
}
