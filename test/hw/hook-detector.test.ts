/**
 * Test plan: the FXS hook-switch decoder under a FakeClock.
 *  - off-hook is reported at once; a loop opening is undecided until it closes or reaches hang-up time;
 *  - flash exactly at P251 and P252, not one ms outside; hang-up exactly at max(P833, P252 + 1);
 *  - with flash off, P833 alone decides hang-up;
 *  - dial pulses in the three standards of P28165, ignored when P20521 is off.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import {
  DEFAULT_HOOK_TIMINGS,
  HookDetector,
  PULSE_INTERDIGIT_MS,
  decodePulseCount,
  pulsesForDigit,
  type HookSignal,
  type HookTimings,
} from '../../cpe/hw/hook-detector';

function rig(t: Partial<HookTimings> = {}) {
  const clock = new FakeClock();
  const signals: HookSignal[] = [];
  const det = new HookDetector(clock, { ...DEFAULT_HOOK_TIMINGS, ...t }, (s) => signals.push(s));
  const names = () => signals.map((s) => (s.type === 'pulseDigit' ? `digit:${s.digit}` : s.type));
  /** Opens the loop for `ms`, then closes it. */
  const open = (ms: number) => {
    det.loop(false);
    clock.advance(ms);
    det.loop(true);
  };
  return { clock, det, signals, names, open };
}

describe('hw/hook-detector', () => {
  it('reports off-hook at once and hang-up after the hang-up time', () => {
    const r = rig();
    r.det.loop(true);
    assert.deepEqual(r.names(), ['offHook']);
    r.det.loop(false);
    r.clock.advance(1100);
    assert.deepEqual(r.names(), ['offHook'], 'still undecided at 1100 ms (could be a flash)');
    r.clock.advance(1);
    assert.deepEqual(r.names(), ['offHook', 'onHook']);
    assert.equal(r.det.state, 'onHook');
    assert.equal(r.clock.timerCount, 0, 'no timer left once on-hook');
  });

  const flashCases: [string, number, Partial<HookTimings>, string[]][] = [
    ['299 ms is a glitch', 299, {}, ['offHook']],
    ['300 ms (P251) is a flash', 300, {}, ['offHook', 'flash']],
    ['700 ms is a flash', 700, {}, ['offHook', 'flash']],
    ['1100 ms (P252) is a flash', 1100, {}, ['offHook', 'flash']],
    ['1101 ms is a hang-up', 1101, {}, ['offHook', 'onHook', 'offHook']],
    ['narrow window 500-600: 499 ignored', 499, { flashMinMs: 500, flashMaxMs: 600 }, ['offHook']],
    ['narrow window 500-600: 600 flash', 600, { flashMinMs: 500, flashMaxMs: 600 }, ['offHook', 'flash']],
    ['P833 longer than P252: 900 ignored', 900, { flashMaxMs: 800, onHookMs: 1000 }, ['offHook']],
    ['P833 longer than P252: 1000 hang-up', 1000, { flashMaxMs: 800, onHookMs: 1000 }, ['offHook', 'onHook', 'offHook']],
    ['flash off: 399 ignored', 399, { flashEnabled: false }, ['offHook']],
    ['flash off: 400 (P833) hang-up', 400, { flashEnabled: false }, ['offHook', 'onHook', 'offHook']],
  ];
  // Each case opens the loop for ms then closes it again (a hang-up is followed by a new off-hook).
  for (const [name, ms, t, want] of flashCases) {
    it(`flash timing: ${name}`, () => {
      const r = rig(t);
      r.det.loop(true);
      r.open(ms);
      r.clock.runAll();
      assert.deepEqual(r.names(), want);
    });
  }

  const pulseCases: [HookTimings['pulseStandard'], number, string][] = [
    ['general', 1, '1'],
    ['general', 10, '0'],
    ['general', 7, '7'],
    ['swedish', 1, '0'],
    ['swedish', 10, '9'],
    ['nz', 10, '0'],
    ['nz', 1, '9'],
    ['nz', 3, '7'],
  ];
  for (const [std, n, digit] of pulseCases) {
    it(`pulse decoding ${std}: ${n} pulses = ${digit}`, () => {
      assert.equal(decodePulseCount(n, std), digit);
      assert.equal(pulsesForDigit(digit, std), n);
    });
  }

  it('decodes a pulse-dialled number (60/40 ms at 10 pps, 700 ms between digits)', () => {
    const r = rig({ pulseEnabled: true });
    r.det.loop(true);
    for (const d of '4091') {
      for (let i = 0; i < pulsesForDigit(d, 'general'); i++) {
        r.open(60);
        r.clock.advance(40);
      }
      r.clock.advance(660);
    }
    assert.deepEqual(r.names(), ['offHook', 'digit:4', 'digit:0', 'digit:9', 'digit:1']);
  });

  it('a digit ends exactly after the inter-digit make time', () => {
    const r = rig({ pulseEnabled: true });
    r.det.loop(true);
    r.open(60);
    r.open(60);
    r.clock.advance(PULSE_INTERDIGIT_MS - 1);
    assert.deepEqual(r.names(), ['offHook']);
    r.clock.advance(1);
    assert.deepEqual(r.names(), ['offHook', 'digit:2']);
  });

  it('ignores pulses when pulse dialing (P20521) is off', () => {
    const r = rig({ pulseEnabled: false });
    r.det.loop(true);
    for (let i = 0; i < 3; i++) {
      r.open(60);
      r.clock.advance(40);
    }
    r.clock.runAll();
    assert.deepEqual(r.names(), ['offHook']);
  });

  it('a hang-up in the middle of a pulse train drops the partial digit', () => {
    const r = rig({ pulseEnabled: true });
    r.det.loop(true);
    r.open(60);
    r.det.loop(false);
    r.clock.runAll();
    assert.deepEqual(r.names(), ['offHook', 'onHook']);
  });

  it('new timings apply from the next edge', () => {
    const r = rig();
    r.det.loop(true);
    r.det.configure({ ...DEFAULT_HOOK_TIMINGS, flashMinMs: 100, flashMaxMs: 200, onHookMs: 250 });
    r.open(150);
    r.det.loop(false);
    r.clock.advance(250);
    assert.deepEqual(r.names(), ['offHook', 'flash', 'onHook']);
  });
});
