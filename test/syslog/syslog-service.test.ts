/*
 * Test plan: the syslog service on a Device (FakeClock, in-memory channels), logging through a
 * stand-in service's logger as any subsystem does.
 * - Off by default: no channel, no timer, no SIP trace hook.
 * - P207/P208 set in one batch: the channel opens at once, and the batch asks no reboot.
 * - Each record becomes an RFC 5424 message: HOSTNAME = MAC, APP-NAME HT813, MSGID = subsystem,
 *   severity from the level, [meta sequenceId] and [origin], MSG = text + fields as JSON.
 * - P208 filters by level, and a change of it applies to the next record.
 * - Passwords never leave: secret-named fields, URL passwords, and the values of secret P-values.
 * - P1387: the SIP trace hook appears; SIP messages go as MSGID sip-message with the digest
 *   response and SRTP keys masked; off again, the hook is gone.
 * - P8402 = 1: TLS with the unit's trusted CAs (P2386 with P8502 = 2); the UDP channel closes.
 * - A bad P207 leaves syslog off with the reason on the status board.
 * - Status `syslog`; on shutdown the tap is quiet and nothing stays armed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Device } from '../../cpe/device';
import type { Service, ServiceContext } from '../../cpe/service';
import type { Logger } from '../../cpe/shared/logger';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { decodeSyslog, type SyslogMessage } from '../../cpe/syslog/syslog-message';
import { SyslogService } from '../../cpe/syslog/syslog-service';
import { FakeClock } from '../support/fake-clock';
import { FakeConnector, flush, tableResolver } from './fake-channels';

/** Stands in for any subsystem: the test logs through its logger. */
class Chatty implements Service {
  readonly name = 'chatty';
  constructor(readonly ctx: ServiceContext) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

const REGISTER = [
  'REGISTER sip:pbx.example SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1',
  'From: <sip:1001@pbx.example>;tag=a',
  'To: <sip:1001@pbx.example>',
  'Call-ID: c1',
  'CSeq: 2 REGISTER',
  'Authorization: Digest username="1001", realm="pbx.example", nonce="n1", uri="sip:pbx.example", response="0123456789abcdef0123456789abcdef", algorithm=MD5, cnonce="c", nc=00000001, qop=auth',
  'Content-Type: application/sdp',
  'Content-Length: 60',
  '',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4',
].join('\r\n');

describe('syslog service on a unit', () => {
  let dir: string;
  let clock: FakeClock;
  let net: FakeConnector;
  let device: Device;
  let log: Logger;

  const messages = (): SyslogMessage[] => net.frames().map((f) => decodeSyslog(f));
  const sent = (): string => net.frames().map((f) => f.toString('utf8')).join('\n');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-syslog-'));
    clock = new FakeClock();
    net = new FakeConnector();
    device = new Device({
      dataDir: dir,
      mac: '000b82112233',
      clock,
      random: new SeededRandom(5),
      log: new CapturingLogger(),
      network: { address: '127.1.0.9' },
      services: [
        { name: 'syslog', create: (ctx) => new SyslogService(ctx, { connect: net.connect, resolver: tableResolver({ 'logs.example': ['192.0.2.20'] }) }) },
        { name: 'chatty', create: (ctx) => new Chatty(ctx) },
      ],
    });
    await device.boot();
    log = device.service<Chatty>('chatty')!.ctx.log;
  });

