/**
 * TR-069 Download on the provisioning code (one fetcher, one codec per format, one firmware path):
 * FileType 3 → fetchUrl + applyConfigFile (one batch, source 'cwmp', so it raises no VALUE CHANGE);
 * FileType 1 → fetchUrl + installFirmware (then the unit reboots). Failures become CWMP faults.
 */
import type { KeyObject } from 'node:crypto';
import type { ParamStore } from '../params/store';
import { applyConfigFile } from '../provision/apply-config';
import { fetchUrl as defaultFetchUrl, type FetchFn } from '../provision/fetch/fetch-url';
import { FetchError } from '../provision/fetch/fetcher';
import { installFirmware } from '../provision/firmware/install';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import { CwmpFault } from './faults';
import { FETCH_FAULT, FIRMWARE_FAULT } from './transfer-faults';
import { FT_CONFIG, FT_FIRMWARE, type Downloader } from './transfer-backend';
import type { DownloadRequest } from './transfers';
import { tlsVersions } from '../shared/tls-versions';

export interface ProvisionDownloaderDeps {
  readonly store: ParamStore;
  readonly mac: string;
  readonly model: string;
  readonly runningVersion: string;
  readonly dataDir: string;
  readonly log: Logger;
  readonly clock: Clock;
  readonly random: Random;
  readonly userAgent: string;
  readonly ca?: readonly string[];
  readonly caOnly?: boolean;
  readonly verifyTls?: boolean;
  readonly localAddress?: string;
  readonly fetch?: FetchFn;
  readonly trustedKeys?: readonly KeyObject[];
}

export const MAX_CONFIG_BYTES = 1 << 20;
export const MAX_FIRMWARE_BYTES = 64 << 20;

export function provisionDownloader(d: ProvisionDownloaderDeps): Downloader {
  const fetch = d.fetch ?? defaultFetchUrl;
  const get = async (req: DownloadRequest, maxBytes: number): Promise<Buffer> => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new CwmpFault(9003, 'not a URL');
    }
    try {
      return await fetch(url, {
        timeoutMs: 120_000,
        maxBytes,
        ...(req.username || req.password ? { credentials: { user: req.username, password: req.password } } : {}),
        userAgent: d.userAgent,
        ...(d.ca ? { ca: d.ca } : {}),
        ...(d.caOnly ? { caOnly: true } : {}),
        ...(d.verifyTls === false ? { verifyTls: false } : {}),
        ...(d.localAddress ? { localAddress: d.localAddress } : {}),
        tlsVersions: tlsVersions((id) => d.store.get(id)),
        clock: d.clock,
        random: d.random,
      });
    } catch (e) {
      if (e instanceof FetchError) throw new CwmpFault(FETCH_FAULT[e.kind], e.message);
      throw new CwmpFault(9010, e instanceof Error ? e.message : String(e));
    }
  };
  return {
    types: [FT_FIRMWARE, FT_CONFIG],
    download: async (req) => {
      if (req.fileType === FT_CONFIG) {
        const bytes = await get(req, MAX_CONFIG_BYTES);
        const r = applyConfigFile(bytes, { store: d.store, mac: d.mac, log: d.log, url: req.url, source: 'cwmp' });
        if (!r.ok) throw new CwmpFault(9018, r.reason ?? 'config file rejected');
        return { rebootRequired: r.rebootRequired };
      }
      if (req.fileType === FT_FIRMWARE) {
        const bytes = await get(req, MAX_FIRMWARE_BYTES);
        const r = installFirmware(bytes, {
          dataDir: d.dataDir,
          model: d.model,
          runningVersion: d.runningVersion,
          log: d.log,
          force: true,
          url: req.url,
          ...(d.trustedKeys ? { trustedKeys: d.trustedKeys } : {}),
        });
        if (!r.ok) throw new CwmpFault(FIRMWARE_FAULT[r.failure ?? 'io'], r.reason ?? 'firmware rejected');
        return { rebootRequired: r.installed };
      }
      throw new CwmpFault(9003, `FileType ${req.fileType}`);
    },
  };
}
