/*
 * Test plan: the fax tone detector on tones generated here (cpe/media/dsp/fax-tones.ts).
 *  - golden timing: each tone starting at sample 0 is recognised at an exact sample (CNG when its
 *    0.5 s burst has ended and 30 ms of silence followed: 4240; ANS/ANSam after 400 ms: 3200;
 *    V.21 when the 8th flag's marks end: 1694), whatever the chunk size the audio comes in;
 *  - tolerances: CNG 1100 ± 38 Hz, ANS 2100 ± 15 Hz (T.30, V.25) are recognised; frequencies
 *    outside, CNG bursts too short or too long, ANS shorter than 400 ms are not;
 *  - ANSam's 15 Hz modulation (V.8) is named, V.25 phase reversals are counted, neither breaks
 *    the tone;
 *  - white noise at 10 dB SNR leaves every tone recognised; noise alone, speech-like signals
 *    with formants on 1100 and 2100 Hz, call-progress tones, DTMF, caller-ID FSK (Bell 202 and
 *    V.23, whose space is 2100 Hz) and a steady V.21 mark trigger nothing;
 *  - under the media clock (FakeClock): a CNG burst sent from t0 is reported at t0 + 540 ms.
 */
import assert from 'node:assert/strict';
import { clip16, concatSamples, dbm0ToPeak, silence } from '../../cpe/media/dsp/audio';
import { FaxToneDetector, type FaxToneEvent } from '../../cpe/media/dsp/fax-tone-detector';
import { hdlcFlagBits, renderAns, renderCng, renderV21 } from '../../cpe/media/dsp/fax-tones';
import { renderDtmf } from '../../cpe/media/dsp/dtmf-generator';
import { fskBurst } from '../../cpe/media/dsp/fsk-modem';
import { renderDualTone, renderTone } from '../../cpe/media/dsp/tone-generator';
import { MediaClock } from '../../cpe/media/media-clock';
import { BufferPort } from '../../cpe/media/media-port';
import { SeededRandom } from '../../cpe/shared/random';
import { FakeClock } from '../support/fake-clock';
import { noise, plus } from '../support/signals';


/**
 * A voiced vowel: a glottal pulse train (f0 with 5 Hz vibrato and per-period jitter) through
 * three formant resonators (bandwidth 80 Hz), at about −15 dBm0, in 250 ms syllables with pauses.
 */
function vowel(ms: number, f0: number, formants: readonly number[], seed: number): Int16Array {
  const r = new SeededRandom(seed);
  const n = ms * 8;
  const src = new Float64Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (i >= next) {
      src[i] = 1;
      const f = f0 * (1 + 0.03 * Math.sin((2 * Math.PI * 5 * i) / 8000)) * (1 + 0.01 * (r.float() - 0.5));
      next = i + 8000 / f;
    }
  }
  let y = src;
  for (const f of formants) {
    const rad = Math.exp((-Math.PI * 80) / 8000);
    const c1 = 2 * rad * Math.cos((2 * Math.PI * f) / 8000);
    const c2 = -rad * rad;
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = y[i]! + c1 * (o[i - 1] ?? 0) + c2 * (o[i - 2] ?? 0);
    y = o;
  }
  let e = 0;
  for (const v of y) e += v * v;
  const gain = dbm0ToPeak(-15) / Math.SQRT2 / Math.sqrt(e / n);
  return Int16Array.from(y, (v, i) => (Math.floor(i / 2000) % 2 === 1 ? 0 : clip16(v * gain)));
}

/** Runs the detector over `samples` in chunks of `chunk` samples. */
function detect(samples: Int16Array, chunk = 160): { events: FaxToneEvent[]; det: FaxToneDetector } {
  const det = new FaxToneDetector();
  const events: FaxToneEvent[] = [];
  for (let i = 0; i < samples.length; i += chunk) events.push(...det.push(samples.slice(i, i + chunk)));
  return { events, det };
}

const tones = (samples: Int16Array): string => detect(samples).events.map((e) => e.tone).join(',');

