import assert from 'node:assert/strict';
import { G711Plc } from '../../cpe/media/codecs/plc';
import { CnGenerator, decodeCn, describeNoise, encodeCn, noiseLevel } from '../../cpe/media/codecs/cn';
import { SeededRandom } from '../../cpe/shared/random';
import { DecodeError } from '../../cpe/shared/errors';
import { rms } from '../../cpe/media/dsp/audio';

/** A voiced sound: 160 Hz fundamental and harmonics. */
function voiced(n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 160 * i) / 8000) + 3000 * Math.sin((2 * Math.PI * 320 * i) / 8000 + 1) + 1500 * Math.sin((2 * Math.PI * 480 * i) / 8000 + 2)));
}

function snrDb(ref: ArrayLike<number>, got: ArrayLike<number>): number {
  let s = 0;
  let e = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i]! ** 2;
    e += (ref[i]! - got[i]!) ** 2;
  }
  return 10 * Math.log10(s / Math.max(e, 1e-9));
}

describe('media G.711 Appendix I packet loss concealment', () => {
  it('good frames pass through delayed by 3.75 ms (30 samples)', () => {
    const x = voiced(1600);
    const plc = new G711Plc();
    const out: number[] = [];
    for (let i = 0; i < x.length; i += 160) out.push(...plc.good(x.subarray(i, i + 160)));
    assert.deepEqual(out.slice(30), Array.from(x.subarray(0, x.length - 30)));
  });
  it('a whole frame at once gives exactly what its 10 ms blocks one by one give, losses included', () => {
    const x = voiced(8000);
    const r = new SeededRandom(7);
    const whole = new G711Plc();
    const blocks = new G711Plc();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i + 240 <= x.length; ) {
      const n = [80, 160, 240][r.int(3)] as number;
      if (r.int(5) === 0) {
        a.push(...whole.conceal(n));
        for (let k = 0; k < n; k += 80) b.push(...blocks.conceal(80));
      } else {
        a.push(...whole.good(x.subarray(i, i + n)));
        for (let k = 0; k < n; k += 80) b.push(...blocks.good(x.subarray(i + k, i + k + 80)));
      }
      i += n;
    }
    assert.ok(a.length > 7000);
    assert.deepEqual(a, b);
    assert.deepEqual(whole.stats, blocks.stats);
  });

  it('concealment depends on the last 48.75 ms heard only, wherever the history ring stands', () => {
    const x = voiced(1600);
    const junk = Int16Array.from({ length: 80 * 7 }, (_, i) => ((i * 7919) % 20000) - 10000);
    const tail = (plc: G711Plc): number[] => {
      for (let i = 0; i < x.length; i += 160) plc.good(x.subarray(i, i + 160));
      const out = [...plc.conceal(160), ...plc.conceal(80)];
      for (let i = 0; i < 480; i += 160) out.push(...plc.good(x.subarray(i, i + 160)));
      return out;
    };
    const reference = tail(new G711Plc());
    // the same audio after 1..7 blocks of other audio: the ring's start differs every time
    for (let k = 1; k <= 7; k++) {
      const plc = new G711Plc();
      for (let i = 0; i < k; i++) plc.good(junk.subarray(i * 80, i * 80 + 80));
      assert.deepEqual(tail(plc), reference, `after ${k} blocks`);
    }
  });

  it('a lost 20 ms frame of voiced speech is rebuilt from the pitch period (SNR > 10 dB, silence would be 0 dB)', () => {
    const x = voiced(3200);
    const plc = new G711Plc();
    const out: number[] = [];
    for (let f = 0; f < 20; f++) {
      const frame = x.subarray(f * 160, f * 160 + 160);
      out.push(...(f === 10 ? plc.conceal(160) : plc.good(frame)));
    }
    // frame 10 plays at output samples 1600..1760, carrying input 1570..1730
    const got = out.slice(1600, 1760);
    const ref = Array.from(x.subarray(1570, 1730));
    assert.ok(snrDb(ref, got) > 10, `SNR ${snrDb(ref, got).toFixed(1)} dB`);
    assert.equal(plc.stats.concealed, 2);
  });
  it('long losses fade out and are silent after 60 ms', () => {
    const x = voiced(1600);
    const plc = new G711Plc();
    for (let i = 0; i < x.length; i += 160) plc.good(x.subarray(i, i + 160));
    const l1 = rms(plc.conceal(160));
    const l2 = rms(plc.conceal(160));
    const l3 = rms(plc.conceal(160));
    const f4 = plc.conceal(160);
    assert.ok(l1 > 2000 && l2 < l1 && l3 < l2, `${l1} ${l2} ${l3}`);
    // 60 ms into the loss (after the 30-sample output delay) only silence is left
    assert.equal(rms(f4, 30, 130), 0);
  });
});

describe('media comfort noise (RFC 3389)', () => {
  it('payload codec: level byte then quantised reflection coefficients', () => {
    const p = encodeCn({ level: 62, reflection: [0.5, -0.25] });
    assert.deepEqual([...p], [62, 191, 95]);
    assert.deepEqual(decodeCn(p), { level: 62, reflection: [0.5, -0.25] });
    assert.deepEqual(decodeCn(Buffer.from([70])), { level: 70, reflection: [] });
    assert.throws(() => decodeCn(Buffer.alloc(0)), DecodeError);
    assert.throws(() => decodeCn(Buffer.from([200])), DecodeError);
  });
  it('generated noise has the described level, and the spectrum tilt survives', () => {
    const r = new SeededRandom(4);
    // low-pass noise: a first-order recursion
    const src = new Int16Array(1600);
    let y = 0;
    for (let i = 0; i < src.length; i++) src[i] = Math.round((y = 0.9 * y + (r.float() - 0.5) * 600));
    const cn = describeNoise(src, 4);
    const gen = new CnGenerator(new SeededRandom(5), decodeCn(encodeCn(cn)));
    const out = gen.read(new Int16Array(1600));
    assert.ok(Math.abs(noiseLevel(out) - cn.level) <= 1, `${noiseLevel(out)} vs ${cn.level}`);
    // low-pass: adjacent samples strongly correlated, as in the source
    let c = 0;
    let e = 0;
    for (let i = 1; i < out.length; i++) {
      c += out[i]! * out[i - 1]!;
      e += out[i]! * out[i]!;
    }
    assert.ok(c / e > 0.7, `lag-1 correlation ${c / e}`);
  });
});
