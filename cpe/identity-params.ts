import type { ParamStore } from './params/store';
import type { DeviceIdentity } from './service';

/**
 * Writes the unit's identity into its read-only status P-values (P68 firmware version, P89 model,
 * the MAC and serial entries) at boot, as the device itself (source `factory`), so every reader —
 * web status page, TR-069 SoftwareVersion/ModelName, config export — sees one truth.
 */
export function syncIdentityParams(store: ParamStore, id: DeviceIdentity): void {
  const batch: Array<[number, string]> = [];
  for (const def of store.catalogue.entries) {
    if (!def.readOnly) continue;
    const value = identityValue(def.id, def.name, id);
    if (value !== undefined) batch.push([def.id, value]);
  }
  store.applyOrThrow(batch, 'factory');
}

function identityValue(pnum: number, name: string, id: DeviceIdentity): string | undefined {
  if (pnum === 68) return id.firmwareVersion;
  if (pnum === 89) return id.model;
  const n = name.toLowerCase();
  if (n.includes('lanmac')) return id.lanMac;
  if (n.includes('mac')) return id.mac;
  if (n.includes('serial')) return id.serialNumber;
  if (n.includes('hardware')) return id.hardwareVersion;
  return undefined;
}
