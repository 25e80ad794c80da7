/** WAN addressing, IPv6, QoS, NAT router and LAN DHCP server, STUN, DDNS (reference §1.2). */
import type { ParamDef } from '../types';
import {
  at,
  bool,
  enumOf,
  host,
  int,
  ipv4,
  maker,
  octets,
  password,
  str,
  type EntryOptions,
} from './builders';

const isp = maker({ reset: 'isp' });
const other = maker({ reset: 'other' });

const ip4 = at('basic', 'IPv4 Address');
const ip6 = at('basic', 'IPv6 Address');
const nat = at('basic', 'NAT/DHCP Server');
const fwd = at('basic', 'Port Forwarding');
const qos = at('advanced', 'Network Settings');
const stun = at('advanced', 'NAT Traversal');
const ddns = at('advanced', 'DDNS');

/** The static-address octets: ISP data, reboot to apply (user guide IVR menu 02-05 note). */
const staticOpts = (label: string): EntryOptions => ({ reboot: true, web: ip4(label) });

const BANDWIDTH = enumOf([
  ['0', 'Unlimited'],
  ['2', '128 kbps'],
  ['3', '256 kbps'],
  ['4', '512 kbps'],
  ['5', '1 Mbps'],
  ['8', '2 Mbps'],
  ['9', '3 Mbps'],
  ['6', '4 Mbps'],
  ['10', '5 Mbps'],
  ['7', '10 Mbps'],
  ['11', '15 Mbps'],
]);

const IPV6_TEXT = str(64);

/** Port forwarding rules 1-8: WAN port P150+i, LAN IP P158+i, LAN port P166+i, protocol P174+i. */
function portForward(i: number): ParamDef[] {
  const n = i + 1;
  return [
    other(150 + i, `net.forward${n}WanPort`, int(0, 65535), '0', { reboot: true, web: fwd(`Rule ${n} WAN Port`) }),
    other(158 + i, `net.forward${n}LanIp`, ipv4(), '', { reboot: true, web: fwd(`Rule ${n} LAN Address`) }),
    other(166 + i, `net.forward${n}LanPort`, int(0, 65535), '0', { reboot: true, web: fwd(`Rule ${n} LAN Port`) }),
    other(174 + i, `net.forward${n}Protocol`, enumOf([['0', 'UDP'], ['1', 'TCP'], ['2', 'UDP and TCP']]), '0', {
      reboot: true,
      web: fwd(`Rule ${n} Protocol`),
    }),
  ];
}

