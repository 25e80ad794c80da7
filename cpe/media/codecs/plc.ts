/**
 * Packet loss concealment for G.711, after ITU-T G.711 Appendix I: 10 ms frames, a 48.75 ms
 * history, pitch found by normalised cross-correlation (coarse at 2:1, then fine) between
 * 5 ms (40 samples) and 15 ms (120 samples); the lost frame is synthesised by repeating the
 * last pitch period with a quarter-period overlap-add, widened to 2 and 3 periods on the 2nd and
 * 3rd lost frame, attenuated 20 % per 10 ms from the second frame, silent after 60 ms; the first
 * good frame is cross-faded with the synthetic continuation (4 ms + 4 ms per extra lost frame).
 * Output is delayed by 3.75 ms (30 samples) so the first synthetic frame can be overlap-added.
 */
import { FramePool } from '../dsp/frame-pool';

const FRAMESZ = 80;
const PITCH_MIN = 40;
const PITCH_MAX = 120;
const PITCHDIFF = PITCH_MAX - PITCH_MIN;
const POVERLAPMAX = PITCH_MAX >> 2;
const HISTORYLEN = PITCH_MAX * 3 + POVERLAPMAX;
const NDEC = 2;
const CORRLEN = 160;
const CORRBUFLEN = CORRLEN + PITCH_MAX;
const CORRMINPOWER = 250;
const EOVERLAPINCR = 32;
const ATTENFAC = 0.2;
const ATTENINCR = ATTENFAC / FRAMESZ;

const clip = (x: number): number => (x > 32767 ? 32767 : x < -32768 ? -32768 : Math.round(x));

export class G711Plc {
  /** The last HISTORYLEN samples as a ring: logical sample i is at (head + i) % HISTORYLEN. */
  private readonly history = new Int16Array(HISTORYLEN);
  private head = 0;
  private readonly frames = new FramePool();
  private readonly pitchbuf = new Float64Array(HISTORYLEN);
  private readonly lastq = new Float64Array(POVERLAPMAX);
  private erasecnt = 0;
  private pitch = 0;
  private poverlap = 0;
  private poffset = 0;
  private pitchblen = 0;
  private pitchbufstart = 0;
  readonly stats = { good: 0, concealed: 0 };

  /** Frames concealed in a row so far. */
  get erasures(): number {
    return this.erasecnt;
  }

  /** A received frame (length a multiple of 80): returns the audio to play (3.75 ms delayed). */
  good(frame: Int16Array): Int16Array {
    const n = frame.length;
    if (this.erasecnt === 0 && n <= HISTORYLEN - POVERLAPMAX) {
      // Nothing to blend (the common path): appending n samples to the history and reading the
      // output POVERLAPMAX behind is, on the ring, the history's last POVERLAPMAX samples and
      // then the frame's first n − POVERLAPMAX, with the frame written over the n oldest.
      const h = this.history;
      const out = this.frames.take(n);
      let r = this.head - POVERLAPMAX;
      if (r < 0) r += HISTORYLEN;
      for (let k = 0; k < POVERLAPMAX; k++) {
        out[k] = h[r]!;
        if (++r === HISTORYLEN) r = 0;
      }
      for (let k = POVERLAPMAX; k < n; k++) out[k] = frame[k - POVERLAPMAX]!;
      let w = this.head;
      for (let i = 0; i < n; i++) {
        h[w] = frame[i]!;
        if (++w === HISTORYLEN) w = 0;
      }
      this.head = w;
      this.stats.good += n / FRAMESZ;
      return out;
    }
    this.linearise();
    // a copy: decoders reuse their output array (registry.ts), the caller may keep what we return
    const out = frame.slice();
    for (let o = 0; o < frame.length; o += FRAMESZ) {
      const s = out.subarray(o, o + FRAMESZ);
      if (this.erasecnt) {
        let olen = this.poverlap + (this.erasecnt - 1) * EOVERLAPINCR;
        if (olen > FRAMESZ) olen = FRAMESZ;
        const f = new Float64Array(olen);
        this.getfespeech(f, 0, olen);
        this.overlapAddAtEnd(s, f, olen);
        this.erasecnt = 0;
      }
      this.saveSpeech(s); // in place: s becomes the delayed output
      this.stats.good++;
    }
    return out;
  }

