/**
 * The fetch options a unit's settings give (reference §1.3, §2): P1360/P1361 credentials, the
 * User-Agent, P2386/P2486 trusted CAs as P8502 selects them, P8463 certificate validation and
 * P22030 host name verification, P22293/P22294 TLS versions.
 */
import type { ServiceContext } from '../service';
import { localAddressFor } from '../shared/local-address';
import type { FetchOptions } from './fetch/fetcher';
import { tlsVersions } from '../shared/tls-versions';

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
    tlsVersions: tlsVersions(get),
    localAddress: localAddressFor(ctx.network.address, url.hostname),
    clock: ctx.clock,
    random: ctx.random,
  };
}
