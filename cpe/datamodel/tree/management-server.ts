import { UNKNOWN_TIME, bool, dateTime, direct, hostPart, portPart, readOnly, checkType, dateTimeMs } from '../bindings';
import type { DataModel } from '../model';
import { reject, type Rejection } from '../types';
import type { TreeContext } from './context';

/**
 * ManagementServer settings with no P-value in the HT813 (reference §1.4 lists none): kept in the
 * model's state and read by the CWMP client through DataModel.stateValue.
 */
export const MS_STATE = {
  retryMinimumWaitInterval: { key: 'cwmp.retryMinimumWaitInterval', dflt: '5' },
  retryIntervalMultiplier: { key: 'cwmp.retryIntervalMultiplier', dflt: '2000' },
  defaultActiveNotificationThrottle: { key: 'cwmp.defaultActiveNotificationThrottle', dflt: '0' },
  heartbeatEnable: { key: 'cwmp.heartbeat.enable', dflt: 'false' },
  heartbeatInterval: { key: 'cwmp.heartbeat.reportingInterval', dflt: '86400' },
  heartbeatInitiationTime: { key: 'cwmp.heartbeat.initiationTime', dflt: UNKNOWN_TIME },
  atcEnable: { key: 'cwmp.atc.enable', dflt: 'false' },
  atcTransferTypeFilter: { key: 'cwmp.atc.transferTypeFilter', dflt: 'Both' },
  atcResultTypeFilter: { key: 'cwmp.atc.resultTypeFilter', dflt: 'Both' },
  // [chosen] empty = every file type (TR-181 names no default; an empty filter filters nothing).
  atcFileTypeFilter: { key: 'cwmp.atc.fileTypeFilter', dflt: '' },
} as const;

function oneOf(values: readonly string[]): (v: string) => string | Rejection {
  return (v) => (values.includes(v) ? v : reject('value', `must be one of ${values.join(', ')}`));
}

const FILE_TYPE = /^(?:[1-9]\d* [^,]+|X [0-9A-F]{6} [^,]+)$/;

function range(min: number, max: number): (v: string) => string | Rejection {
  return (v) => {
    const n = Number(v);
    return n >= min && n <= max ? String(n) : reject('value', `must be from ${min} to ${max}`);
  };
}

