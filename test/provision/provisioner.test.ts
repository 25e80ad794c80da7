/*
 * Test plan: the provisioning service with a FakeClock and a scripted fetcher.
 * - boot check: file order cfg<mac> → cfg<mac>.xml → cfg.xml, prefix/postfix, User-Agent,
 *   credentials; first XML that applies wins; binary cfg<mac> applied first (P1359 bootstrap);
 * - P237 redirect followed at once, bounded; DHCP option 66/160 override only with P145 = 1;
 * - bad files (structure, MAC, invalid value, unknown P-values) and bad servers (down, 401);
 * - the schedule: exact due times, re-armed when its P-values change, off = no timer;
 * - firmware at boot per P238, install → reboot, same version → nothing.
 */
import assert from 'node:assert/strict';
import { encodeBinaryConfig } from '../../cpe/provision/codec/binary-config';
import { encryptConfig } from '../../cpe/provision/codec/encrypted-config';
import { FetchError } from '../../cpe/provision/fetch/fetcher';
import { encodeFirmwareImage } from '../../cpe/provision/firmware/image';
import { activeFirmwareVersion, readSlots } from '../../cpe/provision/firmware/slots';
import { MAX_REDIRECT_HOPS } from '../../cpe/provision/provisioner';
import { applyConfigFile } from '../../cpe/provision/apply-config';
import { MAC, makeHarness, testSigningKey, xml, type Harness } from './harness';

const CFG = 'http://prov.test/cfg/';
const FW = 'http://fw.test/fw/ht813fw.bin';

