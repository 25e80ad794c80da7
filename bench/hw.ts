/**
 * Line hardware benchmark.
 *  1. Simulated lines on one core: N FXS ports each with an off-hook simulated phone hearing a
 *     dial tone (tone generation, loop, tone classifier, DTMF detector and two FSK receivers per
 *     20 ms frame), driven by a FakeClock as fast as the CPU allows. Figure: line-seconds of
 *     audio per wall second = how many lines one core keeps in real time. Baseline in the same
 *     run: the tone generator alone producing the same frames (the irreducible work).
 *  2. Caller ID: one Bellcore ring with caller ID synthesised on the FXS port and decoded by the
 *     phone, against media's encode + FSK modulate + receive of the same message (baseline).
 */
import { FakeClock } from '../test/support/fake-clock';
import { silentLogger } from '../cpe/shared/logger';
import { Loop } from '../cpe/hw/loop';
import { SimFxsPort } from '../cpe/hw/fxs-port';
import { SimulatedPhone } from '../cpe/hw/sim/simulated-phone';
import { DEFAULT_FXS_CONFIG } from '../cpe/hw/config';
import { ToneGenerator, toneFromString } from '../cpe/media/dsp/tone-generator';
import { fskCallerIdAudio } from '../cpe/media/callerid/cid-sequence';
import { receiveCallerId } from '../cpe/media/callerid/cid-receiver';
import { line, measure, type Measure } from './_report';

const DIAL = 'f1=350@-17,f2=440@-17,c=0/0;';
const LINES = 50;
const SIM_MS = 10_000;

function linesRealTime(): { m: Measure; lineSecondsPerSecond: number } {
  const clock = new FakeClock();
  for (let i = 0; i < LINES; i++) {
    const fxs = new SimFxsPort(clock, silentLogger, DEFAULT_FXS_CONFIG);
    const loop = new Loop(clock, `fxs${i}`);
    const phone = new SimulatedPhone({ clock });
    loop.attachExchange(fxs.line);
    loop.attachTerminal(phone);
    phone.offHook();
    fxs.playTone(DIAL);
  }
  const start = process.hrtime.bigint();
  clock.advance(SIM_MS);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { m: { name: `${LINES} lines x ${SIM_MS / 1000} s off-hook, dial tone`, ops: LINES * (SIM_MS / 20), ms }, lineSecondsPerSecond: (LINES * SIM_MS) / ms };
}

function toneOnly(): Measure {
  const gen = new ToneGenerator(toneFromString(DIAL));
  const frame = new Int16Array(160);
  const frames = LINES * (SIM_MS / 20);
  const start = process.hrtime.bigint();
  for (let i = 0; i < frames; i++) gen.read(frame);
  return { name: 'baseline: tone generator alone, same frames', ops: frames, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function callerIdRoundTrip(): void {
  const cid = { number: '6265551234', name: 'A B', dateTime: '11241530' };
  const base = measure('baseline: media FSK encode + receive', () => {
    const got = receiveCallerId(fskCallerIdAudio(cid, 'bell202'), 'bell202');
    if (got.length !== 1) throw new Error('baseline decode failed');
  }, 1500);
  const hw = measure('FXS ring + caller ID decoded by the phone', () => {
    const clock = new FakeClock();
    const fxs = new SimFxsPort(clock, silentLogger, DEFAULT_FXS_CONFIG);
    const loop = new Loop(clock, 'fxs');
    const phone = new SimulatedPhone({ clock });
    loop.attachExchange(fxs.line);
    loop.attachTerminal(phone);
    fxs.ring({ callerId: cid });
    clock.advance(4000);
    if (phone.callerId?.number !== cid.number) throw new Error('caller ID not decoded');
    fxs.stopRing();
  }, 1500);
  console.log(line(base));
  console.log(line(hw, base));
}

const sim = linesRealTime();
const base = toneOnly();
console.log(line(sim.m, base).replace('ops/s', 'frames/s'));
console.log(line(base).replace('ops/s', 'frames/s'));
console.log(`real-time lines per core (simulated line-seconds per wall second): ${sim.lineSecondsPerSecond.toFixed(0)}`);
callerIdRoundTrip();
