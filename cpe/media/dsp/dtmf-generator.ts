/**
 * In-band DTMF (ITU-T Q.23): each digit is one low-group plus one high-group frequency.
 * Default levels −8/−6 dBm0 (high group 2 dB stronger, the usual "normal twist"), 100 ms on,
 * 100 ms off, well inside Q.24's ≥ 40 ms tone / ≥ 40 ms pause.
 */
import { clip16, concatSamples, dbm0ToPeak, msToSamples } from './audio';

export const DTMF_LOW = [697, 770, 852, 941] as const;
export const DTMF_HIGH = [1209, 1336, 1477, 1633] as const;
/** Keypad rows by low frequency, columns by high frequency (Q.23 Figure 1). */
export const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'] as const;

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';
export const DTMF_DIGITS = '0123456789*#ABCD';

export function isDtmfDigit(c: string): c is DtmfDigit {
  return c.length === 1 && DTMF_DIGITS.includes(c.toUpperCase()) && c === c.toUpperCase();
}

/** [low Hz, high Hz] of a digit. */
export function dtmfFrequencies(digit: DtmfDigit): [number, number] {
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYS[r]!.indexOf(digit);
    if (c >= 0) return [DTMF_LOW[r]!, DTMF_HIGH[c]!];
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}

export interface DtmfToneOptions {
  /** Tone duration ms (default 100). */
  readonly onMs?: number;
  /** Pause after each digit ms (default 100). */
  readonly offMs?: number;
  /** Low-group level dBm0 (default −8). */
  readonly lowDbm0?: number;
  /** High-group level dBm0 (default −6). */
  readonly highDbm0?: number;
}

/** One digit's tone, `ms` long, phases starting at 0. */
export function renderDtmfTone(digit: DtmfDigit, ms: number, opts: DtmfToneOptions = {}): Int16Array {
  const [lo, hi] = dtmfFrequencies(digit);
  const a = dbm0ToPeak(opts.lowDbm0 ?? -8);
  const b = dbm0ToPeak(opts.highDbm0 ?? -6);
  const out = new Int16Array(msToSamples(ms));
  const wl = (2 * Math.PI * lo) / 8000;
  const wh = (2 * Math.PI * hi) / 8000;
  for (let i = 0; i < out.length; i++) out[i] = clip16(a * Math.sin(wl * i) + b * Math.sin(wh * i));
  return out;
}

/** A digit string as audio: each digit `onMs` of tone then `offMs` of silence. Throws RangeError on a non-DTMF character. */
export function renderDtmf(digits: string, opts: DtmfToneOptions = {}): Int16Array {
  const parts: Int16Array[] = [];
  for (const ch of digits) {
    const d = ch.toUpperCase();
    if (!isDtmfDigit(d)) throw new RangeError(`not a DTMF digit: ${JSON.stringify(ch)}`);
    parts.push(renderDtmfTone(d, opts.onMs ?? 100, opts), new Int16Array(msToSamples(opts.offMs ?? 100)));
  }
  return concatSamples(parts);
}
