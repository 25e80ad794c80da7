/**
 * The remote management settings, read from the store (reference §1.2): SSH on P27006 unless
 * P276 = 1, Telnet on P28128 unless P28120 = 1 (its default), each port plus the fleet offset,
 * and the WAN access rules P190 / P20701 / P20702 the web UI applies too. Pure.
 */
import type { WanPolicy } from '../web/access-policy';
import type { Protocol } from './conn';

/** A change to any of these re-applies the settings at once. */
export const MGMT_PVALUES: ReadonlySet<number> = new Set([276, 27006, 28120, 28128, 190, 20701, 20702]);

export interface ListenerSettings {
  readonly enabled: boolean;
  readonly port: number;
}

export interface MgmtSettings {
  readonly ssh: ListenerSettings;
  readonly telnet: ListenerSettings;
  readonly policy: WanPolicy;
  /** Settings that could not be used, and why. */
  readonly problems: readonly string[];
}

export function mgmtSettings(get: (id: number) => string, offset: number): MgmtSettings {
  const problems: string[] = [];
  const listener = (p: Protocol, disableId: number, portId: number): ListenerSettings => {
    const port = Number(get(portId)) + offset;
    const enabled = get(disableId) !== '1';
    if (enabled && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      problems.push(`${p === 'ssh' ? 'SSH' : 'Telnet'} port ${port} (P${portId} + offset ${offset}) is out of range: ${p === 'ssh' ? 'SSH' : 'Telnet'} stays off`);
      return { enabled: false, port };
    }
    return { enabled, port };
  };
  const ssh = listener('ssh', 276, 27006);
  let telnet = listener('telnet', 28120, 28128);
  if (ssh.enabled && telnet.enabled && ssh.port === telnet.port) {
    problems.push(`Telnet port ${telnet.port} (P28128) is the SSH port (P27006): Telnet stays off`);
    telnet = { ...telnet, enabled: false };
  }
  return { ssh, telnet, policy: { mode: get(190), whiteList: get(20701), blackList: get(20702) }, problems };
}
