/**
 * The agent's message processing: a datagram in, a reply (or a reason to drop it) out. v1/v2c by
 * community (RFC 1157 §4, RFC 3584 §5.2), v3 through the message processing model (RFC 3412 §7.2)
 * and the USM (usm.ts), then the command responder (command-responder.ts). It never throws on
 * what a peer sends. Pure given its dependencies; sockets are the service's.
 */
import { timingSafeEqual } from 'node:crypto';
import { DecodeError } from '../shared/errors';
import type { Random } from '../shared/random';
import { isRequest, respond } from './command-responder';
import type { Mib } from './mib';
import type { Oid } from './oid';
import type { SnmpCounters } from './snmp-counters';
import { MAX_MESSAGE_SIZE, type EngineState } from './snmp-engine';
import { decodeMessage, encodeCommunityMessage, USM_SECURITY_MODEL, type CommunityMessage, type DecodedV3Message, type SnmpVersion } from './snmp-message';
import { ERROR_STATUS, V, type BulkPdu, type Pdu } from './snmp-pdu';
import { SNMP_MPD_STATS, SNMP_UNKNOWN_CONTEXTS, USM_STAT_OID } from './standard-mib';
import { LEVEL_RANK, usmIncoming, usmOutgoing, type SecurityLevel, type UsmUser } from './usm';

export interface AgentConfig {
  readonly version: SnmpVersion;
  /** v1/v2c read community; empty refuses every request. */
  readonly community: Buffer;
  /** v3: the one USM user (keys localised to this engine); undefined refuses every request but discovery. */
  readonly user?: UsmUser;
  /** v3: the least security level a request must have (P21910). */
  readonly minLevel: SecurityLevel;
}

export interface AgentDeps {
  readonly mib: Mib;
  engine(): EngineState;
  readonly counters: SnmpCounters;
  readonly random: Random;
}

export type DropReason = 'parse' | 'version' | 'community' | 'not-a-request' | 'security-model' | 'invalid' | 'usm' | 'too-big';

export type AgentResult = { readonly reply: Buffer } | { readonly drop: DropReason; readonly detail?: string };

/** Room kept for what the size estimate leaves out: list header growth, DES padding. */
const SLACK = 16;

/** RFC 3412 §7.2 step 3 / RFC 3411 §2.8: reports answer Confirmed Class PDUs only. */
const CONFIRMED = new Set(['GetRequest', 'GetNextRequest', 'GetBulkRequest', 'SetRequest', 'InformRequest']);

export class SnmpAgent {
  private cfg: AgentConfig = { version: 'v2c', community: Buffer.alloc(0), minLevel: 'noAuthNoPriv' };

  constructor(private readonly d: AgentDeps) {}

  configure(cfg: AgentConfig): void {
    this.cfg = cfg;
  }

  handle(datagram: Buffer): AgentResult {
    const n = this.d.counters;
    n.inPkts++;
    let msg;
    try {
      msg = decodeMessage(datagram);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      n.inASNParseErrs++;
      return { drop: 'parse', detail: e.message };
    }
    if (msg.version !== this.cfg.version) {
      n.inBadVersions++;
      return { drop: 'version', detail: `SNMP${msg.version} while the agent is configured for SNMP${this.cfg.version}` };
    }
    const out = msg.version === 'v3' ? this.v3(msg, datagram) : this.community(msg);
    if ('reply' in out) n.outPkts++;
    return out;
  }

  private community(msg: CommunityMessage): AgentResult {
    const c = this.cfg.community;
    // RFC 3584 §5.2.1: an unknown community is dropped (snmpInBadCommunityNames); none configured, none accepted
    if (c.length === 0 || msg.community.length !== c.length || !timingSafeEqual(msg.community, c)) {
      this.d.counters.inBadCommunityNames++;
      return { drop: 'community' };
    }
    const req = msg.pdu;
    if (!isRequest(req)) return { drop: 'not-a-request', detail: req.type };
    const wrap = (pdu: Pdu): Buffer => encodeCommunityMessage({ version: msg.version, community: msg.community, pdu });
    return this.answer(req, msg.version, MAX_MESSAGE_SIZE, wrap);
  }

