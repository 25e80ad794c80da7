/**
 * Test plan: caller ID round trip — synthesised as audio by the FXS port per P853 (media's
 * sequences, FSK modem and DTMF generator), decoded by the simulated phone's display from the
 * samples it receives. Every scheme, the ring cadence kept around the data, call-waiting caller ID
 * (type 2, with and without the phone's acknowledgement), visual MWI by FSK and by NEON.
 */
import assert from 'node:assert/strict';
import { fxsRig } from './rigs';
import { detectDtmf } from '../../cpe/media/dsp/dtmf-detector';
import { concatSamples } from '../../cpe/media/dsp/audio';

const FSK_SCHEMES = [0, 1, 2, 3, 4, 9, 10];
const DTMF_SCHEMES = [5, 6, 7, 8, 11, 12, 13, 14, 15];

describe('hw/caller-id round trip', () => {
  for (const scheme of FSK_SCHEMES) {
    it(`FSK scheme P853=${scheme}: number, name and time reach the display`, () => {
      const r = fxsRig({ cidScheme: scheme });
      r.fxs.ring({ callerId: { number: '6265551234', name: 'A B', dateTime: '11241530' } });
      r.clock.advance(9000);
      assert.deepEqual(r.phone.callerId, { dateTime: '11241530', number: '6265551234', name: 'A B' });
      assert.equal(r.phone.callerIds.length, 1);
      assert.ok(r.phone.rings >= 1, 'the phone rang');
      assert.equal(r.phone.polarityReversed, false, 'polarity normal again once ringing');
    });
  }

  for (const scheme of DTMF_SCHEMES) {
    it(`DTMF scheme P853=${scheme}: the number reaches the display`, () => {
      const r = fxsRig({ cidScheme: scheme });
      r.fxs.ring({ callerId: { number: '6265551234', name: 'ignored' } });
      r.clock.advance(9000);
      assert.deepEqual(r.phone.callerId, { number: '6265551234' });
    });
  }

  it('DTMF caller ID with the P4661/P4662 start and stop digits (D ... #)', () => {
    const r = fxsRig({ cidScheme: 6, dtmfCidStart: 4, dtmfCidStop: 5 });
    const frames: Int16Array[] = [];
    const orig = r.phone.pushDown.bind(r.phone);
    r.phone.pushDown = (f) => {
      frames.push(f);
      orig(f);
    };
    r.fxs.ring({ callerId: { number: '5550123' } });
    r.clock.advance(3000);
    assert.equal(detectDtmf(concatSamples(frames)), 'D5550123#');
    assert.deepEqual(r.phone.callerId, { number: '5550123' });
  });

  it('DTMF caller ID of a private number shows as P (absence code B10)', () => {
    const r = fxsRig({ cidScheme: 6 });
    r.fxs.ring({ callerId: { numberAbsent: 'P' } });
    r.clock.advance(3000);
    assert.deepEqual(r.phone.callerId, { numberAbsent: 'P' });
  });

  it('Bellcore: the data goes between the first and second ring, keeping the cadence', () => {
    const r = fxsRig({ cidScheme: 0 });
    r.fxs.ring({ callerId: { number: '5551234' } });
    r.clock.advance(2400);
    assert.equal(r.phone.callerId, undefined, 'nothing before 500 ms after the first ring');
    r.clock.advance(3000);
    assert.equal(r.phone.callerIds.at(-1)?.number, '5551234');
    r.clock.advance(700);
    assert.deepEqual(r.edges.slice(0, 3), [
      [0, true],
      [2000, false],
      [6000, true],
    ]);
  });

  it('ETSI prior to ringing (DT-AS): the data comes before the first ring', () => {
    const r = fxsRig({ cidScheme: 2 });
    r.fxs.ring({ callerId: { number: '5551234' } });
    let t = 0;
    while (!r.phone.callerId && t < 3000) {
      r.clock.advance(20);
      t += 20;
    }
    assert.equal(r.phone.callerId?.number, '5551234');
    assert.equal(r.phone.rings, 0, `no ring before the data (decoded at ${t} ms)`);
    r.clock.advance(1000);
    assert.equal(r.phone.rings, 1);
  });

  it('ETSI with line reversal: polarity reverses before the data and is restored for ringing', () => {
    const r = fxsRig({ cidScheme: 3 });
    r.fxs.ring({ callerId: { number: '5551234' } });
    assert.equal(r.phone.polarityReversed, true);
    r.clock.advance(2500);
    assert.equal(r.phone.polarityReversed, false);
    assert.equal(r.phone.polarityReversals, 2);
  });

  it('answering during the caller ID stops ringing and the data', () => {
    const r = fxsRig({ cidScheme: 0 });
    r.fxs.ring({ callerId: { number: '5551234' } });
    r.clock.advance(2600);
    r.phone.offHook();
    r.clock.advance(5000);
    assert.equal(r.phone.callerId, undefined);
    assert.equal(r.phone.ringing, false);
  });

  it('call-waiting caller ID (type 2): CAS, the phone acknowledges with A, FSK follows', async () => {
    const r = fxsRig({ cidScheme: 0 });
    r.phone.offHook();
    r.clock.advance(100);
    const sent = r.fxs.sendCallWaitingId({ number: '5559876', name: 'CW', dateTime: '01020304' });
    r.clock.advance(3000);
    assert.equal(await sent, true);
    assert.deepEqual(r.phone.callerId, { dateTime: '01020304', number: '5559876', name: 'CW' });
    const labels = r.phone.heard.map((h) => h.label);
    const order = ['callWaiting', 'cas', 'fsk'].map((l) => labels.indexOf(l));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), `SAS, CAS, then data: ${labels.join(',')}`);
    assert.ok(!r.names().some((n) => n === 'dtmf:A'), 'the acknowledgement is not reported as a digit');
  });

  it('call-waiting caller ID is not sent when the phone does not acknowledge', async () => {
    const r = fxsRig({ cidScheme: 0 });
    (r.phone as unknown as { opts: { callWaitingCallerId: boolean } }).opts.callWaitingCallerId = false;
    r.phone.offHook();
    const sent = r.fxs.sendCallWaitingId({ number: '5559876' });
    r.clock.advance(3000);
    assert.equal(await sent, false);
    assert.equal(r.phone.callerId, undefined);
  });

  it('visual MWI by FSK reaches the phone on-hook, and waits while off-hook', () => {
    const r = fxsRig();
    r.fxs.setMessageWaiting(true);
    r.clock.advance(2000);
    assert.equal(r.phone.messageWaiting, true);
    r.phone.offHook();
    r.fxs.setMessageWaiting(false);
    r.clock.advance(2000);
    assert.equal(r.phone.messageWaiting, true, 'not sent while off-hook');
    r.phone.onHook();
    r.clock.advance(3000);
    assert.equal(r.phone.messageWaiting, false);
  });

  it('visual MWI by NEON lamp (P4371=2), none when P855 disables it', () => {
    const neon = fxsRig({ visualMwiType: 'neon' });
    neon.fxs.setMessageWaiting(true);
    assert.equal(neon.phone.messageWaiting, true);
    const off = fxsRig({ visualMwi: false });
    off.fxs.setMessageWaiting(true);
    off.clock.advance(3000);
    assert.equal(off.phone.messageWaiting, false);
  });
});
