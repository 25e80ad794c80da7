/**
 * Interop over loopback with peers we did not write (peers.md §2 SIPp, §6 tshark):
 *  1. we send G.711 µ-law + RFC 4733 to SIPp's RTP echo; tshark decodes the captured stream
 *     (`-z rtp,streams`) and the telephone-events, and the echoed packets come back to our
 *     receiver, which plays the audio and reports the digits;
 *  2. SIPp places a call (our port in the answer's SDP, written by a SIPp UAS) and plays its
 *     bundled RFC 2833 pcaps (dtmf_2833_1, dtmf_2833_pound) at us; we detect 1 and #.
 * Real time, bounded timeouts; peers on free ports, stopped by pid.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, symlinkSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/ports';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { SystemClock } from '../../cpe/shared/clock';
import { CryptoRandom } from '../../cpe/shared/random';
import { bindUdp, type UdpSocket } from '../../cpe/media/rtp/udp-socket';
import { RtpSession } from '../../cpe/media/rtp/rtp-session';
import { PCMU } from '../../cpe/media/codecs/registry';
import { MediaClock } from '../../cpe/media/media-clock';
import { BufferPort } from '../../cpe/media/media-port';
import { renderDualTone } from '../../cpe/media/dsp/tone-generator';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import type { ReceivedEvent } from '../../cpe/media/rtp/telephone-event';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const LO = '127.0.0.1';

function echoes(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      resolve(false);
    }, 150);
    s.on('message', () => {
      clearTimeout(t);
      s.close();
      resolve(true);
    });
    s.bind(0, LO, () => s.send(Buffer.from('80000001000000000000000100', 'hex'), port, LO));
  });
}

describe('media interop: SIPp and tshark over loopback', function () {
  this.timeout(60_000);
  const peers: Peer[] = [];
  const sockets: UdpSocket[] = [];
  let dir = '';
  before(() => {
    for (const c of ['sipp', 'tshark']) assert.ok(haveCommand(c), `${c} is missing: install it (.ci/deps/media.list)`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'media-interop-'));
  });
  afterEach(async () => {
    while (sockets.length) sockets.pop()!.close();
    while (peers.length) await peers.pop()!.stop();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sends G.711 + RFC 4733 to SIPp: tshark decodes the stream and events; the echo comes back with the digits', async () => {
    const mp = await freePort();
    const cap = path.join(dir, 'send.pcap');
    const ts = await startPeer('tshark', ['-i', 'lo', '-f', `udp portrange ${mp}-${mp + 1}`, '-w', cap, '-a', 'duration:20'], { ready: (o) => o.includes('Capturing on'), timeoutMs: 10_000 });
    peers.push(ts);
    const sipp = await startPeer(
      'sipp',
      ['-sn', 'uas', '-i', LO, '-mi', LO, '-ci', LO, '-cp', String(await freePort()), '-p', String(await freePort()), '-mp', String(mp), '-rtp_echo', '-nostdin', '-timeout', '30s'],
      { ready: () => echoes(mp), timeoutMs: 10_000 },
    );
    peers.push(sipp);
    const sock = await bindUdp(LO, 0);
    const rtcpSock = await bindUdp(LO, 0);
    sockets.push(sock, rtcpSock);
    const clock = new SystemClock();
    const session = new RtpSession({
      socket: sock,
      remote: { address: LO, port: mp },
      rtcp: { socket: rtcpSock, remote: { address: LO, port: mp + 1 } },
      clock,
      random: new CryptoRandom(),
      codec: PCMU,
      eventPayloadType: 101,
      cname: 'ht813@127.0.0.1',
    });
    const got: ReceivedEvent[] = [];
    session.onDigit((e) => got.push(e));
    const mc = new MediaClock(clock);
    const phone = new BufferPort(renderDualTone([1000], -10, 3000));
    mc.connect(phone, session); // the phone hears what comes back
    await sleep(400);
    session.sendDigit('1', 100);
    session.sendDigit('#', 100);
    await sleep(1600);
    mc.stop();
    session.close('test over'); // SR + SDES + BYE
    await sleep(300);
    await ts.stop();
    peers.splice(peers.indexOf(ts), 1);

    // Our receiver: the echoed stream played and its events decoded.
    assert.deepEqual(got.filter((e) => e.kind === 'start').map((e) => e.digit), ['1', '#']);
    const out = phone.output();
    assert.ok(toneAmplitude(out, out.length - 4000, 2400, 1000) > 5000, 'echoed tone heard');

    // tshark: our stream decodes as g711U without loss; events 1 and 11 (#) with end bits.
    const streams = execFileSync('tshark', ['-r', cap, '-d', `udp.port==${mp},rtp`, '-q', '-z', 'rtp,streams'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const ssrc = `0x${session.ssrc.toString(16).toUpperCase().padStart(8, '0')}`;
    const mine = streams.split('\n').filter((l) => l.includes(ssrc));
    for (const l of mine) assert.match(l, /g711U, rtpevent\s+\d+\s/);
    assert.equal(mine.length, 2, `two directions expected:\n${streams}`);
    for (const l of mine) assert.match(l, /\s0 \(0\.0%\)/, `no loss expected:\n${l}`);
    const events = execFileSync(
      'tshark',
      ['-r', cap, '-d', `udp.port==${mp},rtp`, '-o', 'rtpevent.event_payload_type_value:101', '-Y', `rtpevent && udp.dstport==${mp}`, '-T', 'fields', '-e', 'rtpevent.event_id', '-e', 'rtpevent.end_of_event', '-e', 'rtp.marker'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    assert.equal(events.length, 22, 'two events of 8 + 3 packets');
    assert.deepEqual([...new Set(events.map((e) => e[0]))], ['1', '11']);
    assert.equal(events.filter((e) => e[1] === '1' || e[1] === 'True').length, 6);
    assert.equal(events.filter((e) => e[2] === '1' || e[2] === 'True').length, 2);

    // tshark decodes our closing RTCP compound: SR (200) with our SSRC and packet count, SDES CNAME, BYE.
    const rtcp = execFileSync(
      'tshark',
      ['-r', cap, '-d', `udp.port==${mp + 1},rtcp`, '-Y', 'rtcp', '-T', 'fields', '-E', 'separator=|', '-e', 'rtcp.pt', '-e', 'rtcp.senderssrc', '-e', 'rtcp.sender.packetcount', '-e', 'rtcp.sdes.text'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
    assert.ok(rtcp.length > 0, 'an RTCP packet was captured');
    const [pts, sender, count, cname] = rtcp.split('\n')[0]!.split('|');
    assert.deepEqual(pts!.split(','), ['200', '202', '203']);
    assert.equal(Number(sender), session.ssrc);
    assert.equal(Number(count), session.stats.sent.packets);
    assert.equal(cname, 'ht813@127.0.0.1,test over', 'the SDES CNAME, then the BYE reason');
  });

  it("receives SIPp's bundled RFC 2833 pcaps and detects 1 and #", async () => {
    const pcapDir = path.join(dir, 'pcap');
    mkdirSync(pcapDir, { recursive: true });
    for (const f of ['dtmf_2833_1.pcap', 'dtmf_2833_pound.pcap']) {
      const src = path.join('/usr/share/sip-tester', f);
      assert.ok(existsSync(src), `${src} missing (sip-tester package)`);
      if (!existsSync(path.join(pcapDir, f))) symlinkSync(src, path.join(pcapDir, f));
    }
    const sock = await bindUdp(LO, 0);
    sockets.push(sock);
    const clock = new SystemClock();
    const session = new RtpSession({ socket: sock, remote: { address: LO, port: 9 }, rtcp: 'off', clock, random: new CryptoRandom(), codec: PCMU, eventPayloadType: 101, cname: 'ht813' });
    const got: ReceivedEvent[] = [];
    session.onDigit((e) => got.push(e));
    writeFileSync(path.join(dir, 'port.csv'), `SEQUENTIAL\n${sock.local.port};\n`);
    const uasPort = await freePort();
    const uas = await startPeer(
      'sipp',
      ['-sf', path.join(__dirname, 'sipp/uas-answer-cpe-port.xml'), '-inf', path.join(dir, 'port.csv'), '-i', LO, '-mi', LO, '-ci', LO, '-cp', String(await freePort()), '-p', String(uasPort), '-m', '1', '-nostdin', '-timeout', '20s'],
      { cwd: dir, timeoutMs: 5000 },
    );
    peers.push(uas);
    await sleep(300);
    const uac = await startPeer(
      'sipp',
      [`${LO}:${uasPort}`, '-sf', path.join(__dirname, 'sipp/uac-play-rfc2833.xml'), '-s', 'cpe', '-i', LO, '-mi', LO, '-ci', LO, '-cp', String(await freePort()), '-p', String(await freePort()), '-m', '1', '-nostdin', '-timeout', '20s'],
      { cwd: dir, timeoutMs: 5000 },
    );
    peers.push(uac);
    const exit = await new Promise<number | null>((resolve) => {
      if (uac.proc.exitCode !== null) resolve(uac.proc.exitCode);
      uac.proc.once('exit', (c) => resolve(c));
    });
    assert.equal(exit, 0, `SIPp UAC failed:\n${uac.output()}`);
    assert.deepEqual(got.map((e) => `${e.kind}:${e.digit}`), ['start:1', 'end:1', 'start:#', 'end:#']);
    assert.equal(got[1]!.duration, 0x08c0);
    assert.equal(session.stats.dropped.malformed, 0);
    assert.equal(session.stats.dropped.unknownPayloadType, 0);
  });
});
