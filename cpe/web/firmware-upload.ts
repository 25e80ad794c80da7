/**
 * Firmware upload (user guide "Upgrading via Local Directory") through the provisioning
 * subsystem's one install path (cpe/provision/firmware/install.ts): image decoded, model,
 * signature and payload hash checked, written to the inactive slot on trial. The web route reboots
 * the unit into it once the answer is sent; a failed boot falls back to the old slot.
 */
import { installFirmware } from '../provision/firmware/install';
import type { Logger } from '../shared/logger';
import type { FirmwareUpload, MaintenanceResult } from './maintenance';

export interface SlotFirmwareContext {
  readonly dataDir: string;
  readonly model: string;
  readonly runningVersion: string;
  readonly log: Logger;
}

export class SlotFirmwareUpload implements FirmwareUpload {
  constructor(private readonly ctx: SlotFirmwareContext) {}

  async installFirmware(data: Buffer, filename: string): Promise<MaintenanceResult> {
    const r = installFirmware(data, { ...this.ctx, force: true, url: `web upload ${filename}` });
    if (!r.ok) return { ok: false, message: `Firmware refused (${r.failure ?? 'error'}): ${r.reason ?? 'unknown reason'}.` };
    if (!r.installed) return { ok: true, message: `Firmware ${r.version ?? ''} is already running.` };
    return { ok: true, message: `Firmware ${r.version ?? ''} installed.`, rebootNow: true };
  }
}
