/** Identity (status), time, language, maintenance, security, syslog, SNMP (reference §1.2). */
import type { ParamDef } from '../types';
import { at, bool, enumOf, host, int, list, mac, maker, password, str } from './builders';

const other = maker({ reset: 'other' });
const isp = maker({ reset: 'isp' });
const status = at('status', 'System');
const time = at('basic', 'Time Zone');
const maint = at('advanced', 'Maintenance');
const sec = at('advanced', 'Security');
const log = at('advanced', 'Syslog');
const snmp = at('advanced', 'SNMP');

/**
 * Status numbers the reference does not use (ids stay numeric). 99001-99004 are pseudo P-values
 * of this implementation: the device writes them at boot with source `factory`.
 */
export const PSEUDO_IDS = { wanMac: 99001, lanMac: 99002, hardwareVersion: 99003, partNumber: 99004 } as const;

/** P64 choices (HT813 template); `customize` = use P246. Labels are the UTC offset and a place. */
const TIME_ZONES: ReadonlyArray<readonly [string, string]> = [
  ['TZA+12', 'GMT-12:00 Date Line West'],
  ['TZB+11', 'GMT-11:00 Midway, Samoa'],
  ['HAW10', 'GMT-10:00 Hawaii'],
  ['AKST9AKDT', 'GMT-09:00 Alaska'],
  ['PST8PDT', 'GMT-08:00 US Pacific'],
  ['PST8PDT,M4.1.0,M10.5.0', 'GMT-08:00 Baja California'],
  ['MST7MDT', 'GMT-07:00 US Mountain'],
  ['MST7', 'GMT-07:00 Arizona (no DST)'],
  ['MST7MDT,M4.1.0,M10.5.0', 'GMT-07:00 Chihuahua, Mazatlan'],
  ['CST6CDT', 'GMT-06:00 US Central'],
  ['CST+6', 'GMT-06:00 Central America'],
  ['CST6CDT,M4.1.0,M10.5.0', 'GMT-06:00 Mexico City'],
  ['EST5EDT', 'GMT-05:00 US Eastern'],
  ['EST5', 'GMT-05:00 Eastern (no DST)'],
  ['TZf+4:30', 'GMT-04:30 Caracas'],
  ['AST4ADT', 'GMT-04:00 Atlantic'],
  ['AST4ADT,M4.1.0/00:01:00,M10.5.0/00:01:00', 'GMT-04:00 New Brunswick'],
  ['NST+3:30NDT+2:30,M4.1.0/00:01:00,M10.5.0/00:01:00', 'GMT-03:30 Newfoundland'],
  ['TZK+3', 'GMT-03:00 Greenland'],
  ['BRST+3BRDT+2,M10.3.0,M2.3.0', 'GMT-03:00 Sao Paulo'],
  ['UTC+3', 'GMT-03:00 Argentina'],
  ['TZL+2', 'GMT-02:00 Mid-Atlantic'],
  ['TZM+1', 'GMT-01:00 Azores, Cape Verde'],
  ['TZN+0', 'GMT Casablanca, Monrovia'],
  ['GMT+0BST-1,M3.5.0/01:00:00,M10.5.0/02:00:00', 'GMT London'],
  ['WET-0WEST-1,M3.5.0/01:00:00,M10.5.0/02:00:00', 'GMT Lisbon'],
  ['GMT+0IST-1,M3.5.0/01:00:00,M10.5.0/02:00:00', 'GMT Dublin'],
  ['TZO-1', 'GMT+01:00 Paris, Vienna, Warsaw, Brussels'],
  ['CET-1CEST-2,M3.5.0/02:00:00,M10.5.0/03:00:00', 'GMT+01:00 Central Europe with DST'],
  ['TZP-2', 'GMT+02:00 Cairo, Istanbul, Bucharest'],
  ['EET-2EEST-3,M3.5.0/03:00:00,M10.5.0/04:00:00', 'GMT+02:00 Helsinki, Tallinn'],
  ['EET-2EEST,M3.5.0/3,M10.5.0/4', 'GMT+02:00 Kyiv'],
  ['TZQ-3', 'GMT+03:00 Kuwait, Baghdad, Nairobi'],
  ['MSK-3MSD,M3.5.0/2,M10.5.0/3', 'GMT+03:00 Moscow'],
  ['MST-3MDT,M3.5.0/2,M10.5.0/3', 'GMT+03:00 St Petersburg'],
  ['TZR-4', 'GMT+04:00 Abu Dhabi, Baku'],
  ['TZS-5', 'GMT+05:00 Islamabad, Tashkent'],
  ['TZT-5:30', 'GMT+05:30 India'],
  ['TZU-5:45', 'GMT+05:45 Kathmandu'],
  ['TZV-6', 'GMT+06:00 Almaty, Dhaka'],
  ['TZW-6:30', 'GMT+06:30 Yangon'],
  ['TZX-7', 'GMT+07:00 Bangkok, Hanoi'],
  ['WIB-7', 'GMT+07:00 Jakarta'],
  ['TZY-8', 'GMT+08:00 Beijing, Taipei, Kuala Lumpur'],
  ['SGT-8', 'GMT+08:00 Singapore'],
  ['ULAT-8', 'GMT+08:00 Ulaanbaatar'],
  ['WST-8', 'GMT+08:00 Perth'],
  ['TZZ-9', 'GMT+09:00 Tokyo, Seoul'],
  ['CST-9:30CDT-10:30,M10.5.0/02:00:00,M3.5.0/03:00:00', 'GMT+09:30 Adelaide'],
  ['CST-9:30', 'GMT+09:30 Darwin'],
  ['TZb-10', 'GMT+10:00 Guam'],
  ['EST-10EDT-11,M10.1.0/02:00:00,M3.5.0/03:00:00', 'GMT+10:00 Hobart'],
  ['EST-10EDT-11,M10.5.0/02:00:00,M3.5.0/03:00:00', 'GMT+10:00 Sydney, Melbourne'],
  ['EST-10', 'GMT+10:00 Brisbane'],
  ['TZc-11', 'GMT+11:00 Magadan, New Caledonia'],
  ['NZST-12NZDT-13,M10.1.0/02:00:00,M3.3.0/03:00:00', 'GMT+12:00 Auckland'],
  ['TZd-12', 'GMT+12:00 Fiji'],
  ['TZe-13', 'GMT+13:00 Nuku\'alofa'],
  ['customize', 'Self-defined (P246)'],
];

