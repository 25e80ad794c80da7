import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { decodeBinaryConfig, encodeBinaryConfig } from '../../cpe/provision/codec/binary-config';
import { decodeXmlConfig, encodeXmlConfig } from '../../cpe/provision/codec/xml-config';
import { decryptConfig, encryptConfig, evpBytesToKey } from '../../cpe/provision/codec/encrypted-config';
import { decodeConfigFile } from '../../cpe/provision/codec/config-file';
import { decodePValueLines, encodePValueLines, type ConfigEntry } from '../../cpe/provision/codec/config-entries';
import { looksLikeXml } from '../../cpe/provision/codec/xml-config';
import { DecodeError } from '../../cpe/shared/errors';

const GOLDEN = path.join(__dirname, '..', 'golden', 'provision');
const golden = (f: string): Buffer => fs.readFileSync(path.join(GOLDEN, f));
const MAC = '000b82123456';
const GOLDEN_ENTRIES: ConfigEntry[] = [
  [47, 'sip.example.com'],
  [35, '1001'],
  [36, '1001'],
  [34, 's3cr&t<>'],
  [3, 'Ann "FXS" O\'Neil'],
  [48, ''],
  [193, '60'],
];

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

describe('provision codec: binary cfg<mac> (reference §3)', () => {
  const vectors: Array<{ entries: ConfigEntry[]; header: string; length: number }> = [
    { entries: [[2, 'admin']], header: '00 00 00 12 08 46 00 0b 82 12 34 56 0d 0a 0d 0a', length: 36 },
    { entries: [[2, 'admin'], [35, '1001']], header: '00 00 00 16 27 45 00 0b 82 12 34 56 0d 0a 0d 0a', length: 44 },
  ];
  for (const v of vectors) {
    it(`encodes the reference vector ${v.entries.map(([id]) => `P${id}`).join(',')} byte for byte`, () => {
      const out = encodeBinaryConfig({ mac: MAC, entries: v.entries });
      const body = v.entries.map(([id, val]) => `P${id}=${val}`).concat('gnkey=0b82').join('&');
      const expected = Buffer.concat([hex(v.header), Buffer.from(body, 'latin1')]);
      const padded = Buffer.concat([expected, Buffer.alloc(v.length - expected.length)]);
      assert.equal(out.length, v.length);
      assert.deepEqual(out, padded);
      assert.deepEqual(decodeBinaryConfig(out, MAC), { mac: MAC, entries: v.entries });
    });
  }

  it('round-trips values that need percent-encoding', () => {
    const entries: ConfigEntry[] = [[47, 'a&b=c d%e+f'], [3, 'Zoë'], [48, '']];
    const out = encodeBinaryConfig({ mac: '00:0B:82:12:34:56', entries });
    assert.equal((out.length % 2), 0);
    assert.deepEqual(decodeBinaryConfig(out).entries, entries);
  });

  it('accepts a writer that pads to a multiple of 4 (Wazo) and reads + literally', () => {
    const raw = encodeBinaryConfig({ mac: MAC, entries: [[2, 'admin']] }); // 36 bytes
    const body = Buffer.from('P47=a+b&gnkey=0b82', 'latin1'); // 18 → pad 2 → total 36
    const f = Buffer.alloc(16 + 20);
    raw.copy(f, 0, 0, 16);
    body.copy(f, 16);
    f.writeUInt32BE(f.length / 2, 0);
    f.writeUInt16BE(0, 4);
    let sum = 0;
    for (let i = 0; i < f.length; i += 2) sum += f.readUInt16BE(i);
    f.writeUInt16BE((0x10000 - (sum & 0xffff)) & 0xffff, 4);
    assert.deepEqual(decodeBinaryConfig(f).entries, [[47, 'a+b']]);
  });

  const good = encodeBinaryConfig({ mac: MAC, entries: [[2, 'admin'], [35, '1001']] });
  const bad: Array<[string, () => Buffer, RegExp, string?]> = [
    ['a bad checksum', () => { const b = Buffer.from(good); b[20] = b[20]! ^ 1; return b; }, /checksum/],
    ['a truncated file', () => good.subarray(0, 30), /truncated/],
    ['a header shorter than 16 bytes', () => good.subarray(0, 10), /truncated/],
    ['trailing bytes beyond the length', () => Buffer.concat([good, Buffer.alloc(2)]), /length mismatch/],
    ['another unit\'s MAC', () => good, /not this unit/, '000b82654321'],
    ['no CR LF CR LF', () => { const b = Buffer.from(good); b[12] = 0x20; return b; }, /CR LF/],
    ['no gnkey', () => encodeRawBody('P2=admin'), /no gnkey/],
    ['gnkey not last', () => encodeRawBody('gnkey=0b82&P2=admin'), /gnkey must be the last/],
    ['a wrong gnkey', () => encodeRawBody('P2=admin&gnkey=74ad'), /expected 0b82/],
    ['a pair that is not Pn=value', () => encodeRawBody('Pxx=1&gnkey=0b82'), /not a Pn=value/],
    ['bad percent-encoding', () => encodeRawBody('P2=%zz&gnkey=0b82'), /percent/],
  ];
  for (const [name, make, re, mac] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(() => decodeBinaryConfig(make(), mac ?? MAC), (e: unknown) => e instanceof DecodeError && re.test(e.message));
    });
  }
});