  afterEach(async () => {
    await device.shutdown();
    assert.equal(clock.timerCount, 0, 'nothing left armed');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Points syslog at a UDP server and brings its channel up. */
  async function udpOn(level = '2', extra: Record<string, string> = {}): Promise<void> {
    const r = device.store.applyOrThrow({ P207: '192.0.2.10', P208: level, ...extra }, 'cli');
    assert.equal(r.rebootRequired, false, 'syslog needs no reboot');
    await flush();
    net.last.ready();
  }

  it('is off by default: no channel, no timer, no SIP trace hook', () => {
    log.error('nobody hears this');
    assert.equal(net.channels.length, 0);
    assert.equal(clock.timerCount, 0);
    assert.equal(log.sipTrace, undefined);
    assert.deepEqual(device.status.get('syslog'), { state: 'off', sip: false, sent: 0, dropped: 0, queued: 0 });
  });

  it('sends each record as RFC 5424: MAC, HT813, subsystem, severity, sequence and origin', async () => {
    await udpOn('2');
    assert.deepEqual(net.last.target, { address: '192.0.2.10', port: 514, protocol: 'udp', serverName: '192.0.2.10' });
    assert.equal(clock.timerCount, 0, 'syslog up over UDP: an idle unit still arms nothing');
    clock.advance(1234);
    log.child({ account: 1 }).info({ expires: 60 }, 'registered');
    log.warn('lines crossed');
    const [a, b] = messages().slice(-2) as [SyslogMessage, SyslogMessage];
    assert.deepEqual(a, {
      facility: 16, severity: 6, timestamp: new Date(clock.now()).toISOString(), hostname: '000b82112233', appName: 'HT813',
      procId: undefined, msgId: 'chatty',
      structuredData: [
        { id: 'meta', params: [['sequenceId', a.structuredData[0]!.params[0]![1]]] },
        { id: 'origin', params: [['ip', '127.1.0.9'], ['software', 'HT813'], ['swVersion', device.identity.firmwareVersion]] },
      ],
      msg: 'registered {"account":1,"expires":60}',
    });
    assert.equal(b.severity, 4);
    assert.equal(b.msg, 'lines crossed');
    const ids = messages().map((m) => Number(m.structuredData[0]!.params[0]![1]));
    assert.deepEqual(ids, ids.map((_, i) => ids[0]! + i), 'sequenceId counts up by one');
  });

  it('filters by P208, and a change of it applies to the next record', async () => {
    await udpOn('3'); // warning
    log.info('not sent');
    log.warn('sent at warn');
    log.error('sent at error');
    assert.doesNotMatch(sent(), /not sent/);
    assert.match(sent(), /sent at warn/);
    device.store.applyOrThrow({ P208: '1' }, 'cwmp');
    log.debug('debug now');
    log.trace('trace only at 5');
    assert.match(sent(), /debug now/);
    assert.doesNotMatch(sent(), /trace only/);
    device.store.applyOrThrow({ P208: '5' }, 'cwmp');
    log.trace('trace at extra debug');
    assert.match(sent(), /trace at extra debug/);
    device.store.applyOrThrow({ P208: '0' }, 'cwmp');
    assert.equal(device.status.get('syslog')?.state, 'off');
    const n = net.frames().length;
    log.error('level none');
    assert.equal(net.frames().length, n);
  });

  it('never sends a password: secret fields, URL passwords, secret P-values', async () => {
    await udpOn('1', { P34: 'Tr0ub4dor&3', P2: 'adm1n-S3cret' });
    log.info({ password: 'plain-pw-1', authPassword: 'plain-pw-2', nested: { pin: '9876' }, user: 'bob' }, 'login');
    log.info({ url: 'ftp://prov:plain-pw-3@files.example/cfg' }, 'fetching');
    log.warn('the SIP password is Tr0ub4dor&3 and the admin one adm1n-S3cret');
    const out = sent();
    for (const pw of ['plain-pw-1', 'plain-pw-2', '9876', 'plain-pw-3', 'Tr0ub4dor&3', 'adm1n-S3cret']) assert.ok(!out.includes(pw), `${pw} leaked`);
    assert.match(out, /"user":"bob"/);
    assert.match(out, /ftp:\/\/prov:\*{8}@files\.example\/cfg/);
    // a secret still at its published default (P196 '123') is not hunted in every number
    log.info('port 51234');
    assert.match(sent(), /port 51234/);
  });

  it('P1387: SIP messages go too, as sip-message at debug, digest response and SRTP key masked', async () => {
    await udpOn('4'); // error only: P1387 asks for SIP by name, whatever the level
    assert.equal(log.sipTrace, undefined, 'no hook without P1387');
    device.store.applyOrThrow({ P1387: '1' }, 'cwmp');
    const trace = log.child({ account: 2 }).sipTrace;
    assert.ok(trace);
    trace({ direction: 'sent', protocol: 'udp', address: '192.0.2.5', port: 5060, bytes: Buffer.from(REGISTER) });
    const m = messages().find((x) => x.msgId === 'sip-message')!;
    assert.equal(m.severity, 7);
    const lines = m.msg!.split('\n');
    assert.equal(lines[0], 'sent udp 192.0.2.5:5060 {"subsystem":"chatty","account":2}');
    assert.equal(lines[1], 'REGISTER sip:pbx.example SIP/2.0\r');
    assert.match(m.msg!, /username="1001", realm="pbx.example", nonce="n1"/);
    assert.match(m.msg!, /response="\*{8}"/);
    assert.match(m.msg!, /inline:\*{8}\|2\^20/);
    assert.ok(!m.msg!.includes('0123456789abcdef'), 'digest response masked');
    assert.ok(!m.msg!.includes('WVNfX19zZW1j'), 'SRTP key masked');
    device.store.applyOrThrow({ P1387: '0' }, 'cwmp');
    assert.equal(log.child({ account: 2 }).sipTrace, undefined);
  });

  it('P8402 = 1: TLS to the name, trusting the unit CAs; the UDP channel closes at once', async () => {
    await udpOn('2');
    const udp = net.last;
    const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    device.store.applyOrThrow({ P207: 'logs.example', P8402: '1', P2386: ca, P8502: '2' }, 'cli');
    assert.equal(udp.closed, true);
    await flush();
    const t = net.last.target;
    assert.deepEqual([t.protocol, t.address, t.port, t.serverName], ['tls', '192.0.2.20', 6514, 'logs.example']);
    assert.equal(t.ca?.length, tls.rootCertificates.length + 1, 'system CAs and P2386');
    assert.equal(t.ca?.[t.ca.length - 1], ca);
    net.last.ready();
    log.info('over tls');
    assert.match(net.last.frames.at(-1)!.toString(), /^\d+ <134>1 .* over tls$/);
    assert.deepEqual(device.status.get('syslog'), {
      state: 'up', server: 'logs.example:6514', protocol: 'tls', level: 'info', sip: false,
      sent: net.frames().length, dropped: 0, queued: 0,
    });
  });

  it('a TLS server that stays away: status shows it, the queue is bounded, nothing blocks', async () => {
    device.store.applyOrThrow({ P207: 'logs.example:6514', P208: '2', P8402: '1' }, 'cli');
    await flush();
    net.last.fail('certificate has expired');
    for (let i = 0; i < 1100; i++) log.info(`record ${i}`);
    const st = device.status.get('syslog')!;
    assert.equal(st.state, 'waiting');
    assert.equal(st.lastError, 'certificate has expired');
    assert.equal(st.queued, 1000);
    assert.ok(st.dropped >= 100);
    assert.equal(clock.timerCount, 1, 'one reconnect timer');
  });

  it('an unusable P207 leaves syslog off and says why', async () => {
    device.store.applyOrThrow({ P207: 'logs.example:99999', P208: '2' }, 'cli');
    await flush();
    assert.equal(net.channels.length, 0);
    const st = device.status.get('syslog')!;
    assert.equal(st.state, 'off');
    assert.match(st.lastError ?? '', /port out of range/);
  });

  it('stops quiet: no listener on the tap, channel closed', async () => {
    await udpOn('1', { P1387: '1' });
    const ch = net.last;
    await device.shutdown();
    assert.equal(ch.closed, true);
    assert.equal(log.sipTrace, undefined);
    await device.boot();
    log = device.service<Chatty>('chatty')!.ctx.log;
  });
});
