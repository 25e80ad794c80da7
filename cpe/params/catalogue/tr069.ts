/** TR-069 client settings (reference §1.4, §5). All service-provider data. */
import type { ParamDef } from '../types';
import { at, bool, host, int, maker, password, str, text, url } from './builders';

const voip = maker({ reset: 'voip' });
const acs = at('advanced', 'TR-069');
/** Set by the ACS through the data model (FW802 dataModel); the HT813 web page does not show them. */
const ACS_ONLY = 'Reached through the TR-069 data model only (reference §1.4, FW802); not on the web page.';

export const TR069: readonly ParamDef[] = [
  voip(1409, 'tr069.enable', bool(), '1', {
    web: acs('Enable TR-069'),
    note: 'The client runs only when enabled and an ACS URL is known (P4503 or DHCP), reference §1.4.',
  }),
  voip(4503, 'tr069.acsUrl', url(), '', { web: acs('ACS URL') }),
  voip(4504, 'tr069.acsUsername', str(64), '', { web: acs('ACS User Name') }),
  voip(4505, 'tr069.acsPassword', password(64), '', { secret: true, web: acs('ACS Password') }),
  voip(4506, 'tr069.periodicInformEnable', bool(), '0', { web: acs('Periodic Inform') }),
  voip(4507, 'tr069.periodicInformInterval', int(1, 99999), '300', { web: acs('Periodic Inform Interval (s)') }),
  voip(4511, 'tr069.connectionRequestUsername', str(64), '', { web: acs('Connection Request User Name') }),
  voip(4512, 'tr069.connectionRequestPassword', password(64), '', { secret: true, web: acs('Connection Request Password') }),
  voip(4518, 'tr069.connectionRequestPort', int(0, 65535), '7547', { web: acs('Connection Request Port') }),
  voip(8220, 'tr069.cpeCertificate', text(), '', { web: acs('CPE SSL Certificate') }),
  voip(8221, 'tr069.cpePrivateKey', text(), '', { secret: true, web: acs('CPE SSL Private Key') }),

  voip(4508, 'tr069.periodicInformTime', str(32), '', {
    note: `${ACS_ONLY} xsd:dateTime; empty = unknown time.`,
  }),
  voip(4509, 'tr069.parameterKey', str(32), '', { note: `${ACS_ONLY} Written with each SetParameterValues batch.` }),
  voip(4513, 'tr069.upgradesManaged', bool(), '0', { note: ACS_ONLY }),
  voip(4517, 'tr069.provisioningCode', str(64), '', { note: `${ACS_ONLY} DeviceInfo.ProvisioningCode.` }),
  voip(4510, 'tr069.stunMaxKeepAlive', int(-1, 86400), '-1', {
    note: `${ACS_ONLY} No default in the reference; -1 (no maximum, TR-069 Annex G) chosen.`,
  }),
  voip(4520, 'tr069.stunMinKeepAlive', int(0, 86400), '0', {
    note: `${ACS_ONLY} No default in the reference; 0 chosen.`,
  }),
  voip(8200, 'tr069.udpNotifyLimit', int(0, 86400), '0', {
    note: `${ACS_ONLY} UDPConnectionRequestAddressNotificationLimit (s); 0 chosen.`,
  }),
  voip(8201, 'tr069.stunUsername', str(64), '', { note: ACS_ONLY }),
  voip(8202, 'tr069.stunPassword', password(64), '', { secret: true, note: ACS_ONLY }),
  voip(8205, 'tr069.stunEnable', bool(), '0', { note: ACS_ONLY }),
  voip(8209, 'tr069.stunServer', host(), '', { note: `${ACS_ONLY} host[:port].` }),
];
