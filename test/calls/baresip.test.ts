/*
 * The simulated phone on a real unit against baresip as real second and third parties
 * (peers.md §3). Plan: the phone calls baresip (auto-answer): the phone hears baresip's sine,
 * the phone's DTMF reaches baresip as RFC 4733 events (tshark); baresip calls the phone: ring,
 * caller ID, answer, baresip hangs up → dial tone; Bellcore 3-way conference with B and C: B's
 * received audio holds C's tone (mixed locally by the unit); blind transfer of B to C by REFER.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { haveCommand } from '../support/peer';
import { decodeWav } from '../../cpe/media/dsp/wav';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { startBaresip, type Baresip } from './support/baresip';
import type { RtpMediaSession } from '../../cpe/voice/calls/rtp-media-session';
import { bootUnit, sleep, startTshark, type TestUnit } from './support/unit';
import type { Peer } from '../support/peer';
import { startKamailio, type Kamailio } from '../sip/support/kamailio';

/** The strongest amplitude of `hz` over 100 ms windows of a WAV file. */
function peakTone(file: string, hz: number): number {
  let wav;
  try {
    wav = decodeWav(fs.readFileSync(file));
  } catch {
    return 0;
  }
  const n = Math.round(wav.sampleRate / 10);
  let best = 0;
  for (let i = 0; i + n <= wav.samples.length; i += n) best = Math.max(best, toneAmplitude(wav.samples, i, n, hz, wav.sampleRate));
  return best;
}

const USERS = new Map([['1001', 'secret1001'], ['1002', 'secret1002'], ['1003', 'secret1003']]);

/** The unit registered as 1001 with Kamailio (P47, P35/P36/P34). */
function registered(k: Kamailio): Record<string, string> {
  return { P47: `127.0.0.1:${k.port}`, P31: '1', P35: '1001', P36: '1001', P34: 'secret1001' };
}

async function waitRegistered(unit: TestUnit): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (unit.device.status.get('sip.accounts')?.[0]?.state === 'registered') return;
    await sleep(25);
  }
  throw new Error(`account 1 did not register: ${JSON.stringify(unit.device.status.get('sip.accounts'))}`);
}

