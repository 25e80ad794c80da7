/**
 * Fax and modem call-setup signals as 8 kHz audio (tests, the benchmark, the CLI):
 *  - CNG, the calling tone (ITU-T T.30): 1100 Hz ± 38 Hz, 0.5 s on / 3 s off;
 *  - CED / ANS, the answer tone (T.30, ITU-T V.25): 2100 Hz ± 15 Hz for 2.6–4.0 s; V.25 ANS
 *    reverses its phase every 450 ± 25 ms (the echo-canceller disabling tone);
 *  - ANSam (ITU-T V.8): ANS amplitude-modulated by a 15 Hz sine, depth 20 %; /ANSam adds V.25's
 *    phase reversals;
 *  - V.21 channel 2 (the T.30 control channel): 300 bit/s FSK, mark (1) 1650 Hz, space (0)
 *    1850 Hz, continuous phase; T.30's binary-coded signals start with a preamble of HDLC flags
 *    (0x7E) lasting 1 s ± 15 %.
 */
import { clip16, dbm0ToPeak, msToSamples } from './audio';

export const CNG_HZ = 1100;
export const ANS_HZ = 2100;
export const V21_MARK_HZ = 1650;
export const V21_SPACE_HZ = 1850;
export const V21_BAUD = 300;
/** V.25: ANS phase reversals every 450 ms. */
export const ANS_REVERSAL_MS = 450;

export interface CngOptions {
  readonly dbm0?: number;
  readonly hz?: number;
  readonly onMs?: number;
  readonly offMs?: number;
}

/** `ms` of the calling tone, starting with a burst (T.30: 0.5 s on, 3 s off). */
export function renderCng(ms: number, opts: CngOptions = {}): Int16Array {
  const out = new Int16Array(msToSamples(ms));
  const peak = dbm0ToPeak(opts.dbm0 ?? -13);
  const w = (2 * Math.PI * (opts.hz ?? CNG_HZ)) / 8000;
  const on = msToSamples(opts.onMs ?? 500);
  const period = on + msToSamples(opts.offMs ?? 3000);
  for (let i = 0; i < out.length; i++) if (i % period < on) out[i] = clip16(peak * Math.sin(w * i));
  return out;
}

export interface AnsOptions {
  readonly dbm0?: number;
  readonly hz?: number;
  /** V.8 ANSam: 15 Hz amplitude modulation, depth 0.2. */
  readonly am?: boolean;
  /** V.25 phase reversals every this many ms (450); undefined: none. */
  readonly reversalMs?: number;
}

/** `ms` of the answer tone (CED / ANS / ANSam, with or without phase reversals). */
export function renderAns(ms: number, opts: AnsOptions = {}): Int16Array {
  const out = new Int16Array(msToSamples(ms));
  const peak = dbm0ToPeak(opts.dbm0 ?? -13);
  const w = (2 * Math.PI * (opts.hz ?? ANS_HZ)) / 8000;
  const wm = (2 * Math.PI * 15) / 8000;
  const rev = opts.reversalMs !== undefined ? msToSamples(opts.reversalMs) : 0;
  // ANSam's peak is the carrier's × 1.2: the carrier is scaled so the peak stays at `dbm0`
  const a = opts.am ? peak / 1.2 : peak;
  for (let i = 0; i < out.length; i++) {
    const flip = rev > 0 && Math.floor(i / rev) % 2 === 1 ? Math.PI : 0;
    const env = opts.am ? 1 + 0.2 * Math.sin(wm * i) : 1;
    out[i] = clip16(a * env * Math.sin(w * i + flip));
  }
  return out;
}

/** Continuous-phase V.21 channel 2 FSK of a bit sequence; bit k spans samples [round(k·80/3), round((k+1)·80/3)). */
export function renderV21(bits: ArrayLike<number>, dbm0 = -13): Int16Array {
  const spb = 8000 / V21_BAUD;
  const out = new Int16Array(Math.round(bits.length * spb));
  const peak = dbm0ToPeak(dbm0);
  let phase = 0;
  for (let k = 0; k < bits.length; k++) {
    const w = (2 * Math.PI * (bits[k] ? V21_MARK_HZ : V21_SPACE_HZ)) / 8000;
    const end = Math.round((k + 1) * spb);
    for (let i = Math.round(k * spb); i < end; i++) {
      out[i] = clip16(peak * Math.sin(phase));
      phase = (phase + w) % (2 * Math.PI);
    }
  }
  return out;
}

/** `n` HDLC flags (0x7E: 0 1 1 1 1 1 1 0, sent LSB first, ISO/IEC 13239), as bits. */
export function hdlcFlagBits(n: number): number[] {
  const bits: number[] = [];
  for (let i = 0; i < n; i++) bits.push(0, 1, 1, 1, 1, 1, 1, 0);
  return bits;
}
