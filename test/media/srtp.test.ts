/**
 * SRTP/SRTCP (RFC 3711) and SDES a=crypto (RFC 4568).
 * Vectors, all data copied from public sources:
 * - RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation), from the RFC text.
 * - libsrtp test/srtp_driver.c srtp_validate(): one RTP and one RTCP packet protected with
 *   AES_CM_128_HMAC_SHA1_80, master key||salt e1f97a0d…aabe6 (the B.3 master key and salt),
 *   SSRC 0xcafebabe. libsrtp's first SRTCP index is 1; RFC 3711 §3.4 starts at 0, so the vector
 *   is our second SRTCP packet.
 * - RFC 4568 §1 and §9.1 example crypto lines (also quoted verbatim by sdp-transform and others).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';
import { encodeRtp } from '../../cpe/media/rtp/rtp-packet';
import { encodeRtcp } from '../../cpe/media/rtp/rtcp-packet';
import {
  AesCm,
  aesCmIv,
  cryptoLifetimePackets,
  decodeCryptoAttribute,
  deriveKey,
  deriveSessionKeys,
  encodeCryptoAttribute,
  estimateIndex,
  isSupportedSuite,
  newMasterKey,
  SRTP_LABEL,
  SRTP_SUITES,
  SrtpContext,
  type SrtpSuiteName,
} from '../../cpe/media/srtp';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

/** Asserts fn throws a DecodeError whose reason is `reason` (or matches it). */
function throwsDecode(fn: () => unknown, reason: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    if (typeof reason === 'string') assert.equal(e.reason, reason);
    else assert.match(e.reason, reason);
    return true;
  });
}

// RFC 3711 Appendix B.3 master key and salt, also libsrtp's test_key
const MASTER_KEY = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
const MASTER_SALT = hex('0EC675AD498AFEEBB6960B3AABE6');

