/**
 * Test plan: TR-069 Upload to real servers we did not write — nginx (WebDAV PUT behind Basic
 * auth) and vsftpd (anonymous FTP upload) — started on 127.0.0.1 with free ports and stopped by
 * pid. The uploaded files are read back from the servers' folders.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ScriptedAcs, type Step } from '../../acs-fixtures/scripted-acs';
import type { CwmpMessage } from '../../cpe/cwmp/soap/types';
import { UT_CONFIG, UT_LOG } from '../../cpe/cwmp/transfer-backend';
import { FakeClock } from '../support/fake-clock';
import { startPeer, type Peer } from '../support/peer';
import { freePort, tcpListening } from '../support/ports';
import { startUnit, type Unit } from './unit-fixture';
import { waitFor } from './wait';

const informOk: Step = { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } };
const up = (key: string, fileType: string, url: string, username = '', password = ''): CwmpMessage => ({
  method: 'Upload',
  commandKey: key,
  fileType,
  url,
  username,
  password,
  delaySeconds: 0,
});

describe('cwmp Upload to real servers', () => {
  let dir: string;
  let acs: ScriptedAcs;
  let unit: Unit | undefined;
  let clock: FakeClock;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-upload-'));
    fs.chmodSync(dir, 0o755);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    acs = new ScriptedAcs();
    await acs.start();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await unit?.stop();
    unit = undefined;
    await acs.stop();
  });

  async function uploadOnce(msg: CwmpMessage, params: Record<string, string> = {}): Promise<number> {
    acs.script([informOk, { expect: 'empty', reply: msg }, { expect: 'UploadResponse', reply: null }]);
    unit = await startUnit({ clock, params: { P4503: acs.url, P47: 'pbx.upload.example', P34: 'never-uploaded', ...params } });
    await acs.finished();
    await unit.service.idle();
    let code = -1;
    acs.script([
      informOk,
      { expect: 'TransferComplete', check: (env) => (code = (env!.body as unknown as { fault: { code: number } }).fault.code), reply: { method: 'TransferCompleteResponse' } },
      { expect: 'empty', reply: null },
    ]);
    clock.advance(0);
    await acs.finished(15_000);
    await unit.service.idle();
    assert.deepEqual(acs.errors, []);
    return code;
  }

  it('nginx WebDAV PUT with Basic auth: the configuration file arrives; a wrong password gives 9012', async () => {
    const root = path.join(dir, 'nginx');
    for (const d of ['www/up', 'logs', 'tmp']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.chmodSync(path.join(root, 'www/up'), 0o777);
    execFileSync('htpasswd', ['-bc', path.join(root, 'htpasswd'), 'acsup', 'upsecret'], { stdio: 'ignore' });
    const port = await freePort();
    fs.writeFileSync(
      path.join(root, 'nginx.conf'),
      `worker_processes 1; pid nginx.pid; error_log stderr info; events { worker_connections 64; }
http { access_log logs/access.log; client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
  server { listen 127.0.0.1:${port}; root www;
    location /up/ { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; auth_basic "upload"; auth_basic_user_file ${root}/htpasswd; } } }\n`,
    );
    const nginx: Peer = await startPeer('nginx', ['-p', `${root}/`, '-c', 'nginx.conf', '-e', 'stderr', '-g', 'daemon off;'], {
      ready: () => tcpListening(port),
    });
    try {
      const code = await uploadOnce(up('n1', UT_CONFIG, `http://127.0.0.1:${port}/up/cfg.xml`, 'acsup', 'upsecret'));
      assert.equal(code, 0);
      const got = fs.readFileSync(path.join(root, 'www/up/cfg.xml'), 'utf8');
      assert.match(got, /<gs_provision version="1">/);
      assert.match(got, /<P47>pbx\.upload\.example<\/P47>/);
      assert.ok(!got.includes('never-uploaded'));
      await unit!.stop();
      unit = undefined;
      const bad = await uploadOnce(up('n2', UT_LOG, `http://127.0.0.1:${port}/up/log.txt`, 'acsup', 'wrong'));
      assert.equal(bad, 9012);
    } finally {
      await nginx.stop();
    }
  });

  it('vsftpd anonymous FTP upload of the log file', async () => {
    const root = path.join(dir, 'ftp');
    for (const d of ['root/up', 'empty']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.chmodSync(path.join(root, 'root'), 0o755);
    fs.chmodSync(path.join(root, 'root/up'), 0o777);
    const port = await freePort();
    const pasv = await freePort();
    fs.writeFileSync(
      path.join(root, 'vsftpd.conf'),
      [
        'listen=YES',
        'listen_ipv6=NO',
        'listen_address=127.0.0.1',
        `listen_port=${port}`,
        'background=NO',
        'anonymous_enable=YES',
        `anon_root=${root}/root`,
        'no_anon_password=YES',
        'local_enable=NO',
        'write_enable=YES',
        'anon_upload_enable=YES',
        'anon_umask=022',
        'pasv_enable=YES',
        'pasv_address=127.0.0.1',
        `pasv_min_port=${pasv}`,
        `pasv_max_port=${pasv}`,
        'seccomp_sandbox=NO',
        `secure_chroot_dir=${root}/empty`,
        `vsftpd_log_file=${root}/vsftpd.log`,
        '',
      ].join('\n'),
    );
    const vsftpd: Peer = await startPeer('vsftpd', [path.join(root, 'vsftpd.conf')], { ready: () => tcpListening(port) });
    try {
      const code = await uploadOnce(up('f1', UT_LOG, `ftp://127.0.0.1:${port}/up/unit.log`));
      assert.equal(code, 0);
      await waitFor(() => fs.existsSync(path.join(root, 'root/up/unit.log')), 'uploaded file');
      assert.match(fs.readFileSync(path.join(root, 'root/up/unit.log'), 'utf8'), /P47/);
    } finally {
      await vsftpd.stop();
    }
  });
});
