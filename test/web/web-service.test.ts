/** The web service's binding: HTTP/HTTPS per P1650, ports, the per-unit certificate, the URLs it reports. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { freePort } from '../support/ports';
import { TEST_MAC, startTestUnit } from './harness';

function httpsGet(url: string, ca: string): Promise<{ status: number; cn: unknown; cookie: string[]; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, agent: false }, (res) => {
      const cert = (res.socket as TLSSocket).getPeerCertificate();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cn: cert.subject?.CN, cookie: res.headers['set-cookie'] ?? [], fingerprint: cert.fingerprint256 }));
    });
    req.on('error', reject);
  });
}

describe('web service binding', () => {
  it('serves HTTP on the forced port and reports its URL on the status board', async () => {
    const port = await freePort();
    const unit = await startTestUnit({ ports: { web: port } });
    try {
      assert.deepEqual(unit.web.urls(), [`http://127.0.0.1:${port}/`]);
      assert.deepEqual(unit.status.get('web.urls'), [`http://127.0.0.1:${port}/`]);
      await unit.web.stop('shutdown');
      assert.deepEqual(unit.web.urls(), []);
      assert.equal(unit.status.get('web.urls'), undefined);
      await assert.rejects(fetch(`http://127.0.0.1:${port}/login`));
      await unit.web.start();
      assert.equal((await fetch(`http://127.0.0.1:${port}/login`)).status, 200, 'restarts (reboot) on the same port');
    } finally {
      await unit.close();
    }
  });

  it('serves HTTPS when P1650 = 0, with a certificate for CN = MAC kept in the data folder', async () => {
    const port = await freePort();
    const unit = await startTestUnit({ params: { P1650: '0' }, ports: { https: port, web: await freePort() } });
    try {
      assert.deepEqual(unit.web.urls(), [`https://127.0.0.1:${port}/`]);
      const ca = fs.readFileSync(path.join(unit.dir, 'web', 'cert.pem'), 'utf8');
      assert.equal((fs.statSync(path.join(unit.dir, 'web', 'key.pem')).mode & 0o077), 0, 'key readable by the owner only');
      const r = await httpsGet(`https://127.0.0.1:${port}/login`, ca);
      assert.equal(r.status, 200);
      assert.equal(r.cn, TEST_MAC);
      assert.ok(r.cookie.some((c) => /HT813LT_.*; Secure/.test(c)), 'cookies are Secure over HTTPS');
      await unit.web.stop('reboot');
      await unit.web.start();
      const again = await httpsGet(`https://127.0.0.1:${port}/login`, ca);
      assert.equal(again.fingerprint, r.fingerprint, 'the same certificate after a reboot');
    } finally {
      await unit.close();
    }
  });

  it('falls back to a free port when the P-value port is taken, and says so', async () => {
    const blocker = net.createServer();
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    const unit = await startTestUnit({ params: { P901: String(taken) }, ports: {} });
    try {
      const url = unit.web.urls()[0]!;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.notEqual(url, `http://127.0.0.1:${taken}/`);
      assert.equal((await fetch(`${url}login`)).status, 200);
      assert.match(unit.log.text(), /cannot bind port/);
    } finally {
      await unit.close();
      blocker.close();
    }
  });

  it('fails to start when a forced port is taken', async () => {
    const blocker = net.createServer();
    const taken = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      await assert.rejects(startTestUnit({ ports: { web: taken } }), /EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
