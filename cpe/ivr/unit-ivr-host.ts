/**
 * The voice menu's host over a running unit: its store (writes as source `ivr`), identity,
 * network facts and lifecycle. P88 "Lock keypad update" refuses every menu write, and factory
 * resets as the store's reset rule says (reference §1.2; user guide "Reset from Web Interface" note).
 */
import type { ServiceContext } from '../service';
import type { IvrHost } from './ivr-host';

export function unitIvrHost(ctx: ServiceContext, voicemail: () => string | undefined): IvrHost {
  const { store, identity, network, device, log } = ctx;
  return {
    get: (id) => store.get(id),
    apply(batch) {
      const lock = store.get(88);
      if (lock !== '0') return `keypad updates are locked (P88 = ${lock})`;
      const r = store.apply(batch, 'ivr');
      return r.ok ? undefined : r.errors.map((e) => e.message).join('; ');
    },
    mac: identity.mac,
    lanMac: identity.lanMac,
    firmwareVersion: identity.firmwareVersion,
    network: () => ({
      address: network.address,
      // what DHCP said, when the operator told the unit (--dhcp-option 1=, 3=, 6=)
      ...optional('subnet', network.dhcpOptions.get(1)),
      ...optional('gateway', network.gateway ?? network.dhcpOptions.get(3)?.split(',')[0]),
      ...optional('dns', network.dhcpOptions.get(6)?.split(',')[0]),
    }),
    factoryResetRefusal: () => store.resetRefusal('full'),
    voicemail,
    reboot: () => {
      device.reboot('voice menu option 99').catch((e: Error) => log.error({ err: e.message }, 'ivr: reboot failed'));
    },
    factoryReset: () => {
      device.factoryReset('full', 'voice menu option 99').catch((e: Error) => log.error({ err: e.message }, 'ivr: factory reset failed'));
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
