/*
 * Hostile input: random bytes and random mutations of valid files never make a decoder throw
 * anything but DecodeError (config files, TFTP packets, firmware images); the HTTP Digest answer
 * matches the RFC 7616 §3.9.1 vectors.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../../cpe/shared/random';
import { DecodeError } from '../../cpe/shared/errors';
import { decodeConfigFile } from '../../cpe/provision/codec/config-file';
import { encodeBinaryConfig } from '../../cpe/provision/codec/binary-config';
import { decodeTftp } from '../../cpe/provision/fetch/tftp-packets';
import { decodeFirmwareImage } from '../../cpe/provision/firmware/image';
import { digestAuthorization, parseChallenges } from '../../cpe/provision/fetch/http-auth';
import { GOLDEN } from './harness';

function mutate(r: SeededRandom, b: Buffer): Buffer {
  const out = Buffer.from(b);
  const n = 1 + r.int(8);
  for (let i = 0; i < n; i++) {
    const op = r.int(3);
    const at = r.int(Math.max(1, out.length));
    if (op === 0 && out.length > 0) out[at] = r.int(256);
    else if (op === 1) return Buffer.concat([out.subarray(0, at), r.bytes(r.int(16)), out.subarray(at)]);
    else return out.subarray(0, at);
  }
  return out;
}

function onlyDecodeErrors(name: string, seeds: Buffer[], decode: (b: Buffer) => unknown, cases = 3000): void {
  it(`${name}: ${cases} random and mutated inputs give only DecodeError`, () => {
    const r = new SeededRandom(42);
    for (let i = 0; i < cases; i++) {
      const input = i % 4 === 0 ? r.bytes(r.int(300)) : mutate(r, seeds[i % seeds.length]!);
      try {
        decode(input);
      } catch (e) {
        if (!(e instanceof DecodeError)) assert.fail(`case ${i}: ${String(e)} for ${input.toString('hex').slice(0, 120)}`);
      }
    }
  });
}

describe('provision robustness', () => {
  const golden = (f: string): Buffer => fs.readFileSync(path.join(GOLDEN, f));
  onlyDecodeErrors('config files', [
    golden('cfg000b82123456.xml'),
    golden('cfg000b82123456-md5.xml.enc'),
    encodeBinaryConfig({ mac: '000b82123456', entries: [[2, 'admin'], [47, 'a&b c']] }),
  ], (b) => decodeConfigFile(b, { mac: '000b82123456', password: 'golden-pass' }));
  onlyDecodeErrors('TFTP packets', [
    Buffer.from('\x00\x06blksize\x001428\x00tsize\x00100\x00', 'latin1'),
    Buffer.from('\x00\x05\x00\x01File not found\x00', 'latin1'),
    Buffer.from('\x00\x03\x00\x01hello', 'latin1'),
  ], decodeTftp);
  onlyDecodeErrors('firmware images', [Buffer.concat([Buffer.from('HT813FW\x01', 'latin1'), Buffer.alloc(200)])], decodeFirmwareImage, 1000);

  // RFC 7616 §3.9.1: GET /dir/index.html, Mufasa / "Circle of Life".
  const challenge = (alg: string) =>
    parseChallenges([`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`])[0]!;
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  const table: Array<[string, string]> = [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ];
  for (const [alg, response] of table) {
    it(`Digest ${alg} answer matches RFC 7616 §3.9.1`, () => {
      const h = digestAuthorization(challenge(alg), { user: 'Mufasa', password: 'Circle of Life' }, 'GET', '/dir/index.html', cnonce);
      assert.match(h, new RegExp(`response="${response}"`));
      assert.match(h, /qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ"/);
      assert.match(h, /opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"/);
    });
  }

  it('parses several challenges, in one header or many', () => {
    const c = parseChallenges(['Basic realm="a", Digest realm="b", nonce="n", qop="auth"', 'Bearer x']);
    assert.deepEqual(c.map((x) => x.scheme), ['basic', 'digest', 'bearer']);
    assert.equal(c[1]!.params.get('nonce'), 'n');
  });
});
