/**
 * Who may reach the web UI at all: WAN-side access P190 with its white and black lists
 * P20701/P20702 (reference §1.2; user guide IVR option 12).
 *
 * A software unit has one interface, the address it binds (ctx.network.address), which plays the
 * WAN port; there is no LAN port. Loopback clients stand for the LAN side / local console and are
 * always let in (an operator on the same machine can never lock himself out). Every other client is
 * a WAN client:
 *   P190 = 0 (No)   refused;
 *   P190 = 1 (Yes)  allowed;
 *   P190 = 2 (Auto) allowed from private addresses only (RFC 1918, RFC 6598, link-local, RFC 4193),
 *                   the way the real unit allows WAN access when its WAN side is a private network.
 * Then, for WAN clients, a non-empty white list must contain the address and the black list must not.
 * Lists are addresses or CIDR IPv4 prefixes separated by commas, semicolons or spaces.
 */
import net from 'node:net';

export interface WanPolicy {
  readonly mode: string; // P190
  readonly whiteList: string; // P20701
  readonly blackList: string; // P20702
}

/** `::ffff:10.0.0.1` → `10.0.0.1`. */
export function plainAddress(addr: string | undefined): string {
  if (!addr) return '';
  return addr.startsWith('::ffff:') && net.isIPv4(addr.slice(7)) ? addr.slice(7) : addr;
}

export function isLoopback(addr: string): boolean {
  return addr === '::1' || /^127\./.test(addr);
}

export function isPrivate(addr: string): boolean {
  if (net.isIPv4(addr)) {
    const [a, b] = addr.split('.').map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = addr.toLowerCase();
  return /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}

/**
 * Undefined when allowed, else the reason (for the 403 page and the log). The same rules hold for
 * SSH and Telnet (cpe/mgmt/), which name themselves in `service`.
 */
export function wanRefusal(client: string, policy: WanPolicy, service = 'web'): string | undefined {
  const addr = plainAddress(client);
  if (isLoopback(addr)) return undefined;
  if (policy.mode === '0') return `${service} access from the WAN side is disabled (P190)`;
  if (policy.mode === '2' && !isPrivate(addr)) return `${service} access from public WAN addresses is off in Auto mode (P190)`;
  const white = listOf(policy.whiteList);
  if (white.length > 0 && !white.some((e) => matches(addr, e))) return 'address not in the WAN white list (P20701)';
  if (listOf(policy.blackList).some((e) => matches(addr, e))) return 'address in the WAN black list (P20702)';
  return undefined;
}

function listOf(s: string): string[] {
  return s.split(/[\s,;]+/).filter((x) => x !== '');
}

function matches(addr: string, entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash < 0) return plainAddress(entry) === addr;
  const base = entry.slice(0, slash);
  const bits = Number(entry.slice(slash + 1));
  if (!net.isIPv4(base) || !net.isIPv4(addr) || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((toInt(base) & mask) >>> 0) === ((toInt(addr) & mask) >>> 0);
}

function toInt(v4: string): number {
  return v4.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}
