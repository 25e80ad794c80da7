/*
 * The operator tools through the real CLI entry (main): cfg encode / decode round trips in all
 * formats (binary output checked against the reference vector, encrypted output decrypted by
 * `openssl enc -d`), cfg export from a unit's folder (secrets left out unless asked), and
 * firmware make producing an image the unit installs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { main } from '../../cpe/cli/main';
import { decodeFirmwareImage, verifyFirmwareImage } from '../../cpe/provision/firmware/image';
import { trustedFirmwareKeys } from '../../cpe/provision/firmware/trusted-keys';
import { decodeConfigFile } from '../../cpe/provision/codec/config-file';

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string; raw: Buffer }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  let err = '';
  stdout.on('data', (d: Buffer) => chunks.push(d));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { stdout, stderr, cwd });
  const raw = Buffer.concat(chunks);
  return { code, out: raw.toString(), err, raw };
}

describe('provision CLI: cfg encode/decode/export, firmware make', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-cli-'));
  });
  afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('encodes Pn=value lines as the reference binary vector, and decodes it back', async () => {
    fs.writeFileSync(path.join(cwd, 'in.txt'), 'P2=admin\nP35=1001\n');
    const enc = await run(['cfg', 'encode', 'in.txt', '--format', 'binary', '--mac', '00:0B:82:12:34:56', '--out', 'cfg000b82123456'], cwd);
    assert.equal(enc.code, 0, enc.err);
    const bin = fs.readFileSync(path.join(cwd, 'cfg000b82123456'));
    assert.equal(bin.subarray(0, 16).toString('hex'), '000000162745000b821234560d0a0d0a');
    const dec = await run(['cfg', 'decode', 'cfg000b82123456', '--mac', '000b82123456'], cwd);
    assert.equal(dec.code, 0, dec.err);
    assert.equal(dec.out, 'P2=admin\nP35=1001\n');
    const wrong = await run(['cfg', 'decode', 'cfg000b82123456', '--mac', '000b82000001'], cwd);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /not this unit/);
  });

  it('encrypts XML so that `openssl enc -d -md md5` opens it, and decodes it with --password', async () => {
    fs.writeFileSync(path.join(cwd, 'in.xml'), '<gs_provision version="1"><config version="1"><P47>a&amp;b</P47></config></gs_provision>');
    const enc = await run(['cfg', 'encode', 'in.xml', '--format', 'xml', '--encrypt', 's3cret', '--out', 'out.xml'], cwd);
    assert.equal(enc.code, 0, enc.err);
    const plain = execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-md', 'md5', '-k', 's3cret', '-in', path.join(cwd, 'out.xml')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    assert.match(plain, /<P47>a&amp;b<\/P47>/);
    const dec = await run(['cfg', 'decode', 'out.xml', '--password', 's3cret'], cwd);
    assert.equal(dec.out, 'P47=a&b\n');
    const bad = await run(['cfg', 'decode', 'out.xml', '--password', 'nope'], cwd);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /decryption failed/);
  });

  it('refuses usage errors: binary without --mac, no --out, a bad input line', async () => {
    fs.writeFileSync(path.join(cwd, 'in.txt'), 'P2=admin\n');
    assert.equal((await run(['cfg', 'encode', 'in.txt', '--format', 'binary', '--out', 'x'], cwd)).code, 2);
    assert.equal((await run(['cfg', 'encode', 'in.txt', '--format', 'xml'], cwd)).code, 2);
    fs.writeFileSync(path.join(cwd, 'bad.txt'), 'hello\n');
    const r = await run(['cfg', 'encode', 'bad.txt', '--format', 'xml', '--out', 'x'], cwd);
    assert.equal(r.code, 1);
    assert.match(r.err, /not a Pn=value line/);
  });

  it('exports a unit\'s settings as XML without secrets, or binary with them', async () => {
    assert.equal((await run(['params', 'set', 'P47=sip.example.com', 'P34=pw1234', '--data', 'u'], cwd)).code, 0);
    fs.writeFileSync(path.join(cwd, 'u', 'identity.json'), JSON.stringify({ mac: '000b82abcdef', bootCount: 0, createdAt: 0 }));
    const x = await run(['cfg', 'export', '--data', 'u'], cwd);
    assert.equal(x.code, 0, x.err);
    const d = decodeConfigFile(x.raw, { mac: '000b82abcdef' });
    const m = new Map(d.entries);
    assert.equal(m.get(47), 'sip.example.com');
    assert.equal(m.has(34), false);
    assert.equal(m.has(68), false, 'read-only status entries are not exported');
    assert.match(x.err, /secret P-values left out/);
    const b = await run(['cfg', 'export', '--data', 'u', '--format', 'binary', '--with-secrets', '--out', 'cfg.bin'], cwd);
    assert.equal(b.code, 0, b.err);
    const bd = decodeConfigFile(fs.readFileSync(path.join(cwd, 'cfg.bin')), { mac: '000b82abcdef' });
    assert.equal(new Map(bd.entries).get(34), 'pw1234');
  });

  it('firmware make builds an image signed with the test key that the unit trusts', async () => {
    fs.writeFileSync(path.join(cwd, 'payload.tgz'), 'not really a tarball');
    const r = await run(['firmware', 'make', '--version', '1.2.3.4', '--payload', 'payload.tgz', '--out', 'ht813fw.bin'], cwd);
    assert.equal(r.code, 0, r.err);
    const img = decodeFirmwareImage(fs.readFileSync(path.join(cwd, 'ht813fw.bin')));
    assert.equal(img.header.version, '1.2.3.4');
    assert.equal(img.payload.toString(), 'not really a tarball');
    assert.ok(verifyFirmwareImage(img, 'HT813', trustedFirmwareKeys()).ok);
    assert.equal((await run(['firmware', 'make', '--version', 'v1'], cwd)).code, 2);
  });
});