describe('provision service: boot check and files', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('asks cfg<mac>, cfg<mac>.xml, cfg.xml in order and applies the first XML found', async () => {
    h = makeHarness();
    h.script.set(`${CFG}cfg.xml`, xml('<P47>generic.example.com</P47>'));
    await h.svc.start();
    await h.svc.idle();
    assert.deepEqual(h.requests.map((r) => r.url), [`${CFG}cfg${MAC}`, `${CFG}cfg${MAC}.xml`, `${CFG}cfg.xml`]);
    assert.equal(h.store.get(47), 'generic.example.com');
    const last = h.status.get('provision.lastConfig');
    assert.equal(last?.result, 'applied');
    assert.equal(last?.url, `${CFG}cfg.xml`);
    assert.equal(last?.trigger, 'boot');
    assert.equal(h.requests[0]!.opts.userAgent, `Grandstream Model HW HT813 V1.0A SW 1.0.7.1 DevId ${MAC}`);
    assert.equal(h.requests[0]!.opts.verifyTls, true);
    assert.equal(h.requests[0]!.opts.verifyHost, true);
    assert.equal(h.requests[0]!.opts.credentials, undefined);
    assert.equal(h.status.get('provision.lastFirmware'), undefined, 'P238 = 2: no firmware check at boot');
  });

  it('stops at cfg<mac>.xml when it applies; prefix, postfix and credentials from P234/P235/P1360/P1361, host check off by P22030', async () => {
    h = makeHarness({ params: { P234: 'gs_', P235: '_v2', P1360: 'prov', P1361: 'provsecret', P212: '2', P22030: '0' } });
    h.script.set(`https://prov.test/cfg/gs_cfg${MAC}.xml_v2`, xml('<P35>1001</P35>', MAC));
    await h.svc.start();
    await h.svc.idle();
    assert.deepEqual(h.requests.map((r) => r.url), [`https://prov.test/cfg/gs_cfg${MAC}_v2`, `https://prov.test/cfg/gs_cfg${MAC}.xml_v2`]);
    assert.deepEqual(h.requests[1]!.opts.credentials, { user: 'prov', password: 'provsecret' });
    assert.equal(h.requests[1]!.opts.verifyHost, false, 'P22030 = 0');
    assert.equal(h.store.get(35), '1001');
  });

  it('applies the binary cfg<mac> first, so it can set P1359 for the encrypted XML that follows', async () => {
    h = makeHarness();
    h.script.set(`${CFG}cfg${MAC}`, encodeBinaryConfig({ mac: MAC, entries: [[1359, 'k3y!'], [3, 'from binary']] }));
    h.script.set(`${CFG}cfg${MAC}.xml`, encryptConfig(xml('<P47>sip.enc.example</P47>', MAC), 'k3y!', Buffer.from('12345678')));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.store.get(3), 'from binary');
    assert.equal(h.store.get(47), 'sip.enc.example');
    assert.equal(h.status.get('provision.lastConfig')?.url, `${CFG}cfg${MAC}.xml`);
    assert.equal(h.requests.length, 2);
  });

  it('follows a P237 redirect at once, and at most MAX_REDIRECT_HOPS times', async () => {
    h = makeHarness();
    h.script.set(`${CFG}cfg.xml`, xml('<P237>https://second.test/p</P237>'));
    h.script.set(`https://second.test/p/cfg${MAC}.xml`, xml('<P47>after.redirect</P47>'));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.store.get(47), 'after.redirect');
    assert.equal(h.status.get('provision.lastConfig')?.trigger, 'redirect');
    await h.close();

    // A ring of servers that keep redirecting: bounded.
    h = makeHarness();
    for (let i = 0; i < 10; i++) h.script.set(`http://s${i}.test/cfg.xml`, xml(`<P237>http://s${i + 1}.test</P237>`));
    h.store.applyOrThrow({ P237: 'http://s0.test' }, 'cli');
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.store.get(237), `http://s${MAX_REDIRECT_HOPS + 1}.test`);
    assert.ok(h.requests.every((r) => !r.url.startsWith(`http://s${MAX_REDIRECT_HOPS + 1}.test`)));
    assert.ok(h.log.records.some((r) => r.msg?.includes('redirected too many times')));
  });

  it('uses DHCP option 66 instead of P237 when P145 = 1, and not when P145 = 0', async () => {
    h = makeHarness({ dhcp: [[66, '10.9.9.9']] });
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.requests[0]!.url, `tftp://10.9.9.9/cfg${MAC}`);
    await h.close();

    h = makeHarness({ dhcp: [[66, 'https://dhcp.test/x'], [160, 'http://opt160.test/y']] });
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.requests[0]!.url, `http://opt160.test/y/cfg${MAC}`);
    await h.close();

    h = makeHarness({ dhcp: [[66, '10.9.9.9']], params: { P145: '0' } });
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.requests[0]!.url, `${CFG}cfg${MAC}`);
  });

  it('a P237 change under a DHCP override does not move the server: no redirect', async () => {
    h = makeHarness({ dhcp: [[66, 'http://dhcp.test/p']] });
    h.script.set(`http://dhcp.test/p/cfg${MAC}.xml`, xml('<P237>elsewhere.test</P237>'));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.store.get(237), 'elsewhere.test');
    assert.equal(h.requests.length, 2, 'cfg<mac> and cfg<mac>.xml, once');
    assert.equal(h.status.get('provision.lastConfig')?.trigger, 'boot');
  });

  const badFiles: Array<[string, Buffer, RegExp]> = [
    ['not XML', Buffer.from('hello'), /not a config file/],
    ['wrong root', Buffer.from('<config version="1"><P47>x</P47></config>'), /root element/],
    ['another unit\'s MAC', xml('<P47>x</P47>', '000b82999999'), /does not match/],
    ['a bad checksum', (() => { const b = encodeBinaryConfig({ mac: MAC, entries: [[47, 'x']] }); b[17] = b[17]! ^ 4; return b; })(), /checksum/],
    ['a truncated binary', encodeBinaryConfig({ mac: MAC, entries: [[47, 'xxxxxxxxxxxx']] }).subarray(0, 24), /truncated/],
    ['an undecryptable file (no P1359)', encryptConfig(xml('<P47>x</P47>'), 'pw', Buffer.from('abcdefgh')), /no XML config file password/],
    ['an invalid known value', xml('<P47>x</P47><P193>5</P193>'), /P193=.*5/],
    ['a read-only P-value', xml('<P47>x</P47><P68>9.9.9.9</P68>'), /P68/],
  ];
  for (const [name, bytes, re] of badFiles) {
    it(`rejects ${name}: nothing changes, the URL and reason are logged`, async () => {
      h = makeHarness();
      h.script.set(`${CFG}cfg${MAC}.xml`, bytes);
      await h.svc.start();
      await h.svc.idle();
      assert.equal(h.store.get(47), '');
      assert.equal(h.store.get(193), '10080');
      const last = h.status.get('provision.lastConfig');
      assert.equal(last?.result, 'rejected', JSON.stringify(last));
      assert.match(last?.reason ?? '', re);
      const logged = h.log.records.find((r) => r.level === 'error' && r.msg === 'config file rejected');
      assert.equal((logged?.obj as { url?: string }).url, `${CFG}cfg${MAC}.xml`);
      assert.equal(h.requests.at(-1)!.url, `${CFG}cfg.xml`, 'the generic file is still tried');
    });
  }

  it('skips unknown P-numbers with one warning listing them, applies the rest', async () => {
    h = makeHarness();
    h.script.set(`${CFG}cfg${MAC}.xml`, xml('<P47>ok.example</P47><P99990>1</P99990><P99991>2</P99991>'));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.store.get(47), 'ok.example');
    const warns = h.log.records.filter((r) => r.level === 'warn' && /unknown P-value/.test(r.msg ?? ''));
    assert.equal(warns.length, 1);
    assert.deepEqual((warns[0]!.obj as { skipped: string[] }).skipped, ['P99990', 'P99991']);
    assert.deepEqual(h.status.get('provision.lastConfig')?.skipped, ['P99990', 'P99991']);
  });

  it('P240: a fetched file must carry P2 = the admin password, else it is refused whole; a web upload is not asked', async () => {
    h = makeHarness({ params: { P240: '1', P2: 'Adm1n!' } });
    h.script.set(`${CFG}cfg${MAC}.xml`, xml('<P47>unauthenticated.example</P47>', MAC));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.store.get(47), '', 'nothing of the file applied');
    const last = h.status.get('provision.lastConfig');
    assert.equal(last?.result, 'rejected');
    assert.match(last?.reason ?? '', /P240 .* carries no P2/);
    const log = h.log.text();
    assert.ok(!log.includes('Adm1n!'), 'the admin password stays out of the logs');
    const apply = (body: string, source?: 'web'): ReturnType<typeof applyConfigFile> =>
      applyConfigFile(xml(body, MAC), { store: h.store, mac: MAC, log: h.log, ...(source ? { source, level: 'admin' as const } : {}) });
    assert.match(apply('<P2>admin</P2><P47>wrong.example</P47>').reason ?? '', /P2 is not the admin password/);
    assert.equal(h.store.get(47), '');
    assert.equal(apply('<P2>Adm1n!</P2><P47>right.example</P47>').ok, true);
    assert.equal(h.store.get(47), 'right.example');
    assert.equal(apply('<P47>web.example</P47>', 'web').ok, true, 'a logged-in admin uploads without P2');
    assert.equal(h.store.get(47), 'web.example');
    h.store.applyOrThrow({ P2: '' }, 'cli');
    assert.match(apply('<P2></P2><P47>x.example</P47>').reason ?? '', /admin password \(P2\) is empty/);
  });

  it('a server that is down is logged, not asked for the other files, and tried again at the next check', async () => {
    h = makeHarness({ params: { P22296: '1', P193: '60' } });
    h.script.set(`${CFG}cfg${MAC}`, new FetchError('timeout', 'no answer within 30000 ms', `${CFG}cfg${MAC}`));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.requests.length, 1);
    assert.equal(h.status.get('provision.lastConfig')?.result, 'fetch-failed');
    assert.match(h.status.get('provision.lastConfig')?.reason ?? '', /timeout/);
    h.script.delete(`${CFG}cfg${MAC}`);
    h.script.set(`${CFG}cfg${MAC}.xml`, xml('<P47>back.up</P47>'));
    h.clock.advance(60 * 60_000);
    await h.svc.idle();
    assert.equal(h.store.get(47), 'back.up');
    assert.equal(h.status.get('provision.lastConfig')?.trigger, 'schedule');
  });

  it('a 401 is logged as an auth failure', async () => {
    h = makeHarness();
    h.script.set(`${CFG}cfg${MAC}`, new FetchError('auth', 'HTTP 401 (no credentials set)', `${CFG}cfg${MAC}`));
    await h.svc.start();
    await h.svc.idle();
    assert.match(h.status.get('provision.lastConfig')?.reason ?? '', /^auth: HTTP 401/);
  });

  it('keeps the last attempts across a restart of the service (persisted)', async () => {
    h = makeHarness();
    h.script.set(`${CFG}cfg.xml`, xml('<P47>a.b</P47>'));
    await h.svc.start();
    await h.svc.idle();
    await h.svc.stop('reboot');
    assert.equal(h.clock.timerCount, 0);
    h.script.clear();
    h.script.set(`${CFG}cfg${MAC}`, new FetchError('unreachable', 'ECONNREFUSED', ''));
    const first = h.status.get('provision.lastConfig');
    await h.svc.start();
    assert.deepEqual(h.status.get('provision.lastConfig'), first);
    await h.svc.idle();
    assert.equal(h.status.get('provision.lastConfig')?.result, 'fetch-failed');
  });
});

