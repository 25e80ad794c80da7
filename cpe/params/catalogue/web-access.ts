/** Web, SSH and Telnet access, login levels, RADIUS web login (reference §1.2, §8; user guide "Web UI Access Level Management"). */
import type { ParamDef } from '../types';
import { at, bool, enumOf, host, int, maker, password, port, str } from './builders';

const isp = maker({ reset: 'isp' });
const other = maker({ reset: 'other' });
const pw = at('basic', 'Passwords');
const acc = at('basic', 'Web/SSH Access');
const radius = at('advanced', 'RADIUS Web Access Control');

export const WEB_ACCESS: readonly ParamDef[] = [
  other(2, 'web.adminPassword', password(25), 'admin', {
    secret: true,
    web: at('advanced', 'Admin Password')('New Admin Password'),
    note: 'Not in the ISP data set (reference §6), so only a Full reset restores it.',
  }),
  isp(196, 'web.userPassword', password(25), '123', { secret: true, web: pw('New End User Password') }),
  isp(28113, 'web.viewerPassword', password(30), 'viewer', {
    secret: true,
    web: pw('New Viewer Password'),
    note: 'Template allows 30 characters, the user guide says 25 for passwords in general; 30 kept so template values load.',
  }),
  other(28158, 'web.disableUserLevel', bool(), '0', {
    web: at('advanced', 'Web Access')('Disable End User Level Login'),
    note: 'HT81x 1.0.19 and later (reference §1.2).',
  }),
  other(28159, 'web.disableViewerLevel', bool(), '0', {
    web: at('advanced', 'Web Access')('Disable Viewer Level Login'),
    note: 'HT81x 1.0.19 and later (reference §1.2).',
  }),
  isp(28116, 'web.sessionTimeout', int(1, 60), '10', { web: acc('Web Session Timeout (minutes)') }),
  isp(28117, 'web.attemptLimit', int(1, 10), '5', { web: acc('Login Attempt Limit') }),
  isp(1683, 'web.lockoutMinutes', int(0, 60), '15', { web: acc('Login Lockout (minutes)') }),
  isp(1650, 'web.accessMode', enumOf([['0', 'HTTPS'], ['1', 'HTTP']]), '1', { reboot: true, web: acc('Web Access Mode') }),
  isp(901, 'web.httpPort', port(), '80', { reboot: true, web: acc('HTTP Port') }),
  isp(27010, 'web.httpsPort', port(), '443', { reboot: true, web: acc('HTTPS Port') }),
  // The template marks the SSH and Telnet ports "reboot required"; the mgmt service (cpe/mgmt/)
  // rebinds its listeners on the change event, so no reboot is asked.
  isp(276, 'web.disableSsh', bool(), '0', { web: acc('Disable SSH') }),
  isp(27006, 'web.sshPort', port(), '22', { web: acc('SSH Port') }),
  isp(28120, 'web.disableTelnet', bool(), '1', { web: acc('Disable Telnet') }),
  isp(28128, 'web.telnetPort', port(), '23', { web: acc('Telnet Port'), note: 'Must differ from the SSH port (template); when equal, Telnet stays off.' }),
  isp(190, 'web.wanAccess', enumOf([['0', 'No'], ['1', 'Yes'], ['2', 'Auto']]), '2', {
    web: acc('Web/SSH Access from WAN'),
    note: 'Template comment and user guide IVR option 12 say the default is Auto while the template line holds 0; Auto (2) chosen.',
  }),
  isp(20701, 'web.wanWhiteList', str(512), '', { web: acc('WAN Allowed Addresses') }),
  isp(20702, 'web.wanBlackList', str(512), '', { web: acc('WAN Blocked Addresses') }),

  other(28107, 'web.radiusEnable', bool(), '0', {
    web: radius('Enable RADIUS Login'),
    note: 'On: the login form asks for a user name, checked with the password by the RADIUS server (cpe/web/login-check.ts).',
  }),
  other(28108, 'web.radiusServer', host(), '', { web: radius('RADIUS Server') }),
  other(28109, 'web.radiusPort', str(5, 'digits'), '', {
    web: radius('RADIUS Port'),
    note: 'Template gives no default and no range; digits up to 5 chosen (empty = 1812 by convention).',
  }),
  other(28110, 'web.radiusSecret', password(64), '', { secret: true, web: radius('RADIUS Shared Secret') }),
  other(28111, 'web.radiusVendorId', str(64), '', {
    web: radius('Vendor ID for the Access Level Attribute'),
    note: 'Decimal enterprise number; empty = 42397 (Grandstream). Our choice: the template gives no format.',
  }),
  other(28112, 'web.radiusLevelAttribute', str(64), '', {
    web: radius('Access Level Attribute'),
    note: 'Vendor type 1-255 of that vendor; empty = 1. Value admin/user/viewer or 0/1/2 (0 admin); none = viewer. Our choice: the reference marks it uncertain.',
  }),
  other(28114, 'web.radiusOnServerError', enumOf([['0', 'Reject'], ['1', 'Check Locally']]), '1', {
    web: radius('When the RADIUS Server Fails'),
  }),
];
