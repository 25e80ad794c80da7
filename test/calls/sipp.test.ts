/*
 * The simulated phone on a real unit (hw + sip + calls services, real sockets) calls SIPp.
 * Plan: off-hook, dial tone heard, number dialed (dial plan, `#`) → INVITE to SIPp's UAS, which
 * answers and streams a 1 kHz PCMU tone; the phone hears audio; on-hook sends BYE; SIPp exits 0;
 * tshark sees PCMU RTP both ways. A busy SIPp (486) gives the phone the busy tone. With P272 on,
 * SIPp's INVITE that Requires 100rel gets a reliable 180 (RSeq) whose PRACK is answered 200. An
 * answer without telephone-event makes the digits dialed in the call go as SIP INFO. *02 7111
 * offers PCMA alone; *74 puts Call-Info answer-after=0 in the INVITE (SIPp checks both). DTMF
 * from SIPp (its bundled RFC 2833 pcap, SIP INFO) is heard by the phone; a bad INFO gets 400. A
 * G.722-only offer is answered with G.722 and the phone's tone decodes from the unit's RTP with
 * ffmpeg (ffmpeg from .ci/deps/media.list).
 * Peers missing → the test fails (CI installs sip-tester and tshark from .ci/deps/calls.list).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CapturingLogger } from '../../cpe/shared/logger';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { freePort } from '../support/ports';
import { bootUnit, freeRtpPort, rtpStreams, sipMethods, sleep, startTshark, writeToneFile, type TestUnit } from './support/unit';

const SCENARIOS = path.join(__dirname, 'scenarios');

async function startSipp(dir: string, scenario: string, port: number, mediaPort: number): Promise<Peer> {
  const cp = await freePort();
  return startPeer('sipp', ['-sf', path.join(SCENARIOS, scenario), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(port), '-mp', String(mediaPort), '-m', '1', '-nostdin', '-timeout', '30s', '-trace_err'], {
    cwd: dir,
    timeoutMs: 5000,
  });
}

function exitCode(peer: Peer, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (peer.proc.exitCode !== null) return resolve(peer.proc.exitCode);
    const t = setTimeout(() => resolve(null), timeoutMs);
    peer.proc.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

/**
 * uas_pcmu.xml with a check on the INVITE (an ereg SIPp must find, or the call fails) and the
 * answer's codec changed to `answer` (SDP payload type and rtpmap), written into `dir`.
 */
function checkingUas(dir: string, name: string, regexp: string, answer: { pt: number; rtpmap: string }): string {
  let xml = fs.readFileSync(path.join(SCENARIOS, 'uas_pcmu.xml'), 'utf8');
  xml = xml.replace('<recv request="INVITE" crlf="true"/>', `<recv request="INVITE" crlf="true"><action><ereg regexp="${regexp}" search_in="msg" check_it="true" assign_to="seen"/></action></recv>`);
  xml = xml.replace('RTP/AVP 0 101', `RTP/AVP ${answer.pt} 101`).replace('a=rtpmap:0 PCMU/8000', `a=rtpmap:${answer.pt} ${answer.rtpmap}`);
  xml = xml.replace('</scenario>', '  <Reference variables="seen" />\n</scenario>');
  fs.writeFileSync(path.join(dir, name), xml);
  return name;
}

