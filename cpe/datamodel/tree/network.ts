import { enumMap, octets } from '../bindings';
import type { DataModel, ParamReader } from '../model';
import { colonMac, type TreeContext } from './context';

// Device.LAN. (Device:1 LAN profile: the unit's WAN-side IP interface) and its X_GRANDSTREAM_ settings
export function registerLan(dm: DataModel, ctx: TreeContext): void {
  const p = 'Device.LAN.';
  dm.registerParam(`${p}AddressingType`, {
    type: 'string',
    writable: true,
    binding: enumMap(8, [['0', 'DHCP'], ['1', 'Static'], ['2', 'X_GRANDSTREAM_PPPoE']]),
  });
  dm.registerLive(`${p}IPAddress`, { type: 'string', get: () => ctx.address });
  dm.registerLive(`${p}MACAddress`, { type: 'string', get: () => colonMac(ctx.identity.mac) });
  dm.registerParam(`${p}X_GRANDSTREAM_StaticIPAddress`, { type: 'string', writable: true, binding: octets(9) });
  dm.registerParam(`${p}SubnetMask`, { type: 'string', writable: true, binding: octets(13) });
  dm.registerParam(`${p}DefaultGateway`, { type: 'string', writable: true, binding: octets(17) });
  dm.registerParam(`${p}X_GRANDSTREAM_DNSServer1`, { type: 'string', writable: true, binding: octets(21) });
  dm.registerParam(`${p}X_GRANDSTREAM_DNSServer2`, { type: 'string', writable: true, binding: octets(25) });
  dm.registerParam(`${p}X_GRANDSTREAM_DeviceMode`, { type: 'unsignedInt', writable: true, pvalue: 231 });
  const ppp = `${p}X_GRANDSTREAM_PPPoE.`;
  dm.registerParam(`${ppp}Username`, { type: 'string', writable: true, pvalue: 82 });
  dm.registerParam(`${ppp}Password`, { type: 'string', writable: true, pvalue: 83, secret: true });
  dm.registerParam(`${ppp}ServiceName`, { type: 'string', writable: true, pvalue: 269 });
  const dhcp = `${p}X_GRANDSTREAM_DHCPServer.`;
  dm.registerParam(`${dhcp}Enable`, { type: 'boolean', writable: true, pvalue: 5001 });
  dm.registerParam(`${dhcp}IPAddress`, { type: 'string', writable: true, pvalue: 111 });
  dm.registerParam(`${dhcp}MinAddress`, { type: 'string', writable: true, pvalue: 5002 });
  dm.registerParam(`${dhcp}MaxAddress`, { type: 'string', writable: true, pvalue: 5003 });
  dm.registerParam(`${dhcp}SubnetMask`, { type: 'string', writable: true, pvalue: 110 });
  dm.registerParam(`${dhcp}LeaseTime`, { type: 'unsignedInt', writable: true, pvalue: 112 });
  dm.registerParam(`${dhcp}DMZAddress`, { type: 'string', writable: true, pvalue: 113 });
}

/** The eight port-forward slots (reference §1.2: P150+i WAN port, P158+i LAN IP, P166+i LAN port, P174+i protocol). */
export const PORT_FORWARD_SLOTS = 8;

// Device.NAT.PortMapping.{i}. — rows are the unit's slots; a slot is in use when its WAN port is set.
export function registerPortMappings(dm: DataModel, store: ParamReader): void {
  const ids = (i: number): [number, number, number, number] => [149 + i, 157 + i, 165 + i, 173 + i];
  dm.registerTable(
    'Device.NAT.PortMapping.',
    'Device.NAT.PortMappingNumberOfEntries',
    {
      slots: PORT_FORWARD_SLOTS,
      used: (i) => store.has(149 + i) && store.get(149 + i) !== '0',
      clear: (i) => {
        const [wan, lanIp, lanPort, proto] = ids(i);
        return [[wan, '0'], [lanIp, ''], [lanPort, '0'], [proto, '0']];
      },
    },
    (i, row) => {
      const [wan, lanIp, lanPort, proto] = ids(i);
      dm.registerLive(`${row}Enable`, { type: 'boolean', get: () => (store.get(wan) !== '0' && store.get(lanIp) !== '' ? 'true' : 'false') });
      dm.registerParam(`${row}ExternalPort`, { type: 'unsignedInt', writable: true, pvalue: wan });
      dm.registerParam(`${row}InternalClient`, { type: 'string', writable: true, pvalue: lanIp });
      dm.registerParam(`${row}InternalPort`, { type: 'unsignedInt', writable: true, pvalue: lanPort });
      dm.registerParam(`${row}Protocol`, {
        type: 'string',
        writable: true,
        binding: enumMap(proto, [['0', 'UDP'], ['1', 'TCP'], ['2', 'X_GRANDSTREAM_TCPUDP']]),
      });
    },
  );
}