describe('provision service: schedule (FakeClock)', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('no automatic upgrade (P22296 = 0): no timer at all after the boot check', async () => {
    h = makeHarness();
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.clock.timerCount, 0);
    assert.equal(h.status.get('provision.nextCheck'), undefined);
  });

  it('every P193 minutes, exactly; re-armed at once when P193 or P22296 change', async () => {
    h = makeHarness({ params: { P22296: '1', P193: '30' } });
    await h.svc.start();
    await h.svc.idle();
    const t0 = h.clock.now();
    assert.equal(h.clock.nextDelay(), 30 * 60_000);
    const n = h.requests.length;
    h.clock.advance(30 * 60_000 - 1);
    assert.equal(h.requests.length, n);
    h.clock.advance(1);
    await h.svc.idle();
    assert.equal(h.requests.length, n + 4, 'three config files and the firmware');
    assert.equal(h.status.get('provision.nextCheck'), t0 + 60 * 60_000);
    h.store.applyOrThrow({ P193: '120' }, 'cli');
    assert.equal(h.clock.nextDelay(), 120 * 60_000);
    h.store.applyOrThrow({ P22296: '0' }, 'cli');
    assert.equal(h.clock.timerCount, 0);
  });

  it('daily at the start hour P285 in the unit\'s time zone; weekly on day P286', async () => {
    // 12:00 UTC Monday; P64 TZO-1 = UTC+1, so 03:00 local is 02:00 UTC the next day.
    h = makeHarness({ params: { P22296: '2', P285: '3', P64: 'TZO-1' } });
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.status.get('provision.nextCheck'), Date.UTC(2026, 0, 6, 2, 0, 0));
    h.store.applyOrThrow({ P22296: '3', P286: '0' }, 'cli'); // Sunday
    assert.equal(h.status.get('provision.nextCheck'), Date.UTC(2026, 0, 11, 2, 0, 0));
    h.clock.advance(Date.UTC(2026, 0, 11, 2, 0, 0) - h.clock.now());
    await h.svc.idle();
    assert.equal(h.status.get('provision.lastConfig')?.trigger, 'schedule');
    assert.equal(h.status.get('provision.nextCheck'), Date.UTC(2026, 0, 18, 2, 0, 0));
  });

  it('randomised (P8458): daily checks fall inside the P285..P8459 window', async () => {
    h = makeHarness({ params: { P22296: '2', P285: '1', P8459: '4', P8458: '1', P64: 'TZN+0' } });
    await h.svc.start();
    const at = h.status.get('provision.nextCheck')!;
    assert.ok(at >= Date.UTC(2026, 0, 6, 1) && at < Date.UTC(2026, 0, 6, 4), new Date(at).toISOString());
  });

  it('keeps legacy P194 and P22296 consistent, whichever is written', async () => {
    h = makeHarness();
    await h.svc.start();
    h.store.applyOrThrow({ P194: '1' }, 'cwmp'); // legacy 1 = daily
    await Promise.resolve();
    assert.equal(h.store.get(22296), '2');
    h.store.applyOrThrow({ P22296: '1' }, 'cli'); // every N minutes = legacy 3
    await Promise.resolve();
    assert.equal(h.store.get(194), '3');
    assert.deepEqual(h.store.audit(1).map((a) => [a.id, a.source]), [[194, 'cli']], 'the mirror write carries the writer\'s source');
  });
});