  private v3(msg: DecodedV3Message, raw: Buffer): AgentResult {
    const n = this.d.counters;
    if (msg.securityModel !== USM_SECURITY_MODEL) {
      n.unknownSecurityModels++;
      return { drop: 'security-model', detail: `model ${msg.securityModel}` };
    }
    // RFC 3412 §7.2 step 5: privacy without authentication is not a valid combination
    if (msg.flags.priv && !msg.flags.auth) {
      n.invalidMsgs++;
      return { drop: 'invalid', detail: 'msgFlags priv without auth' };
    }
    const engine = this.d.engine();
    const user = this.cfg.user;
    const u = usmIncoming(msg, raw, engine, (name) => (user && name.equals(user.name) ? user : undefined));
    if (u.kind === 'drop') {
      if (u.parseError) n.inASNParseErrs++;
      return { drop: 'usm', detail: u.reason };
    }
    const report = (counter: Oid, value: number, level: SecurityLevel, userName: Buffer, requestId: number, pduType: string | undefined, reportUser?: UsmUser): AgentResult => {
      if (!msg.flags.reportable || (pduType !== undefined && !CONFIRMED.has(pduType))) return { drop: 'usm', detail: `not reported: ${counter.join('.')}` };
      const pdu: Pdu = { type: 'Report', requestId, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: [...counter, 0], value: V.counter(value) }] };
      const scoped = { contextEngineId: engine.id, contextName: Buffer.alloc(0), pdu };
      return { reply: usmOutgoing({ msgId: msg.msgId, maxSize: MAX_MESSAGE_SIZE, reportable: false, engine, userName, level, scoped, random: this.d.random, ...(reportUser ? { user: reportUser } : {}) }) };
    };
    if (u.kind === 'report') {
      const value = ++n.usm[u.counter];
      return report(USM_STAT_OID[u.counter], value, u.level, u.userName, u.requestId, u.pduType, u.user);
    }
    const { scoped, level } = u;
    const pdu = scoped.pdu;
    const reqId = 'requestId' in pdu ? pdu.requestId : 0;
    // RFC 3412 §7.2 step 13 / §4.2.2.1: a contextEngineID we do not serve (empty taken as ours)
    if (scoped.contextEngineId.length > 0 && !scoped.contextEngineId.equals(engine.id)) {
      return report([...SNMP_MPD_STATS, 3], ++n.unknownPDUHandlers, level, u.params.userName, reqId, pdu.type, u.user);
    }
    // RFC 3413 §3.2 step 3: the default context is the only one
    if (scoped.contextName.length > 0) return report(SNMP_UNKNOWN_CONTEXTS, ++n.unknownContexts, level, u.params.userName, reqId, pdu.type, u.user);
    if (!isRequest(pdu)) return { drop: 'not-a-request', detail: pdu.type };
    const wrap = (resp: Pdu): Buffer =>
      usmOutgoing({
        msgId: msg.msgId,
        maxSize: MAX_MESSAGE_SIZE,
        reportable: false,
        engine,
        userName: u.params.userName,
        user: u.user,
        level,
        scoped: { contextEngineId: engine.id, contextName: scoped.contextName, pdu: resp },
        random: this.d.random,
      });
    // RFC 3413 §3.2 step 5: below the configured level, access is denied (authorizationError)
    if (LEVEL_RANK[level] < LEVEL_RANK[this.cfg.minLevel]) {
      return { reply: wrap({ type: 'Response', requestId: reqId, errorStatus: ERROR_STATUS.authorizationError, errorIndex: 0, varbinds: pdu.varbinds }) };
    }
    return this.answer(pdu, 'v3', Math.min(MAX_MESSAGE_SIZE, msg.maxSize), wrap);
  }

  /** Runs the request and wraps the response, within `maxSize` octets (RFC 3416 §4.2.1 tooBig). */
  private answer(req: Pdu | BulkPdu, version: SnmpVersion, maxSize: number, wrap: (p: Pdu) => Buffer): AgentResult {
    const empty: Pdu = { type: 'Response', requestId: req.requestId, errorStatus: 0, errorIndex: 0, varbinds: [] };
    const budget = maxSize - wrap(empty).length - SLACK;
    const resp = respond(req, version, this.d.mib, budget);
    const bytes = wrap(resp);
    if (bytes.length <= maxSize) return { reply: bytes };
    // the estimate missed: fall back to tooBig, and drop when even that does not fit (RFC 3416 §4.2.1)
    const tooBig = wrap({ ...empty, errorStatus: ERROR_STATUS.tooBig, varbinds: version === 'v1' ? req.varbinds : [] });
    if (tooBig.length <= maxSize) return { reply: tooBig };
    this.d.counters.silentDrops++;
    return { drop: 'too-big' };
  }
}
