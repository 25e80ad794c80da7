/*
 * Test plan: a whole unit (every default service, real sockets, system clock) logs to a real
 * syslog server, rsyslogd on 127.0.0.1, which writes what it parsed to a file.
 * - UDP (RFC 5426): the unit's boot records arrive parsed as RFC 5424 (HOSTNAME = MAC, APP-NAME
 *   HT813, MSGID = subsystem); P208 = info keeps debug out, and P208 = debug, applied without a
 *   reboot, lets the next debug record in.
 * - P1387 on: account 1 re-registers with a registrar on loopback that challenges it; the
 *   REGISTER with its Authorization reaches rsyslog as MSGID sip-message, the digest response
 *   masked.
 * - TLS (RFC 5425) to `localhost` with the test CA as P2386: refused while P8502 trusts only the
 *   built-in CAs (status shows why, records queue), delivered once P8502 = 2 adds the custom CA,
 *   the queued record first.
 * - No password of the unit, and no digest response, is anywhere in what rsyslog received.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { ParamStore } from '../../cpe/params/store';
import type { Service, ServiceContext } from '../../cpe/service';
import { defaultServices } from '../../cpe/services';
import { CapturingLogger, silentLogger } from '../../cpe/shared/logger';
import { SystemClock } from '../../cpe/shared/clock';
import type { SipRequest } from '../../cpe/voice/sip/syntax';
import { makeResponse } from '../../cpe/voice/sip/transaction/make-response';
import { SipTransports } from '../../cpe/voice/sip/transport/sip-transports';
import { responseTarget } from '../../cpe/voice/sip/transport/transport';
import { makeTestPki, tempDir, type TestPki } from '../provision/servers';
import { freePort } from '../support/ports';
import { parseLine, startRsyslog, type Rsyslog } from './rsyslog';

const SIP_PASSWORD = 'Sip-Pa55-1001';
const ADMIN_PASSWORD = 'Adm1n-Pa55-xyz';

/** Logs on demand through its subsystem logger, as any service does. */
class Probe implements Service {
  readonly name = 'probe';
  constructor(readonly ctx: ServiceContext) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** Challenges every REGISTER without credentials (401), accepts the one with them; keeps the responses it saw. */
class ChallengingRegistrar {
  readonly responses: string[] = [];
  registers = 0;
  constructor(readonly t: SipTransports) {
    t.setUser({
      onMessage: (inc) => {
        const req = inc.message;
        if (req.type !== 'request' || req.method !== 'REGISTER') return;
        this.registers++;
        const auth = req.headers.get('Authorization');
        const reply = (status: number, headers: Array<[string, string]> = []): void => {
          const res = makeResponse(req as SipRequest, status, { toTag: 'reg', headers });
          if (status === 200) res.contact = req.contact;
          void t.send(res, responseTarget(inc));
        };
        if (auth === undefined) return reply(401, [['WWW-Authenticate', 'Digest realm="syslog.test", nonce="5f1e2d3c4b5a", algorithm=MD5, qop="auth"']]);
        const m = /response="([0-9a-f]+)"/.exec(auth);
        if (m) this.responses.push(m[1]!);
        reply(200, [['Expires', '600']]);
      },
    });
  }
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('syslog to rsyslogd (UDP and TLS) from a whole unit', function () {
  this.timeout(60_000);
  let dir: string;
  let pki: TestPki;
  let rsyslog: Rsyslog;
  let registrar: ChallengingRegistrar;
  let device: Device;
  let probe: Probe;
  const mac = '000b82445566';
  const received = (): ReturnType<typeof parseLine>[] => rsyslog.lines().map(parseLine);
  const has = (text: string): boolean => rsyslog.lines().some((l) => l.includes(text));

  before(async () => {
    dir = tempDir('ht813-rsyslog-');
    pki = makeTestPki(dir);
    rsyslog = await startRsyslog(dir, pki);
    const sip = new SipTransports({ address: '127.0.0.1', port: await freePort(), listenTcp: false, clock: new SystemClock(), log: new CapturingLogger() });
    await sip.start();
    registrar = new ChallengingRegistrar(sip);
    const data = path.join(dir, 'unit');
    const s = ParamStore.open(data, { clock: new SystemClock(), log: silentLogger });
    s.applyOrThrow({
      P207: `127.0.0.1:${rsyslog.udpPort}`, P208: '2', P8402: '0', P1387: '0',
      P2: ADMIN_PASSWORD,
      // account 1 at the registrar; account 2 off; no provisioning, PnP or DNS
      P271: '1', P47: `127.0.0.1:${sip.port}`, P35: '1001', P36: '1001', P34: SIP_PASSWORD, P40: String(await freePort()),
      P401: '0', P1414: '0', P212: '1', P237: '127.0.0.1:9/prov', P192: '127.0.0.1:9/fw',
    }, 'cli');
    s.close();
    device = new Device({
      dataDir: data,
      mac,
      log: new CapturingLogger(),
      ports: { web: await freePort(), https: await freePort(), offset: 0 },
      durability: 'normal',
      services: [...defaultServices(), { name: 'probe', create: (ctx) => new Probe(ctx) }],
    });
    await device.boot();
    probe = device.service<Probe>('probe')!;
  });

  after(async () => {
    await device?.shutdown();
    await registrar?.t.close();
    await rsyslog?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('UDP: the boot records arrive as RFC 5424 from the MAC, HT813, by subsystem', async () => {
    await until('the unit is up, in syslog', () => has('|device|') && received().some((r) => r.msgId === 'device' && r.msg.startsWith('up ')));
    const up = received().find((r) => r.msgId === 'device' && r.msg.startsWith('up '))!;
    assert.deepEqual([up.hostname, up.appName, up.severity, up.input], [mac, 'HT813', 6, 'imudp']);
    assert.match(up.structuredData, /^\[meta sequenceId="\d+"\]\[origin ip="127\.0\.0\.1" software="HT813" swVersion="[\d.]+"\]$/);
    assert.match(up.msg, /"services":\["syslog","hw","sip"/);
    assert.equal(device.status.get('syslog')?.state, 'up');
  });

  it('P208: info keeps debug out; debug, applied at once, lets it in', async () => {
    probe.ctx.log.debug('probe debug while at info');
    probe.ctx.log.info('probe info while at info');
    const r = device.store.applyOrThrow({ P208: '1' }, 'cwmp');
    assert.equal(r.rebootRequired, false);
    probe.ctx.log.debug({ step: 2 }, 'probe debug at debug');
    await until('the debug record', () => has('probe debug at debug'));
    assert.ok(!has('probe debug while at info'));
    const info = received().find((x) => x.msg === 'probe info while at info')!;
    const debug = received().find((x) => x.msg.startsWith('probe debug at debug'))!;
    assert.deepEqual([info.msgId, info.severity, debug.severity, debug.msg], ['probe', 6, 7, 'probe debug at debug {"step":2}']);
  });

  it('P1387: the REGISTER and its challenge go to syslog, the digest response masked', async () => {
    await until('the boot registration', () => registrar.responses.length >= 1);
    device.store.applyOrThrow({ P1387: '1' }, 'cwmp');
    const before = registrar.responses.length;
    // a change of the account's settings re-registers at once
    device.store.applyOrThrow({ P32: '300' }, 'cwmp');
    await until('the new registration', () => registrar.responses.length > before);
    await until('the authorised REGISTER in syslog', () => received().some((r) => r.msgId === 'sip-message' && r.msg.includes('Authorization: Digest')));
    const sip = received().filter((r) => r.msgId === 'sip-message');
    const register = sip.find((r) => r.msg.includes('Authorization: Digest'))!;
    assert.equal(register.severity, 7);
    assert.match(register.msg, /^sent udp 127\.0\.0\.1:\d+ \{"subsystem":"sip","account":1\}#012REGISTER sip:127\.0\.0\.1:\d+ SIP\/2\.0/);
    assert.match(register.msg, /username="1001"/);
    assert.match(register.msg, /response="\*{8}"/);
    assert.ok(sip.some((r) => r.msg.startsWith('received udp') && r.msg.includes('SIP/2.0 401 Unauthorized')), 'the 401 is traced too');
  });

  it('TLS: refused while the CA is not trusted, delivered (queue first) once it is', async () => {
    device.store.applyOrThrow({ P207: `localhost:${rsyslog.tlsPort}`, P8402: '1', P2386: pki.caPem, P8502: '0' }, 'cwmp');
    await until('the refusal', () => device.status.get('syslog')?.state === 'waiting');
    assert.match(device.status.get('syslog')?.lastError ?? '', /certificate/);
    probe.ctx.log.warn('probe queued while refused');
    assert.ok((device.status.get('syslog')?.queued ?? 0) >= 1);
    device.store.applyOrThrow({ P8502: '2' }, 'cwmp'); // built-in and custom CAs
    probe.ctx.log.error({ via: 'tls' }, 'probe over tls');
    await until('the TLS records', () => has('probe over tls'));
    const tlsLines = received().filter((r) => r.input === 'imtcp');
    const queued = tlsLines.findIndex((r) => r.msg === 'probe queued while refused');
    const later = tlsLines.findIndex((r) => r.msg.startsWith('probe over tls'));
    assert.ok(queued >= 0 && queued < later, 'the queued record first');
    assert.deepEqual([tlsLines[later]!.hostname, tlsLines[later]!.severity], [mac, 3]);
    const st = device.status.get('syslog')!;
    assert.deepEqual([st.state, st.protocol, st.server], ['up', 'tls', `localhost:${rsyslog.tlsPort}`]);
    assert.ok(st.sent > 0);
  });

  it('no password and no digest response anywhere in what the server received', () => {
    const all = fs.readFileSync(rsyslog.file, 'utf8');
    assert.ok(registrar.responses.length > 0);
    for (const secret of [SIP_PASSWORD, ADMIN_PASSWORD, ...registrar.responses]) assert.ok(!all.includes(secret), `${secret} leaked`);
  });
});
