/**
 * Which local address a unit's outgoing connection binds to (provisioning fetches, syslog).
 */
import net from 'node:net';

/**
 * Send from the unit's own address when that can reach the server: a loopback unit (fleets on
 * 127.0.0.x) binds only for loopback servers; a wildcard address never binds.
 */
export function localAddressFor(address: string, host: string): string | undefined {
  if (address === '0.0.0.0' || address === '::' || address === '') return undefined;
  const loop = (a: string): boolean => a.startsWith('127.') || a === '::1' || a === 'localhost';
  const h = host.replace(/^\[|\]$/g, '');
  if (loop(address)) return loop(h) && net.isIP(h) === net.isIP(address) ? address : undefined;
  return net.isIP(h) !== 0 && net.isIP(h) !== net.isIP(address) ? undefined : address;
}