/** A binary file with a hand-written body and a right checksum. */
function encodeRawBody(body: string): Buffer {
  let b = Buffer.from(body, 'latin1');
  if (b.length % 2) b = Buffer.concat([b, Buffer.alloc(1)]);
  const f = Buffer.alloc(16 + b.length);
  f.writeUInt32BE(f.length / 2, 0);
  hex(MAC).copy(f, 6);
  f.write('\r\n\r\n', 12, 'latin1');
  b.copy(f, 16);
  let sum = 0;
  for (let i = 0; i < f.length; i += 2) sum += f.readUInt16BE(i);
  f.writeUInt16BE((0x10000 - (sum & 0xffff)) & 0xffff, 4);
  return f;
}

describe('provision codec: config XML (reference §2)', () => {
  it('decodes the golden file, escapes and empty elements included', () => {
    const x = decodeXmlConfig(golden('cfg000b82123456.xml'), MAC);
    assert.equal(x.mac, MAC);
    assert.deepEqual(x.entries, GOLDEN_ENTRIES);
  });

  it('encode → decode gives the same entries (XML escaping both ways, CR and non-ASCII kept)', () => {
    const entries: ConfigEntry[] = [...GOLDEN_ENTRIES, [2386, '-----BEGIN CERTIFICATE-----\r\nAAA\n-----END CERTIFICATE-----'], [3, 'Zoë ☎']];
    const text = encodeXmlConfig({ mac: MAC, entries });
    assert.deepEqual(decodeXmlConfig(text, MAC), { mac: MAC, entries });
    assert.deepEqual(decodeXmlConfig(encodeXmlConfig({ entries })), { entries });
  });

  it('accepts a file without <mac>, without a config version, with a BOM and CDATA', () => {
    const x = decodeXmlConfig('\ufeff<gs_provision version="1"><config><P47><![CDATA[a<b]]></P47></config></gs_provision>', MAC);
    assert.deepEqual(x, { entries: [[47, 'a<b']] });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['text that is not XML', 'P47=sip.example.com', /not well-formed|no root/],
    ['unclosed elements', '<gs_provision version="1"><config><P47>x</config>', /not well-formed/],
    ['a wrong root', '<provision version="1"><config/></provision>', /root element is <provision>/],
    ['a missing version', '<gs_provision><config/></gs_provision>', /no version attribute/],
    ['version 2', '<gs_provision version="2"><config/></gs_provision>', /version 2 is not supported/],
    ['config version 2 (alias format)', '<gs_provision version="1"><config version="2"><item name="x"/></config></gs_provision>', /config version 2/],
    ['no <config>', '<gs_provision version="1"><mac>000b82123456</mac></gs_provision>', /no <config>/],
    ['another unit\'s <mac>', '<gs_provision version="1"><mac>000b82aabbcc</mac><config/></gs_provision>', /does not match/],
    ['a bad <mac>', '<gs_provision version="1"><mac>zz</mac><config/></gs_provision>', /not a MAC/],
    ['a non-P element', '<gs_provision version="1"><config><foo>1</foo></config></gs_provision>', /not a P-value element/],
    ['nested elements in a value', '<gs_provision version="1"><config><P47><b>x</b></P47></config></gs_provision>', /holds elements/],
    ['a Latin-1 encoding', '<?xml version="1.0" encoding="ISO-8859-1"?><gs_provision version="1"><config/></gs_provision>', /unsupported encoding/],
    ['an empty file', '', /no root|not well-formed/],
  ];
  for (const [name, text, re] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(() => decodeXmlConfig(text, MAC), (e: unknown) => e instanceof DecodeError && re.test(e.message));
    });
  }
});