describe('fax tone detector', () => {
  describe('golden timing', () => {
    const table: [string, Int16Array, FaxToneEvent][] = [
      ['CNG 0.5 s burst (T.30)', renderCng(4000), { tone: 'cng', atSample: 4240, startSample: 0 }],
      ['CED 2100 Hz (T.30)', renderAns(3000), { tone: 'ans', atSample: 3200, startSample: 0 }],
      ['ANS with phase reversals (V.25)', renderAns(3300, { reversalMs: 450 }), { tone: 'ans', atSample: 3200, startSample: 0 }],
      ['ANSam (V.8)', renderAns(3300, { am: true }), { tone: 'ansam', atSample: 3200, startSample: 0 }],
      ['/ANSam (V.8 with V.25 reversals)', renderAns(3300, { am: true, reversalMs: 450 }), { tone: 'ansam', atSample: 3200, startSample: 0 }],
      ['V.21 preamble, 38 flags (T.30 1 s)', renderV21(hdlcFlagBits(38)), { tone: 'v21', atSample: 1694, startSample: 27 }],
    ];
    for (const [name, samples, expected] of table) {
      it(name, () => {
        for (const chunk of [160, 80, 37, 1000]) assert.deepEqual(detect(samples, chunk).events, [expected], `chunks of ${chunk}`);
      });
    }

    it('a tone starting mid-block is placed within one block (10 ms) of its start', () => {
      const { events } = detect(concatSamples([new Int16Array(37), renderCng(1000), new Int16Array(1000)]));
      assert.equal(events.length, 1);
      assert.equal(events[0]!.tone, 'cng');
      assert.ok(Math.abs(events[0]!.startSample - 37) <= 80, `start ${events[0]!.startSample}`);
    });

    it('CNG every 3.5 s is reported once per burst; ANS once per tone', () => {
      assert.equal(tones(renderCng(10_000)), 'cng,cng,cng');
      assert.equal(tones(concatSamples([renderAns(1000), silence(500), renderAns(1000)])), 'ans,ans');
    });

    it('V.25 reversals are counted (7 in 3.3 s), ANS without them counts none', () => {
      assert.equal(detect(renderAns(3300, { reversalMs: 450 })).det.ansReversals, 7);
      assert.equal(detect(renderAns(3300, { am: true, reversalMs: 450 })).det.ansReversals, 7);
      assert.equal(detect(renderAns(3300)).det.ansReversals, 0);
    });
  });

  describe('tolerances', () => {
    const table: [string, Int16Array, string][] = [
      ['CNG 1062 Hz (−38)', renderCng(4000, { hz: 1062 }), 'cng'],
      ['CNG 1138 Hz (+38)', renderCng(4000, { hz: 1138 }), 'cng'],
      ['CNG burst 425 ms (−15 %)', renderCng(3400, { onMs: 425 }), 'cng'],
      ['CNG burst 575 ms (+15 %)', renderCng(4000, { onMs: 575 }), 'cng'],
      ['CNG at −40 dBm0', renderCng(4000, { dbm0: -40 }), 'cng'],
      ['CNG at 0 dBm0', renderCng(4000, { dbm0: 0 }), 'cng'],
      ['ANS 2085 Hz (−15)', renderAns(3000, { hz: 2085 }), 'ans'],
      ['ANS 2115 Hz (+15)', renderAns(3000, { hz: 2115 }), 'ans'],
      ['ANS at −40 dBm0', renderAns(3000, { dbm0: -40 }), 'ans'],
      ['1100 Hz burst of 300 ms', renderCng(4000, { onMs: 300 }), ''],
      ['1100 Hz burst of 800 ms', renderCng(4000, { onMs: 800 }), ''],
      ['1100 Hz held 3 s', renderCng(3000, { onMs: 3000 }), ''],
      ['1000 Hz bursts', renderCng(4000, { hz: 1000 }), ''],
      ['1150 Hz bursts', renderCng(4000, { hz: 1150 }), ''],
      ['1200 Hz bursts', renderCng(4000, { hz: 1200 }), ''],
      ['CNG at −50 dBm0 (below −43)', renderCng(4000, { dbm0: -50 }), ''],
      ['2100 Hz for 300 ms', renderAns(300), ''],
      ['2000 Hz', renderAns(3000, { hz: 2000 }), ''],
      ['2070 Hz', renderAns(3000, { hz: 2070 }), ''],
      ['2130 Hz', renderAns(3000, { hz: 2130 }), ''],
      ['2200 Hz', renderAns(3000, { hz: 2200 }), ''],
    ];
    for (const [name, samples, expected] of table) it(`${name} → ${expected || 'nothing'}`, () => assert.equal(tones(samples), expected));
  });

  describe('noise', () => {
    const snr10: [string, Int16Array, string][] = [
      ['CNG at −15 dBm0', renderCng(4000, { dbm0: -15 }), 'cng'],
      ['ANS at −15 dBm0', renderAns(3000, { dbm0: -15 }), 'ans'],
      ['ANSam at −15 dBm0', renderAns(3000, { dbm0: -15, am: true }), 'ansam'],
      ['/ANSam at −15 dBm0', renderAns(3300, { dbm0: -15, am: true, reversalMs: 450 }), 'ansam'],
      ['V.21 flags at −15 dBm0', renderV21(hdlcFlagBits(38), -15), 'v21'],
    ];
    for (const [name, samples, expected] of snr10) {
      it(`${name} in white noise at 10 dB SNR`, () => {
        for (const seed of [1, 2, 3]) {
          const { events } = detect(plus(samples, noise(samples.length, -25, seed)));
          assert.equal(events.map((e) => e.tone).join(','), expected, `seed ${seed}`);
          const clean = detect(samples).events[0]!;
          assert.ok(Math.abs(events[0]!.atSample - clean.atSample) <= 160, `seed ${seed}: at ${events[0]!.atSample}, clean ${clean.atSample}`);
        }
      });
    }
    it('white noise alone (−10, −30 dBm0) triggers nothing', () => {
      assert.equal(tones(plus(new Int16Array(80_000), noise(80_000, -10, 4))), '');
      assert.equal(tones(plus(new Int16Array(80_000), noise(80_000, -30, 5))), '');
    });
  });

  describe('signals that are not fax tones', () => {
    const table: [string, () => Int16Array][] = [
      ['vowel, f0 110 Hz, formants 700/1100/2400 Hz', () => vowel(10_000, 110, [700, 1100, 2400], 1)],
      ['vowel, f0 105 Hz, formants 500/1500/2100 Hz', () => vowel(10_000, 105, [500, 1500, 2100], 2)],
      ['vowel, f0 220 Hz, formants 1100/2100 Hz', () => vowel(10_000, 220, [1100, 2100], 3)],
      ['vowel, f0 150 Hz, formants 1650/1850 Hz', () => vowel(10_000, 150, [1650, 1850], 4)],
      ['dial tone 350+440 Hz', () => renderDualTone([350, 440], -13, 5000)],
      ['ringback 440+480 Hz', () => renderTone({ components: [{ hz: 440, dbm0: -13 }, { hz: 480, dbm0: -13 }], cadence: [{ onMs: 2000, offMs: 4000 }] }, 12_000)],
      ['busy 480+620 Hz', () => renderTone({ components: [{ hz: 480, dbm0: -13 }, { hz: 620, dbm0: -13 }], cadence: [{ onMs: 500, offMs: 500 }] }, 5000)],
      ['DTMF digits', () => renderDtmf('0123456789*#ABCD', { onMs: 500, offMs: 100 })],
      ['Bell 202 caller ID FSK', () => fskBurst(Array.from({ length: 60 }, (_, i) => (i * 37) & 0xff), { standard: 'bell202', seizureBits: 300, markBits: 180 })],
      ['V.23 caller ID FSK (space 2100 Hz)', () => fskBurst(Array.from({ length: 60 }, (_, i) => (i * 37) & 0xff), { standard: 'v23', seizureBits: 300, markBits: 180 })],
      ['a steady V.21 mark (1650 Hz) and space (1850 Hz)', () => concatSamples([renderV21(new Array(300).fill(1)), renderV21(new Array(300).fill(0))])],
      ['V.21 data without flags (0x55 bytes)', () => renderV21(Array.from({ length: 600 }, (_, i) => i & 1))],
    ];
    for (const [name, make] of table) it(name, () => assert.equal(tones(make()), ''));
  });

  it('under the media clock: a CNG burst sent from t0 is reported at t0 + 540 ms (frame 27, sample 4240)', () => {
    const clock = new FakeClock();
    const media = new MediaClock(clock);
    const det = new FaxToneDetector();
    const heard: { tone: string; ms: number }[] = [];
    const t0 = clock.now();
    media.pipe(new BufferPort(renderCng(4000)), { writeFrame: (f) => det.push(f).forEach((e) => heard.push({ tone: e.tone, ms: clock.now() - t0 })) });
    clock.advance(3000);
    assert.deepEqual(heard, [{ tone: 'cng', ms: 540 }]);
  });
});