describe('calls against SIPp (real sockets)', function () {
  this.timeout(60_000);
  let dir: string;
  let unit: TestUnit | undefined;
  let sipp: Peer | undefined;
  let tshark: Peer | undefined;

  before(() => {
    for (const cmd of ['sipp', 'tshark']) assert.ok(haveCommand(cmd), `${cmd} is required (apt-get install sip-tester tshark)`);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-sipp-'));
  });
  afterEach(async () => {
    await sipp?.stop();
    await tshark?.stop();
    await unit?.stop();
    sipp = tshark = unit = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('phone dials SIPp: ringback, answer, tone heard, BYE; RTP PCMU both ways (tshark)', async () => {
    writeToneFile(path.join(dir, 'tone1k_pcmu.raw'), 1000, 6);
    const sippPort = await freePort();
    const sippMedia = await freeRtpPort();
    unit = await bootUnit({ P47: `127.0.0.1:${sippPort}` });
    const cap = await startTshark(dir, [unit.sipPort, sippPort, unit.rtpPort, sippMedia, sippMedia + 2]);
    tshark = cap.peer;
    sipp = await startSipp(dir, 'uas_pcmu.xml', sippPort, sippMedia);
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1000#');
    await phone.hears('audio', { timeoutMs: 10_000 });
    const status = unit.device.status.get('voice.calls');
    assert.equal(status?.[0]?.callState, 'InCall');
    await sleep(1500);
    phone.onHook();
    assert.equal(await exitCode(sipp, 10_000), 0, `SIPp failed:\n${sipp.output()}`);
    await sleep(300);
    await tshark.stop();
    const streams = rtpStreams(cap.file, [unit.rtpPort, sippMedia, sippMedia + 2]);
    const toSipp = streams.find((s) => s.srcPort === unit!.rtpPort);
    const fromSipp = streams.find((s) => s.dstPort === unit!.rtpPort);
    assert.ok(toSipp && toSipp.packets >= 40, `unit → SIPp RTP: ${JSON.stringify(streams)}\n${streams.raw}`);
    assert.ok(fromSipp && fromSipp.packets >= 40, `SIPp → unit RTP: ${JSON.stringify(streams)}`);
    assert.match(toSipp.payload, /711U|PCMU/i);
    const sip = sipMethods(cap.file);
    for (const m of ['INVITE', '180', '200', 'ACK', 'BYE']) assert.ok(sip.includes(m), `${m} missing in ${sip.join(' ')}`);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.callState, 'Idle');
  });

  it('no telephone-event in the answer: the digits dialed in the call go as SIP INFO (P851 = 102)', async () => {
    writeToneFile(path.join(dir, 'tone1k_pcmu.raw'), 1000, 6);
    const sippPort = await freePort();
    unit = await bootUnit({ P47: `127.0.0.1:${sippPort}` });
    sipp = await startSipp(dir, 'uas_info.xml', sippPort, await freeRtpPort());
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1000#');
    await phone.hears('audio', { timeoutMs: 10_000 });
    await phone.dial('5#');
    await sleep(500);
    phone.onHook();
    // the scenario requires INFO Signal=5 then Signal=#, each application/dtmf-relay
    assert.equal(await exitCode(sipp, 10_000), 0, `SIPp failed:\n${sipp.output()}`);
  });

  it('*02 forces PCMA for one call (the offer holds PCMA alone); *74 asks SIPp to auto-answer (Call-Info)', async () => {
    const sippPort = await freePort();
    unit = await bootUnit({ P47: `127.0.0.1:${sippPort}` });
    const run = async (scenario: string, dialed: string): Promise<void> => {
      sipp = await startPeer('sipp', ['-sf', path.join(dir, scenario), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(await freePort()), '-p', String(sippPort), '-mp', String(await freeRtpPort()), '-m', '1', '-nostdin', '-timeout', '30s', '-trace_err'], { cwd: dir, timeoutMs: 5000 });
      const phone = unit!.phone;
      phone.offHook();
      await phone.hears('dial', { timeoutMs: 5000 });
      await phone.dial(dialed);
      await phone.until(() => unit!.device.status.get('voice.calls')?.[0]?.callState === 'InCall', 'answered', 10_000);
      phone.onHook();
      assert.equal(await exitCode(sipp, 10_000), 0, `SIPp (${scenario}) failed:\n${sipp.output()}`);
      await sipp.stop();
    };
    writeToneFile(path.join(dir, 'tone1k_pcmu.raw'), 1000, 6);
    await run(checkingUas(dir, 'uas_forced.xml', 'm=audio [0-9]+ RTP/AVP 8 101[^0-9]', { pt: 8, rtpmap: 'PCMA/8000' }), '*0271111000#');
    await run(checkingUas(dir, 'uas_paging.xml', 'Call-Info: *&lt;sip:[^&gt;]+&gt;;answer-after=0', { pt: 0, rtpmap: 'PCMU/8000' }), '*741000#');
  });

  it('SIPp calls the phone: ring with caller ID, off-hook answers, tone heard, SIPp hangs up → dial tone', async () => {
    writeToneFile(path.join(dir, 'tone1k_pcmu.raw'), 1000, 6);
    unit = await bootUnit({});
    const cp = await freePort();
    const sippPort = await freePort();
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'uac_pcmu.xml'), `127.0.0.1:${unit.sipPort}`, '-s', '1001', '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(sippPort), '-mp', String(await freeRtpPort()), '-m', '1', '-d', '2500', '-nostdin', '-timeout', '30s'], { cwd: dir });
    const phone = unit.phone;
    await phone.waitRings(1, 10_000);
    const cid = await phone.waitCallerId(10_000);
    assert.equal(cid.number, '6265551234');
    assert.equal(cid.name, 'SIPp Caller');
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.callState, 'Ringing');
    phone.offHook();
    await phone.hears('audio', { timeoutMs: 10_000 });
    assert.equal(await exitCode(sipp, 15_000), 0, `SIPp failed:\n${sipp.output()}`);
    await phone.hears('dial', { timeoutMs: 5000 });
    phone.onHook();
  });

  it('DTMF from the far end reaches the phone as tones: RFC 4733 (SIPp\'s bundled pcap) and SIP INFO; a bad INFO body gets 400', async () => {
    const pcapDir = path.join(dir, 'pcap');
    fs.mkdirSync(pcapDir, { recursive: true });
    const src = '/usr/share/sip-tester/dtmf_2833_1.pcap';
    assert.ok(fs.existsSync(src), `${src} missing (sip-tester package)`);
    fs.symlinkSync(src, path.join(pcapDir, 'dtmf_2833_1.pcap'));
    unit = await bootUnit({});
    const cp = await freePort();
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'uac_dtmf.xml'), `127.0.0.1:${unit.sipPort}`, '-s', '1001', '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(await freePort()), '-mp', String(await freeRtpPort()), '-m', '1', '-nostdin', '-timeout', '30s'], { cwd: dir });
    const phone = unit.phone;
    await phone.waitRings(1, 10_000);
    phone.offHook();
    await phone.until(() => phone.heardDigits.includes('1'), 'digit 1 (RFC 4733) heard', 10_000);
    await phone.until(() => phone.heardDigits.includes('7'), 'digit 7 (SIP INFO) heard', 10_000);
    assert.equal(await exitCode(sipp, 15_000), 0, `SIPp failed (the bad INFO must get 400):\n${sipp.output()}`);
    assert.equal(phone.heardDigits, '17');
    phone.onHook();
  });

  it('G.722 call: SIPp offers G.722 only, the unit answers with it, and the phone\'s 1 kHz tone decodes from the unit\'s RTP (tshark + ffmpeg)', async () => {
    unit = await bootUnit({ P57: '9' });
    const cp = await freePort();
    const sippPort = await freePort();
    const sippMedia = await freeRtpPort();
    const cap = await startTshark(dir, [unit.sipPort, sippPort, unit.rtpPort, sippMedia]);
    tshark = cap.peer;
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'uac_g722.xml'), `127.0.0.1:${unit.sipPort}`, '-s', '1001', '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(sippPort), '-mp', String(sippMedia), '-m', '1', '-d', '2500', '-nostdin', '-timeout', '30s'], { cwd: dir });
    const phone = unit.phone;
    await phone.waitRings(1, 10_000);
    phone.offHook();
    phone.speak(Int16Array.from({ length: 8000 * 2 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000))));
    assert.equal(await exitCode(sipp, 15_000), 0, `SIPp failed:\n${sipp.output()}`);
    phone.onHook();
    await sleep(300);
    await tshark.stop();
    const streams = rtpStreams(cap.file, [unit.rtpPort, sippMedia]);
    const toSipp = streams.find((st) => st.srcPort === unit!.rtpPort);
    assert.ok(toSipp && toSipp.packets >= 40, `unit → SIPp RTP: ${JSON.stringify(streams)}\n${streams.raw}`);
    assert.match(toSipp.payload, /722/i);
    const hex = spawnSync('tshark', ['-r', cap.file, '-d', `udp.port==${unit.rtpPort},rtp`, '-Y', `rtp && udp.srcport==${unit.rtpPort} && rtp.p_type==9`, '-T', 'fields', '-e', 'rtp.payload'], { encoding: 'utf8' }).stdout;
    const g722 = Buffer.from(hex.replace(/[^0-9a-f]/gi, ''), 'hex');
    assert.ok(g722.length >= 40 * 160, `G.722 payload bytes: ${g722.length}`);
    const pcm = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'g722', '-i', '-', '-f', 's16le', '-ar', '16000', '-ac', '1', '-'], { input: g722 });
    const wide = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1);
    let best = 0;
    for (let o = 0; o + 3200 <= wide.length; o += 1600) best = Math.max(best, toneAmplitude(wide, o, 3200, 1000, 16000));
    assert.ok(best > 2000, `1 kHz in the unit's G.722 stream as ffmpeg decodes it: amplitude ${best.toFixed(0)}`);
  });

  it('100rel (P272 = 1): SIPp Requires it, our 180 carries RSeq, its PRACK gets 200, then the call goes on', async () => {
    writeToneFile(path.join(dir, 'tone1k_pcmu.raw'), 1000, 6);
    const log = new CapturingLogger();
    unit = await bootUnit({ P272: '1' }, log);
    const cp = await freePort();
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'uac_100rel.xml'), `127.0.0.1:${unit.sipPort}`, '-s', '1001', '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(await freePort()), '-mp', String(await freeRtpPort()), '-m', '1', '-d', '1500', '-nostdin', '-timeout', '30s'], { cwd: dir });
    const phone = unit.phone;
    await phone.waitRings(1, 10_000);
    // the scenario checks Require: 100rel and RSeq on the 180 and expects 200 to its PRACK
    await phone.until(() => log.records.some((r) => r.msg === 'PRACK received' && (r.obj as { ok?: boolean }).ok === true), 'PRACK accepted', 10_000);
    phone.offHook();
    await phone.hears('audio', { timeoutMs: 10_000 });
    assert.equal(await exitCode(sipp, 15_000), 0, `SIPp failed:\n${sipp.output()}`);
    phone.onHook();
  });

  it('the caller gives up while the phone rings (CANCEL): 487, ringing stops, the line is idle', async () => {
    unit = await bootUnit({});
    const cp = await freePort();
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'uac_cancel.xml'), `127.0.0.1:${unit.sipPort}`, '-s', '1001', '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(await freePort()), '-mp', String(await freeRtpPort()), '-m', '1', '-nostdin', '-timeout', '20s'], { cwd: dir });
    const phone = unit.phone;
    await phone.waitRings(1, 10_000);
    assert.equal(await exitCode(sipp, 15_000), 0, `SIPp failed:\n${sipp.output()}`);
    await phone.until(() => !phone.ringing, 'ringing stopped', 10_000);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.state, 'idle');
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.calls.length, 0);
  });

  it('a voicemail server\'s message-summary NOTIFY: visual MWI on the phone, stutter dial tone', async () => {
    unit = await bootUnit({});
    const cp = await freePort();
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'notify_mwi.xml'), `127.0.0.1:${unit.sipPort}`, '-s', '1001', '-i', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(cp), '-p', String(await freePort()), '-m', '1', '-nostdin', '-timeout', '20s'], { cwd: dir });
    assert.equal(await exitCode(sipp, 10_000), 0, `SIPp failed:\n${sipp.output()}`);
    const phone = unit.phone;
    await phone.until(() => phone.messageWaiting, 'visual MWI', 10_000);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.messageWaiting, true);
    phone.offHook();
    await phone.hears('stutter', { timeoutMs: 5000 });
    await phone.hears('dial', { timeoutMs: 5000 });
    phone.onHook();
  });

  it('SIPp busy (486): the phone hears the busy tone, then dial tone after hanging up and lifting again', async () => {
    const sippPort = await freePort();
    unit = await bootUnit({ P47: `127.0.0.1:${sippPort}` });
    sipp = await startSipp(dir, 'uas_busy.xml', sippPort, await freeRtpPort());
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('*47127*0*0*1*' + sippPort + '#');
    await phone.hears('busy', { timeoutMs: 10_000 });
    assert.equal(await exitCode(sipp, 10_000), 0, `SIPp failed:\n${sipp.output()}`);
    phone.onHook();
    await sleep(700);
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
  });
});
