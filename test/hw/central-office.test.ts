/**
 * Test plan: the simulated PSTN line with the simulated phone plugged straight in (what the
 * lifeline relay does): dial tone, DTMF and pulse dialling, busy / reorder / answer with
 * polarity reversal, far-end hang-up (polarity back, disconnect tone, loop-current interruption),
 * incoming call with caller ID.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { Loop } from '../../cpe/hw/loop';
import { CentralOffice, type CentralOfficeOptions } from '../../cpe/hw/sim/central-office';
import { SimulatedPhone } from '../../cpe/hw/sim/simulated-phone';

function rig(opts: Partial<CentralOfficeOptions> = {}) {
  const clock = new FakeClock();
  const co = new CentralOffice({ clock, numberLength: 4, ...opts });
  const phone = new SimulatedPhone({ clock });
  const loop = new Loop(clock, 'pstn');
  loop.attachExchange(co.line);
  loop.attachTerminal(phone);
  return { clock, co, phone };
}

describe('hw/sim central office + phone', () => {
  it('dial tone, DTMF number, ringback, answer with polarity reversal, far-end hang-up', async () => {
    const r = rig();
    r.phone.offHook();
    const heard = r.phone.hears('dial', { timeoutMs: 1000 });
    r.clock.advance(500);
    await heard;
    const d = r.phone.dial('2345');
    r.clock.advance(900);
    await d;
    assert.deepEqual(r.co.dialed, ['2345']);
    r.clock.advance(400);
    assert.equal(r.phone.hearing, 'ringback');
    r.clock.advance(3000);
    assert.equal(r.co.state, 'connected');
    assert.equal(r.phone.polarityReversed, true);
    r.co.farEndHangUp();
    assert.equal(r.phone.polarityReversed, false);
    r.clock.advance(1500);
    assert.equal(r.phone.hearing, 'busy', 'disconnect tone');
    r.clock.advance(1000);
    assert.equal(r.phone.batteryDrops, 1, 'open switch interval');
  });

  it('pulse dialling reaches the CO', async () => {
    const r = rig();
    r.phone.offHook();
    r.clock.advance(300);
    const d = r.phone.dial('9021', { method: 'pulse' });
    r.clock.advance(6000);
    await d;
    assert.deepEqual(r.co.dialed, ['9021']);
  });

  it('busy and reorder numbers', async () => {
    for (const [b, label] of [
      ['busy', 'busy'],
      ['reorder', 'reorder'],
    ] as const) {
      const r = rig();
      r.co.behaviour('1111', b);
      r.phone.offHook();
      r.clock.advance(300);
      const d = r.phone.dial('1111');
      r.clock.advance(1000);
      await d;
      const h = r.phone.hears(label, { timeoutMs: 3000 });
      r.clock.advance(3000);
      await h;
    }
  });

  it('hears() rejects with what was heard when the tone never comes', async () => {
    const r = rig();
    r.phone.offHook();
    const h = r.phone.hears('busy', { timeoutMs: 2000 });
    r.clock.advance(2000);
    await assert.rejects(h, /did not hear busy \(hearing dial; heard dial\)/);
  });

  it('rings the phone with caller ID and connects when it answers', async () => {
    const r = rig();
    assert.equal(r.co.call({ number: '6175550100', name: 'Bob' }), true);
    const cid = r.phone.waitCallerId(10_000);
    r.clock.advance(6100);
    assert.equal((await cid).number, '6175550100');
    assert.equal(r.phone.rings, 2);
    r.phone.offHook();
    assert.equal(r.co.state, 'connected');
    assert.equal(r.co.call({ number: '1' }), false, 'busy line');
  });
});

describe('hw/sim phone: stutter dial tone', () => {
  it('hears("stutter") matches the dial tone interrupted 100/100 ms', async () => {
    const clock = new FakeClock();
    const co = new CentralOffice({ clock, tones: { dial: 'f1=350@-17,f2=440@-17,c=100/100;' } });
    const phone = new SimulatedPhone({ clock });
    const loop = new Loop(clock, 'pstn');
    loop.attachExchange(co.line);
    loop.attachTerminal(phone);
    phone.offHook();
    const h = phone.hears('stutter', { timeoutMs: 1000 });
    clock.advance(1000);
    await h;
  });
});