describe('provision service: firmware', () => {
  let h: Harness;
  afterEach(async () => h.close());
  const image = (version: string, model = 'HT813'): Buffer =>
    encodeFirmwareImage({ model, version, buildDate: Date.UTC(2026, 0, 1), payload: Buffer.from(`build ${version}`) }, testSigningKey());

  it('P238 = 0: checks at boot, installs a new version into a slot and reboots', async () => {
    h = makeHarness({ params: { P238: '0' } });
    h.script.set(FW, image('1.0.8.1'));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.status.get('provision.lastFirmware')?.result, 'installed');
    assert.equal(h.status.get('provision.lastFirmware')?.version, '1.0.8.1');
    assert.equal(h.device.reboots.length, 1);
    assert.match(h.device.reboots[0]!, /1\.0\.7\.1 → 1\.0\.8\.1/);
    assert.equal(activeFirmwareVersion(h.dir), '1.0.8.1');
    assert.equal(readSlots(h.dir).trial, true);
  });

  it('the running version is up to date: no install, no reboot', async () => {
    h = makeHarness({ params: { P238: '0' } });
    h.script.set(FW, image('1.0.7.1'));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.status.get('provision.lastFirmware')?.result, 'up-to-date');
    assert.equal(h.device.reboots.length, 0);
    assert.equal(activeFirmwareVersion(h.dir), undefined);
  });

  it('rejects another model\'s image and a tampered one', async () => {
    h = makeHarness({ params: { P238: '0' } });
    h.script.set(FW, image('1.0.8.1', 'HT812'));
    await h.svc.start();
    await h.svc.idle();
    assert.equal(h.status.get('provision.lastFirmware')?.result, 'rejected');
    assert.match(h.status.get('provision.lastFirmware')?.reason ?? '', /model HT812/);
    const t = image('1.0.8.1');
    t[t.length - 1] = t[t.length - 1]! ^ 1;
    h.script.set(FW, t);
    await h.svc.checkNow();
    assert.match(h.status.get('provision.lastFirmware')?.reason ?? '', /SHA-256/);
    assert.equal(h.device.reboots.length, 0);
  });

  it('P238 = 1: checks at boot only when the firmware prefix/postfix changed', async () => {
    h = makeHarness({ params: { P238: '1' } });
    await h.svc.start();
    await h.svc.idle();
    assert.ok(h.requests.some((r) => r.url === FW), 'first boot: never checked before');
    await h.svc.stop('reboot');
    h.requests.length = 0;
    await h.svc.start();
    await h.svc.idle();
    assert.ok(!h.requests.some((r) => r.url.startsWith('http://fw.test')), 'same affixes: skipped');
    await h.svc.stop('reboot');
    h.store.applyOrThrow({ P232: 'beta-' }, 'cli');
    await h.svc.start();
    await h.svc.idle();
    assert.ok(h.requests.some((r) => r.url === 'http://fw.test/fw/beta-ht813fw.bin'));
  });

  it('scheduled checks look at the firmware too', async () => {
    h = makeHarness({ params: { P22296: '1', P193: '30' } });
    await h.svc.start();
    await h.svc.idle();
    assert.ok(!h.requests.some((r) => r.url === FW));
    h.clock.advance(30 * 60_000);
    await h.svc.idle();
    assert.ok(h.requests.some((r) => r.url === FW));
  });
});

