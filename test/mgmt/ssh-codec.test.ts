/*
 * Test plan: the SSH building blocks with fixed keys and published vectors.
 * - RFC 4251 §5 data types: the mpint examples of the RFC, name-lists, truncation → DecodeError.
 * - KEXINIT round trip; RFC 4253 §7.1 negotiation (client's order wins, AEAD skips the MAC,
 *   no common algorithm → SshError kex); the first-packet guess.
 * - X25519 with RFC 7748 §6.1's keys (the curve25519-sha256 arithmetic of RFC 8731 is node's);
 *   refused public values. Ed25519 host key from RFC 8032 §7.1 TEST 1 (public key, signature).
 * - RFC 4253 §7.2 key derivation and the RFC 5656/8731 exchange hash against values computed by
 *   hand with Python's hashlib (see the comment at the vectors).
 * - Binary packets (RFC 4253 §6) for none, aes128-ctr + hmac-sha2-256 and aes256-gcm@openssh.com:
 *   round trips byte by byte, the layout checked with independent decryption, sequence numbers,
 *   MAC/tag tampering, the length limit enforced before the body arrives, bad padding.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, createHmac, createPublicKey, verify } from 'node:crypto';
import { CIPHERS, KEX_ALGORITHMS, guessRight, negotiate, type ClientLists } from '../../cpe/mgmt/ssh/algorithms';
import { hostKeyFromSeed } from '../../cpe/mgmt/ssh/host-key';
import { exchangeHash, x25519Key } from '../../cpe/mgmt/ssh/kex';
import { deriveKey, directionKeys } from '../../cpe/mgmt/ssh/key-derivation';
import { decodeKexInit, encodeServerKexInit } from '../../cpe/mgmt/ssh/kexinit';
import { inboundCipher, outboundCipher, stepInvocationCounter } from '../../cpe/mgmt/ssh/packet-cipher';
import { MAX_PACKET_LENGTH, PacketDecoder, PacketEncoder } from '../../cpe/mgmt/ssh/packet-codec';
import { SshError } from '../../cpe/mgmt/ssh/ssh-errors';
import { SshReader, SshWriter, encodeMpint } from '../../cpe/mgmt/ssh/wire';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('ssh data types (RFC 4251 §5)', () => {
  // the RFC's mpint examples (the non-negative ones: the unit never sends a negative number)
  const mpints: Array<[string, string]> = [
    ['', '00000000'],
    ['00', '00000000'],
    ['09a378f9b2e332a7', '0000000809a378f9b2e332a7'],
    ['80', '000000020080'],
    ['0000ff', '0000000200ff'],
  ];
  for (const [value, wire] of mpints) {
    it(`mpint 0x${value || '0'} → ${wire}`, () => assert.equal(encodeMpint(hex(value)).toString('hex'), wire));
  }

  it('reads name-lists, and refuses empty names and truncated fields', () => {
    const b = new SshWriter().nameList(['zlib', 'none']).string('').uint32(7).toBuffer();
    const r = new SshReader(b);
    assert.deepEqual(r.nameList(), ['zlib', 'none']);
    assert.deepEqual(r.nameList(), []);
    assert.equal(r.uint32(), 7);
    assert.throws(() => new SshReader(new SshWriter().string('a,,b').toBuffer()).nameList(), DecodeError);
    assert.throws(() => new SshReader(hex('0000000a6162')).string(), DecodeError);
    assert.throws(() => new SshReader(hex('000000')).uint32(), DecodeError);
    assert.throws(() => new SshReader(new SshWriter().string(hex('c3')).toBuffer()).utf8(), DecodeError);
  });
});

function lists(over: Partial<ClientLists> = {}): ClientLists {
  return {
    kex: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'ecdh-sha2-nistp256', 'ext-info-c', 'kex-strict-c-v00@openssh.com'],
    hostKey: ['ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519', 'rsa-sha2-512'],
    cipherC2s: ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes256-gcm@openssh.com'],
    cipherS2c: ['aes256-gcm@openssh.com', 'aes128-ctr'],
    macC2s: ['umac-64-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-256'],
    macS2c: ['umac-64-etm@openssh.com'],
    compressionC2s: ['none', 'zlib@openssh.com'],
    compressionS2c: ['none'],
    ...over,
  };
}

describe('ssh algorithm negotiation (RFC 4253 §7.1)', () => {
  it('takes the first of the client’s algorithms the server has; GCM needs no MAC', () => {
    assert.deepEqual(negotiate(lists()), {
      kex: 'curve25519-sha256',
      hostKey: 'ssh-ed25519',
      c2s: { cipher: 'aes128-ctr', mac: 'hmac-sha2-256' },
      s2c: { cipher: 'aes256-gcm@openssh.com', mac: undefined },
    });
  });

  const refusals: Array<[string, Partial<ClientLists>, RegExp]> = [
    ['no kex', { kex: ['diffie-hellman-group14-sha1'] }, /no common key exchange algorithm/],
    ['no host key', { hostKey: ['ssh-rsa'] }, /no common host key algorithm/],
    ['no cipher', { cipherS2c: ['3des-cbc'] }, /no common cipher server to client/],
    ['no MAC for CTR', { macC2s: ['hmac-sha1'] }, /no common MAC client to server/],
    ['no compression none', { compressionS2c: ['zlib'] }, /no common compression server to client/],
  ];
  for (const [name, over, msg] of refusals) {
    it(`${name} → SshError kex`, () => {
      assert.throws(() => negotiate(lists(over)), (e: unknown) => e instanceof SshError && e.kind === 'kex' && e.reason === 3 && msg.test(e.message));
    });
  }

  it('a guessed first packet is right only when both preferred algorithms match', () => {
    assert.equal(guessRight(lists()), false);
    assert.equal(guessRight(lists({ kex: ['curve25519-sha256'], hostKey: ['ssh-ed25519'] })), true);
  });

  it('KEXINIT round trip: the server’s lists, the strict-KEX marker only when asked', () => {
    const cookie = Buffer.alloc(16, 0xab);
    const k = decodeKexInit(encodeServerKexInit(cookie, true));
    assert.deepEqual(k.cookie, cookie);
    assert.deepEqual(k.kex, [...KEX_ALGORITHMS, 'kex-strict-s-v00@openssh.com']);
    assert.deepEqual(k.cipherC2s, [...CIPHERS]);
    assert.deepEqual(k.macS2c, ['hmac-sha2-256']);
    assert.deepEqual(k.compressionC2s, ['none']);
    assert.equal(k.firstKexPacketFollows, false);
    assert.deepEqual(decodeKexInit(encodeServerKexInit(cookie, false)).kex, [...KEX_ALGORITHMS]);
    assert.throws(() => decodeKexInit(encodeServerKexInit(cookie, false).subarray(0, 40)), DecodeError);
  });
});

// RFC 7748 §6.1
const ALICE_PRIV = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
const ALICE_PUB = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
const BOB_PUB = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
const SHARED = hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
/** Any 32 bytes serve as H and session id for the packet tests. */
const PACKET_H = hex('7d99696275bbee03455bd95e2602fb61cc795925e99acfd61b6808dd509cab6e');

