/**
 * The RADIUS codec and its shared-secret parts: RFC 2865 §7 example packets decode, re-encode to the
 * same octets and their Response Authenticators verify; Vendor-Specific sub-attributes; User-Password
 * hiding (RFC 2865 §5.2) against a known answer and round trips at the block edges; Message-
 * Authenticator (RFC 3579 §3.2) made and checked; then random mutations that may only ever give a
 * value or a DecodeError.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';
import { checkMessageAuthenticator, encodeAccessRequest, encodeResponse, hideUserPassword, responseAuthentic, revealUserPassword } from '../../cpe/web/radius/radius-crypto';
import { RadiusError } from '../../cpe/web/radius/radius-error';
import { levelFromAccept, levelOfValue } from '../../cpe/web/radius/radius-level';
import { ATTR, decodeRadius, decodeVendorSpecific, encodeRadius, encodeVendorSpecific, vendorAttributes, type RadiusPacket } from '../../cpe/web/radius/radius-packet';
import { radiusSettings } from '../../cpe/web/radius/radius-settings';

interface Example {
  name: string;
  hex: string;
  code: string;
  identifier: number;
  attributes: Array<[number, string]>;
  /** Index of the request this response answers. */
  answers?: number;
  requestAuthenticator?: string;
}
const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/radius/rfc2865-examples.json'), 'utf8')) as {
  secret: string;
  examples: Example[];
  userPassword: { secret: string; requestAuthenticator: string; password: string; hidden: string };
};
const SECRET = Buffer.from(GOLDEN.secret);
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('RADIUS codec (RFC 2865, RFC 3579)', () => {
  for (const ex of GOLDEN.examples) {
    it(`${ex.name}: decodes, re-encodes to the same octets`, () => {
      const wire = hex(ex.hex);
      const p = decodeRadius(wire);
      assert.equal(p.code, ex.code);
      assert.equal(p.identifier, ex.identifier);
      assert.deepEqual(p.attributes.map((a) => [a.type, a.value.toString('hex')]), ex.attributes);
      assert.deepEqual(encodeRadius(p), wire);
    });
  }

  it('§7.1 Access-Accept, §7.3 Access-Challenge and Access-Reject: Response Authenticators verify, and not with another secret', () => {
    const answered = GOLDEN.examples.filter((e) => e.answers !== undefined || e.requestAuthenticator !== undefined);
    assert.equal(answered.length, 3);
    for (const ex of answered) {
      const ra = ex.requestAuthenticator ? hex(ex.requestAuthenticator) : decodeRadius(hex(GOLDEN.examples[ex.answers!]!.hex)).authenticator;
      assert.ok(responseAuthentic(hex(ex.hex), ra, SECRET), ex.name);
      assert.ok(!responseAuthentic(hex(ex.hex), ra, Buffer.from('xyzzy5462')), ex.name);
      const other = Buffer.from(ra);
      other[0]! ^= 1;
      assert.ok(!responseAuthentic(hex(ex.hex), other, SECRET), `${ex.name}: another request`);
    }
  });

  it('ignores octets past Length (padding) and refuses a Length past the datagram', () => {
    const wire = hex(GOLDEN.examples[1]!.hex);
    assert.deepEqual(decodeRadius(Buffer.concat([wire, Buffer.from([1, 2, 3])])).attributes.length, 3);
    assert.throws(() => decodeRadius(wire.subarray(0, wire.length - 1)), DecodeError);
  });

  const BAD: Array<[string, string, RegExp]> = [
    ['short header', '0100001400', /shorter than the 20-octet header/],
    ['unknown code', '04000014' + '00'.repeat(16), /unknown RADIUS code 4/],
    ['Length below 20', '02000013' + '00'.repeat(16), /Length 19/],
    ['Length above 4096', '02001001' + '00'.repeat(16), /Length 4097/],
    ['attribute Length 1', '02000016' + '00'.repeat(16) + '0101', /Length 1/],
    ['attribute past the packet', '02000017' + '00'.repeat(16) + '0105aa', /runs past/],
    ['attribute header cut short', '02000015' + '00'.repeat(16) + '01', /cut short/],
  ];
  for (const [name, wire, why] of BAD) {
    it(`refuses ${name} with a DecodeError`, () => {
      assert.throws(() => decodeRadius(hex(wire)), (e: unknown) => e instanceof DecodeError && why.test(e.message));
    });
  }

  it('encodes and decodes Vendor-Specific sub-attributes (RFC 2865 §5.26)', () => {
    const v = encodeVendorSpecific({ vendorId: 42397, attributes: [{ vendorType: 1, value: Buffer.from('admin') }, { vendorType: 9, value: Buffer.from([0, 0, 0, 2]) }] });
    assert.equal(v.toString('hex'), '0000a59d' + '0107' + Buffer.from('admin').toString('hex') + '0906' + '00000002');
    assert.deepEqual(decodeVendorSpecific(v), { vendorId: 42397, attributes: [{ vendorType: 1, value: Buffer.from('admin') }, { vendorType: 9, value: Buffer.from([0, 0, 0, 2]) }] });
    assert.throws(() => decodeVendorSpecific(hex('0100a59d0103aa')), /high-order octet/);
    assert.throws(() => decodeVendorSpecific(hex('0000a59d0109aa')), DecodeError);
    const attrs = [
      { type: ATTR.vendorSpecific, value: hex('0000a59d01') }, // malformed: skipped
      { type: ATTR.vendorSpecific, value: encodeVendorSpecific({ vendorId: 9, attributes: [{ vendorType: 1, value: Buffer.from('admin') }] }) },
      { type: ATTR.vendorSpecific, value: v },
    ];
    assert.deepEqual(vendorAttributes(attrs, 42397, 1), [Buffer.from('admin')]);
    assert.throws(() => encodeVendorSpecific({ vendorId: 1 << 24, attributes: [] }), RadiusError);
  });

  it('refuses to encode what the format cannot carry, with RadiusError("encode")', () => {
    const p: RadiusPacket = { code: 'Access-Request', identifier: 1, authenticator: Buffer.alloc(16), attributes: [{ type: 1, value: Buffer.alloc(254) }] };
    assert.throws(() => encodeRadius(p), (e: unknown) => e instanceof RadiusError && e.code === 'ERR_RADIUS_ENCODE');
    assert.throws(() => encodeRadius({ ...p, attributes: [], identifier: 256 }), RadiusError);
    assert.throws(() => encodeRadius({ ...p, attributes: [], authenticator: Buffer.alloc(15) }), RadiusError);
    const many = Array.from({ length: 17 }, () => ({ type: 18, value: Buffer.alloc(253) }));
    assert.throws(() => encodeRadius({ ...p, attributes: many }), /at most 4096/);
  });

  it('hides User-Password per RFC 2865 §5.2: the known answer, and round trips at the block edges', () => {
    const k = GOLDEN.userPassword;
    const hidden = hideUserPassword(Buffer.from(k.password), Buffer.from(k.secret), hex(k.requestAuthenticator));
    assert.equal(hidden.toString('hex'), k.hidden);
    assert.equal(revealUserPassword(hidden, Buffer.from(k.secret), hex(k.requestAuthenticator)).toString(), k.password);
    const ra = hex('00112233445566778899aabbccddeeff');
    for (const n of [0, 1, 15, 16, 17, 31, 32, 33, 127, 128]) {
      const pw = Buffer.alloc(n, 0x61 + (n % 26));
      const h = hideUserPassword(pw, SECRET, ra);
      assert.equal(h.length, Math.max(16, Math.ceil(n / 16) * 16), `length for ${n}`);
      assert.deepEqual(revealUserPassword(h, SECRET, ra), pw);
    }
    assert.throws(() => hideUserPassword(Buffer.alloc(129), SECRET, ra), RadiusError);
    assert.throws(() => revealUserPassword(Buffer.alloc(17), SECRET, ra), DecodeError);
  });

  it('signs an Access-Request with Message-Authenticator first, and checks it (RFC 3579 §3.2)', () => {
    const ra = hex('0f403f9473978057bd83d5cb98f4227a');
    const wire = encodeAccessRequest({ identifier: 9, authenticator: ra, attributes: [{ type: ATTR.userName, value: Buffer.from('nemo') }] }, SECRET);
    const p = decodeRadius(wire);
    assert.equal(p.attributes[0]!.type, ATTR.messageAuthenticator);
    assert.equal(checkMessageAuthenticator(p, ra, SECRET), 'valid');
    assert.equal(checkMessageAuthenticator(p, ra, Buffer.from('other')), 'invalid');
    const tampered = Buffer.from(wire);
    tampered[tampered.length - 1]! ^= 1;
    assert.equal(checkMessageAuthenticator(decodeRadius(tampered), ra, SECRET), 'invalid');
    const twice = { ...p, attributes: [...p.attributes, p.attributes[0]!] };
    assert.equal(checkMessageAuthenticator(twice, ra, SECRET), 'invalid');
    assert.equal(checkMessageAuthenticator(decodeRadius(hex(GOLDEN.examples[0]!.hex)), ra, SECRET), 'absent');
  });

  it('a response made with encodeResponse carries a valid Message-Authenticator and Response Authenticator', () => {
    const ra = hex('00112233445566778899aabbccddeeff');
    const wire = encodeResponse({ code: 'Access-Accept', identifier: 4, attributes: [{ type: ATTR.replyMessage, value: Buffer.from('hi') }] }, ra, SECRET, { messageAuthenticator: true });
    assert.ok(responseAuthentic(wire, ra, SECRET));
    assert.equal(checkMessageAuthenticator(decodeRadius(wire), ra, SECRET), 'valid');
    const plain = encodeResponse({ code: 'Access-Reject', identifier: 4, attributes: [] }, ra, SECRET, { messageAuthenticator: false });
    assert.ok(responseAuthentic(plain, ra, SECRET));
    assert.equal(checkMessageAuthenticator(decodeRadius(plain), ra, SECRET), 'absent');
  });

  it('reads the level attribute: names, digits, RFC 2865 integers; default and unreadable give viewer', () => {
    const table: Array<[Buffer, string | undefined]> = [
      [Buffer.from('admin'), 'admin'],
      [Buffer.from(' Viewer '), 'viewer'],
      [Buffer.from('USER'), 'user'],
      [Buffer.from('0'), 'admin'],
      [Buffer.from('2'), 'viewer'],
      [hex('00000001'), 'user'],
      [hex('00000003'), undefined],
      [Buffer.from('root'), undefined],
      [Buffer.alloc(0), undefined],
    ];
    for (const [v, want] of table) assert.equal(levelOfValue(v), want, v.toString('hex'));
    const attr = { vendorId: 42397, vendorType: 1 };
    const vsa = (...values: string[]) => values.map((x) => ({ type: ATTR.vendorSpecific, value: encodeVendorSpecific({ vendorId: 42397, attributes: [{ vendorType: 1, value: Buffer.from(x) }] }) }));
    assert.deepEqual(levelFromAccept(vsa('admin'), attr), { level: 'admin', source: 'attribute' });
    assert.deepEqual(levelFromAccept(vsa('admin', 'viewer'), attr), { level: 'viewer', source: 'attribute' });
    assert.deepEqual(levelFromAccept([], attr), { level: 'viewer', source: 'default' });
    assert.deepEqual(levelFromAccept(vsa('admin'), undefined), { level: 'viewer', source: 'default' });
    assert.deepEqual(levelFromAccept(vsa('superuser'), attr), { level: 'viewer', source: 'unreadable' });
    assert.deepEqual(levelFromAccept(vsa('admin'), { vendorId: 42397, vendorType: 2 }), { level: 'viewer', source: 'default' });
  });

  it('reads the P-values: server and port, defaults, and what is wrong', () => {
    const of = (v: Record<number, string>) => radiusSettings((id) => v[id] ?? '');
    assert.deepEqual(of({ 28107: '1', 28108: '10.0.0.5', 28110: 's' }).server, { host: '10.0.0.5', port: 1812 });
    assert.deepEqual(of({ 28108: 'radius.example:1645' }).server, { host: 'radius.example', port: 1645 });
    assert.deepEqual(of({ 28108: 'radius.example:1645', 28109: '11812' }).server, { host: 'radius.example', port: 11812 });
    assert.deepEqual(of({ 28108: '[fd00::1]:1812' }).server, { host: 'fd00::1', port: 1812 });
    assert.deepEqual(of({ 28108: 'fd00::2' }).server, { host: 'fd00::2', port: 1812 });
    assert.equal(of({ 28108: 'a/b' }).server, undefined);
    assert.equal(of({ 28108: 'h', 28109: '70000' }).server, undefined);
    const d = of({ 28108: 'h', 28110: 'secret' });
    assert.deepEqual(d.levelAttribute, { vendorId: 42397, vendorType: 1 });
    assert.equal(d.onServerError, 'checkLocally');
    assert.deepEqual(d.problems, []);
    assert.equal(of({ 28114: '0' }).onServerError, 'reject');
    assert.deepEqual(of({ 28111: '9', 28112: '26' }).levelAttribute, { vendorId: 9, vendorType: 26 });
    const bad = of({ 28111: 'Grandstream', 28112: '1' });
    assert.equal(bad.levelAttribute, undefined);
    assert.match(bad.problems.join('\n'), /P28111/);
    assert.match(bad.problems.join('\n'), /no RADIUS server \(P28108\)/);
    assert.match(bad.problems.join('\n'), /no shared secret \(P28110\)/);
    assert.equal(of({ 28112: '256' }).levelAttribute, undefined);
  });
});

