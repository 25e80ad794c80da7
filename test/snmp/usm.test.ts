/*
 * Test plan: the User-based Security Model (RFC 3414) and its ciphers.
 * - Key localisation: the RFC 3414 Appendix A.3.1 (MD5) and A.3.2 (SHA) vectors, password
 *   "maplesyrup", engine ID 00…02: Ku and Kul.
 * - Engine ID from the MAC (RFC 3411 §5, enterprise 42397, format 3).
 * - Privacy with published vectors: DES-CBC against FIPS 81 Appendix C (key 0123456789abcdef,
 *   IV 1234567890abcdef, "Now is the time for all "), AES-128-CFB against NIST SP 800-38A F.3.13,
 *   reached through the RFC 3414 §8.1.1.1 / RFC 3826 §3.1.2.1 IV construction (RFC 3826 itself has
 *   no test vectors).
 * - net-snmp 5.9.3 requests (SHA+AES, MD5+DES, SHA without privacy) and an SHA+AES trap pass the
 *   incoming checks and decrypt to the PDU that was asked for.
 * - Each RFC 3414 §3.2 failure gives its report counter and level: unknown engine ID, unknown user,
 *   unsupported level, wrong digest, outside the time window (reported authNoPriv), wrong privacy key.
 * - What usmOutgoing secures, usmIncoming accepts (all levels, both ciphers).
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../cpe/shared/random';
import { oid } from '../../cpe/snmp/oid';
import { engineIdFromMac } from '../../cpe/snmp/snmp-engine';
import { decodeMessage, type DecodedV3Message } from '../../cpe/snmp/snmp-message';
import { V, type Pdu } from '../../cpe/snmp/snmp-pdu';
import { usmIncoming, usmOutgoing, type SecurityLevel, type UsmUser } from '../../cpe/snmp/usm';
import { decryptScoped, desCbcAvailable, encryptScoped } from '../../cpe/snmp/usm-crypto';
import { localizeKey, localizeUser, passwordToKey } from '../../cpe/snmp/usm-keys';
import { NET_SNMP, hex } from './vectors';

const ENGINE_ID = hex('8000a59d03000b82aabbcc');

function v3(bytes: Buffer): DecodedV3Message {
  const m = decodeMessage(bytes);
  assert.equal(m.version, 'v3');
  return m as DecodedV3Message;
}

describe('USM keys (RFC 3414 A.3)', () => {
  const engine = hex('000000000000000000000002');
  it('A.3.1 MD5: Ku and Kul of "maplesyrup"', () => {
    const ku = passwordToKey('md5', 'maplesyrup');
    assert.equal(ku.toString('hex'), '9faf3283884e92834ebc9847d8edd963');
    assert.equal(localizeKey('md5', ku, engine).toString('hex'), '526f5eed9fcce26f8964c2930787d82b');
  });
  it('A.3.2 SHA: Ku and Kul of "maplesyrup"', () => {
    const ku = passwordToKey('sha', 'maplesyrup');
    assert.equal(ku.toString('hex'), '9fb5cc0381497b3793528939ff788d5d79145211');
    assert.equal(localizeKey('sha', ku, engine).toString('hex'), '6695febc9288e36282235fc7151f128497b38f3f');
  });
  it('an empty password is refused', () => {
    assert.throws(() => passwordToKey('sha', ''), TypeError);
  });
  it('engine ID from the MAC: 80 00 a5 9d (42397 with the top bit) 03 (MAC format) + the six octets', () => {
    assert.equal(engineIdFromMac('000b82aabbcc').toString('hex'), '8000a59d03000b82aabbcc');
  });
});

describe('USM privacy ciphers', () => {
  it('DES-CBC is available through node:crypto here (single DES as EDE3 with one key)', () => {
    assert.equal(desCbcAvailable(), true);
  });
  it('DES-CBC (RFC 3414 §8): FIPS 81 Appendix C, IV = pre-IV XOR salt', () => {
    // key ‖ pre-IV of zeros: the salt is the IV itself
    const privKey = hex('0123456789abcdef 0000000000000000');
    const salt = hex('1234567890abcdef');
    const plain = Buffer.from('Now is the time for all ');
    const enc = encryptScoped('des', privKey, 0, 0, salt, plain);
    assert.equal(enc.toString('hex'), 'e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6');
    assert.deepEqual(decryptScoped('des', privKey, 0, 0, salt, enc), plain);
  });
  it('AES-128-CFB (RFC 3826 §3.1.2.1): NIST SP 800-38A F.3.13, IV = boots ‖ time ‖ salt', () => {
    const privKey = hex('2b7e151628aed2a6abf7158809cf4f3c');
    const plain = hex('6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51');
    const enc = encryptScoped('aes', privKey, 0x00010203, 0x04050607, hex('08090a0b0c0d0e0f'), plain);
    assert.equal(enc.toString('hex'), '3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b');
    assert.deepEqual(decryptScoped('aes', privKey, 0x00010203, 0x04050607, hex('08090a0b0c0d0e0f'), enc), plain);
  });
  it('DES ciphertext not a multiple of 8, or a salt not of 8 octets: DecryptionError', () => {
    const key = Buffer.alloc(16, 1);
    assert.throws(() => decryptScoped('des', key, 0, 0, Buffer.alloc(8), Buffer.alloc(12)), { code: 'ERR_SNMP_DECRYPTION' });
    assert.throws(() => decryptScoped('aes', key, 0, 0, Buffer.alloc(4), Buffer.alloc(16)), { code: 'ERR_SNMP_DECRYPTION' });
  });
});

describe('USM incoming processing (RFC 3414 §3.2)', () => {
  const alice = (auth: 'md5' | 'sha', priv: 'des' | 'aes' | undefined, level: SecurityLevel = priv ? 'authPriv' : 'authNoPriv'): UsmUser =>
    localizeUser({ name: 'alice', level, auth, ...(priv ? { priv } : {}), authKey: 'authpass1', privKey: 'privpass1' }, ENGINE_ID);
  const atEngine = { id: ENGINE_ID, boots: 0, time: 0 };
  const only = (u: UsmUser) => (name: Buffer) => (name.equals(u.name) ? u : undefined);
  const firstOid = (p: { varbinds: readonly { oid: readonly number[] }[] }): string => p.varbinds[0]!.oid.join('.');

  for (const [name, auth, priv, asked] of [
    ['v3ShaAes', 'sha', 'aes', '1.3.6.1.2.1.1.1.0'],
    ['v3Md5Des', 'md5', 'des', '1.3.6.1.2.1.1.5.0'],
    ['v3ShaNoPriv', 'sha', undefined, '1.3.6.1.2.1.1.3.0'],
  ] as const) {
    it(`net-snmp ${name}: authenticated${priv ? ', decrypted' : ''}, the GetRequest for ${asked}`, () => {
      const raw = hex(NET_SNMP[name]!.hex);
      const r = usmIncoming(v3(raw), raw, atEngine, only(alice(auth, priv)));
      assert.equal(r.kind, 'ok', JSON.stringify(r));
      assert.ok(r.kind === 'ok');
      assert.equal(r.level, priv ? 'authPriv' : 'authNoPriv');
      assert.equal(r.scoped.pdu.type, 'GetRequest');
      assert.equal(firstOid(r.scoped.pdu), asked);
      assert.deepEqual(r.scoped.contextEngineId, ENGINE_ID);
    });
  }

  it('net-snmp SHA+AES trap (boots 1, time 346070) decrypts to coldStart', () => {
    const v = NET_SNMP.v3TrapShaAes!;
    const raw = hex(v.hex);
    const trapuser = localizeUser({ name: 'trapuser', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: 'trapauth1', privKey: 'trappriv1' }, ENGINE_ID);
    const r = usmIncoming(v3(raw), raw, { id: ENGINE_ID, boots: v.engineBoots!, time: v.engineTime! }, only(trapuser));
    assert.ok(r.kind === 'ok', JSON.stringify(r));
    const pdu = r.scoped.pdu as Pdu;
    assert.equal(pdu.type, 'SNMPv2-Trap');
    assert.deepEqual(pdu.varbinds[1]!.value, V.oid(oid('1.3.6.1.6.3.1.1.5.1')));
  });

  const raw = hex(NET_SNMP.v3ShaAes!.hex);
  const failures: Array<[string, () => ReturnType<typeof usmIncoming>, string, SecurityLevel]> = [
    ['another engine ID', () => usmIncoming(v3(raw), raw, { ...atEngine, id: engineIdFromMac('000b82000001') }, only(alice('sha', 'aes'))), 'unknownEngineIDs', 'noAuthNoPriv'],
    ['an unknown user', () => usmIncoming(v3(raw), raw, atEngine, () => undefined), 'unknownUserNames', 'noAuthNoPriv'],
    ['privacy asked of a user without it', () => usmIncoming(v3(raw), raw, atEngine, only(alice('sha', undefined))), 'unsupportedSecLevels', 'noAuthNoPriv'],
    ['a wrong authentication key', () => usmIncoming(v3(raw), raw, atEngine, only(localizeUser({ name: 'alice', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: 'authpass2', privKey: 'privpass1' }, ENGINE_ID))), 'wrongDigests', 'noAuthNoPriv'],
    ['one octet changed', () => { const t = Buffer.from(raw); t[t.length - 1]! ^= 1; return usmIncoming(v3(t), t, atEngine, only(alice('sha', 'aes'))); }, 'wrongDigests', 'noAuthNoPriv'],
    ['our clock 151 s ahead', () => usmIncoming(v3(raw), raw, { ...atEngine, time: 151 }, only(alice('sha', 'aes'))), 'notInTimeWindows', 'authNoPriv'],
    ['another boot count', () => usmIncoming(v3(raw), raw, { ...atEngine, boots: 1 }, only(alice('sha', 'aes'))), 'notInTimeWindows', 'authNoPriv'],
    ['a wrong privacy key', () => usmIncoming(v3(raw), raw, atEngine, only(localizeUser({ name: 'alice', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: 'authpass1', privKey: 'privpass2' }, ENGINE_ID))), 'decryptionErrors', 'noAuthNoPriv'],
  ];
  for (const [name, run, counter, level] of failures) {
    it(`${name}: report ${counter} at ${level}`, () => {
      const r = run();
      assert.ok(r.kind === 'report', JSON.stringify(r));
      assert.equal(r.counter, counter);
      assert.equal(r.level, level);
    });
  }

  it('150 s either way is still inside the window', () => {
    assert.equal(usmIncoming(v3(raw), raw, { ...atEngine, time: 150 }, only(alice('sha', 'aes'))).kind, 'ok');
  });

  for (const [auth, priv, level] of [['sha', 'aes', 'authPriv'], ['md5', 'des', 'authPriv'], ['md5', undefined, 'authNoPriv'], ['sha', undefined, 'noAuthNoPriv']] as const) {
    it(`what usmOutgoing secures (${auth}/${priv ?? 'no privacy'}, ${level}) comes back through usmIncoming`, () => {
      const user = alice(auth, priv, level);
      const engine = { id: ENGINE_ID, boots: 3, time: 4000 };
      const pdu: Pdu = { type: 'Response', requestId: 77, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: oid('1.3.6.1.2.1.1.5.0'), value: V.str('HT813-000B82AABBCC') }] };
      const bytes = usmOutgoing({ msgId: 9, maxSize: 1472, reportable: false, engine, userName: user.name, user, level, scoped: { contextEngineId: ENGINE_ID, contextName: Buffer.alloc(0), pdu }, random: new SeededRandom(1) });
      const m = v3(bytes);
      assert.equal(m.msgId, 9);
      assert.deepEqual(m.flags, { auth: level !== 'noAuthNoPriv', priv: level === 'authPriv', reportable: false });
      const r = usmIncoming(m, bytes, engine, only(user));
      assert.ok(r.kind === 'ok', JSON.stringify(r));
      assert.deepEqual(r.scoped.pdu, pdu);
    });
  }
});
