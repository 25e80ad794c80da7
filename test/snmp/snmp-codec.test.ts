/*
 * Test plan: the BER codec and the SNMP message codecs against golden bytes.
 * - BER primitives (X.690 §8.3, §8.19, §8.1.3): integers, unsigned types, OIDs and long lengths,
 *   hand-checked byte for byte; encode gives the bytes, decode gives the value back.
 * - Hand-built messages: a v2c GetRequest and its Response, a USM parameters block (RFC 3414 §2.4)
 *   with the offset of msgAuthenticationParameters.
 * - net-snmp 5.9.3 datagrams (test/golden/snmp/net-snmp.json): decode to the expected fields, and
 *   encode back to the same bytes.
 * - Malformed input: each gives a DecodeError naming what failed.
 */
import assert from 'node:assert/strict';
import { BerReader, TAG, encInteger, encOctets, encOid, encUnsigned32, encUnsignedBig } from '../../cpe/snmp/ber';
import { oid, compareOid } from '../../cpe/snmp/oid';
import { decodeMessage, encodeCommunityMessage, encodeV3Message, type SnmpMessage } from '../../cpe/snmp/snmp-message';
import { V, decodeValue, encodeValue, type SnmpValue } from '../../cpe/snmp/snmp-pdu';
import { decodeUsmParameters, encodeUsmParameters } from '../../cpe/snmp/usm-parameters';
import { DecodeError } from '../../cpe/shared/errors';
import { NET_SNMP, hex } from './vectors';


function reencode(m: SnmpMessage): Buffer {
  if (m.version !== 'v3') return encodeCommunityMessage(m);
  return encodeV3Message(m).bytes;
}

