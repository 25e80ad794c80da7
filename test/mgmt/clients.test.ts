/*
 * Test plan: a unit's consoles against stock clients (.ci/deps/mgmt.list), on 127.0.0.1 and
 * free ports. The unit runs in this process, so every client runs asynchronously.
 * - OpenSSH `ssh` with the password given by `sshpass`: exec of status (the status lines), of a
 *   refused set (exit status 1) and of a usage error (2); every offered kex × cipher pair; the
 *   host key OpenSSH sees is the one the unit reports; a shell session driven through stdin that
 *   changes P3 (source cli); the user level refused an admin parameter; a wrong password refused
 *   (and not logged).
 * - inetutils `telnet` driven by `expect`: login, get P47, set P3=Name, exit; a wrong password.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { createMgmtService, type MgmtService } from '../../cpe/mgmt/mgmt-service';
import type { ChangeEvent } from '../../cpe/params/types';
import { CapturingLogger } from '../../cpe/shared/logger';
import { haveCommand } from '../support/peer';
import { freePort } from '../support/ports';

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs a client as our child, feeding `input` on stdin; killed (by pid) after `timeoutMs`. */
function run(cmd: string, args: string[], input = '', timeoutMs = 15_000): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out, err });
    });
    p.stdin.end(input);
  });
}

