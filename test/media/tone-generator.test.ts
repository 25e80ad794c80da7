import assert from 'node:assert/strict';
import { ToneGenerator, renderTone, toneFromString } from '../../cpe/media/dsp/tone-generator';
import { peakToDbm0, rms } from '../../cpe/media/dsp/audio';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { DecodeError } from '../../cpe/shared/errors';
import { ht813Catalogue } from '../../cpe/params/catalogue';

/** Level (dBm0) of `hz` measured by Goertzel over [startMs, startMs+ms). */
function level(x: Int16Array, hz: number, startMs: number, ms = 40): number {
  return peakToDbm0(toneAmplitude(x, startMs * 8, ms * 8, hz));
}

/** Per-10 ms "on" flags of a rendered tone (energy above −50 dBm0). */
function onOff(x: Int16Array): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i + 80 <= x.length; i += 80) out.push(rms(x, i, 80) > 10);
  return out;
}

describe('media tone generator', () => {
  const cases: [string, string, number[], number, number[]][] = [
    // [name, tone string, frequencies, level dBm0, expected on/off ms pattern over the first period]
    ['dial P4000', 'f1=350@-17,f2=440@-17,c=0/0;', [350, 440], -17, []],
    ['ringback P4001', 'f1=440@-17,f2=480@-17,c=2000/4000;', [440, 480], -17, [2000, 4000]],
    ['busy P4002', 'f1=480@-21,f2=620@-21,c=500/500;', [480, 620], -21, [500, 500]],
    ['reorder P4003', 'f1=480@-21,f2=620@-21,c=250/250;', [480, 620], -21, [250, 250]],
    ['confirmation P4004', 'f1=350@-11,f2=440@-11,c=100/100-100/100-100/100;', [350, 440], -11, [100, 100, 100, 100, 100, 100]],
    ['call waiting P4005', 'f1=440@-13,c=300/10000;', [440], -13, [300, 10000]],
    ['multi-segment', 'f1=425@-15,c=300/200-600/900;', [425], -15, [300, 200, 600, 900]],
  ];
  for (const [name, str, freqs, dbm, pattern] of cases) {
    it(`${name}: frequencies and levels measured by Goertzel`, () => {
      const x = renderTone(toneFromString(str), 100);
      for (const f of freqs) assert.ok(Math.abs(level(x, f, 20, 80) - dbm) < 0.5, `${f} Hz at ${level(x, f, 20, 80)} dBm0`);
      // a frequency not in the tone is absent
      assert.ok(level(x, 1000, 20, 80) < dbm - 30);
    });
    it(`${name}: cadence follows the string`, () => {
      const total = pattern.reduce((a, b) => a + b, 0) || 500;
      const x = renderTone(toneFromString(str), total * 2);
      const flags = onOff(x);
      const expected: boolean[] = [];
      const seq = pattern.length ? pattern : [total];
      for (let rep = 0; rep < 2; rep++) seq.forEach((ms, i) => expected.push(...Array<boolean>(ms / 10).fill(i % 2 === 0)));
      assert.deepEqual(flags, expected);
    });
  }
  it('streams in 20 ms frames identically to one render', () => {
    const def = toneFromString('f1=480@-21,f2=620@-21,c=250/250;');
    const whole = renderTone(def, 1000);
    const gen = new ToneGenerator(def);
    for (let f = 0; f < 50; f++) assert.deepEqual(gen.read(new Int16Array(160)), whole.subarray(f * 160, f * 160 + 160));
  });
  it('every tone default in the P-value catalogue renders, each frequency at its level', () => {
    const tones = ht813Catalogue().entries.filter((d) => d.type.kind === 'tone');
    assert.ok(tones.length >= 8, `${tones.length} tone P-values`);
    for (const d of tones) {
      const def = toneFromString(d.default);
      const x = renderTone(def, 60);
      for (const c of def.components) assert.ok(Math.abs(level(x, c.hz, 10, 40) - c.dbm0) < 0.7, `P${d.id} ${c.hz} Hz`);
    }
  });
  it('a malformed tone string is a DecodeError', () => {
    for (const bad of ['f1=99999@-17;', 'c=1/1;', 'f1=350@-17,c=a/b;', '']) assert.throws(() => toneFromString(bad), DecodeError);
  });
});
