/**
 * The agent's counters: the snmp group (RFC 3418 §2), snmpMPDStats (RFC 3412 §5),
 * snmpUnknownContexts (RFC 3413 §4.1.4) and usmStats (RFC 3414 §5). One set per service.
 */
export interface UsmStats {
  unsupportedSecLevels: number;
  notInTimeWindows: number;
  unknownUserNames: number;
  unknownEngineIDs: number;
  wrongDigests: number;
  decryptionErrors: number;
}

export type UsmStat = keyof UsmStats;

export interface SnmpCounters {
  inPkts: number;
  outPkts: number;
  inBadVersions: number;
  inBadCommunityNames: number;
  inASNParseErrs: number;
  silentDrops: number;
  unknownSecurityModels: number;
  invalidMsgs: number;
  unknownPDUHandlers: number;
  unknownContexts: number;
  usm: UsmStats;
}

export function newCounters(): SnmpCounters {
  return {
    inPkts: 0,
    outPkts: 0,
    inBadVersions: 0,
    inBadCommunityNames: 0,
    inASNParseErrs: 0,
    silentDrops: 0,
    unknownSecurityModels: 0,
    invalidMsgs: 0,
    unknownPDUHandlers: 0,
    unknownContexts: 0,
    usm: { unsupportedSecLevels: 0, notInTimeWindows: 0, unknownUserNames: 0, unknownEngineIDs: 0, wrongDigests: 0, decryptionErrors: 0 },
  };
}
