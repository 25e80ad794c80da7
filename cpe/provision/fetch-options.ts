/**
 * The fetch options a unit's settings give (reference §1.3, §2): P1360/P1361 credentials, the
 * User-Agent, P2386/P2486 trusted CAs as P8502 selects them, P8463 certificate validation and
 * P22030 host name verification.
 */
import net from 'node:net';
import type { ServiceContext } from '../service';
import type { FetchOptions } from './fetch/fetcher';

/** Config files are small; firmware images are not. */
export const CONFIG_LIMITS = { timeoutMs: 30_000, maxBytes: 1 << 20 };
export const FIRMWARE_LIMITS = { timeoutMs: 300_000, maxBytes: 256 << 20 };

/** `Grandstream Model HW HT813 V1.0A SW 1.0.7.1 DevId 000b82123456` (reference §2). */
export function userAgent(identity: ServiceContext['identity']): string {
  return `Grandstream Model HW ${identity.model} ${identity.hardwareVersion} SW ${identity.firmwareVersion} DevId ${identity.mac}`;
}

export function fetchOptionsFor(
  ctx: Pick<ServiceContext, 'store' | 'identity' | 'clock' | 'random' | 'network'>,
  url: URL,
  limits: { timeoutMs: number; maxBytes: number },
): FetchOptions {
  const get = (id: number): string => ctx.store.get(id);
  const user = get(1360);
  const caSel = get(8502); // 0 built-in, 1 custom only, 2 all
  const ca = caSel === '0' ? [] : [get(2386), get(2486)].filter((p) => p.trim() !== '');
  return {
    ...limits,
    credentials: user !== '' ? { user, password: get(1361) } : undefined,
    userAgent: userAgent(ctx.identity),
    ca,
    caOnly: caSel === '1' && ca.length > 0,
    verifyTls: get(8463) !== '0',
    verifyHost: get(22030) !== '0',
    localAddress: localAddressFor(ctx.network.address, url.hostname),
    clock: ctx.clock,
    random: ctx.random,
  };
}

/**
 * Send from the unit's own address when that can reach the server: a loopback unit (fleets on
 * 127.0.0.x) binds only for loopback servers; a wildcard address never binds.
 */
function localAddressFor(address: string, host: string): string | undefined {
  if (address === '0.0.0.0' || address === '::' || address === '') return undefined;
  const loop = (a: string): boolean => a.startsWith('127.') || a === '::1' || a === 'localhost';
  const h = host.replace(/^\[|\]$/g, '');
  if (loop(address)) return loop(h) && net.isIP(h) === net.isIP(address) ? address : undefined;
  return net.isIP(h) !== 0 && net.isIP(h) !== net.isIP(address) ? undefined : address;
}