describe('calls against baresip (real sockets)', function () {
  this.timeout(60_000);
  let dir: string;
  let unit: TestUnit | undefined;
  let peers: Baresip[] = [];
  let tshark: Peer | undefined;
  let kam: Kamailio | undefined;

  before(() => {
    for (const cmd of ['baresip', 'tshark', 'kamailio']) assert.ok(haveCommand(cmd), `${cmd} is required (apt-get install baresip tshark)`);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-bs-'));
  });
  afterEach(async () => {
    await tshark?.stop();
    for (const p of peers) await p.stop();
    await unit?.stop();
    await kam?.stop();
    peers = [];
    unit = tshark = kam = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('phone calls baresip: audio heard, DTMF sent as RFC 4733, hang-up ends baresip\'s call', async () => {
    const b = await startBaresip(dir, { user: '1002' });
    peers.push(b);
    unit = await bootUnit({ P47: `127.0.0.1:${b.sipPort}` });
    const cap = await startTshark(dir, [unit.sipPort, b.sipPort, unit.rtpPort]);
    tshark = cap.peer;
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 });
    await phone.dial('5');
    await sleep(800);
    phone.onHook();
    await b.waitEvent('CALL_CLOSED');
    await sleep(300);
    await tshark.stop();
    const ev = spawnSync('tshark', ['-r', cap.file, '-d', `udp.port==${unit.rtpPort},rtp`, '-Y', `rtpevent && udp.srcport==${unit.rtpPort}`, '-T', 'fields', '-e', 'rtpevent.event_id'], { encoding: 'utf8' }).stdout;
    assert.match(ev, /^5$/m, `no RFC 4733 event 5 from the unit:\n${ev}`);
  });

  it('baresip calls the phone: ring with caller ID, answer, baresip hangs up → dial tone', async () => {
    const b = await startBaresip(dir, { user: '1002' });
    peers.push(b);
    unit = await bootUnit({});
    const phone = unit.phone;
    await b.command('dial', `sip:1001@127.0.0.1:${unit.sipPort}`);
    await phone.waitRings(1, 10_000);
    const cid = await phone.waitCallerId(10_000);
    assert.equal(cid.number, '1002');
    phone.offHook();
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 });
    await b.command('hangup');
    await phone.hears('dial', { timeoutMs: 10_000 });
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.state, 'dialTone');
    phone.onHook();
  });

  /** The phone's 1000 Hz test tone, 2 s. */
  const testTone = (): Int16Array => Int16Array.from({ length: 16_000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));

  /** baresip's decoded (received) audio holds the phone's 1000 Hz tone. */
  function heardByBaresip(b: Baresip): number {
    const dumps = fs.readdirSync(path.join(b.dir, 'snd')).filter((f) => /dec/.test(f));
    return Math.max(0, ...dumps.map((f) => peakTone(path.join(b.dir, 'snd', f), 1000)));
  }

  it('SRTP forced (P183 = 2) with baresip srtp-mand: each side decrypts the other', async () => {
    const b = await startBaresip(dir, { user: '1002', mediaenc: 'srtp-mand' });
    peers.push(b);
    unit = await bootUnit({ P47: `127.0.0.1:${b.sipPort}`, P183: '2' });
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 }); // baresip's sine, decrypted by the unit
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.calls[0]?.srtp, true);
    // every SRTP packet from baresip authenticated and decrypted: none dropped, some received
    // (its RTCP socket also gets libre's plain 16-byte "PINGPONG" APP packet, rightly dropped)
    const media = unit.calls.fxs?.active?.media as RtpMediaSession | undefined;
    assert.ok((media?.stats?.received.packets ?? 0) > 0);
    assert.equal(media?.srtpDrops.rtp.dropped, 0);
    phone.speak(testTone());
    await sleep(2500);
    phone.onHook();
    await b.waitEvent('CALL_CLOSED');
    await sleep(300);
    const peak = heardByBaresip(b);
    assert.ok(peak > 300, `the phone's 1000 Hz not in baresip's decrypted audio (peak ${peak.toFixed(0)})`);
  });

  it('SRTP enabled, not forced (P183 = 1): baresip (srtp, RTP/AVP with keys) calls the phone and gets SRTP', async () => {
    const b = await startBaresip(dir, { user: '1002', mediaenc: 'srtp' });
    peers.push(b);
    unit = await bootUnit({ P183: '1' });
    const phone = unit.phone;
    await b.command('dial', `sip:1001@127.0.0.1:${unit.sipPort}`);
    await phone.waitRings(1, 10_000);
    phone.offHook();
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 });
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.calls[0]?.srtp, true);
    await b.command('hangup');
    await phone.hears('dial', { timeoutMs: 10_000 });
    phone.onHook();
  });

  it('SRTP off (P183 = 0): a call that insists on SRTP (RTP/SAVP) is refused with 488 and never rings', async () => {
    const b = await startBaresip(dir, { user: '1002', mediaenc: 'srtp-mand' });
    peers.push(b);
    unit = await bootUnit({});
    await b.command('dial', `sip:1001@127.0.0.1:${unit.sipPort}`);
    const closed = await b.waitEvent('CALL_CLOSED');
    assert.match(JSON.stringify(closed), /488/);
    await sleep(300);
    assert.equal(unit.phone.rings, 0);
  });

  it('*18 turns SRTP on for one call (P183 = 0) with baresip srtp (best effort); the next call is plain', async () => {
    const b = await startBaresip(dir, { user: '1002', mediaenc: 'srtp' });
    peers.push(b);
    unit = await bootUnit({ P47: `127.0.0.1:${b.sipPort}` });
    const phone = unit.phone;
    const call = async (digits: string): Promise<boolean | undefined> => {
      const seen = b.events.length;
      phone.offHook();
      await phone.hears('dial', { timeoutMs: 5000 });
      await phone.dial(digits);
      await b.waitEvent('CALL_ESTABLISHED', 10_000, seen);
      await phone.hears('audio', { timeoutMs: 10_000 });
      const srtp = unit!.device.status.get('voice.calls')?.[0]?.calls[0]?.srtp;
      phone.onHook();
      await b.waitEvent('CALL_CLOSED', 10_000, seen);
      return srtp;
    };
    assert.equal(await call('*181002#'), true, '*18: SRTP');
    assert.equal(await call('1002#'), false, 'plain RTP again');
  });

  it('3-way conference: flash, call C, flash: B hears C\'s tone through the unit\'s mixer; flash drops C', async () => {
    kam = await startKamailio({ users: USERS });
    const b = await startBaresip(dir, { user: '1002', toneHz: 440, registrar: kam.port });
    const c = await startBaresip(dir, { user: '1003', toneHz: 1400, registrar: kam.port });
    peers.push(b, c);
    unit = await bootUnit(registered(kam));
    await waitRegistered(unit);
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.flash();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1003#');
    await c.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 });
    await phone.flash();
    await sleep(300);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.state, 'conference');
    await sleep(2500);
    await phone.flash();
    await c.waitEvent('CALL_CLOSED');
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.state, 'talking');
    phone.onHook();
    await b.waitEvent('CALL_CLOSED');
    await sleep(500);
    // B's decoded (received) audio: while the conference ran it carried C's 1400 Hz mixed by the unit
    const dumps = fs.readdirSync(path.join(b.dir, 'snd')).filter((f) => /dec/.test(f));
    assert.ok(dumps.length > 0, `baresip B wrote no decoded audio dump: ${fs.readdirSync(path.join(b.dir, 'snd')).join(',')}`);
    const best = Math.max(...dumps.map((f) => peakTone(path.join(b.dir, 'snd', f), 1400)));
    assert.ok(best > 300, `C's 1400 Hz tone not found in B's received audio (peak amplitude ${best.toFixed(0)})`);
  });

  it('blind transfer: flash, *87 + C, REFER; B calls C, the unit leaves the call', async () => {
    kam = await startKamailio({ users: USERS });
    const b = await startBaresip(dir, { user: '1002', registrar: kam.port });
    const c = await startBaresip(dir, { user: '1003', registrar: kam.port });
    peers.push(b, c);
    unit = await bootUnit(registered(kam));
    await waitRegistered(unit);
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.flash();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('*871003#');
    await c.waitEvent('CALL_ESTABLISHED', 15_000);
    await b.waitEvent('CALL_CLOSED', 15_000);
    phone.onHook();
    await sleep(300);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.calls.length, 0);
  });

  it('attended transfer: flash, call C, C answers, hang up → REFER with Replaces; B and C talk, the unit is free', async () => {
    kam = await startKamailio({ users: USERS });
    const b = await startBaresip(dir, { user: '1002', registrar: kam.port });
    const c = await startBaresip(dir, { user: '1003', registrar: kam.port });
    peers.push(b, c);
    unit = await bootUnit(registered(kam));
    await waitRegistered(unit);
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.flash();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1003#');
    await c.waitEvent('CALL_ESTABLISHED');
    const bSeen = b.events.length;
    const cSeen = c.events.length;
    phone.onHook();
    // B calls C (INVITE with Replaces), C's first call and B's first call end
    await b.waitEvent('CALL_ESTABLISHED', 15_000, bSeen);
    await c.waitEvent('CALL_ESTABLISHED', 15_000, cSeen);
    for (let i = 0; i < 100 && (unit.device.status.get('voice.calls')?.[0]?.calls.length ?? 1) > 0; i++) await sleep(50);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.calls.length, 0);
    assert.equal(unit.device.status.get('voice.calls')?.[0]?.state, 'idle');
  });

  it('baresip transfers the phone (REFER): the unit calls C, reports 200 by NOTIFY, baresip leaves', async () => {
    kam = await startKamailio({ users: USERS });
    const b = await startBaresip(dir, { user: '1002', registrar: kam.port });
    const c = await startBaresip(dir, { user: '1003', registrar: kam.port });
    peers.push(b, c);
    unit = await bootUnit(registered(kam));
    await waitRegistered(unit);
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    const r = await b.command('transfer', `sip:1003@127.0.0.1:${kam.port}`);
    assert.equal(r.ok, true, JSON.stringify(r));
    await c.waitEvent('CALL_ESTABLISHED', 15_000);
    await b.waitEvent('CALL_CLOSED', 15_000);
    await phone.hears('audio', { timeoutMs: 10_000 });
    const st = unit.device.status.get('voice.calls')?.[0];
    assert.equal(st?.state, 'talking');
    assert.equal(st?.calls.length, 1);
    phone.onHook();
    await c.waitEvent('CALL_CLOSED', 10_000);
  });

  it('call waiting: C calls during a call with B: CAS + type-2 caller ID, flash answers C and holds B', async () => {
    const b = await startBaresip(dir, { user: '1002' });
    const c = await startBaresip(dir, { user: '1003' });
    peers.push(b, c);
    unit = await bootUnit({ P47: `127.0.0.1:${b.sipPort}` });
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 });
    const ids = phone.callerIds.length;
    await c.command('dial', `sip:1001@127.0.0.1:${unit.sipPort}`);
    // the P4005 tone (440 Hz) is mixed over B's audio, so the classifier hears "audio"; the CAS and
    // the type-2 FSK caller ID that follow it are what the phone can tell apart
    await phone.until(() => phone.callerIds.length > ids, 'call-waiting caller ID', 10_000);
    assert.ok(phone.heard.some((h) => h.label === 'cas'), 'CAS heard');
    assert.equal(phone.callerIds[phone.callerIds.length - 1]?.number, '1003');
    await phone.flash();
    await c.waitEvent('CALL_ESTABLISHED', 10_000);
    const st = unit.device.status.get('voice.calls')?.[0];
    assert.equal(st?.state, 'talking');
    assert.equal(st?.calls.length, 2);
    assert.equal(st?.calls.filter((x) => x.held).length, 1, 'B is on hold');
    phone.onHook();
    await c.waitEvent('CALL_CLOSED', 10_000);
  });
});
