import { Catalogue } from '../../cpe/params/catalogue';
import type { ParamDef } from '../../cpe/params/types';

/** A small catalogue with one entry of each shape the store must handle, for store-semantics tests. */
export const TEST_DEFS: ParamDef[] = [
  { id: 2, name: 'web.adminPassword', type: { kind: 'password', maxLength: 25 }, default: 'admin', level: 'admin', secret: true, reset: 'isp' },
  { id: 8, name: 'net.ipMode', type: { kind: 'enum', values: [{ value: '0', label: 'DHCP' }, { value: '1', label: 'Static' }, { value: '2', label: 'PPPoE' }] }, default: '0', level: 'user', reboot: true, reset: 'isp' },
  { id: 9, name: 'net.ip1', type: { kind: 'octet' }, default: '192', level: 'user', reboot: true, reset: 'isp' },
  { id: 47, name: 'sip1.primaryServer', type: { kind: 'host', maxLength: 255 }, default: '', level: 'admin', reset: 'voip', profile: 1 },
  { id: 34, name: 'sip1.password', type: { kind: 'password', maxLength: 64 }, default: '', level: 'admin', secret: true, reset: 'voip', profile: 1 },
  { id: 68, name: 'status.firmwareVersion', type: { kind: 'string', maxLength: 32 }, default: '', level: 'admin', readOnly: true, reset: 'other' },
  { id: 88, name: 'system.lockKeypadUpdate', type: { kind: 'enum', values: [{ value: '0', label: 'No' }, { value: '1', label: 'Yes' }, { value: '2', label: 'ISP reset only' }] }, default: '0', level: 'admin', reset: 'other' },
  { id: 91, name: 'fxs.disableCallWaiting', type: { kind: 'bool' }, default: '0', level: 'admin', reset: 'other' },
  { id: 794, name: 'fxo.pinVoipToPstn', type: { kind: 'string', maxLength: 8, charset: 'digits' }, default: '', level: 'user', secret: true, reset: 'voip' },
  { id: 28116, name: 'web.sessionTimeout', type: { kind: 'int', min: 1, max: 60 }, default: '10', level: 'admin', reset: 'isp' },
];

export function testCatalogue(extra: ParamDef[] = []): Catalogue {
  return new Catalogue([...TEST_DEFS, ...extra]);
}