describe('SNMP BER codec: golden bytes', () => {
  const values: Array<[string, SnmpValue, string]> = [
    ['INTEGER 0', V.int(0), '020100'],
    ['INTEGER 127', V.int(127), '02017f'],
    ['INTEGER 128 (a leading 00 keeps it positive)', V.int(128), '02020080'],
    ['INTEGER 256', V.int(256), '02020100'],
    ['INTEGER -1', V.int(-1), '0201ff'],
    ['INTEGER -128', V.int(-128), '020180'],
    ['INTEGER -129', V.int(-129), '0202ff7f'],
    ['INTEGER 2^31-1', V.int(2147483647), '02047fffffff'],
    ['INTEGER -2^31', V.int(-2147483648), '020480000000'],
    ['Counter32 2^32-1', V.counter(4294967295), '410500ffffffff'],
    ['Gauge32 0', V.gauge(0), '420100'],
    ['TimeTicks 1234', V.ticks(1234), '430204d2'],
    ['Counter64 2^64-1', { type: 'Counter64', value: (1n << 64n) - 1n }, '460900ffffffffffffffff'],
    ['IpAddress 127.0.0.1', { type: 'IpAddress', value: Buffer.from([127, 0, 0, 1]) }, '40047f000001'],
    ['OCTET STRING "HT813"', V.str('HT813'), '04054854383133'],
    ['NULL', V.null, '0500'],
    ['OID 1.3.6.1.4.1.42397 (42397 = 0x82 0xcb 0x1d)', V.oid(oid('1.3.6.1.4.1.42397')), '06082b0601040182cb1d'],
    ['OID 2.999.3 (X.690 §8.19.5 example)', V.oid(oid('2.999.3')), '0603883703'],
    ['OID with a 2^32-1 sub-identifier', V.oid([1, 3, 4294967295]), '06062b8fffffff7f'],
    ['noSuchObject', V.noSuchObject, '8000'],
    ['noSuchInstance', V.noSuchInstance, '8100'],
    ['endOfMibView', V.endOfMibView, '8200'],
  ];
  for (const [name, value, bytes] of values) {
    it(`${name} ↔ ${bytes}`, () => {
      assert.equal(encodeValue(value).toString('hex'), bytes);
      assert.deepEqual(decodeValue(new BerReader(hex(bytes))), value);
    });
  }

  it('long-form lengths (X.690 §8.1.3.5): 200 octets → 81 c8, 300 octets → 82 01 2c', () => {
    assert.equal(encOctets(Buffer.alloc(200)).subarray(0, 3).toString('hex'), '0481c8');
    assert.equal(encOctets(Buffer.alloc(300)).subarray(0, 4).toString('hex'), '0482012c');
    assert.equal(new BerReader(encOctets(Buffer.alloc(300, 7))).readOctets('x').length, 300);
  });

  it('accepts non-minimal BER a sender may use: a redundant leading octet, a long-form short length', () => {
    assert.equal(new BerReader(hex('02030000ff')).readInteger('x'), 255);
    assert.equal(new BerReader(hex('4104ffffffff')).readUnsigned32('x', TAG.COUNTER32), 4294967295, 'four octets with the top bit set read as unsigned, as net-snmp does');
    assert.deepEqual(new BerReader(hex('04810148')).readOctets('x'), Buffer.from('H'));
  });

  it('refuses encoding what SNMP cannot carry', () => {
    assert.throws(() => encInteger(2 ** 31), TypeError);
    assert.throws(() => encUnsigned32(-1, TAG.GAUGE32), TypeError);
    assert.throws(() => encUnsignedBig(1n << 64n), TypeError);
    assert.throws(() => encOid([1]), TypeError);
    assert.throws(() => encOid([1, 40]), TypeError);
    assert.throws(() => encOid([1, 3, 2 ** 32]), TypeError);
  });

  it('orders OIDs lexicographically (RFC 3416 §4.2.2), a prefix first', () => {
    const sorted = ['1.3.6.1.2.1.1', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.10.0', '1.3.6.1.2.1.2', '1.3.6.1.4.1.42397.2.1.5.1.2.1'].map(oid);
    const shuffled = [sorted[3]!, sorted[5]!, sorted[0]!, sorted[2]!, sorted[4]!, sorted[1]!];
    assert.deepEqual([...shuffled].sort(compareOid), sorted);
  });

  it('v2c GetRequest for sysDescr.0 and its Response, built by hand', () => {
    const get = '3026 020101 0406 7075626c6963 a019 020101 020100 020100 300e 300c 0608 2b06010201010100 0500';
    const m = decodeMessage(hex(get));
    assert.deepEqual(m, { version: 'v2c', community: Buffer.from('public'), pdu: { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: oid('1.3.6.1.2.1.1.1.0'), value: V.null }] } });
    const resp = encodeCommunityMessage({ version: 'v2c', community: Buffer.from('public'), pdu: { type: 'Response', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: oid('1.3.6.1.2.1.1.1.0'), value: V.str('HT813') }] } });
    assert.equal(resp.toString('hex'), hex('302b 020101 0406 7075626c6963 a21e 020101 020100 020100 3013 3011 0608 2b06010201010100 0405 4854383133').toString('hex'));
  });

  it('USM security parameters (RFC 3414 §2.4): bytes, and where msgAuthenticationParameters starts', () => {
    const p = { engineId: hex('8000a59d03000b82aabbcc'), engineBoots: 1, engineTime: 300, userName: Buffer.from('alice'), authParams: Buffer.alloc(12), privParams: hex('0001020304050607') };
    const { bytes, authParamsAt } = encodeUsmParameters(p);
    const expected = '3033 040b 8000a59d03000b82aabbcc 020101 0202012c 0405 616c696365 040c 000000000000000000000000 0408 0001020304050607';
    assert.equal(bytes.toString('hex'), hex(expected).toString('hex'));
    assert.equal(authParamsAt, 2 + 13 + 3 + 4 + 7 + 2);
    assert.deepEqual(decodeUsmParameters(bytes), { ...p, authParamsAt });
  });
});