describe('consoles against OpenSSH and telnet', function () {
  this.timeout(60_000);
  let dir: string;
  let device: Device;
  let log: CapturingLogger;
  let sshPort: number;
  let telnetPort: number;
  const events: ChangeEvent[] = [];

  before(async () => {
    for (const [cmd, pkg] of [['ssh', 'openssh-client'], ['sshpass', 'sshpass'], ['telnet', 'telnet'], ['expect', 'expect']]) {
      if (!haveCommand(cmd!)) throw new Error(`${cmd} is not installed: apt-get install --no-install-recommends ${pkg} (listed in .ci/deps/mgmt.list)`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-mgmt-clients-'));
    [sshPort, telnetPort] = [await freePort(), await freePort()];
    log = new CapturingLogger();
    device = new Device({ dataDir: dir, mac: '000b82c0ffee', log, durability: 'normal', ports: { offset: 0 }, services: [{ name: 'mgmt', create: createMgmtService }] });
    await device.boot();
    device.store.applyOrThrow({ P27006: String(sshPort), P28120: '0', P28128: String(telnetPort), P196: 'Us3r-pw', P47: 'sip.example.com' }, 'cli');
    device.store.subscribe((e) => events.push(e));
    const mgmt = device.service<MgmtService>('mgmt')!;
    for (let i = 0; i < 200 && (mgmt.port('ssh') !== sshPort || mgmt.port('telnet') !== telnetPort); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(mgmt.port('ssh'), sshPort);
    assert.equal(mgmt.port('telnet'), telnetPort);
  });

  after(async () => {
    await device?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function ssh(password: string, user: string, extra: string[], command?: string, input = ''): Promise<Run> {
    const opts = [
      '-F', '/dev/null',
      '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'PubkeyAuthentication=no',
      '-o', 'PreferredAuthentications=password',
      '-o', 'NumberOfPasswordPrompts=1',
      '-o', 'ConnectTimeout=10',
      '-p', String(sshPort),
      ...extra,
      `${user}@127.0.0.1`,
    ];
    return run('sshpass', ['-p', password, 'ssh', ...opts, ...(command === undefined ? [] : [command])], input);
  }

  it('exec "status" prints the status lines, exit status 0', async () => {
    const r = await ssh('admin', 'admin', ['-o', 'LogLevel=ERROR'], 'status');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Model: {14}HT813\nMAC: {16}00:0B:82:C0:FF:EE\nFirmware: {11}\S+\nUptime: {13}\d\d:\d\d:\d\d\nAccount 1 \(FXS\): {4}.+\nAccount 2 \(FXO\): {4}.+\nFXS hook: {11}.+\nFXO line: {11}.+\n$/);
  });

  it('exec gives the CLI’s exit code: 1 for a refused batch, 2 for a usage error', async () => {
    const refused = await ssh('admin', 'admin', ['-o', 'LogLevel=ERROR'], 'set P3=Lobby P28116=99');
    assert.equal(refused.code, 1);
    assert.equal(refused.out, 'batch rejected, nothing changed\n  P28116="99": must be an integer from 1 to 60\n');
    assert.equal(device.store.get(3), '');
    const usage = await ssh('admin', 'admin', ['-o', 'LogLevel=ERROR'], 'get');
    assert.equal(usage.code, 2);
  });

  const kexes = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256'];
  const ciphers = ['aes128-ctr', 'aes256-ctr', 'aes256-gcm@openssh.com'];
  for (const kex of kexes) {
    for (const cipher of ciphers) {
      it(`${kex} / ${cipher}: exec "get P47 P2"`, async () => {
        const r = await ssh('admin', 'admin', ['-o', 'LogLevel=ERROR', '-o', `KexAlgorithms=${kex}`, '-c', cipher, '-o', 'MACs=hmac-sha2-256'], 'get P47 P2');
        assert.equal(r.code, 0, r.err);
        assert.equal(r.out, 'P47=sip.example.com\nP2=********\n');
      });
    }
  }

  it('OpenSSH sees the unit’s ssh-ed25519 host key, and negotiates what the unit offers', async () => {
    const r = await ssh('admin', 'admin', ['-v'], 'get P47');
    assert.equal(r.code, 0, r.err);
    const fp = device.status.get('mgmt')?.ssh.hostKey;
    assert.ok(fp);
    assert.ok(r.err.includes(`Server host key: ssh-ed25519 ${fp}`), r.err);
    assert.match(r.err, /kex: algorithm: curve25519-sha256\r?\n/);
    assert.match(r.err, /kex: server->client cipher: aes128-ctr MAC: hmac-sha2-256 compression: none/);
    assert.match(r.err, /resetting send seqnr/, 'strict KEX (OpenSSH PROTOCOL §1.10) in force');
  });

  it('a shell session driven through stdin changes P3 through the store (source cli)', async () => {
    events.length = 0;
    const r = await ssh('admin', 'admin', ['-o', 'LogLevel=ERROR', '-T'], undefined, 'get P3\nset P3="Front Desk"\nget P3\nexit\nget P47\n');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'P3=\n1 changed\nP3=Front Desk\n');
    assert.equal(device.store.get(3), 'Front Desk');
    assert.deepEqual(events.map((e) => [e.source, e.changes.map((c) => c.id)]), [['cli', [3]]]);
  });

  it('the user level may not read an admin parameter', async () => {
    const r = await ssh('Us3r-pw', 'user', ['-o', 'LogLevel=ERROR'], 'get P47');
    assert.equal(r.code, 1);
    assert.equal(r.out, 'P47: the user level may not read sip1.primaryServer\n');
  });

  it('a wrong password is refused, and not logged', async () => {
    const r = await ssh('Not-The-Pw-42', 'admin', [], 'status');
    assert.notEqual(r.code, 0);
    assert.equal(r.out, '');
    assert.match(r.err, /Permission denied/);
    assert.ok(log.records.some((rec) => rec.msg === 'ssh login failed'));
    assert.ok(!log.text().includes('Not-The-Pw-42'));
  });

  function expectScript(body: string): string {
    const file = path.join(dir, `session-${Math.random().toString(36).slice(2)}.exp`);
    // any expectation not met within the timeout fails the script (expect_after binds to the spawned telnet)
    fs.writeFileSync(file, `set timeout 10\nspawn telnet 127.0.0.1 ${telnetPort}\nexpect_after timeout { puts "TIMEOUT"; exit 1 }\n${body}\n`);
    return file;
  }

  it('telnet driven by expect: login, get P47, set P3=Name, exit', async () => {
    const file = expectScript(
      [
        'expect "Login: "',
        'send "admin\\r"',
        'expect "Password: "',
        'send "admin\\r"',
        'expect "GS> "',
        'send "get P47\\r"',
        'expect "P47=sip.example.com"',
        'expect "GS> "',
        'send "set P3=Name\\r"',
        'expect "1 changed"',
        'expect "GS> "',
        'send "exit\\r"',
        'expect "Bye."',
        'expect eof',
      ].join('\n'),
    );
    const r = await run('expect', [file]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /Logged in at the admin level/);
    assert.ok(!/Password: admin/.test(r.out), 'the password is not echoed');
    assert.equal(device.store.get(3), 'Name');
  });

  it('telnet driven by expect: a wrong password gets "Login incorrect"', async () => {
    const file = expectScript(['expect "Login: "', 'send "admin\\r"', 'expect "Password: "', 'send "nope\\r"', 'expect "Login incorrect"', 'expect "Login: "'].join('\n'));
    const r = await run('expect', [file]);
    assert.equal(r.code, 0, r.out + r.err);
  });
});
