/**
 * G.726-32 against an independent implementation. The ITU-T G.726 test vectors (G.726 Appendix
 * II sequences) cannot be fetched here (the network reaches only npm and Debian), so the
 * reference is spandsp (Debian libspandsp-dev), whose G.726 passes those vectors in its own
 * test suite: a small C helper links it, and our codewords and decoded samples must be
 * bit-identical. (ffmpeg's adpcm_g726 is not used: it departs from spandsp after a few hundred
 * samples on speech-like input, so it is not a bit-exact reference.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { G726Decoder, G726Encoder, packG726, unpackG726 } from '../../cpe/media/codecs/g726';
import { SeededRandom } from '../../cpe/shared/random';
import { buildSpandspHelper, type SpandspHelper } from './tools/spandsp-helper';

function signal(kind: string, n: number, seed: number): Int16Array {
  const r = new SeededRandom(seed);
  const x = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / 8000;
    let v = 0;
    if (kind === 'sweep') v = 12000 * Math.sin(2 * Math.PI * (100 + 1700 * t) * t);
    else if (kind === 'speech') v = 6000 * Math.sin(2 * Math.PI * 140 * t) * Math.sin(2 * Math.PI * 3 * t) + 3000 * Math.sin(2 * Math.PI * 700 * t) + (r.float() - 0.5) * 3000;
    else if (kind === 'noise') v = (r.float() - 0.5) * 60000;
    else if (kind === 'dtmf-and-silence') v = i % 1600 < 800 ? 6000 * (Math.sin(2 * Math.PI * 770 * t) + Math.sin(2 * Math.PI * 1336 * t)) : 0;
    else if (kind === 'modem') v = 9000 * Math.sin(2 * Math.PI * (i % 53 < 26 ? 1200 : 2200) * t); // exercises tone/transition detection
    x[i] = Math.max(-32768, Math.min(32767, Math.round(v))) & ~3; // 14-bit PCM as G.726 sees it
  }
  return x;
}

describe('media G.726-32 (bit-exact against spandsp)', function () {
  this.timeout(60_000);
  let spandsp: SpandspHelper | undefined;
  let helper = '';
  before(() => {
    spandsp = buildSpandspHelper('g726-spandsp');
    helper = spandsp.path;
  });
  after(() => spandsp?.remove());

  for (const kind of ['sweep', 'speech', 'noise', 'dtmf-and-silence', 'modem']) {
    it(`encoder codewords equal spandsp's: ${kind}`, () => {
      const x = signal(kind, 24_000, 5);
      const ref = execFileSync(helper, ['e'], { input: Buffer.from(x.buffer) });
      const ours = new G726Encoder().encodeCodes(x);
      assert.equal(ref.length, ours.length);
      const first = ours.findIndex((c, i) => c !== ref[i]);
      assert.equal(first, -1, `first differing codeword at sample ${first}`);
    });
  }
  it('decoder output equals spandsp for random codewords (every state path)', () => {
    const r = new SeededRandom(11);
    const codes = Uint8Array.from({ length: 40_000 }, () => r.int(16));
    const ref = execFileSync(helper, ['d'], { input: Buffer.from(codes) });
    const refPcm = new Int16Array(ref.buffer, ref.byteOffset, ref.length / 2);
    const ours = new G726Decoder().decodeCodes(codes);
    const first = ours.findIndex((v, i) => v !== refPcm[i]);
    assert.equal(first, -1, `first differing sample ${first}: ${ours[first]} vs ${refPcm[first]}`);
  });
  it('decoder output equals spandsp for encoded speech', () => {
    const codes = new G726Encoder().encodeCodes(signal('speech', 16_000, 9));
    const ref = execFileSync(helper, ['d'], { input: Buffer.from(codes) });
    assert.deepEqual(Buffer.from(new G726Decoder().decodeCodes(codes).buffer), ref);
  });
  it('round trip keeps speech intelligible (SNR > 15 dB on a sweep)', () => {
    const x = signal('sweep', 16_000, 1);
    const y = new G726Decoder().decode(new G726Encoder().encode(x));
    let s = 0;
    let e = 0;
    for (let i = 800; i < x.length; i++) {
      s += x[i]! ** 2;
      e += (x[i]! - y[i]!) ** 2;
    }
    assert.ok(10 * Math.log10(s / e) > 15, `SNR ${10 * Math.log10(s / e)}`);
  });
  it('RFC 3551 §4.5.4 packing: first codeword in the low nibble', () => {
    assert.deepEqual(packG726([0x1, 0x2, 0x3, 0xf]), Buffer.from([0x21, 0xf3]));
    assert.deepEqual(Array.from(unpackG726(Buffer.from([0x21, 0xf3]))), [1, 2, 3, 15]);
  });
});
