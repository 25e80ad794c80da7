/*
 * Test plan: the agent's message processing over the unit's MIB (no sockets).
 * - v2c: Get (values, noSuchObject, noSuchInstance), GetNext, a full walk in lexicographic order
 *   ending in endOfMibView, GetBulk (non-repeaters, repetitions, endOfMibView, the 1472-octet
 *   cap), Set refused with noAccess, tooBig when the bindings cannot fit.
 * - v1: noSuchName with the failing index for Get, GetNext past the end and Set.
 * - Communities: a wrong one and any one while P21902 is empty are dropped and counted; another
 *   version than configured is dropped (snmpInBadVersions).
 * - v3: net-snmp's discovery probe gets the usmStatsUnknownEngineIDs report with our engine ID,
 *   boots and time; an authPriv request from a manager gets an authPriv response; a request below
 *   P21910's level gets authorizationError; a non-reportable failure gets nothing.
 * - The vendor subtree reads the status board live (hook, FXO line, account rows).
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import { SnmpAgent, type AgentConfig, type AgentResult } from '../../cpe/snmp/agent';
import { ht813Objects } from '../../cpe/snmp/ht813-mib';
import { Mib } from '../../cpe/snmp/mib';
import { oid, oidText, type Oid } from '../../cpe/snmp/oid';
import { newCounters } from '../../cpe/snmp/snmp-counters';
import { engineIdFromMac, type EngineState } from '../../cpe/snmp/snmp-engine';
import { decodeMessage, encodeCommunityMessage, type DecodedV3Message, type SnmpVersion } from '../../cpe/snmp/snmp-message';
import { V, type AnyPdu, type Pdu, type VarBind } from '../../cpe/snmp/snmp-pdu';
import { standardObjects } from '../../cpe/snmp/standard-mib';
import { usmIncoming, usmOutgoing, type SecurityLevel } from '../../cpe/snmp/usm';
import { decodeUsmParameters } from '../../cpe/snmp/usm-parameters';
import { localizeUser } from '../../cpe/snmp/usm-keys';
import { NET_SNMP, hex } from './vectors';

const MAC = '000b82aabbcc';
const ENGINE: EngineState = { id: engineIdFromMac(MAC), boots: 4, time: 1234 };
const identity = { mac: MAC, model: 'HT813' as const, manufacturer: 'Grandstream' as const, hardwareVersion: 'V1.0A', firmwareVersion: '1.0.7.1' };

function rig(cfg: Partial<AgentConfig> = {}) {
  const status = new StatusBoard();
  const counters = newCounters();
  const mib = new Mib([...standardObjects({ identity, uptimeMs: () => 12_340, engine: () => ENGINE, counters }), ...ht813Objects({ identity, status })]);
  const agent = new SnmpAgent({ mib, engine: () => ENGINE, counters, random: new SeededRandom(3) });
  agent.configure({ version: 'v2c', community: Buffer.from('public'), minLevel: 'noAuthNoPriv', ...cfg });
  return { agent, status, counters, mib };
}

function ask(agent: SnmpAgent, version: 'v1' | 'v2c', pdu: AnyPdu, community = 'public'): AgentResult {
  return agent.handle(encodeCommunityMessage({ version, community: Buffer.from(community), pdu }));
}

function response(r: AgentResult): Pdu {
  assert.ok('reply' in r, `a reply, not ${JSON.stringify(r)}`);
  const m = decodeMessage(r.reply);
  assert.ok(m.version !== 'v3' && m.pdu.type === 'Response');
  return m.pdu as Pdu;
}

const get = (...oids: string[]): Pdu => ({ type: 'GetRequest', requestId: 42, errorStatus: 0, errorIndex: 0, varbinds: oids.map((o) => ({ oid: oid(o), value: V.null })) });
const next = (...oids: string[]): Pdu => ({ ...get(...oids), type: 'GetNextRequest' });
const texts = (vbs: readonly VarBind[]): string[] => vbs.map((v) => oidText(v.oid));

describe('SNMP agent: v1 and v2c', () => {
  it('Get: values, noSuchObject outside any object, noSuchInstance under one', () => {
    const { agent } = rig();
    const p = response(ask(agent, 'v2c', get('1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.99.0', '1.3.6.1.2.1.1.1.1')));
    assert.equal(p.requestId, 42);
    assert.deepEqual(p.varbinds.map((v) => v.value), [
      V.str('Grandstream HT813 analog telephone adapter, hardware V1.0A, firmware 1.0.7.1'),
      V.ticks(1234),
      V.str('HT813-000B82AABBCC'),
      V.noSuchObject,
      V.noSuchInstance,
    ]);
  });

  it('GetNext walks the whole view in lexicographic order, then endOfMibView', () => {
    const { agent } = rig();
    const seen: Oid[] = [];
    let at: Oid = oid('1.3');
    for (let i = 0; i < 200; i++) {
      const p = response(ask(agent, 'v2c', { ...next(oidText(at)), requestId: i }));
      const vb = p.varbinds[0]!;
      if (vb.value.type === 'endOfMibView') break;
      seen.push(vb.oid);
      at = vb.oid;
    }
    assert.deepEqual(texts(seen.map((o) => ({ oid: o, value: V.null }))).slice(0, 3), ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.3.0']);
    for (let i = 1; i < seen.length; i++) assert.ok(oidText(seen[i]!) !== oidText(seen[i - 1]!));
    const sorted = [...seen].sort((a, b) => { for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k]! - b[k]!; return a.length - b.length; });
    assert.deepEqual(seen, sorted, 'strictly increasing');
    assert.ok(seen.some((o) => oidText(o) === '1.3.6.1.4.1.42397.2.1.1.0'), 'the vendor subtree is in the walk');
    assert.equal(oidText(seen[seen.length - 1]!), '1.3.6.1.6.3.15.1.1.6.0', 'usmStatsDecryptionErrors is last');
  });

  it('GetBulk (RFC 3416 §4.2.3): one non-repeater, two repeaters for three rounds', () => {
    const { agent } = rig();
    const req: AnyPdu = { type: 'GetBulkRequest', requestId: 7, nonRepeaters: 1, maxRepetitions: 3, varbinds: ['1.3.6.1.2.1.1.1', '1.3.6.1.2.1.1.4', '1.3.6.1.4.1.42397.2.1.3'].map((o) => ({ oid: oid(o), value: V.null })) };
    const p = response(ask(agent, 'v2c', req));
    assert.deepEqual(texts(p.varbinds), [
      '1.3.6.1.2.1.1.1.0',
      '1.3.6.1.2.1.1.4.0', '1.3.6.1.4.1.42397.2.1.3.0',
      '1.3.6.1.2.1.1.5.0', '1.3.6.1.4.1.42397.2.1.4.0',
      '1.3.6.1.2.1.1.6.0', '1.3.6.1.6.3.10.2.1.1.0',
    ]);
  });

  it('GetBulk at the end of the view: endOfMibView, and it stops once every repeater has ended', () => {
    const { agent } = rig();
    const p = response(ask(agent, 'v2c', { type: 'GetBulkRequest', requestId: 8, nonRepeaters: 0, maxRepetitions: 50, varbinds: [{ oid: oid('1.3.6.1.6.3.15.1.1.5.0'), value: V.null }] }));
    assert.deepEqual(p.varbinds.map((v) => [oidText(v.oid), v.value.type]), [['1.3.6.1.6.3.15.1.1.6.0', 'Counter32'], ['1.3.6.1.6.3.15.1.1.6.0', 'endOfMibView']]);
  });

  it('GetBulk with a huge max-repetitions answers within 1472 octets', () => {
    const { agent } = rig();
    const r = ask(agent, 'v2c', { type: 'GetBulkRequest', requestId: 9, nonRepeaters: 0, maxRepetitions: 2_000_000_000, varbinds: Array.from({ length: 3 }, () => ({ oid: oid('1.3'), value: V.null })) });
    assert.ok('reply' in r && r.reply.length <= 1472, `${'reply' in r ? r.reply.length : r.drop}`);
    const p = response(r);
    assert.equal(p.errorStatus, 0);
    assert.ok(p.varbinds.length > 30, 'as many rounds as fit');
    assert.notEqual(p.varbinds[p.varbinds.length - 1]!.value.type, 'endOfMibView', 'cut by size before the end of the view');
  });

  it('a Get whose answer cannot fit: tooBig without bindings (RFC 3416 §4.2.1)', () => {
    const { agent } = rig();
    const p = response(ask(agent, 'v2c', get(...Array.from({ length: 30 }, () => '1.3.6.1.2.1.1.1.0'))));
    assert.equal(p.errorStatus, 1);
    assert.deepEqual(p.varbinds, []);
  });

  it('Set is refused: noAccess at index 1 (v2c), noSuchName (v1); nothing changes', () => {
    const { agent } = rig();
    const set: Pdu = { type: 'SetRequest', requestId: 5, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: oid('1.3.6.1.2.1.1.5.0'), value: V.str('mine') }] };
    const p = response(ask(agent, 'v2c', set));
    assert.deepEqual([p.errorStatus, p.errorIndex], [6, 1]);
    assert.deepEqual(p.varbinds, set.varbinds);
    const { agent: a1 } = rig({ version: 'v1' });
    const q = response(ask(a1, 'v1', set));
    assert.deepEqual([q.errorStatus, q.errorIndex], [2, 1]);
    assert.deepEqual(response(ask(agent, 'v2c', get('1.3.6.1.2.1.1.5.0'))).varbinds[0]!.value, V.str('HT813-000B82AABBCC'));
  });

  it('v1: noSuchName with the index of the failing binding; GetNext past the end too', () => {
    const { agent } = rig({ version: 'v1' });
    const p = response(ask(agent, 'v1', get('1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.99.0')));
    assert.deepEqual([p.errorStatus, p.errorIndex], [2, 2]);
    assert.deepEqual(p.varbinds.map((v) => v.value), [V.null, V.null], 'the request bindings, unchanged');
    const q = response(ask(agent, 'v1', next('1.3.6.1.6.3.15.1.1.6.0')));
    assert.deepEqual([q.errorStatus, q.errorIndex], [2, 1]);
  });

  it('net-snmp v1 and v2c requests get answers', () => {
    const { agent } = rig();
    assert.equal(response(agent.handle(hex(NET_SNMP.v2cGet!.hex))).requestId, 0x2f1e12c5);
    const { agent: a1 } = rig({ version: 'v1' });
    assert.equal(response(a1.handle(hex(NET_SNMP.v1Get!.hex))).varbinds[0]!.value.type, 'TimeTicks');
  });

  it('a wrong community, any community while P21902 is empty, another version: dropped and counted', () => {
    const { agent, counters } = rig();
    assert.deepEqual(ask(agent, 'v2c', get('1.3.6.1.2.1.1.1.0'), 'private'), { drop: 'community' });
    assert.deepEqual(ask(agent, 'v2c', get('1.3.6.1.2.1.1.1.0'), ''), { drop: 'community' });
    const { agent: closed, counters: c2 } = rig({ community: Buffer.alloc(0) });
    assert.deepEqual(ask(closed, 'v2c', get('1.3.6.1.2.1.1.1.0'), ''), { drop: 'community' });
    assert.deepEqual(ask(closed, 'v2c', get('1.3.6.1.2.1.1.1.0'), 'public'), { drop: 'community' });
    assert.equal(c2.inBadCommunityNames, 2);
    const r = ask(agent, 'v1', get('1.3.6.1.2.1.1.1.0'));
    assert.ok('drop' in r && r.drop === 'version');
    assert.deepEqual([counters.inPkts, counters.inBadCommunityNames, counters.inBadVersions, counters.outPkts], [3, 2, 1, 0]);
  });

  it('the vendor subtree reads the status board when asked', () => {
    const { agent, status } = rig();
    const values = (): unknown[] => response(ask(agent, 'v2c', get('1.3.6.1.4.1.42397.2.1.3.0', '1.3.6.1.4.1.42397.2.1.4.0', '1.3.6.1.4.1.42397.2.1.5.1.4.1'))).varbinds.map((v) => v.value);
    assert.deepEqual(values(), [V.int(0), V.int(0), V.noSuchInstance], 'hardware and SIP not up: unknown, no rows');
    status.provide('hw.fxs.hook', () => 'offHook');
    status.provide('hw.fxo.state', () => 'ringing');
    status.provide('sip.accounts', () => [
      { account: 1, port: 'FXS', userId: '1001', state: 'registered', server: 'pbx.example' },
      { account: 2, port: 'FXO', userId: '', state: 'not-registered' },
    ]);
    assert.deepEqual(values(), [V.int(2), V.int(2), V.int(3)]);
    const walk = response(ask(agent, 'v2c', { type: 'GetBulkRequest', requestId: 1, nonRepeaters: 0, maxRepetitions: 8, varbinds: [{ oid: oid('1.3.6.1.4.1.42397.2.1.5'), value: V.null }] }));
    assert.deepEqual(walk.varbinds.map((v) => [oidText(v.oid).replace('1.3.6.1.4.1.42397.2.1.5.1.', ''), v.value]), [
      ['2.1', V.int(1)], ['2.2', V.int(2)], ['3.1', V.str('1001')], ['3.2', V.str('')], ['4.1', V.int(3)], ['4.2', V.int(1)], ['5.1', V.str('pbx.example')], ['5.2', V.str('')],
    ]);
  });
});

describe('SNMP agent: v3 with the USM', () => {
  const cfg = (level: SecurityLevel = 'authPriv'): Partial<AgentConfig> => {
    const user = localizeUser({ name: 'alice', level, auth: 'sha', ...(level === 'authPriv' ? { priv: 'aes' as const } : {}), authKey: 'authpass1', privKey: 'privpass1' }, ENGINE.id);
    return { version: 'v3' as SnmpVersion, user, minLevel: level };
  };
  const managerUser = (level: SecurityLevel) => localizeUser({ name: 'alice', level, auth: 'sha', priv: 'aes', authKey: 'authpass1', privKey: 'privpass1' }, ENGINE.id);

  function v3Request(level: SecurityLevel, pdu: Pdu, reportable = true): Buffer {
    const user = managerUser('authPriv');
    return usmOutgoing({ msgId: 1001, maxSize: 65507, reportable, engine: ENGINE, userName: user.name, user, level, scoped: { contextEngineId: ENGINE.id, contextName: Buffer.alloc(0), pdu }, random: new SeededRandom(9) });
  }

  function v3Reply(r: AgentResult): DecodedV3Message {
    assert.ok('reply' in r, `a reply, not ${JSON.stringify(r)}`);
    const m = decodeMessage(r.reply);
    assert.equal(m.version, 'v3');
    return m as DecodedV3Message;
  }

  it('discovery (net-snmp probe): usmStatsUnknownEngineIDs report with our engine ID, boots and time', () => {
    const { agent, counters } = rig(cfg());
    const m = v3Reply(agent.handle(hex(NET_SNMP.v3Discovery!.hex)));
    assert.equal(m.msgId, 0x633dabc1, 'the msgID of the probe');
    assert.deepEqual(m.flags, { auth: false, priv: false, reportable: false });
    const usm = decodeUsmParameters(m.securityParameters);
    assert.deepEqual([usm.engineId, usm.engineBoots, usm.engineTime], [ENGINE.id, 4, 1234]);
    assert.ok('scoped' in m.data);
    const pdu = m.data.scoped.pdu as Pdu;
    assert.equal(pdu.type, 'Report');
    assert.equal(pdu.requestId, 0x537cb260);
    assert.deepEqual(pdu.varbinds, [{ oid: oid('1.3.6.1.6.3.15.1.1.4.0'), value: V.counter(1) }]);
    assert.equal(counters.usm.unknownEngineIDs, 1);
  });

  it('authPriv round trip: verified, decrypted, the engine ID read back', () => {
    const { agent } = rig(cfg());
    const res = agent.handle(v3Request('authPriv', get('1.3.6.1.6.3.10.2.1.1.0', '1.3.6.1.2.1.1.5.0')));
    assert.ok('reply' in res);
    const m = v3Reply(res);
    const r = usmIncoming(m, res.reply, ENGINE, () => managerUser('authPriv'));
    assert.ok(r.kind === 'ok', JSON.stringify(r));
    const pdu = r.scoped.pdu as Pdu;
    assert.equal(pdu.type, 'Response');
    assert.deepEqual(pdu.varbinds.map((v) => v.value), [V.str(ENGINE.id), V.str('HT813-000B82AABBCC')]);
  });

  it('a request below the configured level (P21910): authorizationError', () => {
    const { agent } = rig(cfg('authPriv'));
    const res = agent.handle(v3Request('authNoPriv', get('1.3.6.1.2.1.1.1.0')));
    assert.ok('reply' in res);
    const r = usmIncoming(v3Reply(res), res.reply, ENGINE, () => managerUser('authPriv'));
    assert.ok(r.kind === 'ok');
    assert.equal((r.scoped.pdu as Pdu).errorStatus, 16);
  });

  it('a wrong key gets the wrongDigests report when reportable, nothing when not', () => {
    const { agent, counters } = rig({ ...cfg(), user: localizeUser({ name: 'alice', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: 'otherpass', privKey: 'privpass1' }, ENGINE.id) });
    const m = v3Reply(agent.handle(v3Request('authPriv', get('1.3.6.1.2.1.1.1.0'))));
    assert.ok('scoped' in m.data);
    assert.deepEqual((m.data.scoped.pdu as Pdu).varbinds[0]!.oid, oid('1.3.6.1.6.3.15.1.1.5.0'));
    const quiet = agent.handle(v3Request('authPriv', get('1.3.6.1.2.1.1.1.0'), false));
    assert.ok('drop' in quiet && quiet.drop === 'usm');
    assert.equal(counters.usm.wrongDigests, 2);
  });

  it('v2c to a v3 agent: dropped as a bad version', () => {
    const { agent } = rig(cfg());
    const r = ask(agent, 'v2c', get('1.3.6.1.2.1.1.1.0'));
    assert.ok('drop' in r && r.drop === 'version');
  });
});
