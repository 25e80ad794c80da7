/**
 * What the unit presents and trusts on its CWMP and transfer connections: its User-Agent
 * (reference §2 form), the CAs per P8502 (built-in / custom P2386, P2486 / all), and the
 * provisioning downloader set up with them.
 */
import tls from 'node:tls';
import type { ParamStore } from '../params/store';
import type { DeviceIdentity, ServiceContext } from '../service';
import { provisionDownloader } from './provision-downloader';
import type { Downloader } from './transfer-backend';

export function unitUserAgent(i: DeviceIdentity): string {
  return `Grandstream Model HW ${i.model} ${i.hardwareVersion} SW ${i.firmwareVersion} DevId ${i.mac}`;
}

/** undefined = Node's bundled roots only. */
export function trustedCas(s: ParamStore, extra: readonly string[] = []): string[] | undefined {
  const which = s.catalogue.has(8502) ? s.get(8502) : '0';
  const custom = [2386, 2486].filter((id) => s.catalogue.has(id)).map((id) => s.get(id)).filter((v) => v.includes('BEGIN CERTIFICATE'));
  if (which === '1') return [...custom, ...extra];
  if (which === '2' || extra.length > 0) return [...tls.rootCertificates, ...custom, ...extra];
  return undefined;
}

export function unitDownloader(c: ServiceContext, extraCa?: readonly string[], verifyTls?: boolean): Downloader {
  const ca = trustedCas(c.store, extraCa);
  return provisionDownloader({
    store: c.store,
    mac: c.identity.mac,
    model: c.identity.model,
    runningVersion: c.identity.firmwareVersion,
    dataDir: c.dataDir,
    log: c.log,
    clock: c.clock,
    random: c.random,
    userAgent: unitUserAgent(c.identity),
    ...(ca ? { ca } : {}),
    ...(c.store.catalogue.has(8502) && c.store.get(8502) === '1' ? { caOnly: true } : {}),
    ...(verifyTls === false ? { verifyTls: false } : {}),
  });
}
