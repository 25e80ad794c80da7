/** Firmware upgrade and config provisioning, certificates (reference §1.3, §2; user guide "Upgrading and Provisioning"). */
import type { ParamDef } from '../types';
import { at, bool, enumOf, int, maker, password, str, text, url } from './builders';

const voip = maker({ reset: 'voip' });
const prov = at('advanced', 'Firmware Upgrade and Provisioning');
const certs = at('advanced', 'Certificates');

const HOUR = int(0, 23);

export const PROVISIONING: readonly ParamDef[] = [
  voip(212, 'prov.upgradeVia', enumOf([['0', 'TFTP'], ['1', 'HTTP'], ['2', 'HTTPS'], ['3', 'FTP'], ['4', 'FTPS']]), '2', {
    web: prov('Upgrade Via'),
  }),
  voip(192, 'prov.firmwareServer', url(), 'fm.grandstream.com/gs', { web: prov('Firmware Server Path') }),
  voip(237, 'prov.configServer', url(), 'fm.grandstream.com/gs', { web: prov('Config Server Path') }),
  voip(1359, 'prov.xmlConfigPassword', password(64), '', {
    secret: true,
    web: prov('XML Config File Password'),
    note: 'AES passphrase of encrypted cfg XML (reference §4); length not given, 64 chosen.',
  }),
  voip(1360, 'prov.serverUser', str(64), '', { web: prov('HTTP/HTTPS/FTP/FTPS User Name') }),
  voip(1361, 'prov.serverPassword', password(64), '', { secret: true, web: prov('HTTP/HTTPS/FTP/FTPS Password') }),
  voip(232, 'prov.firmwarePrefix', str(64), '', { web: prov('Firmware File Prefix') }),
  voip(233, 'prov.firmwarePostfix', str(64), '', { web: prov('Firmware File Postfix') }),
  voip(234, 'prov.configPrefix', str(64), '', { web: prov('Config File Prefix') }),
  voip(235, 'prov.configPostfix', str(64), '', { web: prov('Config File Postfix') }),
  voip(145, 'prov.allowDhcpServerOverride', bool(), '1', {
    reboot: true,
    web: prov('Let DHCP Option 66/160 Override the Server'),
  }),
  voip(1414, 'prov.threeCxAutoProvision', bool(), '1', { web: prov('3CX Auto Provision') }),
  voip(22296, 'prov.autoUpgrade', enumOf([
    ['0', 'No'],
    ['1', 'Every P193 minutes'],
    ['2', 'Daily'],
    ['3', 'Weekly'],
  ]), '0', { web: prov('Automatic Upgrade') }),
  voip(194, 'prov.autoUpgradeLegacy', enumOf([
    ['0', 'No'],
    ['1', 'Daily'],
    ['2', 'Weekly'],
    ['3', 'Every P193 minutes'],
  ]), '0', {
    note: 'Legacy HT50x/HT70x numbering, still read by HT802 firmware and mapped by TR-069 (reference §0, §5). '
      + 'Kept consistent with P22296 by the provisioner; not on the web page.',
  }),
  voip(193, 'prov.checkInterval', int(30, 5256000), '10080', {
    web: prov('Check Every (minutes)'),
    note: '1.0.19.6 raises the minimum to 60 (reference §1.3).',
  }),
  voip(285, 'prov.dailyStartHour', HOUR, '1', { web: prov('Daily Check Start Hour') }),
  voip(8459, 'prov.dailyEndHour', HOUR, '22', { web: prov('Daily Check End Hour') }),
  voip(286, 'prov.weeklyDay', int(0, 6), '1', { web: prov('Weekly Check Day (0 = Sunday)') }),
  voip(8458, 'prov.randomizedUpgrade', bool(), '0', { web: prov('Randomized Automatic Upgrade') }),
  voip(238, 'prov.firmwareCheckAtBoot', enumOf([
    ['0', 'Always check at boot'],
    ['1', 'Only when prefix/postfix changed'],
    ['2', 'Never check'],
  ]), '0', { web: prov('Firmware Check at Boot') }),
  voip(240, 'prov.authenticateConfig', bool(), '0', {
    web: prov('Authenticate Config File'),
    note: 'Exact authentication rule uncertain (reference §1.3 [?]): the file must authenticate against P2.',
  }),
  voip(4428, 'prov.disableNotifyAuth', bool(), '0', {
    web: prov('Do Not Challenge SIP NOTIFY'),
    note: '1.0.19.6 defaults to Yes; the HT813 template default 0 is kept.',
  }),
  voip(22030, 'prov.verifyHost', bool(), '1', {
    web: prov('Verify Host Name over HTTPS'),
    note: 'The HT813 template defaults to 0; 1 here, since TLS peers are verified unless the operator turns it off. It acts only while P8463 validates certificates.',
  }),
  voip(8463, 'prov.validateCertificates', bool(), '1', {
    reboot: true,
    web: prov('Validate Server Certificates'),
    note: 'The HT813 template defaults to 0; 1 as in 1.0.19.6, since TLS peers are verified unless the operator turns it off.',
  }),
  voip(8457, 'prov.dhcpOption17Enterprise', int(0, 99999), '3561', { web: prov('DHCPv6 Option 17 Enterprise Number') }),
  voip(1411, 'prov.allowDhcp120', bool(), '0', {
    web: at('fxs', 'SIP Settings')('Let DHCP Option 120 Override the SIP Server'),
    note: 'One global value, shown on the FXS page (user guide figure 9).',
  }),

  voip(2386, 'prov.trustedCaA', text(), '', { web: certs('Trusted CA Certificate A') }),
  voip(2486, 'prov.trustedCaB', text(), '', { web: certs('Trusted CA Certificate B') }),
  voip(8502, 'prov.caSelection', enumOf([['0', 'Built-in'], ['1', 'Custom'], ['2', 'All']]), '0', {
    web: certs('Trusted CA Certificates to Load'),
  }),
  voip(280, 'prov.sipTlsCertificate', text(), '', { web: certs('SIP TLS Certificate') }),
  voip(279, 'prov.sipTlsPrivateKey', text(), '', { secret: true, web: certs('SIP TLS Private Key') }),
  voip(281, 'prov.sipTlsKeyPassword', password(64), '', { secret: true, web: certs('SIP TLS Private Key Password') }),
  voip(8472, 'prov.customCertificate', text(), '', {
    secret: true,
    web: certs('Custom Certificate (key and certificate)'),
    note: 'Holds a private key, so it is masked like P279.',
  }),
];
