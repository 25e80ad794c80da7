/**
 * The console's ports on a running unit: the parameter store (batches with source `cli`, checked
 * at the login level) and the status board, read the way the web STATUS page reads it.
 */
import type { ParamStore } from '../params/store';
import type { DeviceControl, DeviceIdentity, NetworkFacts } from '../service';
import type { Clock } from '../shared/clock';
import type { StatusBoard } from '../status';
import { NONE, collectStatus } from '../web/status-view';
import type { CliPorts, CliStatus } from './cli/cli-ports';

export interface ConsoleUnit {
  readonly identity: DeviceIdentity;
  readonly store: ParamStore;
  readonly clock: Clock;
  readonly network: NetworkFacts;
  readonly device: DeviceControl;
  readonly status: StatusBoard;
}

export function storeCliPorts(u: ConsoleUnit): CliPorts {
  const store = u.store;
  return {
    params: {
      def: (id) => store.def(id),
      value: (id) => store.get(id),
      apply: (batch, level) => store.apply(batch, 'cli', { level }),
      resetRefusal: (type) => store.resetRefusal(type),
    },
    status: () => consoleStatus(u),
  };
}

function consoleStatus(u: ConsoleUnit): CliStatus {
  const userId = (name: string): string => {
    const d = u.store.catalogue.byNameOf(name);
    return d ? u.store.get(d.id) : '';
  };
  const v = collectStatus({
    identity: u.identity,
    network: u.network,
    device: u.device,
    status: u.status,
    now: u.clock.now(),
    userIds: [userId('sip1.userId'), userId('sip2.userId')],
  });
  const fxs = v.ports.find((p) => p.port === 'FXS');
  const fxo = v.ports.find((p) => p.port === 'FXO');
  return {
    model: v.model,
    mac: v.wanMac,
    firmware: v.firmware,
    uptime: v.uptime,
    accounts: v.ports.map((p, i) => ({ account: i + 1, port: p.port, registration: p.registration })),
    fxsHook: fxs?.hook ?? NONE,
    fxoLine: fxo?.hook ?? NONE,
  };
}
