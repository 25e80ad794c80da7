/*
 * The FXO gateway's rules under a FakeClock, with a fake FXO port, fake SIP calls and fake media
 * ports whose audio the test writes (digits are heard from the audio, as on the unit): busy,
 * the PIN's tries and timeout, P796 and dial-tone waiting, one stage, rings before answering,
 * PSTN digit timeouts, ringback, busy and no-answer endings.
 */
import assert from 'node:assert/strict';
import { renderDtmf } from '../../cpe/media/dsp/dtmf-generator';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { MediaClock } from '../../cpe/media/media-clock';
import type { MediaPort } from '../../cpe/media/media-port';
import type { AudioFrame, FxoEvent, FxoPort, FxoState, LineAudio } from '../../cpe/hw/types';
import { SeededRandom } from '../../cpe/shared/random';
import { CapturingLogger } from '../../cpe/shared/logger';
import type { AudioSession } from '../../cpe/voice/calls/hw-line-port';
import { FxoGateway } from '../../cpe/voice/fxo/fxo-gateway';
import type { NegotiatedMedia } from '../../cpe/voice/sdp/offer-answer';
import { FakeClock } from '../support/fake-clock';
import { FakeSignalling, MapParams, peerSdp } from './fxs-fakes';

/** Frames of `samples`, 160 at a time. */
function frames(samples: Int16Array): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i < samples.length; i += 160) {
    const f = new Int16Array(160);
    f.set(samples.subarray(i, i + 160));
    out.push(f);
  }
  return out;
}

