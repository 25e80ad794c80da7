/**
 * Config file download and upload for the web UI, on the provisioning subsystem's single paths
 * (one codec per format, ARCHITECTURE.md): download = exportEntries + the XML codec (secrets only
 * when asked: left out otherwise, so a re-upload never overwrites a password with a mask);
 * upload = applyConfigFile (XML, encrypted XML with P1359, binary cfg) as one web batch at the
 * admin level, P-values unknown to this firmware skipped (reference §2).
 */
import { applyConfigFile } from '../provision/apply-config';
import { encodeXmlConfig } from '../provision/codec/xml-config';
import { exportEntries } from '../provision/export-config';
import type { ParamStore } from '../params/store';
import type { Logger } from '../shared/logger';
import { shortMessage } from './form';
import type { ConfigFiles, MaintenanceResult } from './maintenance';

export class ProvisioningConfigFiles implements ConfigFiles {
  constructor(
    private readonly store: ParamStore,
    private readonly mac: string,
    private readonly log: Logger,
  ) {}

  exportConfigXml(withSecrets: boolean): string {
    const { entries } = exportEntries(this.store.snapshot(), this.store.catalogue, withSecrets);
    return encodeXmlConfig({ mac: this.mac, entries });
  }

  async importConfig(data: Buffer, filename: string): Promise<MaintenanceResult> {
    const r = applyConfigFile(data, { store: this.store, mac: this.mac, log: this.log, url: `web upload ${filename}`, source: 'web', level: 'admin' });
    if (!r.ok) {
      if (r.errors.length === 0) return { ok: false, message: `Not a usable config file: ${r.reason ?? 'unreadable'}.` };
      const shown = r.errors.slice(0, 5).map(shortMessage).join('; ');
      return { ok: false, message: `The file was refused: ${shown}${r.errors.length > 5 ? ` (and ${r.errors.length - 5} more)` : ''}.` };
    }
    const skipped = r.skipped.length > 0 ? ` Skipped ${r.skipped.length} P-value(s) unknown to this firmware.` : '';
    return {
      ok: true,
      message: `Configuration file applied: ${r.changes.length} change(s).${skipped}${r.rebootRequired ? ' Some take effect after a reboot.' : ''}`,
      rebootRequired: r.rebootRequired,
    };
  }
}
