/**
 * Hostile input: random mutations of valid SNMP datagrams (net-snmp's and our own). The decoders
 * fail only with DecodeError; the agent (v2c and v3 configurations) never throws, whatever it gets.
 */
import assert from 'node:assert/strict';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';
import { SnmpAgent } from '../../cpe/snmp/agent';
import { ht813Objects } from '../../cpe/snmp/ht813-mib';
import { Mib } from '../../cpe/snmp/mib';
import { newCounters } from '../../cpe/snmp/snmp-counters';
import { engineIdFromMac } from '../../cpe/snmp/snmp-engine';
import { decodeMessage, decodeScopedPdu, encodeScopedPdu } from '../../cpe/snmp/snmp-message';
import { V } from '../../cpe/snmp/snmp-pdu';
import { standardObjects } from '../../cpe/snmp/standard-mib';
import { decodeUsmParameters, encodeUsmParameters } from '../../cpe/snmp/usm-parameters';
import { localizeUser } from '../../cpe/snmp/usm-keys';
import { StatusBoard } from '../../cpe/status';
import { NET_SNMP, hex } from './vectors';

function mutate(r: SeededRandom, src: Buffer): Buffer {
  const b = Buffer.from(src);
  const kind = r.int(5);
  if (kind === 0 && b.length > 0) return b.subarray(0, r.int(b.length)); // truncate
  if (kind === 1) return Buffer.concat([b, r.bytes(r.int(16))]); // extend
  if (kind === 2) return r.bytes(r.int(64)); // noise
  const n = 1 + r.int(4);
  for (let i = 0; i < n && b.length > 0; i++) b[r.int(b.length)] = r.int(256); // flip bytes
  return b;
}

const datagrams = Object.values(NET_SNMP).map((v) => hex(v.hex));
const usmSeed = encodeUsmParameters({ engineId: engineIdFromMac('000b82aabbcc'), engineBoots: 1, engineTime: 2, userName: Buffer.from('u'), authParams: Buffer.alloc(12), privParams: Buffer.alloc(8) }).bytes;
const scopedSeed = encodeScopedPdu({ contextEngineId: Buffer.alloc(0), contextName: Buffer.alloc(0), pdu: { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: [1, 3, 6, 1], value: V.null }] } });

const decoders: Array<[string, (b: Buffer) => unknown, Buffer[]]> = [
  ['SNMP message', decodeMessage, datagrams],
  ['USM security parameters', decodeUsmParameters, [usmSeed]],
  ['ScopedPDU', decodeScopedPdu, [scopedSeed]],
];

describe('SNMP fuzz: decoders and the agent under random mutation', () => {
  for (const [name, decode, seeds] of decoders) {
    it(`${name}: 20,000 mutations give a value or a DecodeError, nothing else`, () => {
      const r = new SeededRandom(name.length);
      for (let i = 0; i < 20_000; i++) {
        const b = mutate(r, seeds[i % seeds.length]!);
        try {
          decode(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) assert.fail(`${name}: ${String(e)} on ${b.toString('hex')}`);
        }
      }
    });
  }

  for (const version of ['v1', 'v2c', 'v3'] as const) {
    it(`the agent (${version}) takes 10,000 hostile datagrams without throwing`, () => {
      const counters = newCounters();
      const engine = { id: engineIdFromMac('000b82aabbcc'), boots: 0, time: 0 };
      const identity = { mac: '000b82aabbcc', model: 'HT813' as const, manufacturer: 'Grandstream' as const, hardwareVersion: 'V1.0A', firmwareVersion: '1.0.7.1' };
      const mib = new Mib([...standardObjects({ identity, uptimeMs: () => 0, engine: () => engine, counters }), ...ht813Objects({ identity, status: new StatusBoard() })]);
      const agent = new SnmpAgent({ mib, engine: () => engine, counters, random: new SeededRandom(1) });
      // the net-snmp users, so mutated v3 datagrams reach digest checks and decryption
      const user = localizeUser({ name: 'alice', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: 'authpass1', privKey: 'privpass1' }, engine.id);
      agent.configure({ version, community: Buffer.from('public'), minLevel: 'noAuthNoPriv', user });
      const r = new SeededRandom(version.length * 31);
      let replies = 0;
      for (let i = 0; i < 10_000; i++) {
        const res = agent.handle(mutate(r, datagrams[i % datagrams.length]!));
        if ('reply' in res) replies++;
      }
      assert.equal(counters.inPkts, 10_000);
      assert.ok(replies > 0, 'some mutations still make valid requests');
    });
  }
});
