/*
 * Integration: our fetchers and the provisioner against real servers we did not write, each on
 * 127.0.0.1 on a free port: tftpd-hpa, nginx (HTTPS + Basic, redirects), apache2 (HTTPS +
 * Digest), vsftpd (FTP and explicit FTPS). A test CA made by openssl; the unit trusts it through
 * P2386. A missing server binary fails the suite (CI installs .ci/deps/provision.list).
 * Bad servers: 404, 401, wrong password, an untrusted certificate, a redirect loop, a port where
 * nothing listens, and a server that accepts and never answers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import https from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fetchUrl } from '../../cpe/provision/fetch/fetch-url';
import { FetchError, type FetchOptions } from '../../cpe/provision/fetch/fetcher';
import { encodeBinaryConfig } from '../../cpe/provision/codec/binary-config';
import { freePort } from '../support/ports';
import { GOLDEN, MAC, makeHarness, xml, type Harness } from './harness';
import { makeTestPki, publish, startApache, startNginx, startTftpd, startVsftpd, tempDir, type Server, type TestPki } from './servers';

const USER = 'prov';
const PASS = 'provsecret';
const BIG = randomBytes(200 * 1024 + 17);

describe('provision against real servers (tftpd-hpa, nginx, apache2, vsftpd)', function () {
  this.timeout(60_000);
  let pkiDir: string;
  let pki: TestPki;
  let tftp: Server;
  let nginx: Server;
  let apache: Server;
  let ftp: Server;
  const base = (extra: Partial<FetchOptions> = {}): FetchOptions => ({ timeoutMs: 10_000, maxBytes: 1 << 20, ...extra });
  const kind = (k: string, re?: RegExp) => (e: unknown) => e instanceof FetchError && e.kind === k && (!re || re.test(e.message));

  before(async () => {
    pkiDir = tempDir('prov-pki-');
    pki = makeTestPki(pkiDir);
    // One by one, so that after() stops whichever started if a later one fails.
    tftp = await startTftpd();
    nginx = await startNginx(pki, USER, PASS);
    apache = await startApache(pki, USER, PASS);
    ftp = await startVsftpd(pki);
    const files = { 'big.bin': BIG, [`cfg${MAC}.xml`]: xml('<P47>tftp.example</P47>', MAC) };
    publish(tftp.root, files);
    publish(ftp.root, files);
    publish(nginx.root, { 'pub.txt': 'public', 'prov/big.bin': BIG, [`prov/cfg${MAC}.xml`]: xml('<P47>nginx.example</P47><P35>2002</P35>', MAC) });
    publish(apache.root, { 'prov/big.bin': BIG, [`prov/cfg${MAC}`]: encodeBinaryConfig({ mac: MAC, entries: [[3, 'via apache digest']] }) });
  });

  after(async () => {
    await Promise.all([tftp, nginx, apache, ftp].filter(Boolean).map((s) => s.stop()));
    fs.rmSync(pkiDir, { recursive: true, force: true });
  });

  // ---- TFTP ----

  it('TFTP: fetches a 200 KiB file byte for byte (blksize and tsize negotiated with tftpd-hpa)', async () => {
    const out = await fetchUrl(new URL(`tftp://127.0.0.1:${tftp.port}/big.bin`), base());
    assert.ok(out.equals(BIG));
  });

  it('TFTP: a missing file is not-found; a size limit below the file is too-large', async () => {
    await assert.rejects(fetchUrl(new URL(`tftp://127.0.0.1:${tftp.port}/nope.xml`), base()), kind('not-found'));
    await assert.rejects(fetchUrl(new URL(`tftp://127.0.0.1:${tftp.port}/big.bin`), base({ maxBytes: 10_000 })), kind('too-large'));
  });

  // ---- HTTP(S) + Basic (nginx) ----

  it('HTTPS + Basic: refuses without credentials (401), fetches with them, verifying the test CA', async () => {
    const url = new URL(`https://127.0.0.1:${nginx.tlsPort}/prov/big.bin`);
    await assert.rejects(fetchUrl(url, base({ ca: [pki.caPem] })), kind('auth', /401/));
    const out = await fetchUrl(url, base({ ca: [pki.caPem], credentials: { user: USER, password: PASS } }));
    assert.ok(out.equals(BIG));
    await assert.rejects(fetchUrl(url, base({ ca: [pki.caPem], credentials: { user: USER, password: 'wrong' } })), kind('auth'));
  });

  it('HTTPS: an untrusted certificate is refused by default, accepted only with verification off', async () => {
    const url = new URL(`https://127.0.0.1:${nginx.tlsPort}/pub.txt`);
    await assert.rejects(fetchUrl(url, base()), kind('tls'));
    assert.equal((await fetchUrl(url, base({ verifyTls: false }))).toString(), 'public');
    assert.equal((await fetchUrl(url, base({ ca: [pki.caPem], caOnly: true }))).toString(), 'public');
  });

  it('HTTPS: a certificate from a trusted CA for another host name is refused', async () => {
    const srv = https.createServer({ cert: fs.readFileSync(pki.otherCertFile), key: fs.readFileSync(pki.otherKeyFile) }, (_q, r) => r.end('x'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      await assert.rejects(fetchUrl(new URL(`https://127.0.0.1:${port}/x`), base({ ca: [pki.caPem] })), kind('tls', /altname|IP: 127\.0\.0\.1/i));
      assert.equal((await fetchUrl(new URL(`https://127.0.0.1:${port}/x`), base({ verifyTls: false }))).toString(), 'x');
      // P22030 = 0: the name is not checked, the chain still is
      assert.equal((await fetchUrl(new URL(`https://127.0.0.1:${port}/x`), base({ ca: [pki.caPem], verifyHost: false }))).toString(), 'x');
      await assert.rejects(fetchUrl(new URL(`https://127.0.0.1:${port}/x`), base({ verifyHost: false })), kind('tls'));
    } finally {
      srv.close();
    }
  });

  it('HTTP: follows a redirect (credentials kept on the same origin), refuses a loop', async () => {
    const out = await fetchUrl(new URL(`https://127.0.0.1:${nginx.tlsPort}/moved/big.bin`), base({ ca: [pki.caPem], credentials: { user: USER, password: PASS } }));
    assert.ok(out.equals(BIG));
    await assert.rejects(fetchUrl(new URL(`http://127.0.0.1:${nginx.port}/loop/x`), base()), kind('protocol', /redirects/));
    await assert.rejects(fetchUrl(new URL(`http://127.0.0.1:${nginx.port}/nope.xml`), base()), kind('not-found', /404/));
  });

  it('HTTP: sends the unit\'s User-Agent', async () => {
    const ua = `Grandstream Model HW HT813 V1.0A SW 1.0.7.1 DevId ${MAC}`;
    await fetchUrl(new URL(`http://127.0.0.1:${nginx.port}/pub.txt`), base({ userAgent: ua }));
    const log = fs.readFileSync(path.join(nginx.dir, 'logs', 'access.log'), 'utf8');
    assert.ok(log.includes(`/pub.txt 200 "${ua}"`), log);
  });

  // ---- HTTPS + Digest (apache2) ----

  it('HTTPS + Digest: answers apache\'s challenge, refuses a wrong password', async () => {
    const url = new URL(`https://127.0.0.1:${apache.tlsPort}/prov/big.bin`);
    const out = await fetchUrl(url, base({ ca: [pki.caPem], credentials: { user: USER, password: PASS } }));
    assert.ok(out.equals(BIG));
    await assert.rejects(fetchUrl(url, base({ ca: [pki.caPem], credentials: { user: USER, password: 'nope' } })), kind('auth', /401/));
  });

  // ---- FTP / explicit FTPS (vsftpd) ----

  it('FTP and explicit FTPS (AUTH TLS): fetch byte for byte; the certificate is verified', async () => {
    assert.ok((await fetchUrl(new URL(`ftp://127.0.0.1:${ftp.port}/big.bin`), base())).equals(BIG));
    assert.ok((await fetchUrl(new URL(`ftps://127.0.0.1:${ftp.port}/big.bin`), base({ ca: [pki.caPem] }))).equals(BIG));
    await assert.rejects(fetchUrl(new URL(`ftps://127.0.0.1:${ftp.port}/big.bin`), base()), kind('tls'));
    await assert.rejects(fetchUrl(new URL(`ftps://127.0.0.1:${ftp.port}/nope.xml`), base({ ca: [pki.caPem] })), kind('not-found'));
    await assert.rejects(fetchUrl(new URL(`ftp://127.0.0.1:${ftp.port}/big.bin`), base({ maxBytes: 4096 })), kind('too-large'));
    // vsftpd here is anonymous-only: a login with credentials gets 530.
    await assert.rejects(fetchUrl(new URL(`ftp://127.0.0.1:${ftp.port}/big.bin`), base({ credentials: { user: USER, password: PASS } })), kind('auth', /530/));
  });

  // ---- bad servers ----

  it('a port where nothing listens is unreachable; a server that never answers times out', async () => {
    const dead = await freePort();
    await assert.rejects(fetchUrl(new URL(`http://127.0.0.1:${dead}/cfg.xml`), base()), kind('unreachable'));
    await assert.rejects(fetchUrl(new URL(`ftp://127.0.0.1:${dead}/cfg.xml`), base()), kind('unreachable'));
    // accepts and never answers; its connections are destroyed with it (they would outlive close())
    const held = new Set<net.Socket>();
    const silent = net.createServer((c) => held.add(c));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const t0 = Date.now();
      await assert.rejects(fetchUrl(new URL(`http://127.0.0.1:${port}/cfg.xml`), base({ timeoutMs: 300 })), kind('timeout'));
      await assert.rejects(fetchUrl(new URL(`https://127.0.0.1:${port}/cfg.xml`), base({ timeoutMs: 300 })), kind('timeout'));
      await assert.rejects(fetchUrl(new URL(`ftp://127.0.0.1:${port}/cfg.xml`), base({ timeoutMs: 300 })), kind('timeout'));
      assert.ok(Date.now() - t0 < 5000);
    } finally {
      for (const c of held) c.destroy();
      silent.close();
    }
  });

  // ---- the provisioner on real servers ----

  describe('the provisioner', () => {
    let h: Harness;
    afterEach(async () => {
      if (h) await h.close();
    });

    it('provisions over HTTPS + Basic with P1360/P1361 and the test CA in P2386 (P8502 = 1)', async () => {
      h = makeHarness({
        fetch: fetchUrl,
        realClock: true,
        params: { P212: '2', P237: `127.0.0.1:${nginx.tlsPort}/prov`, P1360: USER, P1361: PASS, P2386: pki.caPem, P8502: '1' },
      });
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.store.get(47), 'nginx.example');
      assert.equal(h.store.get(35), '2002');
      const last = h.status.get('provision.lastConfig');
      assert.equal(last?.result, 'applied');
      assert.equal(last?.url, `https://127.0.0.1:${nginx.tlsPort}/prov/cfg${MAC}.xml`);
    });

    it('without the CA the HTTPS server is not trusted: nothing changes, the reason says TLS', async () => {
      h = makeHarness({ fetch: fetchUrl, realClock: true, params: { P212: '2', P237: `127.0.0.1:${nginx.tlsPort}/prov`, P1360: USER, P1361: PASS } });
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.store.get(47), '');
      assert.match(h.status.get('provision.lastConfig')?.reason ?? '', /^tls:/);
      assert.equal(h.requests.length, 1, 'a failing server is not asked for the other files');
    });

    it('a 401 (no credentials) and a 404 (wrong path) are logged and change nothing', async () => {
      h = makeHarness({ fetch: fetchUrl, realClock: true, params: { P212: '1', P237: `127.0.0.1:${nginx.port}/prov` } });
      await h.svc.start();
      await h.svc.idle();
      assert.match(h.status.get('provision.lastConfig')?.reason ?? '', /^auth: HTTP 401/);
      await h.close();
      h = makeHarness({ fetch: fetchUrl, realClock: true, params: { P212: '1', P237: `127.0.0.1:${nginx.port}/nowhere` } });
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.requests.length, 3);
      assert.match(h.status.get('provision.lastConfig')?.reason ?? '', /^not-found: HTTP 404/);
      assert.equal(h.store.get(47), '');
    });

    it('P145 = 1: DHCP option 66 (a TFTP host) overrides P237', async () => {
      h = makeHarness({ fetch: fetchUrl, realClock: true, dhcp: [[66, `127.0.0.1:${tftp.port}`]], params: { P237: `127.0.0.1:${nginx.port}/prov` } });
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.store.get(47), 'tftp.example');
      assert.equal(h.status.get('provision.lastConfig')?.url, `tftp://127.0.0.1:${tftp.port}/cfg${MAC}.xml`);
    });

    it('applies the openssl-made encrypted file from tftpd-hpa with P1359', async () => {
      publish(path.join(tftp.root, 'enc'), { [`cfg${MAC}.xml`]: fs.readFileSync(path.join(GOLDEN, 'cfg000b82123456-md5.xml.enc')) });
      h = makeHarness({ fetch: fetchUrl, realClock: true, params: { P212: '0', P237: `127.0.0.1:${tftp.port}/enc`, P1359: 'golden-pass' } });
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.status.get('provision.lastConfig')?.result, 'applied', JSON.stringify(h.status.get('provision.lastConfig')));
      assert.equal(h.store.get(47), 'sip.example.com');
      assert.equal(h.store.get(193), '60');
    });

    const badFiles: Array<[string, Buffer, RegExp]> = [
      ['not-xml', Buffer.from('this is not a config file'), /not a config file/],
      ['wrong-root', Buffer.from('<provision version="1"><config><P47>x</P47></config></provision>'), /root element/],
      ['wrong-version', Buffer.from('<gs_provision version="2"><config><P47>x</P47></config></gs_provision>'), /version 2/],
      ['other-mac', xml('<P47>x</P47>', '000b82000001'), /does not match/],
      ['bad-checksum', (() => { const b = encodeBinaryConfig({ mac: MAC, entries: [[47, 'x']] }); b[16] = 0x51; return b; })(), /checksum/],
      ['truncated', encodeBinaryConfig({ mac: MAC, entries: [[47, 'a-long-enough-value']] }).subarray(0, 30), /truncated/],
      ['wrong-password', fs.readFileSync(path.join(GOLDEN, 'cfg000b82123456-sha256.xml.enc')), /decryption failed/],
      ['invalid-value', xml('<P47>ok.example</P47><P193>29</P193>'), /P193="29"/],
    ];
    it('refuses every bad file served by nginx: nothing changes, the URL and reason are logged', async () => {
      for (const [name, bytes] of badFiles) publish(path.join(nginx.root, 'bad', name), { [`cfg${MAC}.xml`]: bytes });
      for (const [name, , re] of badFiles) {
        h = makeHarness({ fetch: fetchUrl, realClock: true, params: { P212: '1', P237: `127.0.0.1:${nginx.port}/bad/${name}`, P1359: 'not-the-password' } });
        await h.svc.start();
        await h.svc.idle();
        const last = h.status.get('provision.lastConfig');
        assert.equal(last?.result, 'rejected', `${name}: ${JSON.stringify(last)}`);
        assert.match(last?.reason ?? '', re, name);
        assert.equal(last?.url, `http://127.0.0.1:${nginx.port}/bad/${name}/cfg${MAC}.xml`);
        assert.equal(h.store.get(47), '', name);
        assert.equal(h.store.get(193), '10080', name);
        const logged = h.log.records.find((r) => r.msg === 'config file rejected');
        assert.equal((logged?.obj as { url?: string } | undefined)?.url, last?.url, name);
        await h.close();
      }
      h = undefined as unknown as Harness;
    });

    it('a file that changes P237 sends the unit to the next server at once (FTP → apache Digest over HTTPS)', async () => {
      const dir = path.join(ftp.root, 'hop');
      publish(dir, { [`cfg${MAC}.xml`]: xml(`<P237>https://127.0.0.1:${apache.tlsPort}/prov</P237><P1360>${USER}</P1360><P1361>${PASS}</P1361><P2386>${pki.caPem}</P2386><P8502>2</P8502>`) });
      h = makeHarness({ fetch: fetchUrl, realClock: true, params: { P212: '3', P237: `127.0.0.1:${ftp.port}/hop` } });
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.store.get(3), 'via apache digest', 'the binary cfg<mac> from apache applied');
      const last = h.status.get('provision.lastConfig');
      assert.equal(last?.trigger, 'redirect');
      assert.equal(last?.url, `https://127.0.0.1:${apache.tlsPort}/prov/cfg${MAC}`);
    });
  });
});
