/**
 * Test plan: the FXS port driving a simulated phone through a loop, FakeClock only.
 *  - ring cadence timing (system ring, ring tone index, multi-segment, distinctive ring), ring trip;
 *  - hook events and DTMF digits from the phone's audio; pulse digits; flash;
 *  - tones reach the phone and are classified; polarity reversal P205; loop-current disconnect P892/P856.
 */
import assert from 'node:assert/strict';
import { DEFAULT_FXS_CONFIG } from '../../cpe/hw/config';
import { fxsRig } from './rigs';

describe('hw/fxs-port', () => {
  it('rings with the system cadence P4040 (2000/4000) and leaves no timer when stopped', () => {
    const r = fxsRig();
    r.fxs.ring();
    r.clock.advance(12_500);
    assert.deepEqual(r.edges, [
      [0, true],
      [2000, false],
      [6000, true],
      [8000, false],
      [12000, true],
    ]);
    r.fxs.stopRing();
    assert.equal(r.phone.ringing, false);
    assert.equal(r.clock.timerCount, 0);
    assert.deepEqual(r.names(), ['ringStopped']);
  });

  it('rings a multi-segment cadence and a ring tone index (P4010-P4019)', () => {
    const tones = [...DEFAULT_FXS_CONFIG.ringTones];
    tones[2] = 'c=400/200-400/2000;';
    const r = fxsRig({ ringTones: tones });
    r.fxs.ring({ cadence: 3 });
    r.clock.advance(3100);
    assert.deepEqual(r.edges, [
      [0, true],
      [400, false],
      [600, true],
      [1000, false],
      [3000, true],
    ]);
  });

  it('uses the distinctive ring (P870-P875) when the caller number matches', () => {
    const tones = [...DEFAULT_FXS_CONFIG.ringTones];
    tones[4] = 'c=1000/1000;';
    const r = fxsRig({ ringTones: tones, distinctive: [{ ringTone: 0, callerId: '' }, { ringTone: 4, callerId: '5551234' }, { ringTone: 0, callerId: '' }] });
    assert.deepEqual(r.fxs.cadenceFor({ callerId: { number: '5551234' } }), [{ onMs: 1000, offMs: 1000 }]);
    assert.deepEqual(r.fxs.cadenceFor({ callerId: { number: '5550000' } }), [{ onMs: 2000, offMs: 4000 }]);
  });

  it('rings with caller ID into an empty jack without piling up data or timers', () => {
    const r = fxsRig();
    r.loop.attachTerminal(undefined);
    r.fxs.ring({ callerId: { number: '5551234' } });
    r.clock.advance(7000);
    assert.equal(r.fxs.line.sendingData, false);
    r.fxs.stopRing();
    assert.equal(r.clock.timerCount, 0);
  });

  it('rings at the P4429 ring frequency', () => {
    const r = fxsRig({ ringHz: 25 });
    r.fxs.ring();
    assert.equal(r.phone.ringHz, 25);
  });

  it('ring trip: going off-hook stops ringing at once and reports answered', () => {
    const r = fxsRig();
    r.fxs.ring();
    r.clock.advance(500);
    r.phone.offHook();
    assert.equal(r.phone.ringing, false);
    assert.deepEqual(r.names(), ['ringStopped', 'offHook']);
    r.fxs.ring();
    assert.equal(r.phone.ringing, false, 'no ringing while off-hook');
  });

  it('plays a tone the phone recognises, and the loop ticks only while needed', () => {
    const r = fxsRig();
    assert.equal(r.loop.ticking, false);
    r.phone.offHook();
    assert.equal(r.loop.ticking, true);
    r.fxs.playTone('f1=350@-17,f2=440@-17,c=0/0;');
    r.clock.advance(600);
    assert.equal(r.phone.hearing, 'dial');
    r.fxs.playTone('f1=480@-21,f2=620@-21,c=500/500;');
    r.clock.advance(2200);
    assert.equal(r.phone.hearing, 'busy');
    r.fxs.playTone('f1=480@-21,f2=620@-21,c=250/250;');
    r.clock.advance(1200);
    assert.equal(r.phone.hearing, 'reorder');
    r.fxs.playTone('f1=440@-17,f2=480@-17,c=2000/4000;');
    r.clock.advance(600);
    assert.equal(r.phone.hearing, 'ringback');
    r.fxs.stopTone();
    r.clock.advance(4500);
    assert.equal(r.phone.hearing, 'silence');
    r.phone.onHook();
    r.clock.advance(2000);
    assert.equal(r.loop.ticking, false);
    assert.equal(r.clock.timerCount, 0);
  });

  it('reports DTMF digits dialled by the phone', async () => {
    const r = fxsRig();
    r.phone.offHook();
    const done = r.phone.dial('19*#A');
    r.clock.advance(1500);
    await done;
    assert.deepEqual(r.names(), ['offHook', 'dtmf:1', 'dtmf:9', 'dtmf:*', 'dtmf:#', 'dtmf:A']);
  });

  it('reports pulse digits when P20521 is on, in the P28165 standard', async () => {
    const r = fxsRig({ hook: { ...DEFAULT_FXS_CONFIG.hook, pulseEnabled: true } });
    r.phone.offHook();
    const done = r.phone.dial('302', { method: 'pulse' });
    r.clock.advance(5000);
    await done;
    assert.deepEqual(r.names(), ['offHook', 'pulse:3', 'pulse:0', 'pulse:2']);
  });

  it('reports a flash and a hang-up from the phone', async () => {
    const r = fxsRig();
    r.phone.offHook();
    const f = r.phone.flash(600);
    r.clock.advance(700);
    await f;
    r.phone.onHook();
    r.clock.advance(1200);
    assert.deepEqual(r.names(), ['offHook', 'flash', 'onHook']);
  });

  it('reverses polarity on connect only when P205 is on', () => {
    const off = fxsRig();
    off.phone.offHook();
    off.fxs.setCallConnected(true);
    assert.equal(off.phone.polarityReversed, false);
    const on = fxsRig({ polarityReversal: true });
    on.phone.offHook();
    on.fxs.setCallConnected(true);
    assert.equal(on.phone.polarityReversed, true);
    on.fxs.setCallConnected(false);
    assert.equal(on.phone.polarityReversed, false);
  });

  it('drops loop current for P856 ms on disconnect when P892 is on', () => {
    const r = fxsRig({ loopCurrentDisconnect: true, loopCurrentDisconnectMs: 700 });
    r.phone.offHook();
    r.fxs.signalDisconnect();
    assert.equal(r.phone.loopCurrent, false);
    r.clock.advance(699);
    assert.equal(r.phone.loopCurrent, false);
    r.clock.advance(1);
    assert.equal(r.phone.loopCurrent, true);
    assert.equal(r.phone.batteryDrops, 1);
    const none = fxsRig();
    none.phone.offHook();
    none.fxs.signalDisconnect();
    assert.equal(none.phone.loopCurrent, true);
  });

  it('plays busy before the loop-current disconnect when P21925 is on', () => {
    const r = fxsRig({ loopCurrentDisconnect: true, busyBeforeDisconnect: true });
    r.phone.offHook();
    r.fxs.signalDisconnect();
    r.clock.advance(2500);
    assert.equal(r.phone.hearing, 'busy');
    assert.equal(r.phone.loopCurrent, true);
    r.clock.advance(600);
    assert.equal(r.phone.batteryDrops, 1);
  });

  it('applies the RX gain (P249) toward the phone and the TX gain (P247) from it, on the voice path only', () => {
    const r = fxsRig({ rxGain: 6, txGain: 1 });
    r.phone.offHook();
    const heard: number[] = [];
    r.phone.audio.onFrame((f) => heard.push(Math.max(...f)));
    const sent: number[] = [];
    r.fxs.audio.onFrame((f) => sent.push(Math.max(...f)));
    for (let i = 0; i < 3; i++) r.fxs.audio.write(new Int16Array(160).fill(10000));
    r.phone.audio.write(new Int16Array(160).fill(4000));
    r.clock.advance(60);
    assert.ok(heard.includes(5012), `-6 dB of 10000 reaches the phone: ${heard.join(',')}`);
    assert.ok(sent.includes(7981), `+6 dB of 4000 reaches the media layer: ${sent.join(',')}`);
  });
});