describe('SRTP AES-CM keystream (RFC 3711 §4.1.1, Appendix B.2)', () => {
  const sessionKey = hex('2B7E151628AED2A6ABF7158809CF4F3C');
  const sessionSalt = hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'); // B.2 gives it shifted: F0…FD0000
  it('IV for ROC 0, SEQ 0, SSRC 0 is the salt times 2^16', () => {
    assert.deepEqual(aesCmIv(sessionSalt, 0, 0), hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000'));
  });
  it('IV places the SSRC at bits 64-95 and the index at bits 16-63', () => {
    assert.deepEqual(aesCmIv(Buffer.alloc(14), 0xcafebabe, 0x123456789abc), hex('00000000 cafebabe 123456789abc 0000'));
  });
  it('the 1044512-octet keystream segment starts and ends as B.2 lists', () => {
    const ks = new AesCm(sessionKey).keystream(aesCmIv(sessionSalt, 0, 0), 1044512);
    assert.equal(ks.length, 1044512);
    assert.deepEqual(ks.subarray(0, 48), hex('E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0'));
    // counters …FDFEFF, …FDFF00, …FDFF01
    assert.deepEqual(ks.subarray(ks.length - 48), hex('EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE 6A2CC3787889374FBEB4C81B17BA6C44'));
  });
  it('counter blocks add as 128-bit numbers, carrying past the low 16 bits', () => {
    const aes = new AesCm(sessionKey);
    const ks = aes.keystream(hex('00000000000000000000000000fffffe'), 48);
    assert.deepEqual(ks.subarray(16, 32), aes.keystream(hex('00000000000000000000000000ffffff'), 16));
    assert.deepEqual(ks.subarray(32, 48), aes.keystream(hex('00000000000000000000000001000000'), 16));
  });
  it('a short keystream is the prefix of a long one (partial last block)', () => {
    const aes = new AesCm(sessionKey);
    assert.deepEqual(aes.keystream(aesCmIv(sessionSalt, 0, 0), 21), hex('E03EAD0935C95E80E166B16DD92B4EB4 D23513162B'));
  });
});

describe('SRTP key derivation (RFC 3711 §4.3, Appendix B.3)', () => {
  it('cipher key, label 0x00', () => {
    assert.deepEqual(deriveKey(MASTER_KEY, MASTER_SALT, SRTP_LABEL.rtpEncryption, 16), hex('C61E7A93744F39EE10734AFE3FF7A087'));
  });
  it('cipher salt, label 0x02', () => {
    assert.deepEqual(deriveKey(MASTER_KEY, MASTER_SALT, SRTP_LABEL.rtpSalt, 14), hex('30CBBC08863D8C85D49DB34A9AE1'));
  });
  it('the 94-octet auth key of the example, label 0x01', () => {
    assert.deepEqual(
      deriveKey(MASTER_KEY, MASTER_SALT, SRTP_LABEL.rtpAuthentication, 94),
      hex(`CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE E049646C43D9327AD175578EF7227098
           6371C10C9A369AC2F94A8C5FBCDDDC25 6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2`),
    );
  });
  it('deriveSessionKeys gives the same keys, with a 160-bit auth key', () => {
    const k = deriveSessionKeys(SRTP_SUITES.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT, 'srtp');
    assert.deepEqual(k.encryptionKey, hex('C61E7A93744F39EE10734AFE3FF7A087'));
    assert.deepEqual(k.salt, hex('30CBBC08863D8C85D49DB34A9AE1'));
    assert.deepEqual(k.authKey, hex('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4'));
  });
  it('SRTCP keys use labels 0x03-0x05', () => {
    const k = deriveSessionKeys(SRTP_SUITES.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT, 'srtcp');
    assert.deepEqual(k.encryptionKey, deriveKey(MASTER_KEY, MASTER_SALT, 0x03, 16));
    assert.deepEqual(k.authKey, deriveKey(MASTER_KEY, MASTER_SALT, 0x04, 20));
    assert.deepEqual(k.salt, deriveKey(MASTER_KEY, MASTER_SALT, 0x05, 14));
    assert.notDeepEqual(k.encryptionKey, hex('C61E7A93744F39EE10734AFE3FF7A087'));
  });
  it('rejects a master key or salt of the wrong length', () => {
    assert.throws(() => deriveKey(MASTER_KEY.subarray(1), MASTER_SALT, 0, 16), RangeError);
    assert.throws(() => new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, Buffer.alloc(16)), RangeError);
    assert.throws(() => new SrtpContext('AES_256_CM_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT), RangeError);
  });
});

describe('SRTP known-answer packets (libsrtp srtp_validate)', () => {
  const rtpPlain = hex('800f1234 decafbad cafebabe abababababababababababababababab');
  const srtpCipher80 = hex('800f1234 decafbad cafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb');
  const rtcpPlain = hex('81c8000b cafebabe abababababababababababababababab');
  const srtcpCipher = hex('81c8000b cafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798');

  it('protects the RTP reference packet with AES_CM_128_HMAC_SHA1_80', () => {
    assert.deepEqual(new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT).protectRtp(rtpPlain), srtpCipher80);
  });
  it('unprotects the SRTP reference packet', () => {
    assert.deepEqual(new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT).unprotectRtp(srtpCipher80), rtpPlain);
  });
  it('AES_CM_128_HMAC_SHA1_32: same ciphertext, tag cut to the first 32 bits (RFC 3711 §4.2)', () => {
    const srtp32 = srtpCipher80.subarray(0, srtpCipher80.length - 6);
    const ctx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT);
    assert.deepEqual(ctx.protectRtp(rtpPlain), srtp32);
    assert.deepEqual(new SrtpContext('AES_CM_128_HMAC_SHA1_32', MASTER_KEY, MASTER_SALT).unprotectRtp(srtp32), rtpPlain);
  });
  it('protects the RTCP reference packet as SRTCP index 1 (E set, 80-bit tag)', () => {
    const ctx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, MASTER_SALT);
    const first = ctx.protectRtcp(rtcpPlain);
    assert.deepEqual(first.subarray(rtcpPlain.length, rtcpPlain.length + 4), hex('80000000')); // RFC 3711 §3.4: index starts at 0
    assert.deepEqual(ctx.protectRtcp(rtcpPlain), srtcpCipher);
  });
  it('unprotects the SRTCP reference packet, with either suite (SRTCP tag is 80 bits for both)', () => {
    for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']) {
      assert.deepEqual(new SrtpContext(suite, MASTER_KEY, MASTER_SALT).unprotectRtcp(srtcpCipher), rtcpPlain, suite);
    }
  });
  it('a context with another key refuses the reference packets', () => {
    const other = new SrtpContext('AES_CM_128_HMAC_SHA1_80', Buffer.alloc(16, 1), MASTER_SALT);
    throwsDecode(() => other.unprotectRtp(srtpCipher80), 'srtp: authentication failed');
    throwsDecode(() => other.unprotectRtcp(srtcpCipher), 'srtp: authentication failed');
  });
});

