/**
 * 1200 baud FSK for on-hook data (caller ID, visual MWI):
 *  - Bell 202 (Telcordia GR-30-CORE §2.1): mark (1) 1200 Hz, space (0) 2200 Hz;
 *  - ITU-T V.23 (ETSI EN 300 659-1 §6.1, BT SIN 227): mark 1300 Hz, space 2100 Hz.
 * Bytes travel asynchronously: start bit 0, 8 data bits LSB first, stop bit 1 (GR-30 §2.2).
 * The modulator keeps phase continuous across bit changes; the demodulator correlates the signal
 * with both tones over a window of one mark−space beat period (which nulls the other tone),
 * decides per sample, hunts for a run of mark, then frames bytes on start-bit edges.
 */
import { clip16, dbm0ToPeak } from './audio';

export type FskStandard = 'bell202' | 'v23';

export const FSK_STANDARDS: Readonly<Record<FskStandard, { readonly markHz: number; readonly spaceHz: number; readonly baud: number }>> = {
  bell202: { markHz: 1200, spaceHz: 2200, baud: 1200 },
  v23: { markHz: 1300, spaceHz: 2100, baud: 1200 },
};

/** Async framing of bytes: 0, b0..b7, 1 per byte. */
export function uartBits(bytes: ArrayLike<number>): number[] {
  const bits: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    bits.push(0);
    for (let k = 0; k < 8; k++) bits.push((b >> k) & 1);
    bits.push(1);
  }
  return bits;
}

/** Continuous-phase FSK of a bit sequence at 8 kHz. Bit k spans samples [round(k·8000/baud), round((k+1)·8000/baud)). */
export function fskModulate(bits: ArrayLike<number>, standard: FskStandard, dbm0 = -13): Int16Array {
  const std = FSK_STANDARDS[standard];
  const spb = 8000 / std.baud;
  const out = new Int16Array(Math.round(bits.length * spb));
  const peak = dbm0ToPeak(dbm0);
  let phase = 0;
  for (let k = 0; k < bits.length; k++) {
    const w = (2 * Math.PI * (bits[k] ? std.markHz : std.spaceHz)) / 8000;
    const end = Math.round((k + 1) * spb);
    for (let i = Math.round(k * spb); i < end; i++) {
      out[i] = clip16(peak * Math.sin(phase));
      phase = (phase + w) % (2 * Math.PI);
    }
  }
  return out;
}

export interface FskBurstOptions {
  readonly standard: FskStandard;
  /** Alternating 0101… channel seizure bits (GR-30: 300 for on-hook type 1; 0 for type 2 / off-hook). */
  readonly seizureBits: number;
  /** Mark (1) bits before the message (GR-30: 180 on-hook, 80 off-hook). */
  readonly markBits: number;
  readonly dbm0?: number;
  /** Mark bits after the last byte so the receiver sees its stop bit (default 2). */
  readonly trailingMarkBits?: number;
}

/** Channel seizure + mark + the bytes, as audio. */
export function fskBurst(bytes: ArrayLike<number>, opts: FskBurstOptions): Int16Array {
  const bits: number[] = [];
  for (let i = 0; i < opts.seizureBits; i++) bits.push(i & 1);
  for (let i = 0; i < opts.markBits; i++) bits.push(1);
  bits.push(...uartBits(bytes));
  for (let i = 0; i < (opts.trailingMarkBits ?? 2); i++) bits.push(1);
  return fskModulate(bits, opts.standard, opts.dbm0);
}

export interface FskDemodulatorOptions {
  /** Carrier below this level is ignored (P845, default −40 dBm0). */
  readonly minDbm0?: number;
  /** Mark bits that must precede the first byte (default 10; P847 sets the unit's requirement). */
  readonly huntMarkBits?: number;
  /**
   * Channel-seizure bits (alternating 0 and 1) that must come before those mark bits (P846,
   * default 0: none). A burst without the seizure then decodes nothing.
   */
  readonly huntSeizureBits?: number;
}

type UartState = 'hunt' | 'idle' | 'frame';

export class FskDemodulator {
  private readonly window: number;
  private readonly cosM: Float64Array;
  private readonly sinM: Float64Array;
  private readonly cosS: Float64Array;
  private readonly sinS: Float64Array;
  private readonly hist: Float64Array;
  private readonly spb: number;
  private readonly minEnergy: number;
  private readonly huntSamples: number;
  private readonly seizureNeeded: number;
  /** Hunt: the current mark or space run (samples), and the one-bit runs in a row before it. */
  private huntMark = false;
  private huntRun = 0;
  private seizureBits = 0;
  private n = 0;
  private mi = 0;
  private mq = 0;
  private si = 0;
  private sq = 0;
  private en = 0;
  private state: UartState = 'hunt';
  private markRun = 0;
  private frameStart = 0;
  private bitIndex = 0;
  private byte = 0;
  readonly stats = { bytes: 0, framingErrors: 0 };