describe('RADIUS fuzz: decoders under random mutation', () => {
  function mutate(r: SeededRandom, src: Buffer): Buffer {
    const b = Buffer.from(src);
    const kind = r.int(4);
    if (kind === 0 && b.length > 0) return b.subarray(0, r.int(b.length));
    if (kind === 1) return Buffer.concat([b, r.bytes(r.int(32))]);
    const n = 1 + r.int(4);
    for (let i = 0; i < n && b.length > 0; i++) b[r.int(b.length)] = r.int(256);
    return b;
  }
  const ra = hex('00112233445566778899aabbccddeeff');
  const vsa = encodeVendorSpecific({ vendorId: 42397, attributes: [{ vendorType: 1, value: Buffer.from('admin') }] });
  const accept = encodeResponse({ code: 'Access-Accept', identifier: 7, attributes: [{ type: ATTR.vendorSpecific, value: vsa }, { type: ATTR.replyMessage, value: Buffer.from('welcome') }] }, ra, SECRET, { messageAuthenticator: true });
  const seeds: Array<[string, (b: Buffer) => unknown, Buffer]> = [
    ['packet', (b) => {
      const p = decodeRadius(b);
      // what the client does with a decoded packet must not throw either
      responseAuthentic(b, ra, SECRET);
      checkMessageAuthenticator(p, ra, SECRET);
      levelFromAccept(p.attributes, { vendorId: 42397, vendorType: 1 });
      return p;
    }, accept],
    ['§7.3 challenge', decodeRadius, hex(GOLDEN.examples[4]!.hex)],
    ['Vendor-Specific', decodeVendorSpecific, vsa],
    ['User-Password', (b) => revealUserPassword(b, SECRET, ra), hideUserPassword(Buffer.from('a password of 20 ch'), SECRET, ra)],
  ];
  for (const [name, decode, seed] of seeds) {
    it(`${name}: 20,000 mutations give a value or a DecodeError, nothing else`, () => {
      const r = new SeededRandom(name.length * 31);
      for (let i = 0; i < 20_000; i++) {
        const b = mutate(r, seed);
        try {
          decode(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) assert.fail(`${name}: ${String(e)} on ${b.toString('hex')}`);
        }
      }
    });
  }
});