describe('ssh key exchange primitives', () => {
  it('X25519 with RFC 7748 §6.1 keys', () => {
    const k = x25519Key(ALICE_PRIV);
    assert.deepEqual(k.publicKey, ALICE_PUB);
    assert.deepEqual(k.agree(BOB_PUB), SHARED);
  });

  it('refuses a curve25519 value of the wrong size or a low-order point (RFC 8731 §3)', () => {
    const k = x25519Key(ALICE_PRIV);
    assert.throws(() => k.agree(BOB_PUB.subarray(1)), (e: unknown) => e instanceof SshError && e.kind === 'kex');
    assert.throws(() => k.agree(Buffer.alloc(32)), (e: unknown) => e instanceof SshError && e.kind === 'kex');
  });

  it('Ed25519 host key from RFC 8032 §7.1 TEST 1: public key and signature blobs (RFC 8709)', () => {
    const key = hostKeyFromSeed(hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
    const pub = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    assert.deepEqual(key.blob, new SshWriter().string('ssh-ed25519').string(pub).toBuffer());
    const sig = hex(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    assert.deepEqual(key.signBlob(Buffer.alloc(0)), new SshWriter().string('ssh-ed25519').string(sig).toBuffer());
    assert.match(key.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  // Vectors computed by hand with Python's hashlib, independently of this code:
  //   mpint(K) = uint32 len || K (leading zeros stripped, 0x00 before a set top bit)
  //   K1 = sha256(mpint(K) || H || letter || session_id); K2 = sha256(mpint(K) || H || K1) ...
  // with K = RFC 7748's shared secret, H = sha256("exchange hash H for the test"),
  // session_id = sha256("first exchange, the session id").
  const H = hex('7d99696275bbee03455bd95e2602fb61cc795925e99acfd61b6808dd509cab6e');
  const SID = hex('b10e5604048b555169cc1e493f5924e6b51866a03d477b6d1cfaa96c7ca47240');
  const derived: Array<['A' | 'B' | 'C' | 'D' | 'E' | 'F', number, string]> = [
    ['A', 16, '03fdcd25d9af5e91e69615930272391a'],
    ['C', 16, 'd159b1868055652fb4bed6a836882021'],
    ['E', 32, '978e78bd13f647b1041cb9ec82beb85dccd1509f33492fba83220d324574dad2'],
    ['B', 12, 'a87e7c11bcee3367b74d293f'],
    ['D', 32, '413b39e07fad5c568a558aad3062835af32983fc5fc48bec9943de69041da8b5'],
    ['F', 64, '9c8dd1e9da1ad8dba0fbf3a8c6913bfa241c29e0d955aeb9818358fd774eaf7f2e767ce80f4c6beec0db8c53a829f433286cdd2ebf1ea222d8253f3894726601'],
  ];
  for (const [letter, n, want] of derived) {
    it(`RFC 4253 §7.2 key '${letter}' of ${n} bytes${n > 32 ? ' (extended with K2)' : ''}`, () => {
      assert.equal(deriveKey(SHARED, H, letter, SID, n).toString('hex'), want);
    });
  }

  it('key derivation encodes K as an mpint (a set top bit gets a zero byte)', () => {
    const k = hex('00ff' + '11'.repeat(30));
    assert.equal(encodeMpint(k).toString('hex'), '00000020' + '00ff' + '11'.repeat(30));
    assert.equal(deriveKey(k, H, 'C', SID, 16).toString('hex'), '7bb436f7c12eb429193fb9492de2b539');
  });

  it('direction keys take the letters of their direction and the sizes of their algorithms', () => {
    const c2s = directionKeys(SHARED, H, SID, 'c2s', { cipher: 'aes128-ctr', mac: 'hmac-sha2-256' });
    assert.equal(c2s.iv.toString('hex'), derived[0]![2]);
    assert.equal(c2s.key.toString('hex'), derived[1]![2]);
    assert.equal(c2s.macKey!.toString('hex'), derived[2]![2]);
    const s2c = directionKeys(SHARED, H, SID, 's2c', { cipher: 'aes256-gcm@openssh.com', mac: undefined });
    assert.equal(s2c.iv.toString('hex'), derived[3]![2]);
    assert.equal(s2c.key.toString('hex'), derived[4]![2]);
    assert.equal(s2c.macKey, undefined);
  });

  it('exchange hash H = SHA-256 of the RFC 5656 §4 fields (hand-computed)', () => {
    const s = (b: Buffer): Buffer => new SshWriter().string(b).toBuffer();
    const h = exchangeHash({
      vC: Buffer.from('SSH-2.0-OpenSSH_9.2p1'),
      vS: Buffer.from('SSH-2.0-GS_HT813'),
      iC: Buffer.concat([Buffer.from([0x14]), Buffer.alloc(20, 1)]),
      iS: Buffer.concat([Buffer.from([0x14]), Buffer.alloc(20, 2)]),
      kS: Buffer.concat([s(Buffer.from('ssh-ed25519')), s(Buffer.alloc(32, 3))]),
      qC: Buffer.alloc(32, 4),
      qS: Buffer.alloc(32, 5),
      k: SHARED,
    });
    assert.equal(h.toString('hex'), 'b8828dd540c974522b6b048b041ec22854115be818b473d4946efa6b36935957');
  });

  it('a signature over H verifies with the host key blob’s public key', () => {
    const key = hostKeyFromSeed(Buffer.alloc(32, 9));
    const r = new SshReader(key.blob);
    r.string();
    const raw = r.string();
    const pub = createPublicKey({ key: Buffer.concat([hex('302a300506032b6570032100'), raw]), format: 'der', type: 'spki' });
    const sig = new SshReader(key.signBlob(H));
    assert.equal(sig.string().toString(), 'ssh-ed25519');
    assert.equal(verify(null, H, pub, sig.string()), true);
  });
});

describe('ssh binary packets (RFC 4253 §6)', () => {
  const CTR = directionKeys(SHARED, PACKET_H, PACKET_H, 's2c', { cipher: 'aes128-ctr', mac: 'hmac-sha2-256' });
  const CTR256 = directionKeys(SHARED, PACKET_H, PACKET_H, 'c2s', { cipher: 'aes256-ctr', mac: 'hmac-sha2-256' });
  const GCM = directionKeys(SHARED, PACKET_H, PACKET_H, 's2c', { cipher: 'aes256-gcm@openssh.com', mac: undefined });
  const payloads = [Buffer.from([21]), Buffer.from('\x05\x00\x00\x00\x0cssh-userauth', 'latin1'), Buffer.alloc(1000, 0x5e), Buffer.alloc(32768, 7)];

  function pair(kind: 'none' | 'ctr' | 'ctr256' | 'gcm'): { enc: PacketEncoder; dec: PacketDecoder } {
    const enc = new PacketEncoder(new SeededRandom(3));
    const dec = new PacketDecoder();
    const k = kind === 'ctr' ? CTR : kind === 'ctr256' ? CTR256 : GCM;
    if (kind !== 'none') {
      enc.setCipher(outboundCipher(k));
      dec.setCipher(inboundCipher(k));
    }
    return { enc, dec };
  }

  for (const kind of ['none', 'ctr', 'ctr256', 'gcm'] as const) {
    it(`${kind}: payloads round trip, fed one byte at a time, with aligned padding`, () => {
      const { enc, dec } = pair(kind);
      for (const p of payloads) {
        const wire = enc.encode(p);
        const tag = kind === 'none' ? 0 : kind === 'gcm' ? 16 : 32;
        const body = wire.length - tag;
        assert.equal(kind === 'gcm' ? (body - 4) % 16 : body % (kind === 'none' ? 8 : 16), 0, 'aligned');
        for (let i = 0; i < wire.length - 1; i++) {
          dec.push(wire.subarray(i, i + 1));
          assert.equal(dec.next(), undefined);
        }
        dec.push(wire.subarray(wire.length - 1));
        assert.deepEqual(dec.next(), p);
      }
      assert.equal(enc.seq, payloads.length);
      assert.equal(dec.seq, payloads.length);
    });
  }

  it('aes128-ctr + hmac-sha2-256: the layout, checked by independent decryption and HMAC', () => {
    const { enc } = pair('ctr');
    enc.encode(Buffer.from([2, 0, 0, 0, 0])); // seq 0
    const payload = Buffer.from('\x5e\x00\x00\x00\x00\x00\x00\x00\x02hi', 'latin1');
    const wire = enc.encode(payload); // seq 1
    const d = createDecipheriv('aes-128-ctr', CTR.key, CTR.iv);
    d.update(Buffer.alloc(16)); // the first packet's one block of keystream
    const plain = d.update(wire.subarray(0, wire.length - 32));
    const length = plain.readUInt32BE(0);
    const pad = plain[4]!;
    assert.equal(length, plain.length - 4);
    assert.ok(pad >= 4);
    assert.deepEqual(plain.subarray(5, 5 + payload.length), payload);
    const seq = Buffer.from([0, 0, 0, 1]);
    assert.deepEqual(wire.subarray(wire.length - 32), createHmac('sha256', CTR.macKey!).update(seq).update(plain).digest());
  });

  it('aes256-gcm: the length travels in the clear and is authenticated; the nonce steps per packet', () => {
    const { enc } = pair('gcm');
    const a = enc.encode(Buffer.from([2]));
    const b = enc.encode(Buffer.from([2]));
    assert.equal(a.readUInt32BE(0), 16);
    assert.notDeepEqual(a.subarray(4, 20), b.subarray(4, 20), 'a new nonce, a new keystream');
    const iv = Buffer.from(GCM.iv);
    const d = createDecipheriv('aes-256-gcm', GCM.key, iv);
    d.setAAD(a.subarray(0, 4));
    d.setAuthTag(a.subarray(20));
    const plain = Buffer.concat([d.update(a.subarray(4, 20)), d.final()]);
    assert.equal(plain[0], 14); // 1 + 1 + 14 = 16
    assert.equal(plain[1], 2);
  });

  it('the invocation counter steps with carry and never touches the fixed field (RFC 5647 §7.1)', () => {
    const a = hex('aabbccdd00000000000000ff');
    stepInvocationCounter(a);
    assert.equal(a.toString('hex'), 'aabbccdd0000000000000100');
    const b = hex('aabbccddffffffffffffffff');
    stepInvocationCounter(b);
    assert.equal(b.toString('hex'), 'aabbccdd0000000000000000');
  });

  for (const kind of ['ctr', 'gcm'] as const) {
    it(`${kind}: one flipped bit anywhere fails the MAC / tag`, () => {
      const { enc, dec } = pair(kind);
      const wire = enc.encode(Buffer.from('\x5ehello', 'latin1'));
      const at = kind === 'gcm' ? 9 : wire.length - 3; // body for GCM, the MAC for CTR
      wire[at] = wire[at]! ^ 0x01;
      dec.push(wire);
      assert.throws(() => dec.next(), (e: unknown) => e instanceof SshError && e.kind === 'mac' && e.reason === 5);
    });
  }

  it('refuses a length over the limit as soon as the length is known, before the body', () => {
    for (const kind of ['none', 'ctr', 'gcm'] as const) {
      const { dec } = pair(kind);
      // a packet claiming MAX + 16 bytes: encrypt a header that says so
      const head = Buffer.alloc(16);
      head.writeUInt32BE(MAX_PACKET_LENGTH + 16 - 4 + 16, 0);
      let wire = head;
      if (kind === 'ctr') wire = createDecipheriv('aes-128-ctr', CTR.key, CTR.iv).update(head); // CTR: encrypt = decrypt
      dec.push(kind === 'none' ? head.subarray(0, 8) : wire);
      assert.throws(() => dec.next(), (e: unknown) => e instanceof SshError && e.kind === 'too-large', kind);
    }
  });

  const malformed: Array<[string, Buffer, string]> = [
    ['misaligned length', hex('0000000d 04 05 00000000 00000000 00'), 'protocol'],
    ['too short', hex('00000004 02 05 0000'), 'protocol'],
    ['padding under 4 bytes', hex('0000000c 03 05 0000000000000000 000000'), 'protocol'],
    ['padding eats the payload', hex('0000000c 0b 0000000000000000000000'), 'protocol'],
  ];
  for (const [name, wire, kind] of malformed) {
    it(`refuses ${name}`, () => {
      const dec = new PacketDecoder();
      dec.push(wire);
      assert.throws(() => dec.next(), (e: unknown) => e instanceof SshError && e.kind === kind);
    });
  }
});