  constructor(readonly standard: FskStandard, opts: FskDemodulatorOptions = {}) {
    const std = FSK_STANDARDS[standard];
    this.window = Math.round(8000 / Math.abs(std.spaceHz - std.markHz));
    this.spb = 8000 / std.baud;
    const period = 80; // 8000 Hz / 100 Hz: every tone here is a multiple of 100 Hz
    const tab = (hz: number, f: (x: number) => number): Float64Array =>
      Float64Array.from({ length: period }, (_, i) => f((2 * Math.PI * hz * i) / 8000));
    this.cosM = tab(std.markHz, Math.cos);
    this.sinM = tab(std.markHz, Math.sin);
    this.cosS = tab(std.spaceHz, Math.cos);
    this.sinS = tab(std.spaceHz, Math.sin);
    this.hist = new Float64Array(this.window * 5);
    const a = dbm0ToPeak(opts.minDbm0 ?? -40);
    this.minEnergy = (this.window * a * a) / 2;
    this.huntSamples = Math.round((opts.huntMarkBits ?? 10) * this.spb);
    this.seizureNeeded = opts.huntSeizureBits ?? 0;
  }

  /** Feeds samples; returns the bytes completed. */
  push(samples: ArrayLike<number>): number[] {
    const out: number[] = [];
    const w = this.window;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i]!;
      const p = this.n % 80;
      const slot = (this.n % w) * 5;
      const h = this.hist;
      const vmi = x * this.cosM[p]!;
      const vmq = x * this.sinM[p]!;
      const vsi = x * this.cosS[p]!;
      const vsq = x * this.sinS[p]!;
      const ve = x * x;
      this.mi += vmi - h[slot]!;
      this.mq += vmq - h[slot + 1]!;
      this.si += vsi - h[slot + 2]!;
      this.sq += vsq - h[slot + 3]!;
      this.en += ve - h[slot + 4]!;
      h[slot] = vmi;
      h[slot + 1] = vmq;
      h[slot + 2] = vsi;
      h[slot + 3] = vsq;
      h[slot + 4] = ve;
      const carrier = this.en >= this.minEnergy;
      const mark = this.mi * this.mi + this.mq * this.mq >= this.si * this.si + this.sq * this.sq;
      this.step(carrier, mark, out);
      this.n++;
    }
    return out;
  }

  /** Carrier lost: hunt for seizure and marks again. */
  private rehunt(): void {
    this.state = 'hunt';
    this.markRun = 0;
    this.huntRun = 0;
    this.seizureBits = 0;
  }

  /**
   * Channel seizure (Bellcore GR-30, ETSI EN 300 659-1): runs of one bit length (half to one and a
   * half bit periods) alternating mark and space, counted up to the mark run that follows.
   */
  private countSeizure(mark: boolean): void {
    if (mark === this.huntMark) {
      this.huntRun++;
      return;
    }
    const run = this.huntRun;
    if (run >= 0.5 * this.spb && run <= 1.5 * this.spb) this.seizureBits++;
    // a long space is not seizure; a long mark is the mark bits after it (a glitch in them keeps
    // the count), and a run shorter than half a bit is noise
    else if (run > 1.5 * this.spb && !this.huntMark) this.seizureBits = 0;
    this.huntMark = mark;
    this.huntRun = 1;
  }

  private step(carrier: boolean, mark: boolean, out: number[]): void {
    if (!carrier) {
      this.rehunt();
      return;
    }
    switch (this.state) {
      case 'hunt':
        if (this.seizureNeeded > 0) this.countSeizure(mark);
        this.markRun = mark ? this.markRun + 1 : 0;
        // the seizure's last 1 runs into the mark bits: it is counted when the mark run starts
        if (this.markRun >= this.huntSamples && this.seizureBits >= this.seizureNeeded) this.state = 'idle';
        return;
      case 'idle':
        if (!mark) {
          this.state = 'frame';
          this.frameStart = this.n;
          this.bitIndex = 0;
          this.byte = 0;
        }
        return;
      case 'frame': {
        // Sample bit k at the middle of its period: start + (k + 0.5)·spb.
        const due = this.frameStart + Math.round((this.bitIndex + 0.5) * this.spb);
        if (this.n !== due) return;
        const bit = mark ? 1 : 0;
        if (this.bitIndex === 0 && bit === 1) {
          this.state = 'idle'; // a glitch, not a start bit
          return;
        }
        if (this.bitIndex >= 1 && this.bitIndex <= 8) this.byte |= bit << (this.bitIndex - 1);
        if (this.bitIndex === 9) {
          if (bit === 1) {
            out.push(this.byte);
            this.stats.bytes++;
            this.state = 'idle';
          } else {
            // back to mark hunting; the seizure already seen on this carrier still counts
            this.stats.framingErrors++;
            this.state = 'hunt';
            this.markRun = 0;
          }
          return;
        }
        this.bitIndex++;
        return;
      }
    }
  }
}
