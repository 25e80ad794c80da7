/**
 * The addresses an account's SIP servers and outbound proxies stand for (primary and failover
 * server P47/P967, outbound and backup proxy P48/P2333; the FXO column alike), for P243/P743
 * "accept incoming SIP from proxy only". Each configured host is located as a registration
 * locates it (RFC 3263 with the account's DNS mode and transport), so every SRV target and every
 * A record counts. A lookup that fails keeps that host's previous addresses. Only the address is
 * compared, not the port: a proxy's TCP/TLS connections come from ephemeral ports, and a UDP
 * proxy may send from another port than the one it listens on.
 */
import net from 'node:net';
import { locate, type DnsResolver } from '../sip/transport/locator';
import type { AccountConfig } from './account-config';
import { hostText } from './server-targets';

/** An address as compared: no IPv6 brackets, IPv4-mapped IPv6 as plain IPv4, lower case. */
export function normaliseAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  return mapped ? (mapped[1] as string) : bare;
}

export class TrustedSources {
  private readonly byHost = new Map<string, readonly string[]>();
  /** A lookup has been started: until then (P243 off) the account spends nothing on it. */
  looked = false;

  /**
   * Locates every server and proxy again. IP literals are known at once (before the first await),
   * so a request that arrives while names are still being looked up is judged against them.
   */
  async refresh(cfg: Pick<AccountConfig, 'servers' | 'proxies' | 'protocol' | 'dnsMode'>, dns: DnsResolver): Promise<void> {
    this.looked = true;
    const hosts = [...cfg.servers, ...cfg.proxies];
    const wanted = new Set(hosts.map(hostText));
    for (const key of [...this.byHost.keys()]) if (!wanted.has(key)) this.byHost.delete(key);
    for (const h of hosts) {
      const bare = h.host.replace(/^\[|\]$/g, '');
      if (net.isIP(bare)) this.byHost.set(hostText(h), [normaliseAddress(bare)]);
    }
    await Promise.all(
      hosts.map(async (h) => {
        try {
          const targets = await locate(h.host, h.port, cfg.protocol, cfg.dnsMode, dns);
          this.byHost.set(hostText(h), targets.map((t) => normaliseAddress(t.address)));
        } catch {
          // keep what the last lookup of this host found
        }
      }),
    );
  }

  has(address: string): boolean {
    const a = normaliseAddress(address);
    for (const list of this.byHost.values()) if (list.includes(a)) return true;
    return false;
  }

  /** Every trusted address (status, logs, tests). */
  addresses(): string[] {
    return [...new Set([...this.byHost.values()].flat())];
  }
}