const TLS_VERSION = enumOf([['99', 'Unlimited'], ['10', 'TLS 1.0'], ['11', 'TLS 1.1'], ['12', 'TLS 1.2']]);
const SNMP_VERSION = enumOf([['1', 'Version 1'], ['2', 'Version 2c'], ['3', 'Version 3']]);
const SNMP_LEVEL = enumOf([['0', 'No authentication'], ['1', 'Authentication'], ['2', 'Authentication and privacy']]);
const SNMP_AUTH = enumOf([['0', 'None'], ['1', 'MD5'], ['2', 'SHA']]);
const SNMP_PRIV = enumOf([['0', 'None'], ['1', 'DES'], ['2', 'AES128']]);

export const SYSTEM: readonly ParamDef[] = [
  other(68, 'sys.firmwareVersion', str(32), '1.0.7.1', {
    readOnly: true,
    web: status('Software Version'),
    note: 'Placeholder: the version of the HT813 template the defaults follow; the device writes its own at boot.',
  }),
  other(89, 'sys.model', str(32), 'HT813', { readOnly: true, web: status('Product Model') }),
  other(PSEUDO_IDS.wanMac, 'sys.wanMac', mac(), '000000000000', {
    readOnly: true,
    web: status('WAN MAC Address'),
    note: 'Pseudo P-value 99001 (unused by the reference); all-zero until the device writes its identity.',
  }),
  other(PSEUDO_IDS.lanMac, 'sys.lanMac', mac(), '000000000000', {
    readOnly: true,
    web: status('LAN MAC Address (device MAC)'),
    note: 'Pseudo P-value 99002: the device MAC used for cfg<mac> and IVR option 10 (user guide).',
  }),
  other(PSEUDO_IDS.hardwareVersion, 'sys.hardwareVersion', str(32), 'V1.0A', {
    readOnly: true,
    web: status('Hardware Version'),
    note: 'Pseudo P-value 99003; default from the user guide status page.',
  }),
  other(PSEUDO_IDS.partNumber, 'sys.partNumber', str(32), '', {
    readOnly: true,
    web: status('Part Number'),
    note: 'Pseudo P-value 99004.',
  }),

  other(30, 'sys.ntpServer', host(64), 'pool.ntp.org', { web: at('advanced', 'Time Settings')('NTP Server') }),
  other(144, 'sys.allowDhcpNtp', bool(), '1', { web: at('advanced', 'Time Settings')('Let DHCP Option 42 Set the NTP Server') }),
  isp(64, 'sys.timeZone', enumOf(TIME_ZONES), 'customize', { reboot: true, web: time('Time Zone') }),
  isp(246, 'sys.customTimeZone', str(64), 'MTZ+6MDT+5,M3.2.0,M11.1.0', { reboot: true, web: time('Self-Defined Time Zone') }),
  isp(143, 'sys.allowDhcpTimeZone', bool(), '1', { web: time('Let DHCP Set the Time Zone') }),
  isp(342, 'sys.language', enumOf([
    ['0', 'English'],
    ['4', 'Chinese'],
    ['5', 'Portuguese'],
    ['6', 'Russian'],
    ['10', 'Spanish'],
  ]), '0', {
    web: at('basic', 'Language')('Voice Prompt Language'),
    note: 'HT813 template lists 0/4/10; 5 and 6 exist in the HT802 firmware strings. Applies without reboot (next prompt).',
  }),

  other(88, 'sys.lockKeypadUpdate', enumOf([['0', 'No'], ['1', 'Yes'], ['2', 'Allow ISP-data reset only']]), '0', {
    web: maint('Lock Keypad Update'),
    note: 'Value 2 appears in 1.0.19.6 (reference §1.2).',
  }),
  other(253, 'sys.disableVoicePrompt', bool(), '0', { web: maint('Disable Voice Prompt Menu') }),
  other(277, 'sys.disableDirectIpCall', bool(), '0', { web: maint('Disable Direct IP Call') }),
  other(891, 'sys.lifelineMode', enumOf([['0', 'Auto'], ['1', 'Always disconnected'], ['2', 'Always connected']]), '0', {
    web: maint('Lifeline Relay'),
  }),
  other(28127, 'sys.incomingBlacklist', list(10, 256, 'dialable'), '', {
    web: maint('Blocked Caller Numbers'),
    note: 'Up to 10 numbers separated by commas (template); each of dialable characters 0-9 * # A-D +.',
  }),
  other(21929, 'sys.autoReboot', enumOf([['0', 'No'], ['1', 'Daily'], ['2', 'Weekly'], ['3', 'Monthly']]), '0', {
    web: maint('Automatic Reboot'),
  }),
  other(21930, 'sys.autoRebootHour', int(0, 23), '1', { web: maint('Reboot Hour (0-23)') }),
  other(21931, 'sys.autoRebootWeekday', int(0, 6), '1', { web: maint('Reboot Day of Week (0-6)') }),
  other(28118, 'sys.autoRebootMonthDay', int(0, 30), '1', { web: maint('Reboot Day of Month (0-30)') }),

  other(8536, 'sys.weakCiphers', enumOf([
    ['0', 'Allow weak cipher suites'],
    ['1', 'Disable RC4/DES/3DES'],
    ['2', 'Disable SEED'],
    ['3', 'Disable all weak symmetric ciphers'],
    ['4', 'Disable MD5 authentication'],
    ['5', 'Disable all weak authentication'],
    ['6', 'Disable SSLv2/SSLv3'],
    ['7', 'Disable all weak protocol versions'],
    ['8', 'Disable all weak cipher suites'],
  ]), '0', { web: sec('Weak TLS Cipher Suites') }),
  other(22293, 'sys.tlsMin', TLS_VERSION, '99', { web: sec('Minimum TLS Version') }),
  other(22294, 'sys.tlsMax', TLS_VERSION, '99', { web: sec('Maximum TLS Version') }),

  // The template marks P207/P208/P1387 "reboot required"; the syslog service (cpe/syslog/) applies
  // them on the change event, so no reboot is asked (one would drop calls, and make TR-069
  // SetParameterValues answer Status 1).
  other(207, 'sys.syslogServer', host(64), '', { web: log('Syslog Server') }),
  other(208, 'sys.syslogLevel', enumOf([
    ['0', 'None'],
    ['1', 'Debug'],
    ['2', 'Info'],
    ['3', 'Warning'],
    ['4', 'Error'],
    ['5', 'Extra debug'],
  ]), '0', { web: log('Syslog Level') }),
  other(8402, 'sys.syslogProtocol', enumOf([['0', 'UDP'], ['1', 'SSL/TLS']]), '0', { web: log('Syslog Protocol') }),
  other(1387, 'sys.syslogSip', bool(), '0', { web: log('Include SIP Messages') }),

  other(21896, 'sys.snmpEnable', bool(), '0', { web: snmp('Enable SNMP') }),
  other(21904, 'sys.snmpVersion', SNMP_VERSION, '3', { web: snmp('SNMP Version') }),
  other(21903, 'sys.snmpPort', int(1, 65535), '161', { web: snmp('SNMP Port'), note: 'Template: 161 or 1025-65535; any port accepted here.' }),
  // communities are SNMPv1/v2c's passwords: kept out of pages, logs, exports and TR-069 reads
  other(21902, 'sys.snmpCommunity', password(64), '', { secret: true, web: snmp('SNMPv1/v2c Community') }),
  other(21897, 'sys.snmpTrapHost', host(64), '', { web: snmp('Trap Destination') }),
  other(21898, 'sys.snmpTrapPort', int(1, 65535), '162', { web: snmp('Trap Port'), note: 'Template: 162 or 1025-65535.' }),
  other(21899, 'sys.snmpTrapVersion', SNMP_VERSION, '2', {
    web: snmp('Trap Version'),
    note: 'The template line holds the text "Version 2c"; its comment says 2c is the default, stored as 2.',
  }),
  other(21901, 'sys.snmpTrapInterval', int(1, 1440), '5', { web: snmp('Trap Interval (minutes)') }),
  other(21900, 'sys.snmpTrapCommunity', password(64), '', { secret: true, web: snmp('Trap Community') }),
  other(21905, 'sys.snmpUser', str(64), '', { web: snmp('SNMPv3 User') }),
  other(21910, 'sys.snmpSecurityLevel', SNMP_LEVEL, '0', { web: snmp('SNMPv3 Security Level') }),
  other(21906, 'sys.snmpAuthProtocol', SNMP_AUTH, '0', { web: snmp('SNMPv3 Authentication Protocol') }),
  other(21907, 'sys.snmpPrivacyProtocol', SNMP_PRIV, '0', { web: snmp('SNMPv3 Privacy Protocol') }),
  other(21908, 'sys.snmpAuthKey', password(64), '', { secret: true, web: snmp('SNMPv3 Authentication Key') }),
  other(21909, 'sys.snmpPrivacyKey', password(64), '', { secret: true, web: snmp('SNMPv3 Privacy Key') }),
  other(21911, 'sys.snmpTrapUser', str(64), '', { web: snmp('SNMPv3 Trap User') }),
  other(21916, 'sys.snmpTrapSecurityLevel', SNMP_LEVEL, '0', { web: snmp('SNMPv3 Trap Security Level') }),
  other(21912, 'sys.snmpTrapAuthProtocol', SNMP_AUTH, '0', { web: snmp('SNMPv3 Trap Authentication Protocol') }),
  other(21913, 'sys.snmpTrapPrivacyProtocol', SNMP_PRIV, '0', { web: snmp('SNMPv3 Trap Privacy Protocol') }),
  other(21914, 'sys.snmpTrapAuthKey', password(64), '', { secret: true, web: snmp('SNMPv3 Trap Authentication Key') }),
  other(21915, 'sys.snmpTrapPrivacyKey', password(64), '', { secret: true, web: snmp('SNMPv3 Trap Privacy Key') }),
];