export const NETWORK: readonly ParamDef[] = [
  isp(1415, 'net.internetProtocol', enumOf([
    ['0', 'IPv4 and IPv6, prefer IPv4'],
    ['1', 'IPv4 and IPv6, prefer IPv6'],
    ['2', 'IPv4 only'],
    ['3', 'IPv6 only'],
  ]), '2', { reboot: true, web: at('basic', 'Internet Protocol')('Internet Protocol') }),
  isp(8, 'net.ipv4Mode', enumOf([['0', 'DHCP'], ['1', 'Static IP'], ['2', 'PPPoE']]), '0', {
    reboot: true,
    web: ip4('Address Type'),
  }),
  isp(146, 'net.dhcpHostname', str(32), '', { reboot: true, web: ip4('DHCP Host Name (option 12)') }),
  other(147, 'net.dhcpDomain', str(64), '', {
    reboot: true,
    web: ip4('DHCP Domain Name'),
    note: 'Not in the FW802 basic_pvalues list (reference §6), so an ISP-data reset keeps it.',
  }),
  isp(148, 'net.dhcpVendorClass', str(32), 'HT8XX', { reboot: true, web: ip4('DHCP Vendor Class ID (option 60)') }),
  isp(82, 'net.pppoeUser', str(64), '', { reboot: true, web: ip4('PPPoE Account') }),
  isp(83, 'net.pppoePassword', password(64), '', { reboot: true, secret: true, web: ip4('PPPoE Password') }),
  isp(269, 'net.pppoeService', str(64), '', { reboot: true, web: ip4('PPPoE Service Name') }),
  ...octets(isp, 92, 'net.preferredDnsA', '0.0.0.0', '1st Preferred DNS', staticOpts('')),
  ...octets(isp, 5026, 'net.preferredDnsB', '0.0.0.0', '2nd Preferred DNS', staticOpts('')),
  ...octets(isp, 5030, 'net.preferredDnsC', '0.0.0.0', '3rd Preferred DNS', staticOpts('')),
  ...octets(isp, 5034, 'net.preferredDnsD', '0.0.0.0', '4th Preferred DNS', staticOpts('')),
  ...octets(isp, 9, 'net.staticIp', '192.168.0.160', 'Static IP Address', staticOpts('')),
  ...octets(isp, 13, 'net.staticMask', '255.255.0.0', 'Subnet Mask', staticOpts('')),
  ...octets(isp, 17, 'net.staticGateway', '0.0.0.0', 'Default Router', staticOpts('')),
  ...octets(isp, 21, 'net.staticDnsA', '0.0.0.0', 'DNS Server 1', staticOpts('')),
  ...octets(isp, 25, 'net.staticDnsB', '0.0.0.0', 'DNS Server 2', staticOpts('')),

  isp(1419, 'net.ipv6Mode', enumOf([['0', 'DHCP'], ['1', 'Static']]), '0', { reboot: true, web: ip6('Address Type') }),
  isp(1426, 'net.ipv6StaticKind', enumOf([['0', 'Full static'], ['1', 'Prefix static']]), '0', {
    reboot: true,
    web: ip6('Static Configuration'),
  }),
  isp(1420, 'net.ipv6Address', IPV6_TEXT, '', { reboot: true, web: ip6('Static IPv6 Address') }),
  isp(1421, 'net.ipv6PrefixLength', str(3, 'digits'), '', { reboot: true, web: ip6('Prefix Length') }),
  isp(1422, 'net.ipv6Prefix', str(40), '', { reboot: true, web: ip6('IPv6 Prefix (64 bits)') }),
  isp(1423, 'net.ipv6PreferredDns', IPV6_TEXT, '', { reboot: true, web: ip6('Preferred DNS Server') }),
  isp(1424, 'net.ipv6DnsA', IPV6_TEXT, '', { reboot: true, web: ip6('DNS Server 1') }),
  isp(1425, 'net.ipv6DnsB', IPV6_TEXT, '', { reboot: true, web: ip6('DNS Server 2') }),

  other(51, 'net.vlanTag', int(0, 4094), '0', { reboot: true, web: qos('802.1Q VLAN Tag') }),
  other(5038, 'net.sipPriority', int(0, 7), '0', { reboot: true, web: qos('SIP 802.1p Priority') }),
  other(5042, 'net.rtpPriority', int(0, 7), '0', { reboot: true, web: qos('RTP 802.1p Priority') }),

  other(231, 'net.deviceMode', enumOf([['0', 'NAT Router'], ['1', 'Bridge'], ['2', 'WAN Only']]), '0', {
    reboot: true,
    web: nat('Device Mode'),
    note: '1.0.19.6 offers NAT Router and Bridge only (reference §1.2).',
  }),
  other(896, 'net.natMaxPorts', int(0, 4096), '1024', { reboot: true, web: nat('NAT Maximum Ports') }),
  other(897, 'net.natTcpTimeout', int(0, 3600), '3600', { reboot: true, web: nat('NAT TCP Timeout (s)') }),
  other(898, 'net.natUdpTimeout', int(0, 3600), '300', { reboot: true, web: nat('NAT UDP Timeout (s)') }),
  other(867, 'net.uplinkLimit', BANDWIDTH, '0', { reboot: true, web: nat('Uplink Bandwidth') }),
  other(868, 'net.downlinkLimit', BANDWIDTH, '0', { reboot: true, web: nat('Downlink Bandwidth') }),
  other(890, 'net.upnp', bool(), '0', { web: nat('UPnP') }),
  other(189, 'net.replyIcmpOnWan', bool(), '0', { web: nat('Answer Ping on WAN') }),
  ...[115, 116, 117, 118, 119, 120].map((id, i) =>
    other(id, `net.clonedWanMac${i + 1}`, str(2, 'hex'), '', { reboot: true, web: nat(`Cloned WAN MAC (byte ${i + 1})`) }),
  ),
  other(5001, 'net.lanDhcpServer', bool(), '1', { reboot: true, web: nat('LAN DHCP Server') }),
  other(111, 'net.lanBaseIp', ipv4(), '192.168.2.1', { reboot: true, web: nat('LAN Address') }),
  other(5002, 'net.lanDhcpStart', ipv4(), '192.168.2.100', { reboot: true, web: nat('DHCP Pool Start') }),
  other(5003, 'net.lanDhcpEnd', ipv4(), '192.168.2.199', { reboot: true, web: nat('DHCP Pool End') }),
  other(110, 'net.lanMask', ipv4(), '255.255.255.0', { reboot: true, web: nat('LAN Subnet Mask') }),
  other(112, 'net.lanLeaseHours', int(1, 8760), '120', {
    reboot: true,
    web: nat('DHCP Lease Time (hours)'),
    note: 'No range in the reference; 1 hour to 1 year chosen.',
  }),
  other(113, 'net.dmzIp', ipv4(), '', { reboot: true, web: nat('DMZ Address') }),
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap(portForward),

  other(76, 'net.stunServer', host(), '', {
    web: stun('STUN Server'),
    note: 'Template carries the placeholder stun.mycompany.com; the reference default is empty.',
  }),
  other(84, 'net.keepAliveInterval', int(10, 160), '20', { web: stun('Keep-Alive Interval (s)') }),
  other(474, 'net.stunConnectivityCheck', bool(), '0', { web: stun('Detect Connectivity with STUN') }),
  other(475, 'net.stunMissLimit', int(3, 15), '3', { web: stun('STUN Misses Before DHCP Restart') }),
  other(1564, 'net.dnsConnectivityCheck', bool(), '0', { web: stun('Detect Connectivity with DNS') }),

  other(28121, 'net.ddnsEnable', bool(), '0', { web: ddns('Enable DDNS') }),
  other(28122, 'net.ddnsProvider', enumOf([
    ['0', 'dyndns.org'],
    ['1', 'freedns.afraid.org'],
    ['2', 'zoneedit.com'],
    ['3', 'no-ip.com'],
    ['4', 'oray.net'],
  ]), '0', { web: ddns('DDNS Provider') }),
  other(28123, 'net.ddnsUser', str(64), '', { web: ddns('DDNS User Name') }),
  other(28124, 'net.ddnsPassword', password(64), '', { secret: true, web: ddns('DDNS Password') }),
  other(28125, 'net.ddnsHostname', str(128), '', { web: ddns('DDNS Host Name') }),
  other(28126, 'net.ddnsHash', str(128), '', { web: ddns('DDNS Hash') }),
];
