import net from 'node:net';
import dgram from 'node:dgram';
import fs from 'node:fs';
import { bindSocket } from '../../cpe/shared/bind-udp';

/**
 * Ports for peers and units under test are taken outside the kernel's ephemeral range: a port the
 * OS picked for `bind(0)` could be handed again to any socket bound to port 0 (a client, a unit
 * on random ports, a peer's helper socket) before the peer that was told to use it binds it.
 * Ports go out in aligned blocks of BLOCK, all free, so a peer may use its port's neighbours
 * (RTCP on port + 1, SIPp's video RTP/RTCP on + 2 and + 3, baresip's TLS on + 1). Blocks handed
 * out in this process are never repeated (peers start in parallel).
 */
const BLOCK = 4;
const handedOut = new Set<number>();

/**
 * Ports the Fetch standard's "bad port" list makes fetch() refuse ("bad port"), at or above our
 * lowest span (10000 and up, plus the ones below for a machine whose span starts lower): a block
 * holding one is skipped, since tests reach unit web servers with fetch().
 */
const FETCH_BAD_PORTS = new Set([1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080]);
let next = 0;

/** The span outside /proc/sys/net/ipv4/ip_local_port_range (Linux default 32768–60999). */
function span(): { lo: number; hi: number } {
  let lo = 32768;
  let hi = 60999;
  try {
    const [a, b] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (a && b) [lo, hi] = [a, b];
  } catch { /* not Linux: keep the default */ }
  if (lo - 1 - 10_000 >= 2_000) return { lo: 10_000, hi: lo - 1 };
  if (65_535 - hi >= 2_000) return { lo: hi + 1, hi: 65_535 };
  // an ephemeral range spanning nearly everything: share it (the bind checks still apply)
  return { lo: 10_000, hi: 65_535 };
}

/**
 * An even port free on 127.0.0.1 for TCP and UDP right now, with its next BLOCK - 1 neighbours,
 * outside the ephemeral range, never given out before.
 */
export async function freePort(): Promise<number> {
  const { lo, hi } = span();
  const first = Math.ceil(lo / BLOCK) * BLOCK;
  const blocks = Math.floor((hi + 1 - first) / BLOCK);
  if (next === 0) next = first + ((process.pid * 7919) % blocks) * BLOCK;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = next;
    next = next + BLOCK > hi + 1 - BLOCK ? first : next + BLOCK;
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (Array.from({ length: BLOCK }, (_, k) => port + k).some((p) => FETCH_BAD_PORTS.has(p))) continue;
    if (await blockFree(port)) return port;
  }
  throw new Error(`no free port block found in ${lo}-${hi}`);
}

async function blockFree(port: number): Promise<boolean> {
  for (let p = port; p < port + BLOCK; p++) if (!(await tcpFree(p)) || (await udpBound(p))) return false;
  return true;
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * True while something holds the UDP port on 127.0.0.1 (a peer listening). The probe socket is
 * closed either way: a socket whose bind failed stays open unless closed (bindSocket does that).
 */
export async function udpBound(port: number): Promise<boolean> {
  const s = dgram.createSocket('udp4');
  try {
    await bindSocket(s, { port, address: '127.0.0.1' });
  } catch {
    return true;
  }
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return false;
}

/** True when something accepts TCP connections on 127.0.0.1:port (a peer listening). */
export function tcpListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