  /** Synthesises `n` samples (a multiple of 80) for lost audio. */
  conceal(n = 160): Int16Array {
    this.linearise();
    const out = new Int16Array(n);
    for (let o = 0; o < n; o += FRAMESZ) {
      const f = new Float64Array(FRAMESZ);
      this.doFe(f);
      const s = Int16Array.from(f, clip);
      this.saveSpeech(s);
      out.set(s, o);
      this.stats.concealed++;
    }
    return out;
  }

  private doFe(out: Float64Array): void {
    const end = HISTORYLEN;
    if (this.erasecnt === 0) {
      for (let i = 0; i < HISTORYLEN; i++) this.pitchbuf[i] = this.history[i]!;
      this.pitch = this.findPitch();
      this.poverlap = this.pitch >> 2;
      for (let i = 0; i < this.poverlap; i++) this.lastq[i] = this.pitchbuf[end - this.poverlap + i]!;
      this.poffset = 0;
      this.pitchblen = this.pitch;
      this.pitchbufstart = end - this.pitchblen;
      this.overlapAdd(this.lastq, this.pitchbufstart - this.poverlap, end - this.poverlap, this.poverlap);
      for (let i = 0; i < this.poverlap; i++) this.history[HISTORYLEN - this.poverlap + i] = clip(this.pitchbuf[end - this.poverlap + i]!);
      this.getfespeech(out, 0, FRAMESZ);
    } else if (this.erasecnt === 1 || this.erasecnt === 2) {
      const tmp = new Float64Array(POVERLAPMAX);
      const saveoffset = this.poffset;
      this.getfespeech(tmp, 0, this.poverlap);
      this.poffset = saveoffset;
      while (this.poffset > this.pitch) this.poffset -= this.pitch;
      this.pitchblen += this.pitch;
      this.pitchbufstart = end - this.pitchblen;
      this.overlapAdd(this.lastq, this.pitchbufstart - this.poverlap, end - this.poverlap, this.poverlap);
      this.getfespeech(out, 0, FRAMESZ);
      // overlap-add the end of the previous synthetic period into the new one
      const incr = 1 / this.poverlap;
      let lw = 1 - incr;
      let rw = incr;
      for (let i = 0; i < this.poverlap; i++) {
        out[i] = lw * tmp[i]! + rw * out[i]!;
        lw -= incr;
        rw += incr;
      }
      this.scaleSpeech(out);
    } else if (this.erasecnt > 5) {
      out.fill(0);
    } else {
      this.getfespeech(out, 0, FRAMESZ);
      this.scaleSpeech(out);
    }
    this.erasecnt++;
  }

