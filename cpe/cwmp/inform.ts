/** The Inform message (TR-069 A.3.3.1) and the Inform parameter list of the Device:1 root (TR-106). */
import type { DataModel } from '../datamodel';
import type { DeviceIdentity } from '../service';
import { formatDateTime } from './soap/envelope';
import type { AcsRequest, EventStruct, ParameterValue } from './soap/types';

export const INFORM_PARAMETERS = [
  'Device.DeviceSummary',
  'Device.DeviceInfo.HardwareVersion',
  'Device.DeviceInfo.SoftwareVersion',
  'Device.DeviceInfo.ProvisioningCode',
  'Device.ManagementServer.ConnectionRequestURL',
  'Device.ManagementServer.ParameterKey',
  'Device.LAN.IPAddress',
] as const;

export function buildInform(
  dm: DataModel,
  identity: DeviceIdentity,
  events: readonly EventStruct[],
  changed: readonly string[],
  retryCount: number,
  now: number,
): Extract<AcsRequest, { method: 'Inform' }> {
  const list: ParameterValue[] = [];
  const seen = new Set<string>();
  for (const name of [...INFORM_PARAMETERS, ...changed]) {
    if (seen.has(name)) continue;
    seen.add(name);
    const n = dm.node(name);
    if (!n || n.kind !== 'param') continue;
    list.push({ name, value: dm.read(n), type: n.type });
  }
  return {
    method: 'Inform',
    deviceId: { manufacturer: identity.manufacturer, oui: identity.oui, productClass: identity.model, serialNumber: identity.serialNumber },
    event: events,
    maxEnvelopes: 1,
    currentTime: formatDateTime(now),
    retryCount,
    parameterList: list,
  };
}

/**
 * The ACS URL in use: P4503, or the URL DHCP option 43 carried when P4503 is empty (reference
 * §2; TR-069 §3.1: vendor-specific sub-option 1 = URL). Option 43 may come as the URL itself or
 * as hex-encoded sub-options.
 */
export function acsUrlFrom(p4503: string, option43: string | undefined): string {
  if (p4503.trim() !== '') return p4503.trim();
  if (!option43) return '';
  const raw = option43.trim();
  if (/^https?:\/\//i.test(raw)) return raw;
  const hex = raw.replace(/[:\s]/g, '');
  if (/^([0-9a-f]{2})+$/i.test(hex)) {
    const b = Buffer.from(hex, 'hex');
    for (let i = 0; i + 2 <= b.length; ) {
      const code = b[i]!;
      const len = b[i + 1]!;
      const val = b.subarray(i + 2, i + 2 + len).toString('latin1');
      if (code === 1 && /^https?:\/\//i.test(val)) return val;
      i += 2 + len;
    }
  }
  return '';
}