describe('provision codec: encrypted XML (reference §4, golden files by openssl enc)', () => {
  it('EVP_BytesToKey MD5 derivation matches `openssl enc -P`', () => {
    const out = execFileSync('openssl', ['enc', '-aes-256-cbc', '-md', 'md5', '-k', 'pw', '-S', '0102030405060708', '-P'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const key = /key\s*=\s*([0-9A-F]+)/.exec(out)![1]!;
    const iv = /iv\s*=\s*([0-9A-F]+)/.exec(out)![1]!;
    const d = evpBytesToKey(Buffer.from('pw'), hex('0102030405060708'), 'md5');
    assert.equal(d.key.toString('hex').toUpperCase(), key);
    assert.equal(d.iv.toString('hex').toUpperCase(), iv);
  });

  for (const [file, digest] of [['cfg000b82123456-md5.xml.enc', 'md5'], ['cfg000b82123456-sha256.xml.enc', 'sha256']] as const) {
    it(`decrypts ${file} (${digest}) to the golden XML`, () => {
      const d = decodeConfigFile(golden(file), { mac: MAC, password: 'golden-pass' });
      assert.equal(d.format, 'encrypted-xml');
      assert.equal(d.digest, digest);
      assert.deepEqual(d.entries, GOLDEN_ENTRIES);
    });
  }

  it('rejects a wrong password, a missing password and a truncated file', () => {
    const f = golden('cfg000b82123456-md5.xml.enc');
    assert.throws(() => decodeConfigFile(f, { password: 'wrong' }), /decryption failed/);
    assert.throws(() => decodeConfigFile(f, {}), /no XML config file password/);
    assert.throws(() => decodeConfigFile(f.subarray(0, f.length - 5), { password: 'golden-pass' }), /truncated/);
    assert.throws(() => decodeConfigFile(f.subarray(0, 20), { password: 'golden-pass' }), /truncated/);
  });

  it('our encryption is decrypted by `openssl enc -d -md md5`', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-enc-'));
    try {
      const plain = golden('cfg000b82123456.xml');
      const enc = encryptConfig(plain, 'p@ss word', Buffer.from('saltsalt'));
      fs.writeFileSync(path.join(dir, 'in'), enc);
      const out = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', 'p@ss word', '-in', path.join(dir, 'in')], { stdio: ['ignore', 'pipe', 'ignore'] });
      assert.deepEqual(out, plain);
      assert.deepEqual(decryptConfig(enc, 'p@ss word', looksLikeXml).plain, plain);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('provision codec: format detection and Pn=value lines', () => {
  it('tells binary, XML and garbage apart', () => {
    assert.equal(decodeConfigFile(encodeBinaryConfig({ mac: MAC, entries: [[2, 'x']] }), { mac: MAC }).format, 'binary');
    assert.equal(decodeConfigFile(golden('cfg000b82123456.xml'), { mac: MAC }).format, 'xml');
    assert.throws(() => decodeConfigFile(Buffer.from('hello world, not a config')), /not a config file/);
    assert.throws(() => decodeConfigFile(Buffer.alloc(0)), /empty config file/);
  });

  it('reads and writes Pn=value lines', () => {
    const entries = decodePValueLines('# comment\nP47=sip.example.com\n\nP3=a=b\r\np48=\n');
    assert.deepEqual(entries, [[47, 'sip.example.com'], [3, 'a=b'], [48, '']]);
    assert.equal(encodePValueLines(entries), 'P47=sip.example.com\nP3=a=b\nP48=\n');
    assert.throws(() => decodePValueLines('X47=1'), DecodeError);
    assert.throws(() => decodePValueLines('P47'), DecodeError);
  });
});