describe('SNMP message codec: net-snmp datagrams', () => {
  const expectations: Record<string, (m: SnmpMessage) => void> = {
    v2cGet: (m) => {
      assert.ok(m.version === 'v2c' && m.pdu.type === 'GetRequest');
      assert.deepEqual(m.pdu.varbinds, [{ oid: oid('1.3.6.1.2.1.1.1.0'), value: V.null }]);
    },
    v1Get: (m) => {
      assert.ok(m.version === 'v1' && m.pdu.type === 'GetRequest' && m.pdu.requestId === 0x6da01cf3);
    },
    v2cGetBulk: (m) => {
      assert.ok(m.version === 'v2c' && m.pdu.type === 'GetBulkRequest');
      assert.equal(m.pdu.nonRepeaters, 1);
      assert.equal(m.pdu.maxRepetitions, 5);
      assert.deepEqual(m.pdu.varbinds.map((v) => v.oid.join('.')), ['1.3.6.1.2.1.1.1', '1.3.6.1.2.1.1.2']);
    },
    v2cSet: (m) => {
      assert.ok(m.version === 'v2c' && m.pdu.type === 'SetRequest');
      assert.equal(m.community.toString(), 'private');
      assert.deepEqual(m.pdu.varbinds, [{ oid: oid('1.3.6.1.2.1.1.4.0'), value: V.str('admin') }]);
    },
    v3Discovery: (m) => {
      assert.ok(m.version === 'v3');
      assert.equal(m.maxSize, 65507);
      assert.deepEqual(m.flags, { auth: false, priv: false, reportable: true });
      assert.equal(m.securityModel, 3);
      assert.deepEqual(decodeUsmParameters(m.securityParameters).engineId, Buffer.alloc(0));
      assert.ok('scoped' in m.data && m.data.scoped.pdu.type === 'GetRequest' && m.data.scoped.pdu.varbinds.length === 0);
    },
    v2cTrap: (m) => {
      assert.ok(m.version === 'v2c' && m.pdu.type === 'SNMPv2-Trap');
      assert.deepEqual(m.pdu.varbinds, [
        { oid: oid('1.3.6.1.2.1.1.3.0'), value: V.ticks(1234) },
        { oid: oid('1.3.6.1.6.3.1.1.4.1.0'), value: V.oid(oid('1.3.6.1.6.3.1.1.5.1')) },
      ]);
    },
    v1Trap: (m) => {
      assert.ok(m.version === 'v1' && m.pdu.type === 'Trap');
      assert.deepEqual(m.pdu, {
        type: 'Trap', enterprise: oid('1.3.6.1.4.1.42397'), agentAddr: Buffer.from([127, 0, 0, 1]), genericTrap: 6, specificTrap: 1, timeStamp: 1234,
        varbinds: [{ oid: oid('1.3.6.1.2.1.1.5.0'), value: V.str('x') }],
      });
    },
    v3ShaAes: (m) => {
      assert.ok(m.version === 'v3' && 'encrypted' in m.data);
      assert.deepEqual(m.flags, { auth: true, priv: true, reportable: true });
    },
  };
  for (const [name, check] of Object.entries(expectations)) {
    const v = NET_SNMP[name]!;
    it(`${name}: ${v.command.replace(/ 127\.0\.0\.1:PORT/, '')}`, () => {
      const bytes = hex(v.hex);
      const m = decodeMessage(bytes);
      check(m);
      assert.equal(reencode(m).toString('hex'), v.hex, 'encodes back to the same bytes');
    });
  }
});

describe('SNMP message codec: malformed input gives DecodeError', () => {
  const good = '302902010104067075626c6963a01c02042f1e12c5020100020100300e300c06082b060102010101000500';
  const cases: Array<[string, string, RegExp]> = [
    ['empty datagram', '', /truncated/],
    ['not a SEQUENCE', '0400', /Message/],
    ['indefinite length', '3080020101', /indefinite/],
    ['length past the end', '3030020101', /past the end/],
    ['length of five octets', '30850000000001', /length too long/],
    ['multi-octet tag', '1f8101', /multi-octet/],
    ['msgVersion 2', good.replace('020101', '020102'), /msgVersion 2/],
    ['trailing octets inside the message', good.replace(/^3029/, '302a') + '00', /left over/],
    ['unknown PDU tag', good.replace('a01c', 'af1c'), /unknown PDU tag/],
    ['GetBulk in v1 (RFC 3584 §4.1)', NET_SNMP.v2cGetBulk!.hex.replace(/^3035020101/, '3035020100'), /not allowed in SNMPv1/],
    ['v1 Trap in v2c', NET_SNMP.v1Trap!.hex.replace(/^3038020100/, '3038020101'), /not allowed in SNMPv2c/],
    ['OID sub-identifier with a leading 0x80', good.replace('06082b06010201010100', '06082b80010201010100'), /leading 0x80/],
    ['OID ending mid sub-identifier', good.replace('06082b06010201010100', '06082b06010201010181'), /truncated sub-identifier/],
    ['empty INTEGER', '3003020000', /empty integer/],
    ['msgMaxSize below 484', NET_SNMP.v3Discovery!.hex.replace('020300ffe3', '02030001e3'), /msgMaxSize 483/],
    ['unknown value tag', good.replace('0500', '4700'), /unknown value tag/],
  ];
  for (const [name, bytes, reason] of cases) {
    it(name, () => {
      assert.throws(() => decodeMessage(hex(bytes)), (e: unknown) => e instanceof DecodeError && e.code === 'ERR_DECODE' && reason.test(e.message));
    });
  }
});
