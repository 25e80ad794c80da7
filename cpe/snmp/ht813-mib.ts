/**
 * The unit's own subtree under Grandstream's enterprise arc (1.3.6.1.4.1.42397): live status from
 * the status board, read when asked. Designed here (Grandstream publishes no HT813 MIB); all
 * objects are read-only.
 *
 * | OID (1.3.6.1.4.1.42397.…) | name                  | syntax                          | value                                      |
 * |---------------------------|-----------------------|---------------------------------|--------------------------------------------|
 * | 1.813                     | gsHt813               | (OBJECT-IDENTITY)               | sysObjectID.0 of the unit                  |
 * | 2.1.1.0                   | htFirmwareVersion     | DisplayString                   | running firmware, e.g. 1.0.7.1             |
 * | 2.1.2.0                   | htMacAddress          | PhysAddress (6 octets)          | WAN MAC                                    |
 * | 2.1.3.0                   | htFxsHookState        | INTEGER unknown(0) onHook(1) offHook(2) | the phone on the FXS port (hw.fxs.hook) |
 * | 2.1.4.0                   | htFxoLineState        | INTEGER unknown(0) idle(1) ringing(2) seized(3) dialing(4) connected(5) disconnected(6) | the PSTN line (hw.fxo.state) |
 * | 2.1.5.1.1.<p>             | htAccountIndex        | Integer32 1..2, not-accessible  | profile: 1 = FXS account, 2 = FXO account  |
 * | 2.1.5.1.2.<p>             | htAccountPort         | INTEGER fxs(1) fxo(2)           | the port the profile serves                |
 * | 2.1.5.1.3.<p>             | htAccountUserId       | DisplayString                   | SIP user ID                                |
 * | 2.1.5.1.4.<p>             | htAccountRegState     | INTEGER notRegistered(1) registering(2) registered(3) failed(4) | sip.accounts state |
 * | 2.1.5.1.5.<p>             | htAccountServer       | DisplayString                   | the registrar in use ('' when none)        |
 * | 2.2.0.1                   | htStatusNotification  | NOTIFICATION-TYPE               | periodic trap; binds all of 2.1 (v1: enterprise 2.2, specific 1) |
 *
 * The account table has a row per profile while the SIP service runs; the enumerations are the
 * status board's state names.
 */
import type { HookState, FxoState } from '../hw/types';
import type { AccountState, AccountStatus } from '../voice/accounts/account';
import type { StatusBoard } from '../status';
import { scalar, tableColumns, type MibObject } from './mib';
import { oid } from './oid';
import { GRANDSTREAM_ENTERPRISE } from './snmp-engine';
import { V } from './snmp-pdu';

export const GRANDSTREAM = oid(`1.3.6.1.4.1.${GRANDSTREAM_ENTERPRISE}`);
/** sysObjectID.0 (RFC 3418). */
export const HT813_PRODUCT = [...GRANDSTREAM, 1, 813];
export const HT_STATUS = [...GRANDSTREAM, 2, 1];
export const HT_ACCOUNT_ENTRY = [...HT_STATUS, 5, 1];
export const HT_NOTIFICATIONS = [...GRANDSTREAM, 2, 2];
/** RFC 3584 §3.1: a v2 notification OID ending `.0.n` maps to v1 enterprise = prefix, specific-trap = n. */
export const HT_STATUS_NOTIFICATION = [...HT_NOTIFICATIONS, 0, 1];

const HOOK: Readonly<Record<HookState, number>> = { onHook: 1, offHook: 2 };
const FXO: Readonly<Record<FxoState, number>> = { idle: 1, ringing: 2, seized: 3, dialing: 4, connected: 5, disconnected: 6 };
const REG: Readonly<Record<AccountState, number>> = { 'not-registered': 1, registering: 2, registered: 3, failed: 4 };

export interface Ht813MibContext {
  readonly identity: { readonly mac: string; readonly firmwareVersion: string };
  readonly status: StatusBoard;
}

export function ht813Objects(c: Ht813MibContext): MibObject[] {
  const s = c.status;
  return [
    scalar([...HT_STATUS, 1], () => V.str(c.identity.firmwareVersion)),
    scalar([...HT_STATUS, 2], () => V.str(Buffer.from(c.identity.mac, 'hex'))),
    scalar([...HT_STATUS, 3], () => V.int(lookup(HOOK, s.get('hw.fxs.hook')))),
    scalar([...HT_STATUS, 4], () => V.int(lookup(FXO, s.get('hw.fxo.state')))),
    ...tableColumns<AccountStatus>(
      HT_ACCOUNT_ENTRY,
      [
        [2, (a) => V.int(a.port === 'FXS' ? 1 : 2)],
        [3, (a) => V.str(a.userId)],
        [4, (a) => V.int(REG[a.state] ?? 0)],
        [5, (a) => V.str(a.server ?? '')],
      ],
      () => s.get('sip.accounts') ?? [],
      (a) => [a.account],
    ),
  ];
}

function lookup<K extends string>(table: Readonly<Record<K, number>>, key: K | undefined): number {
  return key === undefined ? 0 : (table[key] ?? 0);
}
