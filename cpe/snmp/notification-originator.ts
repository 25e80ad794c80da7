/**
 * Notifications the unit originates (RFC 3413 §3.3): coldStart (RFC 3418) and the periodic
 * htStatusNotification carrying the status subtree (ht813-mib.ts). SNMPv2-Trap-PDU for v2c and
 * v3 (RFC 3416 §4.2.6: sysUpTime.0, snmpTrapOID.0, then the objects), Trap-PDU for v1 mapped per
 * RFC 3584 §3.2. v3 traps come from this engine, authoritative for them (RFC 3414 §1.5.2). Pure
 * given the injected Random.
 */
import type { Random } from '../shared/random';
import { INT32_MAX } from './ber';
import { HT813_PRODUCT, HT_NOTIFICATIONS, HT_STATUS, HT_STATUS_NOTIFICATION } from './ht813-mib';
import type { Mib } from './mib';
import type { Oid } from './oid';
import { MAX_MESSAGE_SIZE, type EngineState } from './snmp-engine';
import { encodeCommunityMessage, type SnmpVersion } from './snmp-message';
import { GENERIC_TRAP, V, type AnyPdu, type VarBind } from './snmp-pdu';
import { COLD_START, SNMP_TRAP_OID_0, SYS_UPTIME_0 } from './standard-mib';
import { usmOutgoing, type SecurityLevel, type UsmUser } from './usm';

export type TrapKind = 'coldStart' | 'status';

export interface TrapTarget {
  readonly version: SnmpVersion;
  readonly community: Buffer;
  /** v3: the trap user (keys localised to this engine) and the level to send at. */
  readonly user?: UsmUser;
  readonly level: SecurityLevel;
}

export interface TrapContext {
  readonly mib: Mib;
  readonly engine: EngineState;
  /** sysUpTime now, in TimeTicks. */
  readonly uptimeTicks: number;
  /** v1 agent-addr: the unit's IPv4 address (0.0.0.0 when it has none). */
  readonly agentAddr: Buffer;
  readonly random: Random;
}

/** The objects a notification carries after sysUpTime.0 and snmpTrapOID.0. */
function payload(kind: TrapKind, mib: Mib): VarBind[] {
  return kind === 'status' ? mib.walk(HT_STATUS) : [];
}

function trapOid(kind: TrapKind): Oid {
  return kind === 'coldStart' ? COLD_START : HT_STATUS_NOTIFICATION;
}

function requestId(random: Random): number {
  return random.int(INT32_MAX) + 1;
}

/** One encoded trap for the target. */
export function buildTrap(kind: TrapKind, t: TrapTarget, c: TrapContext): Buffer {
  const varbinds = payload(kind, c.mib);
  if (t.version === 'v1') {
    // RFC 3584 §3.2: generic traps under the sender's sysObjectID; htStatusNotification (…2.2.0.1) as enterprise …2.2, specific 1
    const pdu: AnyPdu = kind === 'coldStart'
      ? { type: 'Trap', enterprise: HT813_PRODUCT, agentAddr: c.agentAddr, genericTrap: GENERIC_TRAP.coldStart, specificTrap: 0, timeStamp: c.uptimeTicks, varbinds }
      : { type: 'Trap', enterprise: HT_NOTIFICATIONS, agentAddr: c.agentAddr, genericTrap: GENERIC_TRAP.enterpriseSpecific, specificTrap: HT_STATUS_NOTIFICATION[HT_STATUS_NOTIFICATION.length - 1]!, timeStamp: c.uptimeTicks, varbinds };
    return encodeCommunityMessage({ version: 'v1', community: t.community, pdu });
  }
  const pdu: AnyPdu = {
    type: 'SNMPv2-Trap',
    requestId: requestId(c.random),
    errorStatus: 0,
    errorIndex: 0,
    varbinds: [{ oid: SYS_UPTIME_0, value: V.ticks(c.uptimeTicks) }, { oid: SNMP_TRAP_OID_0, value: V.oid(trapOid(kind)) }, ...varbinds],
  };
  if (t.version === 'v2c') return encodeCommunityMessage({ version: 'v2c', community: t.community, pdu });
  if (!t.user) throw new TypeError('a v3 trap needs a user');
  return usmOutgoing({
    msgId: requestId(c.random),
    maxSize: MAX_MESSAGE_SIZE,
    reportable: false, // RFC 3412 §6.4: unconfirmed class
    engine: c.engine,
    userName: t.user.name,
    user: t.user,
    level: t.level,
    scoped: { contextEngineId: c.engine.id, contextName: Buffer.alloc(0), pdu },
    random: c.random,
  });
}
