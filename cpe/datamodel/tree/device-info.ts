import { formatDateTime, readOnly } from '../bindings';
import type { DataModel } from '../model';
import { colonMac, type TreeContext } from './context';

/** Device:1 DeviceSummary as the HT8xx firmware announces it (reference §5). */
export const DEVICE_SUMMARY =
  'Device:1.2[](Baseline:1,UDPConnReq:1,LAN:1,Time:1,Download:1,Upload:1),VoiceService:1.0[1](Endpoint:1,SIPEndpoint:1)';

// Device.DeviceSummary, Device.DeviceInfo.
export function registerDeviceInfo(dm: DataModel, ctx: TreeContext): void {
  const p = 'Device.DeviceInfo.';
  dm.registerConst('Device.DeviceSummary', { type: 'string', value: DEVICE_SUMMARY });
  dm.registerConst(`${p}Manufacturer`, { type: 'string', value: ctx.identity.manufacturer });
  dm.registerConst(`${p}ManufacturerOUI`, { type: 'string', value: ctx.identity.oui });
  dm.registerParam(`${p}ModelName`, { type: 'string', writable: false, binding: readOnly(89, (v) => v || ctx.identity.model) });
  dm.registerParam(`${p}Description`, { type: 'string', writable: false, binding: readOnly(89, (v) => `Grandstream ${v || ctx.identity.model} analog telephone adapter`) });
  dm.registerConst(`${p}ProductClass`, { type: 'string', value: ctx.identity.model });
  dm.registerConst(`${p}SerialNumber`, { type: 'string', value: ctx.identity.serialNumber });
  dm.registerConst(`${p}HardwareVersion`, { type: 'string', value: ctx.identity.hardwareVersion });
  // The version the unit runs now (the device identity, which follows firmware installs), not P68's default.
  dm.registerLive(`${p}SoftwareVersion`, { type: 'string', get: () => ctx.identity.firmwareVersion });
  dm.registerConst(`${p}SpecVersion`, { type: 'string', value: '1.0' });
  dm.registerParam(`${p}ProvisioningCode`, { type: 'string', writable: true, pvalue: 4517 });
  dm.registerLive(`${p}UpTime`, { type: 'unsignedInt', get: () => String(Math.max(0, Math.floor((ctx.now() - ctx.bootTime()) / 1000))) });
  dm.registerLive(`${p}X_GRANDSTREAM_MACAddress`, { type: 'string', get: () => colonMac(ctx.identity.mac) });
  dm.registerLive(`${p}X_GRANDSTREAM_LANMACAddress`, { type: 'string', get: () => colonMac(ctx.identity.lanMac) });
}

// Device.Time.
export function registerTime(dm: DataModel, ctx: TreeContext): void {
  const p = 'Device.Time.';
  dm.registerConst(`${p}Enable`, { type: 'boolean', value: 'true' });
  // The software unit takes its time from the host, which keeps it synchronised.
  dm.registerConst(`${p}Status`, { type: 'string', value: 'Synchronized' });
  dm.registerParam(`${p}NTPServer1`, { type: 'string', writable: true, pvalue: 30 });
  dm.registerLive(`${p}CurrentLocalTime`, { type: 'dateTime', get: () => formatDateTime(ctx.now()) });
  dm.registerParam(`${p}LocalTimeZone`, { type: 'string', writable: true, pvalue: 64 });
  dm.registerParam(`${p}X_GRANDSTREAM_SelfDefinedTimeZone`, { type: 'string', writable: true, pvalue: 246 });
  dm.registerParam(`${p}X_GRANDSTREAM_AllowDHCPOption42`, { type: 'boolean', writable: true, pvalue: 144 });
}