// Device.ManagementServer. (reference §1.4, TR-181 ManagementServer)
export function registerManagementServer(dm: DataModel, ctx: TreeContext): void {
  const p = 'Device.ManagementServer.';
  dm.registerParam(`${p}EnableCWMP`, { type: 'boolean', writable: true, pvalue: 1409 });
  // Reads the URL in use (P4503 or the DHCP one), like the HT8xx getter (:current_using_ACSURL).
  dm.registerParam(`${p}URL`, { type: 'string', writable: true, binding: { ...direct(4503), read: () => ctx.acsUrl() } });
  dm.registerParam(`${p}Username`, { type: 'string', writable: true, pvalue: 4504 });
  dm.registerParam(`${p}Password`, { type: 'string', writable: true, pvalue: 4505, secret: true });
  dm.registerParam(`${p}PeriodicInformEnable`, { type: 'boolean', writable: true, binding: bool(4506) });
  dm.registerParam(`${p}PeriodicInformInterval`, { type: 'unsignedInt', writable: true, pvalue: 4507 });
  dm.registerParam(`${p}PeriodicInformTime`, { type: 'dateTime', writable: true, binding: dateTime(4508) });
  // Written only through SetParameterValues/AddObject/DeleteObject's ParameterKey argument.
  dm.registerParam(`${p}ParameterKey`, { type: 'string', writable: false, binding: readOnly(4509) });
  dm.registerLive(`${p}ConnectionRequestURL`, { type: 'string', get: () => ctx.connectionRequestUrl() });
  dm.registerParam(`${p}ConnectionRequestUsername`, { type: 'string', writable: true, pvalue: 4511 });
  dm.registerParam(`${p}ConnectionRequestPassword`, { type: 'string', writable: true, pvalue: 4512, secret: true });
  dm.registerParam(`${p}UpgradesManaged`, { type: 'boolean', writable: true, pvalue: 4513 });
  dm.registerParam(`${p}X_GRANDSTREAM_ConnectionRequestPort`, { type: 'unsignedInt', writable: true, pvalue: 4518 });
  dm.registerState(`${p}CWMPRetryMinimumWaitInterval`, { type: 'unsignedInt', ...MS_STATE.retryMinimumWaitInterval, check: range(1, 65535) });
  dm.registerState(`${p}CWMPRetryIntervalMultiplier`, { type: 'unsignedInt', ...MS_STATE.retryIntervalMultiplier, check: range(1000, 65535) });
  dm.registerState(`${p}DefaultActiveNotificationThrottle`, { type: 'unsignedInt', ...MS_STATE.defaultActiveNotificationThrottle, check: range(0, 86400) });

  // TR-111 Part 2 / TR-069 Annex G
  dm.registerLive(`${p}UDPConnectionRequestAddress`, { type: 'string', get: () => ctx.udpConnectionRequestAddress() });
  dm.registerParam(`${p}UDPConnectionRequestAddressNotificationLimit`, { type: 'unsignedInt', writable: true, pvalue: 8200 });
  dm.registerParam(`${p}STUNEnable`, { type: 'boolean', writable: true, pvalue: 8205 });
  dm.registerParam(`${p}STUNServerAddress`, { type: 'string', writable: true, binding: hostPart(8209) });
  dm.registerParam(`${p}STUNServerPort`, { type: 'unsignedInt', writable: true, binding: portPart(8209, '3478') });
  dm.registerParam(`${p}STUNUsername`, { type: 'string', writable: true, pvalue: 8201 });
  dm.registerParam(`${p}STUNPassword`, { type: 'string', writable: true, pvalue: 8202, secret: true });
  dm.registerParam(`${p}STUNMaximumKeepAlivePeriod`, { type: 'int', writable: true, pvalue: 4510 });
  dm.registerParam(`${p}STUNMinimumKeepAlivePeriod`, { type: 'unsignedInt', writable: true, pvalue: 4520 });
  dm.registerLive(`${p}NATDetected`, { type: 'boolean', get: () => 'false' });
  // TR-069 §3.6 / A.4.2.4 (Kicked): the LAN URL a browser is sent to by the ACS's web pages.
  dm.registerLive(`${p}KickURL`, { type: 'string', get: () => ctx.kickUrl() });

  // TR-069 A.4.2.3: which autonomous transfers the unit reports with AutonomousTransferComplete.
  const a = `${p}AutonomousTransferCompletePolicy.`;
  dm.registerState(`${a}Enable`, { type: 'boolean', ...MS_STATE.atcEnable, check: (v) => (v === 'true' || v === '1' ? 'true' : 'false') });
  dm.registerState(`${a}TransferTypeFilter`, { type: 'string', ...MS_STATE.atcTransferTypeFilter, check: oneOf(['Upload', 'Download', 'Both']) });
  dm.registerState(`${a}ResultTypeFilter`, { type: 'string', ...MS_STATE.atcResultTypeFilter, check: oneOf(['Success', 'Failure', 'Both']) });
  dm.registerState(`${a}FileTypeFilter`, {
    type: 'string',
    ...MS_STATE.atcFileTypeFilter,
    check: (v) => {
      if (v.length > 1024) return reject('value', 'at most 1024 characters');
      const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
      const bad = items.find((x) => !FILE_TYPE.test(x));
      return bad === undefined ? items.join(',') : reject('value', `"${bad}" is not a file type ("1 Firmware Upgrade Image", "X <OUI> name")`);
    },
  });

  // CWMP 1.4 (Amendment 6) heartbeat: 14 HEARTBEAT
  const h = `${p}HeartbeatPolicy.`;
  dm.registerState(`${h}Enable`, {
    type: 'boolean',
    ...MS_STATE.heartbeatEnable,
    check: (v) => (v === 'true' || v === '1' ? 'true' : 'false'),
  });
  dm.registerState(`${h}ReportingInterval`, { type: 'unsignedInt', ...MS_STATE.heartbeatInterval, check: range(30, 0xffffffff) });
  dm.registerState(`${h}InitiationTime`, {
    type: 'dateTime',
    ...MS_STATE.heartbeatInitiationTime,
    check: (v) => (checkType('dateTime', v) ? reject('value', 'must be an xsd:dateTime') : dateTimeMs(v) === undefined ? UNKNOWN_TIME : v),
  });
}
