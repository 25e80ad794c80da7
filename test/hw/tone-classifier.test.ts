/**
 * Test plan: the tone classifier on tones rendered by media's generator from the HT813 default
 * tone strings, at their levels and 10 dB weaker, with a noise floor: each is named, tones sharing
 * frequencies are told apart by cadence, silence and other audio are named as such.
 */
import assert from 'node:assert/strict';
import { renderTone, toneFromString } from '../../cpe/media/dsp/tone-generator';
import { DEFAULT_TONES, ToneClassifier } from '../../cpe/hw/tone-classifier';

function classify(samples: Int16Array, noise = 0): string[] {
  const c = new ToneClassifier(DEFAULT_TONES);
  let seed = 7;
  const labels: string[] = [];
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    const f = samples.slice(i, i + 160);
    for (let k = 0; k < f.length; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      f[k] = Math.max(-32768, Math.min(32767, f[k]! + Math.round(((seed / 0x7fffffff) * 2 - 1) * noise)));
    }
    for (const e of c.push(f)) labels.push(e.label);
  }
  return labels;
}

const CASES: [string, string, number][] = [
  ['dial', 'f1=350@-17,f2=440@-17,c=0/0;', 1500],
  ['ringback', 'f1=440@-17,f2=480@-17,c=2000/4000;', 1500],
  ['busy', 'f1=480@-21,f2=620@-21,c=500/500;', 2500],
  ['reorder', 'f1=480@-21,f2=620@-21,c=250/250;', 1500],
  ['confirmation', 'f1=350@-11,f2=440@-11,c=100/100-100/100-100/100;', 600],
  ['callWaiting', 'f1=440@-13,c=300/10000;', 600],
];

describe('hw/tone-classifier', () => {
  for (const [label, tone, ms] of CASES) {
    it(`names ${label}`, () => {
      assert.deepEqual(classify(renderTone(toneFromString(tone), ms)), [label]);
    });
    it(`names ${label} 10 dB weaker over a noise floor`, () => {
      const weaker = tone.replace(/@-(\d+)/g, (_, d: string) => `@-${Number(d) + 10}`);
      assert.deepEqual(classify(renderTone(toneFromString(weaker), ms), 30), [label]);
    });
  }

  it('names silence after a tone stops, and other audio as audio', () => {
    const dial = renderTone(toneFromString('f1=350@-17,f2=440@-17,c=0/0;'), 1000);
    const gap = new Int16Array(8 * 600);
    const speechLike = renderTone(toneFromString('f1=700@-15,f2=1900@-15,c=0/0;'), 500);
    const all = new Int16Array(dial.length + gap.length + speechLike.length);
    all.set(dial, 0);
    all.set(gap, dial.length);
    all.set(speechLike, dial.length + gap.length);
    assert.deepEqual(classify(all), ['dial', 'silence', 'audio']);
  });

  it('does not take a dial tone for a confirmation tone or busy for reorder', () => {
    assert.ok(!classify(renderTone(toneFromString('f1=350@-17,f2=440@-17,c=0/0;'), 3000)).includes('confirmation'));
    assert.ok(!classify(renderTone(toneFromString('f1=480@-21,f2=620@-21,c=500/500;'), 5000)).includes('reorder'));
  });

  it('a continuous 440 Hz (a far end\'s test tone) is audio, not a call-waiting tone', () => {
    assert.deepEqual(classify(renderTone(toneFromString('f1=440@-13,c=0/0;'), 1500)), ['audio']);
  });
});
