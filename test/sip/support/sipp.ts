/** SIPp as a scripted registrar (recipe: shared/reference/peers.md §2), on a free port, stopped by pid. */
import dgram from 'node:dgram';
import path from 'node:path';
import { startPeer, type Peer } from '../../support/peer';
import { freePort, udpBound } from '../../support/ports';

export const SCENARIOS = path.join(__dirname, '..', 'sipp');

/** `extra`: more SIPp arguments (e.g. `-key name value` for a scenario's [name]). */
export async function startSipp(scenario: string, port: number, calls = 100, extra: readonly string[] = []): Promise<Peer> {
  const cp = await freePort();
  const args = [
    '-sf', path.join(SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(port), '-ci', '127.0.0.1', '-cp', String(cp),
    '-m', String(calls), '-nostdin', '-timeout', '120s', '-deadcall_wait', '100', ...extra,
  ];
  return startPeer('sipp', args, { timeoutMs: 5000, ready: () => udpBound(port) });
}

/** A UDP socket that swallows everything: a server that does not answer. */
export async function blackHole(port: number): Promise<{ close(): Promise<void>; received: number }> {
  const s = dgram.createSocket('udp4');
  const h = { received: 0, close: () => new Promise<void>((r) => s.close(() => r())) };
  s.on('message', () => h.received++);
  await new Promise<void>((r) => s.bind(port, '127.0.0.1', () => r()));
  return h;
}
