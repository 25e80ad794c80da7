/**
 * The unit's own TransferBackend. Upload: FileType 1 = the configuration as a gs_provision XML
 * file (secrets left out), 2 = the unit's log (the parameter audit trail, secrets masked), by
 * HTTP(S) PUT or FTP(S). Download of firmware (1) and configuration files (3) is the provisioning code's
 * job: it is plugged in through `downloader` (cpe/cwmp/provision-downloader.ts).
 */
import type { ParamStore } from '../params/store';
import type { Random } from '../shared/random';
import { CwmpFault } from './faults';
import { ftpUpload } from './http/ftp-upload';
import { httpPut } from './http/put';
import { encodeXmlConfig } from '../provision/codec/xml-config';
import type { DownloadRequest, TransferBackend, UploadRequest } from './transfers';

export const FT_FIRMWARE = '1 Firmware Upgrade Image';
export const FT_CONFIG = '3 Vendor Configuration File';
export const UT_CONFIG = '1 Vendor Configuration File';
export const UT_LOG = '2 Vendor Log File';

export interface Downloader {
  readonly types: readonly string[];
  download(req: DownloadRequest): Promise<{ rebootRequired: boolean }>;
}

export interface BackendDeps {
  readonly store: ParamStore;
  readonly mac: string;
  readonly random: Random;
  readonly ca?: readonly string[];
  readonly verify?: boolean;
  readonly downloader?: Downloader;
}

/** The configuration as a gs_provision v1 file (reference §2, the provisioning codec), secrets omitted. */
export function exportConfigXml(store: ParamStore, mac: string): string {
  const entries: Array<[number, string]> = [];
  for (const [id, v] of store.snapshot()) {
    const def = store.catalogue.get(id);
    if (!def || def.secret || def.readOnly) continue;
    entries.push([id, v]);
  }
  return encodeXmlConfig({ mac, entries });
}

export function exportLog(store: ParamStore): string {
  return store
    .audit(10_000)
    .reverse()
    .map((r) => `${new Date(r.time).toISOString()} ${r.source} P${r.id}: ${JSON.stringify(r.old)} -> ${JSON.stringify(r.new)}`)
    .join('\n');
}

export function unitTransferBackend(d: BackendDeps): TransferBackend {
  return {
    downloadTypes: d.downloader?.types ?? [],
    uploadTypes: [UT_CONFIG, UT_LOG],
    download: async (req) => {
      if (!d.downloader || !d.downloader.types.includes(req.fileType)) throw new CwmpFault(9010, `no downloader for ${req.fileType}`);
      return d.downloader.download(req);
    },
    upload: async (req: UploadRequest) => {
      const isConfig = req.fileType === UT_CONFIG;
      const body = Buffer.from(isConfig ? exportConfigXml(d.store, d.mac) : exportLog(d.store), 'utf8');
      const proto = new URL(req.url).protocol;
      if (proto === 'ftp:' || proto === 'ftps:') {
        await ftpUpload({ url: req.url, username: req.username, password: req.password, body, ...(d.ca ? { ca: d.ca } : {}), ...(d.verify !== undefined ? { verify: d.verify } : {}) });
        return;
      }
      await httpPut({
        url: req.url,
        username: req.username,
        password: req.password,
        body,
        contentType: isConfig ? 'text/xml' : 'text/plain',
        random: d.random,
        ...(d.ca ? { ca: d.ca } : {}),
        ...(d.verify !== undefined ? { verify: d.verify } : {}),
      });
    },
  };
}
