/**
 * P22293/P22294 (minimum / maximum TLS version): the policy as a table, then against a real peer,
 * OpenSSL's own s_server and s_client: provisioning over HTTPS and SIP over TLS to a TLS 1.3-only
 * server fail when P22294 caps at TLS 1.2 and work unlimited; the web UI's HTTPS refuses a TLS 1.3-only client while
 * capped, and takes it once the cap is lifted, without a restart.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import tls from 'node:tls';
import { fetchUrl } from '../../cpe/provision/fetch/fetch-url';
import { tlsVersions } from '../../cpe/shared/tls-versions';
import { SystemClock } from '../../cpe/shared/clock';
import { silentLogger } from '../../cpe/shared/logger';
import { SipTransports } from '../../cpe/voice/sip/transport/sip-transports';
import { startPeer, type Peer } from '../support/peer';
import { freePort } from '../support/ports';
import { makeTestPki, tempDir, type TestPki } from '../provision/servers';
import { startTestUnit } from '../web/harness';

const get = (p: Record<number, string>) => (id: number): string => p[id] ?? '99';

describe('TLS versions (P22293/P22294)', function () {
  this.timeout(30_000);

  it('maps the template codes; unlimited keeps TLS 1.2 as the floor; a maximum below the minimum is raised', () => {
    assert.deepEqual(tlsVersions(get({})), { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    assert.deepEqual(tlsVersions(get({ 22294: '12' })), { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    assert.deepEqual(tlsVersions(get({ 22293: '12', 22294: '10' })), { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const low = tlsVersions(get({ 22293: '10' }));
    assert.equal(low.minVersion, 'TLSv1');
    assert.equal(low.maxVersion, 'TLSv1.3');
    assert.equal(low.ciphers, `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`, 'OpenSSL must be let below TLS 1.2');
  });

  describe('against openssl', () => {
    let pki: TestPki;
    let server: Peer | undefined;
    before(() => {
      pki = makeTestPki(tempDir('ht813-tlsv-'));
    });
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it('provisioning HTTPS to a TLS 1.3-only server: refused with P22294 = 12, fetched when unlimited', async () => {
      const port = await freePort();
      server = await startPeer('openssl', ['s_server', '-accept', String(port), '-cert', pki.certFile, '-key', pki.keyFile, '-tls1_3', '-www', '-quiet'], {
        ready: (out) => out.includes('ACCEPT') || out === '',
        timeoutMs: 5000,
      });
      await new Promise((r) => setTimeout(r, 300));
      const url = new URL(`https://127.0.0.1:${port}/`);
      const base = { timeoutMs: 5000, maxBytes: 1 << 20, ca: [pki.caPem] };
      await assert.rejects(fetchUrl(url, { ...base, tlsVersions: tlsVersions(get({ 22294: '12' })) }), /protocol|version|alert|handshake/i);
      const body = await fetchUrl(url, { ...base, tlsVersions: tlsVersions(get({})) });
      assert.match(body.toString(), /TLSv1\.3/, 's_server reports the protocol it negotiated');
    });

    it('SIP over TLS to a TLS 1.3-only server: the connection fails with P22294 = 12, opens when unlimited', async () => {
      const port = await freePort();
      server = await startPeer('openssl', ['s_server', '-accept', String(port), '-cert', pki.certFile, '-key', pki.keyFile, '-tls1_3', '-quiet'], { timeoutMs: 5000 });
      await new Promise((r) => setTimeout(r, 300));
      const target = { protocol: 'tls' as const, address: '127.0.0.1', port };
      const open = async (p: Record<number, string>): Promise<void> => {
        const t = new SipTransports({ address: '127.0.0.1', port: 0, listenTcp: false, clock: new SystemClock(), log: silentLogger, tls: { ca: [pki.caPem], versions: tlsVersions(get(p)) } });
        await t.start();
        try {
          await t.write(target, Buffer.from('\r\n\r\n'));
        } finally {
          await t.close();
        }
      };
      await assert.rejects(open({ 22294: '12' }), /tls 127\.0\.0\.1/);
      await open({});
    });

    it('the web UI over HTTPS follows a change of P22294 at the next handshake', async () => {
      const unit = await startTestUnit({ params: { P1650: '0', P22294: '12' }, ports: { https: await freePort() } });
      try {
        const { port } = new URL(unit.url);
        // the unit answers in this process: s_client runs beside it, not blocking it
        const handshake = (version: string): Promise<string> =>
          new Promise((resolve) => {
            const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, version, '-brief'], { stdio: ['pipe', 'pipe', 'pipe'] });
            let out = '';
            p.stdout.on('data', (d: Buffer) => (out += d.toString()));
            p.stderr.on('data', (d: Buffer) => (out += d.toString()));
            p.stdin.end();
            p.on('close', () => resolve(out));
          });
        assert.match(await handshake('-tls1_3'), /alert|error/i, 'a TLS 1.3-only client is refused while P22294 = 12');
        assert.match(await handshake('-tls1_2'), /Protocol version: TLSv1\.2/);
        unit.store.applyOrThrow({ P22294: '99' }, 'cli');
        assert.match(await handshake('-tls1_3'), /Protocol version: TLSv1\.3/, 'and taken once the cap is lifted');
      } finally {
        await unit.close();
      }
    });
  });
});
