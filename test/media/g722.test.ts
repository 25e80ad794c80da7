/**
 * Test plan: G.722 64 kbit/s. The ITU-T G.722 test sequences cannot be fetched here, so the codes
 * and decoded samples are checked bit for bit against spandsp (Debian libspandsp-dev, whose G.722
 * passes those sequences in its own suite) for sweeps, speech-like audio, noise, full-scale
 * squares and silence (decoded samples: but where the receive QMF overflows, which spandsp
 * wraps and we saturate); ffmpeg's independent G.722 decodes our stream and we decode its. The 2×
 * resampler keeps the telephone band and removes what would alias; the 8 kHz codec path keeps
 * tones and DTMF digits.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { G722Decoder, G722Encoder } from '../../cpe/media/codecs/g722';
import { G722 } from '../../cpe/media/codecs/registry';
import { detectDtmf } from '../../cpe/media/dsp/dtmf-detector';
import { renderDtmf } from '../../cpe/media/dsp/dtmf-generator';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { Downsampler2, Upsampler2 } from '../../cpe/media/dsp/resample2';
import { SeededRandom } from '../../cpe/shared/random';
import { buildSpandspHelper, type SpandspHelper } from './tools/spandsp-helper';

/** 16 kHz test signals. */
function signal(kind: string, n: number, seed: number): Int16Array {
  const r = new SeededRandom(seed);
  const x = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 16000;
    let v = 0;
    if (kind === 'sweep') v = 14000 * Math.sin(2 * Math.PI * (50 + 3900 * t) * t); // 50 Hz → 7.85 kHz over 1 s
    else if (kind === 'speech') v = 7000 * Math.sin(2 * Math.PI * 130 * t) * Math.sin(2 * Math.PI * 4 * t) + 2500 * Math.sin(2 * Math.PI * 2300 * t) + 800 * Math.sin(2 * Math.PI * 5200 * t) + (r.float() - 0.5) * 2000;
    else if (kind === 'noise') v = (r.float() - 0.5) * 65000;
    else if (kind === 'square') v = (Math.floor(i / 23) % 2 ? 1 : -1) * 32767;
    else if (kind === 'silence-and-burst') v = i % 4000 < 3000 ? 0 : 20000 * Math.sin(2 * Math.PI * 1000 * t);
    x[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return x;
}

const tone8k = (hz: number, amp: number, n: number): Int16Array => Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / 8000)));

describe('media G.722 (bit-exact against spandsp)', function () {
  this.timeout(60_000);
  let spandsp: SpandspHelper | undefined;
  let helper = '';
  before(() => {
    spandsp = buildSpandspHelper('g722-spandsp');
    helper = spandsp.path;
  });
  after(() => spandsp?.remove());

  for (const kind of ['sweep', 'speech', 'noise', 'square', 'silence-and-burst']) {
    it(`codes and decoded samples equal spandsp's: ${kind}`, () => {
      const x = signal(kind, 32_000, 9);
      const ref = execFileSync(helper, ['e'], { input: Buffer.from(x.buffer) });
      const ours = new G722Encoder().encode(x);
      assert.equal(ours.length, ref.length);
      assert.deepEqual(Buffer.from(ours), ref);
      const refPcm = execFileSync(helper, ['d'], { input: ref });
      const want = new Int16Array(refPcm.buffer, refPcm.byteOffset, refPcm.length >> 1);
      const dec = new G722Decoder().decode(ref);
      assert.equal(dec.length, want.length);
      // Where the receive QMF overflows 16 bits spandsp wraps around; we saturate (G.722 §4.4
      // output limiting), so only there may the samples differ, and ours is then at full scale.
      let wrapped = 0;
      for (let i = 0; i < dec.length; i++) {
        if (dec[i] === want[i]) continue;
        assert.ok(dec[i] === 32767 || dec[i] === -32768, `sample ${i}: ours ${dec[i]}, spandsp ${want[i]}`);
        assert.ok(Math.sign(dec[i]!) !== Math.sign(want[i]!), `sample ${i}: a difference that is not a wrap-around`);
        wrapped++;
      }
      if (kind !== 'noise' && kind !== 'square') assert.equal(wrapped, 0);
    });
  }

  it('the encoder keeps its state across calls (frame by frame = all at once)', () => {
    const x = signal('speech', 6400, 3);
    const whole = new G722Encoder().encode(x);
    const enc = new G722Encoder();
    const parts: number[] = [];
    for (let o = 0; o < x.length; o += 320) parts.push(...enc.encode(x.subarray(o, o + 320)));
    assert.deepEqual([...whole], parts);
  });

  it('ffmpeg decodes our stream and we decode ffmpeg\'s: the 1 kHz tone survives both ways', () => {
    const x = Int16Array.from({ length: 16000 }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 16000)));
    const ours = new G722Encoder().encode(x);
    const pcm = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'g722', '-i', '-', '-f', 's16le', '-ar', '16000', '-ac', '1', '-'], { input: Buffer.from(ours) });
    const back = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length >> 1);
    assert.ok(Math.abs(toneAmplitude(back, 4000, 8000, 1000, 16000) - 10000) < 1000, 'ffmpeg hears our 1 kHz tone');
    const theirs = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', '16000', '-ac', '1', '-i', '-', '-c:a', 'g722', '-f', 'g722', '-'], { input: Buffer.from(x.buffer) });
    const dec = new G722Decoder().decode(theirs);
    assert.ok(Math.abs(toneAmplitude(dec, 4000, 8000, 1000, 16000) - 10000) < 1000, 'we hear ffmpeg\'s 1 kHz tone');
  });

  it('2× resampling: the telephone band passes (±0.2 dB), what would alias is cut by ≥ 50 dB', () => {
    const up = new Upsampler2();
    const down = new Downsampler2();
    for (const hz of [300, 1000, 3400]) {
      const y = down.process(up.process(tone8k(hz, 10000, 8000)));
      const a = toneAmplitude(y, 1000, 4000, hz, 8000);
      assert.ok(Math.abs(20 * Math.log10(a / 10000)) < 0.2, `${hz} Hz: ${a}`);
    }
    const high = Int16Array.from({ length: 16000 }, (_, i) => Math.round(10000 * Math.sin((2 * Math.PI * 6000 * i) / 16000)));
    const folded = new Downsampler2().process(high); // 6 kHz would fold to 2 kHz
    assert.ok(toneAmplitude(folded, 1000, 4000, 2000, 8000) < 10000 * 10 ** (-50 / 20));
  });

  it('the 8 kHz codec path (RTP G722, payload type 9): tones keep their level, DTMF digits are detected', () => {
    assert.equal(G722.payloadType, 9);
    const enc = G722.createEncoder();
    const dec = G722.createDecoder();
    const run = (x: Int16Array): Int16Array => {
      const out = new Int16Array(x.length);
      for (let o = 0; o + 160 <= x.length; o += 160) {
        const payload = enc.encode(x.subarray(o, o + 160));
        assert.equal(payload.length, 160);
        assert.equal(G722.samplesIn(payload), 160);
        out.set(dec.decode(payload), o);
      }
      return out;
    };
    const y = run(tone8k(1000, 8000, 8000));
    assert.ok(Math.abs(20 * Math.log10(toneAmplitude(y, 2000, 4000, 1000, 8000) / 8000)) < 1);
    assert.equal(detectDtmf(run(renderDtmf('159#'))), '159#');
  });
});
