import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../cpe/cli/main';
import { ControlServer } from '../../cpe/cli/control-server';
import { Device } from '../../cpe/device';
import type { ChangeEvent } from '../../cpe/params/types';
import { silentLogger } from '../../cpe/shared/logger';
import { freePort } from '../support/ports';

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { stdout, stderr, cwd });
  return { code, out, err };
}

describe('ht813 CLI', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-cli-'));
  });
  afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('params set on an empty folder creates the store; get reads it back', async () => {
    const set = await run(['params', 'set', 'P47=sip.example.com', 'P35=1001', '--data', 'u1'], cwd);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /^2 changed/);
    assert.ok(fs.existsSync(path.join(cwd, 'u1', 'params.db')));
    const get = await run(['params', 'get', 'P47', '35', '--data', 'u1'], cwd);
    assert.equal(get.out, 'P47=sip.example.com\nP35=1001\n');
  });

  it('a rejected batch prints every failure, changes nothing and exits 1', async () => {
    const r = await run(['params', 'set', 'P47=ok.example', 'P28116=999', 'P99999=1'], cwd);
    assert.equal(r.code, 1);
    assert.match(r.err, /P28116="999": must be an integer from 1 to 60/);
    assert.match(r.err, /P99999: no such parameter/);
    assert.equal((await run(['params', 'get', 'P47'], cwd)).out, 'P47=\n');
  });

  it('masks secrets in get and export unless --with-secrets', async () => {
    await run(['params', 'set', 'P34=hunter2'], cwd);
    assert.equal((await run(['params', 'get', 'P34'], cwd)).out, 'P34=********\n');
    assert.equal((await run(['params', 'get', 'P34', '--with-secrets'], cwd)).out, 'P34=hunter2\n');
    const exp = await run(['params', 'export'], cwd);
    assert.match(exp.out, /^P2=\*{8}$/m);
    assert.doesNotMatch(exp.out, /hunter2/);
    assert.match(exp.out, /^P89=/m);
  });

  it('audit lists changes with secrets masked', async () => {
    await run(['params', 'set', 'P34=hunter2', 'P47=a.example'], cwd);
    const r = await run(['audit'], cwd);
    assert.match(r.out, /cli\s+P47: "" -> "a.example"/);
    assert.doesNotMatch(r.out, /hunter2/);
  });

  it('reset by type, refused when P88 locks it', async () => {
    await run(['params', 'set', 'P47=a.example', 'P88=1'], cwd);
    const locked = await run(['reset', 'voip'], cwd);
    assert.equal(locked.code, 1);
    assert.match(locked.err, /locked by P88/);
    await run(['params', 'set', 'P88=0'], cwd);
    assert.equal((await run(['reset', 'voip'], cwd)).code, 0);
    assert.equal((await run(['params', 'get', 'P47'], cwd)).out, 'P47=\n');
  });

  const usage: Array<[string[], RegExp]> = [
    [['params', 'get'], /name at least one/],
    [['params', 'get', 'Q4'], /not a P-value/],
    [['params', 'set', 'P47'], /expected Pn=value/],
    [['reset', 'everything'], /full, isp or voip/],
    [['audit', '--limit', 'x'], /--limit must be an integer/],
    [['params', 'get', 'P47', '--bogus', '1'], /unknown option: --bogus/],
    [['start', '--dhcp-option', 'abc'], /--dhcp-option must be N=value/],
  ];
  for (const [argv, re] of usage) {
    it(`usage error: ${argv.join(' ')}`, async () => {
      const r = await run(argv, cwd);
      assert.equal(r.code, 2);
      assert.match(r.err, re);
    });
  }

  it('request-download: needs a running unit; hands the file type and arguments to its CWMP client', async () => {
    const off = await run(['request-download', '1 Firmware Upgrade Image'], cwd);
    assert.equal(off.code, 1);
    assert.match(off.err, /needs the unit running/);
    assert.equal((await run(['request-download', '1 Firmware Upgrade Image', 'Version'], cwd)).code, 2);
    const dir = path.join(cwd, 'live');
    const asked: unknown[] = [];
    const cwmp = {
      name: 'cwmp',
      start: async () => undefined,
      stop: async () => undefined,
      requestDownload: (r: unknown) => void asked.push(r),
    };
    const device = new Device({ dataDir: dir, log: silentLogger, services: [{ name: 'cwmp', create: () => cwmp }] });
    const control = new ControlServer(device, silentLogger);
    await control.listen();
    await device.boot();
    try {
      const r = await run(['request-download', '1 Firmware Upgrade Image', 'Version=1.0.3.2', '--data', dir], cwd);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /queued for the next session/);
      assert.deepEqual(asked, [{ fileType: '1 Firmware Upgrade Image', fileTypeArg: [{ name: 'Version', value: '1.0.3.2' }] }]);
    } finally {
      await control.close();
      await device.shutdown();
    }
  });

  it('unknown command exits 2 with the usage', async () => {
    const r = await run(['frobnicate'], cwd);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command/);
  });

  it('hands batches to a running unit, whose services get the change at once', async () => {
    const dir = path.join(cwd, 'live');
    const device = new Device({ dataDir: dir, log: silentLogger, services: [] });
    const control = new ControlServer(device, silentLogger);
    await control.listen();
    await device.boot();
    const seen: ChangeEvent[] = [];
    device.store.subscribe((e) => seen.push(e));
    try {
      const r = await run(['params', 'set', 'P47=live.example', '--data', dir], cwd);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(seen, [{ source: 'cli', changes: [{ id: 47, old: '', new: 'live.example' }] }]);
      assert.equal((await run(['params', 'get', 'P47', '--data', dir], cwd)).out, 'P47=live.example\n');
      const second = new ControlServer(device, silentLogger);
      await assert.rejects(second.listen(), /another unit is running/);
    } finally {
      await device.shutdown();
      await control.close();
    }
  });

  it('bin/ht813 start boots, prints the MAC and web address, and stops on SIGTERM', async function () {
    this.timeout(30_000);
    const bin = path.join(__dirname, '..', '..', 'bin', 'ht813');
    const webPort = await freePort();
    const child = spawn(bin, ['start', '--data', path.join(cwd, 'unit'), '--mac', '000b82abcdef', '--web-port', String(webPort)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HT813_LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no startup line:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        if (/up: web UI/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    assert.match(out, new RegExp(`HT813 00:0B:82:AB:CD:EF up: web UI http://127\\.0\\.0\\.1:${webPort}/`));
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0, out);
  });
});