class FakeLineAudio implements LineAudio {
  written: AudioFrame[] = [];
  private listeners = new Set<(f: AudioFrame) => void>();
  write(frame: AudioFrame): void {
    this.written.push(frame);
  }
  onFrame(listener: (f: AudioFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  deliver(f: AudioFrame): void {
    for (const l of this.listeners) l(f);
  }
}

class FakeFxo implements FxoPort {
  state: FxoState = 'idle';
  ringCount = 0;
  callerId = undefined;
  readonly audio = new FakeLineAudio();
  dialed: string[] = [];
  seizes = 0;
  linePresent = true;
  private listeners = new Set<(e: FxoEvent) => void>();
  on(l: (e: FxoEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: FxoEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
  seize(): void {
    this.seizes++;
    this.state = this.state === 'ringing' ? 'connected' : 'seized';
  }
  async dial(digits: string): Promise<void> {
    this.dialed.push(digits);
  }
  setConnected(): void {
    this.state = 'connected';
  }
  async flash(): Promise<void> {}
  release(): void {
    this.state = 'idle';
    this.ringCount = 0;
  }
  ring(count: number): void {
    this.state = 'ringing';
    this.ringCount = count;
    this.emit({ type: 'ring', count });
  }
}

class FakeSession implements AudioSession {
  updates: NegotiatedMedia[] = [];
  stopped = false;
  /** What the VoIP caller sends (played out to the gateway one frame per tick). */
  incoming: Int16Array[] = [];
  heard: Int16Array[] = [];
  readonly port: MediaPort = {
    readFrame: () => this.incoming.shift() ?? new Int16Array(160),
    writeFrame: (f) => void this.heard.push(Int16Array.from(f)),
  };
  constructor(readonly localAddress: string, readonly localPort: number) {}
  update(m: NegotiatedMedia): void {
    this.updates.push(m);
  }
  sendDigit(): void {}
  stop(): void {
    this.stopped = true;
  }
}

function rig(params: Record<number, string> = {}) {
  const clock = new FakeClock();
  const fxo = new FakeFxo();
  const sip = new FakeSignalling();
  const sessions: FakeSession[] = [];
  const log = new CapturingLogger();
  let busy = false;
  const gw = new FxoGateway({
    fxo,
    signalling: sip,
    media: { implementedCodecs: () => ['PCMU', 'PCMA'], create: (a, p) => (sessions.push(new FakeSession(a, p)), sessions[sessions.length - 1]!) },
    mediaClock: new MediaClock(clock),
    params: new MapParams(params),
    clock,
    random: new SeededRandom(1),
    log,
    mediaAddress: '127.0.0.1',
    rtpPort: () => 5012,
    sdpUser: 'ht813',
    accountUser: () => '2000',
    busy: (b) => (busy = b),
  });
  return { clock, fxo, sip, sessions, gw, log, isBusy: () => busy };
}

/** The strongest `hz` in frames (peak amplitude). */
function peak(fs: Int16Array[], hz: number): number {
  let best = 0;
  for (const f of fs) best = Math.max(best, toneAmplitude(f, 0, 160, hz));
  return best;
}

describe('FXO gateway rules (fakes, FakeClock)', () => {
  it('a VoIP call while the line is in use gets 486 and the line is not touched', () => {
    const r = rig();
    r.fxo.ring(1); // a PSTN call is ringing (P798 = 4 not reached)
    const c = r.sip.incoming({ number: '1002' });
    assert.equal(c.rejected?.status, 486);
    assert.equal(r.fxo.seizes, 0);
  });

  it('a VoIP call with no PSTN line plugged in gets 503', () => {
    const r = rig();
    r.fxo.linePresent = false;
    assert.equal(r.sip.incoming({ number: '1002' }).rejected?.status, 503);
  });

  it('VoIP → PSTN with a PIN: prompt to the caller, three wrong entries hang up without seizing the line', () => {
    const r = rig({ 794: '4321' });
    const c = r.sip.incoming({ number: '1002' });
    assert.ok(c.accepted);
    assert.equal(r.gw.state, 'voipPin');
    assert.ok(r.isBusy());
    r.clock.advance(200);
    assert.ok(peak(r.sessions[0]!.heard, 440) > 500, 'the PIN prompt (steady 440 Hz) goes to the caller');
    for (let i = 0; i < 3; i++) {
      r.sessions[0]!.incoming.push(...frames(renderDtmf('11#', { onMs: 100, offMs: 100 })));
      r.clock.advance(1500);
    }
    assert.equal(r.gw.state, 'idle');
    assert.equal(c.hungUp, 1);
    assert.equal(r.fxo.seizes, 0);
    assert.ok(r.sessions[0]!.stopped);
    assert.equal(r.isBusy(), false);
  });

  it('VoIP → PSTN with a PIN: nothing entered for 10 s hangs up', () => {
    const r = rig({ 794: '4321' });
    const c = r.sip.incoming({ number: '1002' });
    r.clock.advance(9900);
    assert.equal(r.gw.state, 'voipPin');
    r.clock.advance(200);
    assert.equal(r.gw.state, 'idle');
    assert.equal(c.hungUp, 1);
  });

  it('P796: seize, wait for the PSTN dial tone (P3303), then P3206 ms, then dial the forward number', () => {
    const r = rig({ 796: '5551234', 3206: '300' });
    r.sip.incoming({ number: '1002' });
    assert.equal(r.gw.state, 'bridged');
    assert.equal(r.fxo.seizes, 1);
    r.clock.advance(1000);
    assert.deepEqual(r.fxo.dialed, [], 'waits for dial tone');
    r.fxo.emit({ type: 'dialTone' });
    r.clock.advance(299);
    assert.deepEqual(r.fxo.dialed, []);
    r.clock.advance(1);
    assert.deepEqual(r.fxo.dialed, ['5551234']);
  });

  it('without a dial tone the number goes out after 3 s anyway; P3303 = 0 does not wait', () => {
    const r = rig({ 796: '5551234', 3206: '0' });
    r.sip.incoming({ number: '1002' });
    r.clock.advance(2999);
    assert.deepEqual(r.fxo.dialed, []);
    r.clock.advance(1);
    assert.deepEqual(r.fxo.dialed, ['5551234']);
    const n = rig({ 796: '777', 3303: '0', 3206: '0' });
    n.sip.incoming({ number: '1002' });
    n.clock.advance(1);
    assert.deepEqual(n.fxo.dialed, ['777']);
  });

  it('one stage (P3304 = 1) dials a numeric Request-URI; the account\'s own user ID means two stage', () => {
    const r = rig({ 3304: '1', 3303: '0', 3206: '0' });
    r.sip.incoming({ number: '1002' }, peerSdp(40000), '5550100');
    r.clock.advance(1);
    assert.deepEqual(r.fxo.dialed, ['5550100']);
    const t = rig({ 3304: '1', 3303: '0', 3206: '0' });
    t.sip.incoming({ number: '1002' }, peerSdp(40000), '2000');
    t.clock.advance(10);
    assert.deepEqual(t.fxo.dialed, [], 'the FXO account itself: the caller dials');
    assert.equal(t.gw.state, 'bridged');
    const two = rig({ 3303: '0', 3206: '0' });
    two.sip.incoming({ number: '1002' }, peerSdp(40000), '5550100');
    two.clock.advance(10);
    assert.deepEqual(two.fxo.dialed, [], 'two stage (default): the Request-URI is not dialed');
  });

  it('PSTN → VoIP: answered at P798 rings; no first digit within P840 releases the line', () => {
    const r = rig({ 798: '3' });
    r.fxo.ring(1);
    r.fxo.ring(2);
    assert.equal(r.fxo.seizes, 0);
    r.fxo.ring(3);
    assert.equal(r.fxo.seizes, 1);
    assert.equal(r.gw.state, 'pstnDigits');
    r.clock.advance(200);
    assert.ok(peak(r.fxo.audio.written, 350) > 300 && peak(r.fxo.audio.written, 440) > 300, 'dial tone to the line');
    r.clock.advance(10_000);
    assert.equal(r.gw.state, 'idle');
    assert.equal(r.fxo.state, 'idle');
    assert.equal(r.sip.invites.length, 0);
  });

  it('PSTN → VoIP: digits then P292 s → INVITE; ringback to the line; 486 → busy tone, released 3 s later', () => {
    const r = rig({ 798: '1', 292: '2' });
    r.fxo.ring(1);
    for (const f of frames(renderDtmf('1002', { onMs: 100, offMs: 100 }))) {
      r.fxo.audio.deliver(f);
      r.clock.advance(20);
    }
    // the last digit began about 620 ms in: P292 = 2 s runs from there
    r.clock.advance(1500);
    assert.equal(r.sip.invites.length, 0);
    r.clock.advance(500);
    assert.equal(r.sip.last.request?.target, '1002');
    assert.equal(r.gw.state, 'pstnCalling');
    r.fxo.audio.written = [];
    r.clock.advance(500);
    assert.ok(peak(r.fxo.audio.written, 480) > 300, 'ringback to the PSTN caller');
    r.sip.last.ev.failed(486, 'Busy Here');
    assert.equal(r.gw.state, 'failing');
    r.fxo.audio.written = [];
    r.clock.advance(400);
    assert.ok(peak(r.fxo.audio.written, 620) > 300, 'busy tone to the PSTN caller');
    r.clock.advance(2700);
    assert.equal(r.gw.state, 'idle');
    assert.equal(r.fxo.state, 'idle');
  });

  it('PSTN → VoIP with a PIN (P795) read from the line; then # ends the number; no answer in P848 s hangs up', () => {
    const r = rig({ 798: '1', 795: '77', 848: '5' });
    r.fxo.ring(1);
    assert.equal(r.gw.state, 'pstnPin');
    for (const f of frames(renderDtmf('77#', { onMs: 100, offMs: 100 }))) {
      r.fxo.audio.deliver(f);
      r.clock.advance(20);
    }
    r.clock.advance(100);
    assert.equal(r.gw.state, 'pstnDigits');
    for (const f of frames(renderDtmf('55#', { onMs: 100, offMs: 100 }))) {
      r.fxo.audio.deliver(f);
      r.clock.advance(20);
    }
    r.clock.advance(100);
    assert.equal(r.sip.last.request?.target, '55');
    r.clock.advance(5000);
    assert.equal(r.sip.last.hungUp, 1);
    assert.equal(r.gw.state, 'failing');
  });

  it('PSTN → VoIP: answered → bridged and the line marked connected; a BYE releases the line', () => {
    const r = rig({ 798: '1', 3305: '1002', 3306: 'pbx.test' });
    r.fxo.ring(1);
    assert.equal(r.sip.last.request?.target, 'sip:1002@pbx.test');
    r.sip.last.ev.answered(peerSdp(41000));
    assert.equal(r.gw.state, 'bridged');
    assert.equal(r.fxo.state, 'connected');
    assert.equal(r.sessions[0]!.updates[0]?.remotePort, 41000);
    r.sip.last.ev.ended('bye');
    assert.equal(r.gw.state, 'idle');
    assert.equal(r.fxo.state, 'idle');
  });

  it('the FXS phone on the line (PstnLine): seize, dial after the dial tone, far-end hang-up reported; VoIP calls get 486 meanwhile', async () => {
    const r = rig({ 3206: '0', 837: '1' });
    const ended: string[] = [];
    const c = r.gw.call('911', { ended: (why) => ended.push(why) });
    assert.ok(c);
    assert.equal(r.gw.state, 'local');
    assert.equal(r.fxo.seizes, 1);
    assert.ok(r.isBusy());
    r.fxo.emit({ type: 'dialTone' });
    r.clock.advance(1);
    assert.deepEqual(r.fxo.dialed, ['911']);
    assert.equal(r.sip.incoming({ number: '1002' }).rejected?.status, 486);
    assert.equal(r.gw.call('1', { ended: () => undefined }), undefined, 'one call on the line at a time');
    // the phone's audio reaches the line once the number is out (and the key tail is past), the line's reaches the phone
    const port = (c.media as AudioSession).port;
    port.writeFrame(new Int16Array(160).fill(100));
    assert.equal(r.fxo.audio.written.length, 0, 'held while dialing');
    await Promise.resolve();
    r.clock.advance(300);
    port.writeFrame(new Int16Array(160).fill(100));
    assert.equal(r.fxo.audio.written.length, 1);
    r.fxo.audio.deliver(new Int16Array(160).fill(7));
    assert.equal(port.readFrame()[0], 7);
    r.fxo.emit({ type: 'disconnect', cause: 'busyTone' });
    assert.equal(ended.length, 1);
    assert.equal(r.gw.state, 'idle');
    assert.equal(r.fxo.state, 'idle');
    // P4356: the line rests 4 s after a call before it is seized to call out again
    assert.equal(r.gw.call('', { ended: () => undefined }), undefined, 'resting');
    assert.equal(r.sip.incoming({ number: '1002' }).rejected?.status, 486, 'resting');
    r.clock.advance(4000);
    // the phone hangs up first: released, nothing reported back
    const d = r.gw.call('', { ended: (why) => ended.push(why) });
    assert.ok(d);
    assert.deepEqual(r.fxo.dialed, ['911'], 'the access code dials nothing');
    d.hangup();
    assert.equal(r.fxo.state, 'idle');
    assert.equal(ended.length, 1);
  });

  it('ring-through (P842/P843): the phone rings after the delay with the caller ID; lifting it answers the line; P798 rings take the call from the phone', () => {
    const r = rig({ 798: '3', 843: '2' });
    const alerts: (string | undefined)[] = [];
    let ended = 0;
    r.gw.attachPhone({ alertPstn: (cid) => (alerts.push(cid?.number), true), endPstnAlert: () => void ended++ });
    (r.fxo as { callerId: unknown }).callerId = { number: '6265551234' };
    r.fxo.ring(1);
    r.clock.advance(1999);
    assert.deepEqual(alerts, []);
    r.clock.advance(1);
    assert.deepEqual(alerts, ['6265551234']);
    const c = r.gw.answer({ ended: () => undefined });
    assert.ok(c);
    assert.equal(r.gw.state, 'local');
    assert.equal(r.fxo.state, 'connected');
    c.hangup();
    assert.equal(r.fxo.state, 'idle');
    // not lifted: at P798 rings the gateway answers and the phone stops ringing
    r.fxo.ring(1);
    r.clock.advance(2000);
    r.fxo.ring(2);
    r.fxo.ring(3);
    assert.equal(ended, 1);
    assert.equal(r.gw.state, 'pstnDigits');
    assert.equal(r.gw.answer({ ended: () => undefined }), undefined, 'too late for the phone');
  });

  it('ring-through: the caller giving up stops the phone; P842 = 0 never rings it', () => {
    const r = rig({ 798: '5', 843: '1' });
    let alerts = 0;
    let ended = 0;
    r.gw.attachPhone({ alertPstn: () => (alerts++, true), endPstnAlert: () => void ended++ });
    r.fxo.ring(1);
    r.clock.advance(1000);
    assert.equal(alerts, 1);
    r.fxo.emit({ type: 'ringStopped' });
    assert.equal(ended, 1);
    const off = rig({ 798: '5', 842: '0' });
    let rung = 0;
    off.gw.attachPhone({ alertPstn: () => (rung++, true), endPstnAlert: () => undefined });
    off.fxo.ring(1);
    off.clock.advance(10_000);
    assert.equal(rung, 0);
  });

  it('P839: the PSTN caller ID goes in From (0), P-Asserted-Identity (1), anonymous (2), nowhere (3), P-Preferred-Identity (4)', () => {
    const sent = (p839: string) => {
      const r = rig({ 798: '1', 3305: '1002', 839: p839 });
      (r.fxo as { callerId: unknown }).callerId = { number: '6265551234', name: 'PSTN CALLER' };
      r.fxo.ring(1);
      return r.sip.last.request!;
    };
    assert.deepEqual(sent('0').callerId, { via: 'from', number: '6265551234', name: 'PSTN CALLER' });
    assert.equal(sent('1').callerId?.via, 'pai');
    assert.equal(sent('2').anonymous, true);
    assert.equal(sent('2').callerId, undefined);
    assert.equal(sent('3').callerId, undefined);
    assert.equal(sent('3').anonymous, false);
    assert.equal(sent('4').callerId?.via, 'ppi');
  });

  it('a PSTN call is left ringing when account 2 cannot call', () => {
    const r = rig({ 798: '1' });
    r.sip.registered = false;
    r.fxo.ring(1);
    assert.equal(r.fxo.seizes, 0);
    assert.equal(r.gw.state, 'idle');
  });
});
