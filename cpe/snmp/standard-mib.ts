/**
 * Standard objects the agent answers: the MIB-II system group and snmp group (SNMPv2-MIB,
 * RFC 3418 §2), snmpEngine (SNMP-FRAMEWORK-MIB, RFC 3411 §5), snmpMPDStats (RFC 3412 §5),
 * snmpUnknownContexts (SNMP-TARGET-MIB, RFC 3413 §4.1.4) and usmStats (RFC 3414 §5). All read-only.
 */
import type { DeviceIdentity } from '../service';
import { scalar, type MibObject } from './mib';
import { oid, type Oid } from './oid';
import type { SnmpCounters, UsmStat } from './snmp-counters';
import { MAX_MESSAGE_SIZE, type EngineState } from './snmp-engine';
import { V } from './snmp-pdu';
import { HT813_PRODUCT } from './ht813-mib';

export const SYSTEM = oid('1.3.6.1.2.1.1');
export const SYS_UPTIME_0 = oid('1.3.6.1.2.1.1.3.0');
export const SNMP_GROUP = oid('1.3.6.1.2.1.11');
/** snmpTrapOID.0 (RFC 3418 §2, RFC 3416 §4.2.6: the second binding of every v2 notification). */
export const SNMP_TRAP_OID_0 = oid('1.3.6.1.6.3.1.1.4.1.0');
/** snmpTraps.coldStart (RFC 3418 §2). */
export const COLD_START = oid('1.3.6.1.6.3.1.1.5.1');
export const SNMP_ENGINE = oid('1.3.6.1.6.3.10.2.1');
export const SNMP_MPD_STATS = oid('1.3.6.1.6.3.11.2.1');
export const SNMP_UNKNOWN_CONTEXTS = oid('1.3.6.1.6.3.12.1.5');
export const USM_STATS = oid('1.3.6.1.6.3.15.1.1');

/** usmStats columns by counter (RFC 3414 §5); a report carries `<oid>.0`. */
export const USM_STAT_OID: Readonly<Record<UsmStat, Oid>> = {
  unsupportedSecLevels: [...USM_STATS, 1],
  notInTimeWindows: [...USM_STATS, 2],
  unknownUserNames: [...USM_STATS, 3],
  unknownEngineIDs: [...USM_STATS, 4],
  wrongDigests: [...USM_STATS, 5],
  decryptionErrors: [...USM_STATS, 6],
};

/** RFC 3418 sysServices: applications (layer 7) and end-to-end (layer 4): 2^6 + 2^3. */
const SYS_SERVICES = 72;

export interface StandardMibContext {
  readonly identity: Pick<DeviceIdentity, 'mac' | 'model' | 'manufacturer' | 'hardwareVersion' | 'firmwareVersion'>;
  /** Milliseconds since the unit booted. */
  uptimeMs(): number;
  engine(): EngineState;
  readonly counters: SnmpCounters;
}

export function sysDescr(id: StandardMibContext['identity']): string {
  return `${id.manufacturer} ${id.model} analog telephone adapter, hardware ${id.hardwareVersion}, firmware ${id.firmwareVersion}`;
}

export function sysName(id: StandardMibContext['identity']): string {
  return `${id.model}-${id.mac.toUpperCase()}`;
}

/** sysUpTime in TimeTicks (hundredths of a second, wrapping at 2^32). */
export function uptimeTicks(ms: number): number {
  return Math.floor(Math.max(0, ms) / 10) % 2 ** 32;
}

export function standardObjects(c: StandardMibContext): MibObject[] {
  const n = c.counters;
  const sys = (arc: number, get: Parameters<typeof scalar>[1]): MibObject => scalar([...SYSTEM, arc], get);
  const snmp = (arc: number, get: () => number): MibObject => scalar([...SNMP_GROUP, arc], () => V.counter(get()));
  return [
    sys(1, () => V.str(sysDescr(c.identity))),
    sys(2, () => V.oid(HT813_PRODUCT)),
    sys(3, () => V.ticks(uptimeTicks(c.uptimeMs()))),
    // RFC 3418: a zero-length sysContact / sysLocation when none is known; the unit has no P-value for them
    sys(4, () => V.str('')),
    sys(5, () => V.str(sysName(c.identity))),
    sys(6, () => V.str('')),
    sys(7, () => V.int(SYS_SERVICES)),
    snmp(1, () => n.inPkts),
    snmp(3, () => n.inBadVersions),
    snmp(4, () => n.inBadCommunityNames),
    snmp(5, () => 0), // snmpInBadCommunityUses: a read-only community is refused at Set with noAccess instead
    snmp(6, () => n.inASNParseErrs),
    scalar([...SNMP_GROUP, 30], () => V.int(2)), // snmpEnableAuthenTraps: disabled(2)
    snmp(31, () => n.silentDrops),
    snmp(32, () => 0), // snmpProxyDrops: no proxy
    scalar([...SNMP_ENGINE, 1], () => V.str(c.engine().id)),
    scalar([...SNMP_ENGINE, 2], () => V.int(c.engine().boots)),
    scalar([...SNMP_ENGINE, 3], () => V.int(c.engine().time)),
    scalar([...SNMP_ENGINE, 4], () => V.int(MAX_MESSAGE_SIZE)),
    scalar([...SNMP_MPD_STATS, 1], () => V.counter(n.unknownSecurityModels)),
    scalar([...SNMP_MPD_STATS, 2], () => V.counter(n.invalidMsgs)),
    scalar([...SNMP_MPD_STATS, 3], () => V.counter(n.unknownPDUHandlers)),
    scalar(SNMP_UNKNOWN_CONTEXTS, () => V.counter(n.unknownContexts)),
    ...(Object.keys(USM_STAT_OID) as UsmStat[]).map((k) => scalar(USM_STAT_OID[k], () => V.counter(n.usm[k]))),
  ];
}