describe('provision service: hooks for SIP NOTIFY and the web UI', () => {
  let h: Harness;
  afterEach(async () => h.close());
  const image = (version: string): Buffer =>
    encodeFirmwareImage({ model: 'HT813', version, buildDate: 0, payload: Buffer.alloc(0) }, testSigningKey());

  it('provisionNow (NOTIFY check-sync) runs a check and logs the reason', async () => {
    h = makeHarness();
    await h.svc.start();
    await h.svc.idle();
    h.script.set(`${CFG}cfg.xml`, xml('<P47>resynced</P47>'));
    await h.svc.provisionNow('SIP NOTIFY check-sync (account 1)');
    assert.equal(h.store.get(47), 'resynced');
    assert.equal(h.status.get('provision.lastConfig')?.trigger, 'request');
    assert.ok(h.log.records.some((r) => (r.obj as { reason?: string }).reason === 'SIP NOTIFY check-sync (account 1)'));
  });

  it('web config upload and download go through the same codecs and apply path', async () => {
    h = makeHarness({ params: { P34: 'pw-secret' } });
    await h.svc.start();
    await h.svc.idle();
    const ok = await h.svc.importConfig(xml('<P47>uploaded</P47><P77777>1</P77777>', MAC), 'my.xml');
    assert.equal(ok.ok, true);
    assert.match(ok.message, /1 change.*Skipped 1/);
    assert.equal(h.store.audit(1)[0]!.source, 'web');
    assert.equal(h.status.get('provision.lastConfig')?.trigger, 'upload');
    const bad = await h.svc.importConfig(xml('<P193>1</P193>'), 'bad.xml');
    assert.equal(bad.ok, false);
    assert.match(bad.message, /P193/);
    const out = h.svc.exportConfigXml(false);
    assert.match(out, /<P47>uploaded<\/P47>/);
    assert.doesNotMatch(out, /pw-secret|<P34>/);
    assert.match(h.svc.exportConfigXml(true), /<P34>pw-secret<\/P34>/);
  });

  it('web firmware upload installs (even the running version) and asks for the reboot', async () => {
    h = makeHarness();
    await h.svc.start();
    await h.svc.idle();
    const r = await h.svc.installFirmware(image('1.0.7.1'), 'ht813fw.bin');
    assert.deepEqual([r.ok, r.rebootNow], [true, true]);
    assert.equal(activeFirmwareVersion(h.dir), '1.0.7.1');
    const bad = await h.svc.installFirmware(Buffer.from('junk'), 'x.bin');
    assert.equal(bad.ok, false);
    assert.equal(h.status.get('provision.lastFirmware')?.result, 'rejected');
  });
});

