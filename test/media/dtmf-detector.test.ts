import assert from 'node:assert/strict';
import { DtmfDetector, detectDtmf } from '../../cpe/media/dsp/dtmf-detector';
import { renderDtmf, DTMF_DIGITS } from '../../cpe/media/dsp/dtmf-generator';
import { clip16, concatSamples } from '../../cpe/media/dsp/audio';
import { SeededRandom } from '../../cpe/shared/random';
import { noise, plus } from '../support/signals';


/** Voiced "speech": a glottal-like harmonic series (F0 gliding 90–250 Hz) shaped by moving formants, syllables with pauses. */
function speechLike(ms: number, seed: number): Int16Array {
  const r = new SeededRandom(seed);
  const out = new Int16Array(ms * 8);
  let phase = 0;
  let f0 = 120;
  let f1 = 500;
  let f2 = 1500;
  for (let i = 0; i < out.length; i++) {
    if (i % 800 === 0) {
      f0 = 90 + r.float() * 160;
      f1 = 300 + r.float() * 600;
      f2 = 900 + r.float() * 1600;
    }
    phase += (2 * Math.PI * f0) / 8000;
    let v = 0;
    for (let h = 1; h * f0 < 3600; h++) {
      const f = h * f0;
      const g = 1 / (1 + ((f - f1) / 120) ** 2) + 0.6 / (1 + ((f - f2) / 180) ** 2);
      v += g * Math.sin(h * phase);
    }
    const syllable = Math.floor(i / 1600) % 4 === 3 ? 0 : 1;
    out[i] = clip16(v * 3000 * syllable);
  }
  return out;
}

describe('media DTMF detector', () => {
  it('detects every digit generated at nominal level', () => {
    assert.equal(detectDtmf(renderDtmf(DTMF_DIGITS)), DTMF_DIGITS);
  });
  const table: [string, { lowDbm0: number; highDbm0: number; onMs?: number; offMs?: number }, number | undefined, string][] = [
    ['−25 dBm0 per tone (weak line)', { lowDbm0: -25, highDbm0: -25 }, undefined, '159#'],
    ['0 dBm0 per tone (hot line)', { lowDbm0: -3, highDbm0: -3 }, undefined, '260*'],
    ['normal twist +6 dB (high group stronger)', { lowDbm0: -14, highDbm0: -8 }, undefined, '3690'],
    ['reverse twist 4 dB (low group stronger)', { lowDbm0: -6, highDbm0: -10 }, undefined, 'ABCD'],
    ['white noise at 15 dB SNR', { lowDbm0: -10, highDbm0: -8 }, -24, '0123456789'],
    ['white noise at 10 dB SNR', { lowDbm0: -10, highDbm0: -8 }, -19, '#*87'],
    ['Q.24 minimum 40 ms tone, 40 ms pause', { lowDbm0: -8, highDbm0: -6, onMs: 40, offMs: 40 }, undefined, '55555'],
  ];
  for (const [name, opts, noiseDbm0, digits] of table) {
    it(`detects ${digits} with ${name}`, () => {
      let x = renderDtmf(digits, opts);
      if (noiseDbm0 !== undefined) x = plus(x, noise(x.length, noiseDbm0, 7));
      assert.equal(detectDtmf(x), digits);
    });
  }
  it('level changes: consecutive digits from −28 to −2 dBm0 in one stream, each detected once', () => {
    const levels = [-28, -3, -18, -8, -25, -2, -12, -22];
    const x = concatSamples(levels.map((l, i) => renderDtmf('1470*#AD'[i]!, { lowDbm0: l - 1, highDbm0: l + 1 })));
    assert.equal(detectDtmf(x), '1470*#AD');
  });
  it('level change within a digit (a 20 dB swell and fade) is still one digit', () => {
    const tone = renderDtmf('6', { onMs: 300, offMs: 100 });
    const env = Int16Array.from(tone, (v, i) => Math.round(v * 10 ** ((-20 + 20 * Math.sin((Math.PI * Math.min(i, 2400)) / 2400)) / 20)));
    assert.equal(detectDtmf(env), '6');
  });
  it('rejects tones beyond the twist limits and below the minimum level', () => {
    assert.equal(detectDtmf(renderDtmf('5', { lowDbm0: -20, highDbm0: -8 })), ''); // 12 dB normal twist
    assert.equal(detectDtmf(renderDtmf('5', { lowDbm0: -6, highDbm0: -16 })), ''); // 10 dB reverse twist
    assert.equal(detectDtmf(renderDtmf('5', { lowDbm0: -45, highDbm0: -45 })), '');
  });
  it('ignores a 20 ms blip (shorter than a valid digit)', () => {
    assert.equal(detectDtmf(renderDtmf('7', { onMs: 20, offMs: 100 })), '');
  });
  it('talk-off: 60 s of synthetic voiced speech and noise produce no digit', () => {
    let hits = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const x = plus(speechLike(10_000, seed), noise(80_000, -40, seed));
      hits += detectDtmf(x).length;
    }
    assert.equal(hits, 0);
  });
  it('speech then a digit: the digit still gets through', () => {
    const x = concatSamples([speechLike(2000, 9), renderDtmf('8'), speechLike(1000, 10)]);
    assert.equal(detectDtmf(x), '8');
  });
  it('reports start and end sample positions and works frame by frame', () => {
    const x = concatSamples([new Int16Array(800), renderDtmf('9', { onMs: 200, offMs: 200 })]);
    const det = new DtmfDetector();
    const events = [];
    for (let i = 0; i < x.length; i += 160) events.push(...det.push(x.subarray(i, i + 160)));
    assert.equal(events.length, 2);
    assert.equal(events[0]!.digit, '9');
    assert.ok(Math.abs(events[0]!.startSample - 800) <= 102, `start ${events[0]!.startSample}`);
    assert.ok(Math.abs(events[1]!.endSample! - 2400) <= 204, `end ${events[1]!.endSample}`);
  });

  it('Int16Array frames and plain arrays of the same samples give the same events', () => {
    const x = concatSamples([renderDtmf('147*', { onMs: 60, offMs: 50 }), new Int16Array(400)]);
    const typed = new DtmfDetector();
    const plain = new DtmfDetector();
    const a = [];
    const b = [];
    for (let i = 0; i < x.length; i += 160) {
      a.push(...typed.push(x.subarray(i, i + 160)));
      b.push(...plain.push(Array.from(x.subarray(i, i + 160))));
    }
    assert.deepEqual(a, b);
    assert.equal(a.filter((e) => e.endSample === undefined).map((e) => e.digit).join(''), '147*');
  });
});