  /** Normalised cross-correlation pitch search (Appendix I findpitch). Returns the period in samples. */
  private findPitch(): number {
    const pb = this.pitchbuf;
    const l = HISTORYLEN - CORRLEN;
    const r = HISTORYLEN - CORRBUFLEN;
    let energy = 0;
    let corr = 0;
    for (let i = 0; i < CORRLEN; i += NDEC) {
      energy += pb[r + i]! * pb[r + i]!;
      corr += pb[r + i]! * pb[l + i]!;
    }
    let bestcorr = corr / Math.sqrt(Math.max(energy, CORRMINPOWER));
    let bestmatch = 0;
    let rp = r;
    for (let j = NDEC; j <= PITCHDIFF; j += NDEC) {
      energy -= pb[rp]! * pb[rp]!;
      energy += pb[rp + CORRLEN]! * pb[rp + CORRLEN]!;
      rp += NDEC;
      corr = 0;
      for (let i = 0; i < CORRLEN; i += NDEC) corr += pb[rp + i]! * pb[l + i]!;
      const c = corr / Math.sqrt(Math.max(energy, CORRMINPOWER));
      if (c >= bestcorr) {
        bestcorr = c;
        bestmatch = j;
      }
    }
    let j = Math.max(0, bestmatch - (NDEC - 1));
    const k = Math.min(PITCHDIFF, bestmatch + (NDEC - 1));
    rp = r + j;
    energy = 0;
    corr = 0;
    for (let i = 0; i < CORRLEN; i++) {
      energy += pb[rp + i]! * pb[rp + i]!;
      corr += pb[rp + i]! * pb[l + i]!;
    }
    bestcorr = corr / Math.sqrt(Math.max(energy, CORRMINPOWER));
    bestmatch = j;
    for (j++; j <= k; j++) {
      energy -= pb[rp]! * pb[rp]!;
      energy += pb[rp + CORRLEN]! * pb[rp + CORRLEN]!;
      rp++;
      corr = 0;
      for (let i = 0; i < CORRLEN; i++) corr += pb[rp + i]! * pb[l + i]!;
      const c = corr / Math.sqrt(Math.max(energy, CORRMINPOWER));
      if (c > bestcorr) {
        bestcorr = c;
        bestmatch = j;
      }
    }
    return PITCH_MAX - bestmatch;
  }

  /** pitchbuf[o+i] = fade(lastq → pitchbuf[r+i]). */
  private overlapAdd(l: Float64Array, r: number, o: number, cnt: number): void {
    const incr = 1 / cnt;
    let lw = 1 - incr;
    let rw = incr;
    for (let i = 0; i < cnt; i++) {
      this.pitchbuf[o + i] = lw * l[i]! + rw * this.pitchbuf[r + i]!;
      lw -= incr;
      rw += incr;
    }
  }

  private overlapAddAtEnd(s: Int16Array, f: Float64Array, cnt: number): void {
    const incr = 1 / cnt;
    let gain = 1 - (this.erasecnt - 1) * ATTENFAC;
    if (gain < 0) gain = 0;
    const incrg = incr * gain;
    let lw = (1 - incr) * gain;
    let rw = incr;
    for (let i = 0; i < cnt; i++) {
      s[i] = clip(lw * f[i]! + rw * s[i]!);
      lw -= incrg;
      rw += incr;
    }
  }

  private getfespeech(out: Float64Array, at: number, sz: number): void {
    let o = at;
    while (sz > 0) {
      const cnt = Math.min(this.pitchblen - this.poffset, sz);
      for (let i = 0; i < cnt; i++) out[o + i] = this.pitchbuf[this.pitchbufstart + this.poffset + i]!;
      this.poffset += cnt;
      if (this.poffset === this.pitchblen) this.poffset = 0;
      o += cnt;
      sz -= cnt;
    }
  }

  private scaleSpeech(out: Float64Array): void {
    let g = 1 - (this.erasecnt - 1) * ATTENFAC;
    for (let i = 0; i < FRAMESZ; i++) {
      out[i] = out[i]! * g;
      g -= ATTENINCR;
    }
  }

  /** Rotates the ring so that head is 0: the blending paths index the history directly. */
  private linearise(): void {
    if (this.head === 0) return;
    const h = this.history;
    const rotated = new Int16Array(HISTORYLEN);
    rotated.set(h.subarray(this.head));
    rotated.set(h.subarray(0, this.head), HISTORYLEN - this.head);
    h.set(rotated);
    this.head = 0;
  }

  /** Appends to the (linear) history and replaces `s` with the 3.75 ms delayed output. */
  private saveSpeech(s: Int16Array): void {
    this.history.copyWithin(0, FRAMESZ);
    this.history.set(s, HISTORYLEN - FRAMESZ);
    s.set(this.history.subarray(HISTORYLEN - FRAMESZ - POVERLAPMAX, HISTORYLEN - POVERLAPMAX));
  }
}