const SUITES: SrtpSuiteName[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];
const KEY = hex('00112233445566778899aabbccddeeff');
const SALT = hex('0102030405060708090a0b0c0d0e');
const pair = (suite: SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80'): [SrtpContext, SrtpContext] => [new SrtpContext(suite, KEY, SALT), new SrtpContext(suite, KEY, SALT)];
/** A 172-octet G.711 packet: 12-octet header and 160 octets of 20 ms audio. */
const rtp = (seq: number, ssrc = 0x11223344, payload = Buffer.alloc(160, seq & 0xff)): Buffer =>
  encodeRtp({ payloadType: 0, sequenceNumber: seq & 0xffff, timestamp: seq * 160, ssrc, payload });
const rtcp = (ssrc = 0x11223344): Buffer =>
  encodeRtcp([
    { type: 'sr', ssrc, ntpSec: 1, ntpFrac: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5, reports: [] },
    { type: 'sdes', chunks: [{ ssrc, items: [{ type: 1, text: 'ht813@192.0.2.1' }] }] },
  ]);

describe('SRTP protect/unprotect rules (RFC 3711 §3.3)', () => {
  for (const suite of SUITES) {
    it(`${suite}: round trip, header in clear, payload encrypted, tag of ${SRTP_SUITES[suite].rtpTagLength} octets`, () => {
      const [tx, rx] = pair(suite);
      for (let seq = 100; seq < 110; seq++) {
        const plain = rtp(seq);
        const s = tx.protectRtp(plain);
        assert.equal(s.length, plain.length + SRTP_SUITES[suite].rtpTagLength);
        assert.deepEqual(s.subarray(0, 12), plain.subarray(0, 12));
        assert.notDeepEqual(s.subarray(12, plain.length), plain.subarray(12));
        assert.deepEqual(rx.unprotectRtp(s), plain);
      }
    });
    it(`${suite}: RTCP round trip, SRTCP index counts from 0`, () => {
      const [tx, rx] = pair(suite);
      const plain = rtcp();
      for (let i = 0; i < 5; i++) {
        const s = tx.protectRtcp(plain);
        assert.equal(s.length, plain.length + 4 + 10);
        assert.equal(s.readUInt32BE(plain.length), (0x80000000 | i) >>> 0);
        assert.deepEqual(rx.unprotectRtcp(s), plain);
      }
    });
  }
  it('keeps the CSRC list and header extension in clear and encrypts the payload after them', () => {
    const [tx, rx] = pair();
    const plain = encodeRtp({ payloadType: 8, sequenceNumber: 7, timestamp: 9, ssrc: 5, csrcs: [1, 2], extension: { profile: 0xbede, data: Buffer.from([1, 2, 3, 4]) }, payload: Buffer.alloc(40, 0x55), padding: 4 });
    const s = tx.protectRtp(plain);
    const headerLength = 12 + 8 + 8;
    assert.deepEqual(s.subarray(0, headerLength), plain.subarray(0, headerLength));
    assert.notDeepEqual(s.subarray(headerLength, plain.length), plain.subarray(headerLength));
    assert.deepEqual(rx.unprotectRtp(s), plain);
  });
  it('a flipped bit anywhere fails authentication and leaves the receiver as it was', () => {
    const [tx, rx] = pair();
    const s = tx.protectRtp(rtp(1000));
    for (let bit = 0; bit < s.length * 8; bit++) {
      const bad = Buffer.from(s);
      bad[bit >> 3] = bad[bit >> 3]! ^ (0x80 >> (bit & 7));
      // octet 0 holds version, X and CC: those flips may fail the header checks first
      throwsDecode(() => rx.unprotectRtp(bad), bit < 8 ? /^srtp: / : 'srtp: authentication failed');
    }
    assert.deepEqual(rx.unprotectRtp(s), rtp(1000));
  });
  it('the same packet twice is a replay', () => {
    const [tx, rx] = pair();
    const s = tx.protectRtp(rtp(5));
    rx.unprotectRtp(s);
    throwsDecode(() => rx.unprotectRtp(s), 'srtp: replayed packet');
  });
  it('accepts out-of-order packets inside the 64-packet window, refuses older ones', () => {
    const [tx, rx] = pair();
    const sent = Array.from({ length: 101 }, (_, i) => tx.protectRtp(rtp(i)));
    for (let i = 0; i <= 100; i++) if (i !== 36 && i !== 37 && i !== 90) rx.unprotectRtp(sent[i]!);
    assert.deepEqual(rx.unprotectRtp(sent[90]!), rtp(90)); // late by 10
    assert.deepEqual(rx.unprotectRtp(sent[37]!), rtp(37)); // 100 - 37 = 63: the window's last slot
    throwsDecode(() => rx.unprotectRtp(sent[36]!), 'srtp: packet too old'); // 64 behind
    throwsDecode(() => rx.unprotectRtp(sent[37]!), 'srtp: replayed packet');
    throwsDecode(() => rx.unprotectRtp(sent[10]!), 'srtp: packet too old');
  });
  it('shuffled delivery within the window: every packet once, then every one a replay', () => {
    const [tx, rx] = pair();
    const sent = Array.from({ length: 200 }, (_, i) => tx.protectRtp(rtp(i)));
    const order: number[] = [];
    for (let b = 0; b < 200; b += 20) for (let i = b + 19; i >= b; i--) order.push(i); // reverse each block of 20
    for (const i of order) assert.deepEqual(rx.unprotectRtp(sent[i]!), rtp(i));
    for (let i = 150; i < 200; i++) throwsDecode(() => rx.unprotectRtp(sent[i]!), 'srtp: replayed packet');
  });
  it('sequence wrap 65535 → 0 moves the ROC on both sides, also with a late packet across the wrap', () => {
    const [tx, rx] = pair();
    const sent = new Map<number, Buffer>();
    for (let n = 65500; n < 65636; n++) sent.set(n, tx.protectRtp(rtp(n)));
    const order = [...sent.keys()].filter((n) => n !== 65535);
    order.splice(order.indexOf(65546), 0, 65535); // 65535 arrives after 0..9 of the next cycle
    for (const n of order) {
      assert.deepEqual(rx.unprotectRtp(sent.get(n)!), rtp(n), `seq ${n & 0xffff}`);
      if (n === 65535) throwsDecode(() => rx.unprotectRtp(sent.get(n)!), 'srtp: replayed packet'); // read as ROC 0 both times
    }
    // the packet after the wrap was protected with ROC 1: a fresh sender (ROC 0) makes another one
    assert.notDeepEqual(new SrtpContext('AES_CM_128_HMAC_SHA1_80', KEY, SALT).protectRtp(rtp(65536)), sent.get(65536));
    assert.equal(estimateIndex(0, 65535, 0), 65536);
    assert.equal(estimateIndex(1, 0, 65535), 65535);
    assert.equal(estimateIndex(0, 10, 60000), 60000 - 65536);
  });
  it('a forged packet far ahead does not move ROC or s_l (updated only after authentication)', () => {
    const [tx, rx] = pair();
    rx.unprotectRtp(tx.protectRtp(rtp(40000)));
    const forged = Buffer.concat([rtp(40000 + 30000), Buffer.alloc(10)]);
    throwsDecode(() => rx.unprotectRtp(forged), 'srtp: authentication failed');
    assert.deepEqual(rx.unprotectRtp(tx.protectRtp(rtp(40001))), rtp(40001));
  });
  it('keeps state per SSRC: a new SSRC starts fresh', () => {
    const [tx, rx] = pair();
    rx.unprotectRtp(tx.protectRtp(rtp(5, 0xaaaa)));
    assert.deepEqual(rx.unprotectRtp(tx.protectRtp(rtp(50000, 0xbbbb))), rtp(50000, 0xbbbb));
    assert.deepEqual(rx.unprotectRtp(tx.protectRtp(rtp(6, 0xaaaa))), rtp(6, 0xaaaa));
  });
  it('packets too short for header and tag are DecodeErrors, for protect and unprotect', () => {
    const [tx, rx] = pair();
    const s = tx.protectRtp(rtp(1));
    for (let n = 0; n < 22; n++) throwsDecode(() => rx.unprotectRtp(s.subarray(0, n)), 'srtp: packet too short');
    for (let n = 0; n < 12; n++) throwsDecode(() => tx.protectRtp(rtp(1).subarray(0, n)), 'srtp: packet too short');
    throwsDecode(() => tx.protectRtp(hex('40001234deadbeef01020304')), /RTP version 1/);
    throwsDecode(() => tx.protectRtp(hex('8f001234deadbeef01020304')), 'srtp: RTP header overruns the packet');
  });
});

describe('SRTCP rules (RFC 3711 §3.4)', () => {
  it('a flipped bit anywhere fails (authentication, or the header checks in octet 0)', () => {
    const [tx, rx] = pair();
    const s = tx.protectRtcp(rtcp());
    for (let bit = 0; bit < s.length * 8; bit++) {
      const bad = Buffer.from(s);
      bad[bit >> 3] = bad[bit >> 3]! ^ (0x80 >> (bit & 7));
      throwsDecode(() => rx.unprotectRtcp(bad), bit < 2 ? /RTCP version/ : 'srtp: authentication failed');
    }
    assert.deepEqual(rx.unprotectRtcp(s), rtcp());
  });
  it('replayed and too-old SRTCP indices are refused, out of order inside the window accepted', () => {
    const [tx, rx] = pair();
    const sent = Array.from({ length: 80 }, () => tx.protectRtcp(rtcp()));
    rx.unprotectRtcp(sent[79]!);
    assert.deepEqual(rx.unprotectRtcp(sent[20]!), rtcp()); // 59 behind
    throwsDecode(() => rx.unprotectRtcp(sent[20]!), 'srtp: replayed packet');
    throwsDecode(() => rx.unprotectRtcp(sent[15]!), 'srtp: packet too old'); // 64 behind
  });
  it('an authenticated packet with E clear is taken as sent, unencrypted', () => {
    const plain = rtcp();
    const k = deriveSessionKeys(SRTP_SUITES.AES_CM_128_HMAC_SHA1_80, KEY, SALT, 'srtcp');
    const body = Buffer.concat([plain, hex('00000007')]);
    const tag = createHmac('sha1', k.authKey).update(body).digest().subarray(0, 10);
    assert.deepEqual(pair()[1].unprotectRtcp(Buffer.concat([body, tag])), plain);
  });
  it('too short for header, index and tag', () => {
    const [tx, rx] = pair();
    const s = tx.protectRtcp(rtcp());
    for (let n = 0; n < 22; n++) throwsDecode(() => rx.unprotectRtcp(s.subarray(0, n)), 'srtp: packet too short');
    throwsDecode(() => tx.protectRtcp(hex('81c800')), 'srtp: packet too short');
  });
});

describe('SRTP hostile input', () => {
  function mutate(r: SeededRandom, src: Buffer): Buffer {
    const b = Buffer.from(src);
    const kind = r.int(5);
    if (kind === 0) return b.subarray(0, r.int(b.length)); // truncate
    if (kind === 1) return Buffer.concat([b, r.bytes(r.int(16))]); // extend
    if (kind === 2) return r.bytes(r.int(64)); // noise
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) b[r.int(b.length)] = r.int(256); // overwrite octets
    return b;
  }
  it('10,000 mutated SRTP and SRTCP packets: unprotect throws only DecodeError', () => {
    const r = new SeededRandom(3711);
    for (const suite of SUITES) {
      const [tx, rx] = pair(suite);
      let accepted = 0;
      for (let i = 0; i < 5000; i++) {
        const isRtcp = i % 4 === 0;
        const good = isRtcp ? tx.protectRtcp(rtcp()) : tx.protectRtp(rtp(i));
        const input = i % 50 === 0 ? good : mutate(r, good);
        try {
          if (isRtcp) rx.unprotectRtcp(input);
          else rx.unprotectRtp(input);
          accepted++;
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }
      assert.ok(accepted >= 100, `${suite}: the unmutated packets get through (${accepted})`);
    }
  });
});

describe('SDES a=crypto attribute (RFC 4568)', () => {
  const text = (s: string): Buffer => Buffer.from(s, 'latin1');
  const examples: [string, string, { tag: number; suite: string; keys: [string, string, string?, [number, number]?][]; sessionParams: string[] }][] = [
    // RFC 4568 §1, the offer
    ['§1 offer', '1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4', { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keys: [['YS___semctl () {', '\t220;}\n}\nunles', '2^20', [1, 4]]], sessionParams: [] }],
    // RFC 4568 §9.1, offer tag 1 and answer
    ['§9.1 offer', '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32', { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keys: [['=-n@%^x!Bjufr9)?', ',#5h\\`=&]{qiPQ', '2^20', [1, 32]]], sessionParams: [] }],
    ['§9.1 answer', '1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:32', { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keys: [['wDfvg&T+)xG7@fb5', 'jU,RaA}\\|p0%*#', '2^20', [1, 32]]], sessionParams: [] }],
    // RFC 4568 §9.1, offer tag 2: two keys with MKIs and a session parameter, a suite we do not implement
    [
      '§9.1 offer, F8 with two keys',
      '2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP',
      { tag: 2, suite: 'F8_128_HMAC_SHA1_80', keys: [['123456789ABCDE01', '23456789ABcdef', '2^20', [1, 4]], ['ABcdef123456789A', 'BCDE0123456789', '2^20', [2, 4]]], sessionParams: ['FEC_ORDER=FEC_SRTP'] },
    ],
    // RFC 4568 §6.1: an MKI without a lifetime
    ['§6.1 MKI only', '1 AES_CM_128_HMAC_SHA1_80 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066:4', { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keys: [['aBCdefghiJKLmoPQ', 'rsTuVwyz123456', undefined, [1066, 4]]], sessionParams: [] }],
    ['decimal lifetime, session parameters', '7 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1048576 KDR=1 UNENCRYPTED_SRTCP', { tag: 7, suite: 'AES_CM_128_HMAC_SHA1_32', keys: [['=-n@%^x!Bjufr9)?', ',#5h\\`=&]{qiPQ', '1048576']], sessionParams: ['KDR=1', 'UNENCRYPTED_SRTCP'] }],
    ['key only', '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keys: [['=-n@%^x!Bjufr9)?', ',#5h\\`=&]{qiPQ']], sessionParams: [] }],
  ];
  for (const [name, line, want] of examples) {
    it(`decodes and re-encodes ${name}`, () => {
      const a = decodeCryptoAttribute(line);
      assert.equal(a.tag, want.tag);
      assert.equal(a.suite, want.suite);
      assert.deepEqual(a.sessionParams, want.sessionParams);
      assert.equal(a.keyParams.length, want.keys.length);
      want.keys.forEach(([key, salt, lifetime, mki], i) => {
        const kp = a.keyParams[i]!;
        assert.equal(kp.method, 'inline');
        assert.deepEqual(kp.key, text(key));
        assert.deepEqual(kp.salt, text(salt));
        assert.equal(kp.lifetime, lifetime);
        assert.deepEqual(kp.mki, mki ? { value: mki[0], length: mki[1] } : undefined);
      });
      assert.equal(encodeCryptoAttribute(a), line);
    });
  }
  it('the brief\'s example encodes as written', () => {
    const line = encodeCryptoAttribute({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: [{ method: 'inline', key: text('YS___semctl () {'), salt: text('\t220;}\n}\nunles'), lifetime: '2^20', mki: { value: 1, length: 4 } }], sessionParams: [] });
    assert.equal(line, '1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4');
  });
  it('tolerates runs of spaces and tabs between fields', () => {
    assert.equal(decodeCryptoAttribute(' 3 \tAES_CM_128_HMAC_SHA1_80   inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR ').tag, 3);
  });
  it('isSupportedSuite: the two AES_CM_128 suites only', () => {
    assert.equal(isSupportedSuite('AES_CM_128_HMAC_SHA1_80'), true);
    assert.equal(isSupportedSuite('AES_CM_128_HMAC_SHA1_32'), true);
    assert.equal(isSupportedSuite('F8_128_HMAC_SHA1_80'), false);
    assert.equal(isSupportedSuite('AEAD_AES_128_GCM'), false);
    assert.equal(isSupportedSuite('aes_cm_128_hmac_sha1_80'), false);
    assert.equal(isSupportedSuite('toString'), false);
  });
  it('an unregistered suite decodes with its whole key||salt as the key', () => {
    const a = decodeCryptoAttribute('1 FOO_BAR inline:QUJD');
    assert.deepEqual(a.keyParams[0]!.key, text('ABC'));
    assert.equal(a.keyParams[0]!.salt.length, 0);
    assert.equal(encodeCryptoAttribute(a), '1 FOO_BAR inline:QUJD');
  });
  const K = 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR';
  const bad: [string, string, RegExp][] = [
    ['empty', '', /expected "tag suite key-params"/],
    ['no key params', '1 AES_CM_128_HMAC_SHA1_80', /expected "tag suite key-params"/],
    ['a tag that is not a number', `x AES_CM_128_HMAC_SHA1_80 inline:${K}`, /bad tag/],
    ['a 10-digit tag', `1234567890 AES_CM_128_HMAC_SHA1_80 inline:${K}`, /bad tag/],
    ['a negative tag', `-1 AES_CM_128_HMAC_SHA1_80 inline:${K}`, /bad tag/],
    ['a suite with punctuation', `1 AES-CM inline:${K}`, /bad crypto-suite/],
    ['an unknown key method', `1 AES_CM_128_HMAC_SHA1_80 uri:${K}`, /unknown key method "uri"/],
    ['a key param without method', `1 AES_CM_128_HMAC_SHA1_80 ${K}`, /not method:info/],
    ['bad base64', '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtx*VBR', /not base64/],
    ['base64 with a lone last character', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}A`, /not base64/],
    ['an empty key', '1 AES_CM_128_HMAC_SHA1_80 inline:|2^20|1:4', /not base64/],
    ['a key||salt of 3 octets', '1 AES_CM_128_HMAC_SHA1_80 inline:QUJD', /3 octets, the suite needs 30/],
    ['a key||salt of 33 octets', `1 AES_CM_128_HMAC_SHA1_32 inline:${K}QUJD`, /33 octets, the suite needs 30/],
    ['a bad lifetime', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}|2^x|1:4`, /bad key lifetime/],
    ['an MKI length of 0', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}|2^20|1:0`, /MKI length 0/],
    ['an MKI length of 129', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}|2^20|1:129`, /MKI length 129/],
    ['an MKI value too big for its length', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}|2^20|256:1`, /does not fit 1 octets/],
    ['a malformed MKI', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}|2^20|1-4`, /bad MKI/],
    ['too many "|" fields', `1 AES_CM_128_HMAC_SHA1_80 inline:${K}|2^20|1:4|x`, /too many/],
    ['an empty key param after ";"', `1 AES_CM_128_HMAC_SHA1_80 inline:${K};`, /not method:info/],
  ];
  for (const [name, line, reason] of bad) it(`rejects ${name}`, () => throwsDecode(() => decodeCryptoAttribute(line), reason));
  it('encode refuses what it could not write', () => {
    const kp = { method: 'inline' as const, key: Buffer.alloc(16), salt: Buffer.alloc(14) };
    assert.throws(() => encodeCryptoAttribute({ tag: 1e9, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: [kp], sessionParams: [] }), RangeError);
    assert.throws(() => encodeCryptoAttribute({ tag: 1, suite: 'AES CM', keyParams: [kp], sessionParams: [] }), RangeError);
    assert.throws(() => encodeCryptoAttribute({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: [], sessionParams: [] }), RangeError);
    assert.throws(() => encodeCryptoAttribute({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: [{ ...kp, lifetime: '2^' }], sessionParams: [] }), RangeError);
    assert.throws(() => encodeCryptoAttribute({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: [kp], sessionParams: ['a b'] }), RangeError);
  });
  it('lifetimes as packet counts', () => {
    assert.equal(cryptoLifetimePackets('2^20'), 1048576);
    assert.equal(cryptoLifetimePackets('2^31'), 2147483648);
    assert.equal(cryptoLifetimePackets('1066'), 1066);
  });
  it('newMasterKey draws 30 octets from the injected Random; the line carries them', () => {
    const a = newMasterKey(new SeededRandom(7));
    const b = newMasterKey(new SeededRandom(7));
    assert.deepEqual(a, b);
    assert.equal(a.key.length, 16);
    assert.equal(a.salt.length, 14);
    assert.deepEqual(Buffer.concat([a.key, a.salt]), new SeededRandom(7).bytes(30));
    const line = encodeCryptoAttribute({ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_32', keyParams: [{ method: 'inline', ...a }], sessionParams: [] });
    const kp = decodeCryptoAttribute(line).keyParams[0]!;
    assert.deepEqual([kp.key, kp.salt], [a.key, a.salt]);
    // and the keys work end to end
    const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', a.key, a.salt);
    const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_32', kp.key, kp.salt);
    assert.deepEqual(rx.unprotectRtp(tx.protectRtp(rtp(1))), rtp(1));
  });
});
