/**
 * DTMF caller ID (ETSI ES 200 778-1 / EN 300 659-1 Annex B style, and its national variants):
 * start digit, the number, stop digit. The start/stop digits are configurable per port (P4661/P4662,
 * P4663/P4664: 0 default, 1 A, 2 B, 3 C, 4 D, 5 #). A withheld number is sent as the start digit
 * 'B' plus a two-digit reason ("00" unavailable, "10" private) then the stop digit.
 */
import { renderDtmf, type DtmfToneOptions } from '../dsp/dtmf-generator';
import { detectDtmf } from '../dsp/dtmf-detector';

const CHOICE = ['', 'A', 'B', 'C', 'D', '#'] as const;

/** Maps a P4661-style choice (0–5) to a digit, `fallback` for 0 (default). */
export function dtmfCidDigit(choice: number, fallback: string): string {
  return choice > 0 ? (CHOICE[choice] ?? fallback) : fallback;
}

export interface DtmfCidOptions extends DtmfToneOptions {
  readonly start?: string;
  readonly stop?: string;
}

/** The digit string sent on the line. */
export function dtmfCidDigits(number: string | undefined, absent: 'O' | 'P' = 'O', opts: DtmfCidOptions = {}): string {
  const start = opts.start ?? 'A';
  const stop = opts.stop ?? 'C';
  const digits = number?.replace(/[^0-9*#]/g, '') ?? '';
  return digits ? start + digits + stop : 'B' + (absent === 'P' ? '10' : '00') + stop;
}

/** DTMF caller ID as audio: 70 ms tones, 70 ms pauses by default (ES 200 778-1 allows 50–80 ms... within Q.24). */
export function renderDtmfCallerId(number: string | undefined, absent: 'O' | 'P' = 'O', opts: DtmfCidOptions = {}): Int16Array {
  return renderDtmf(dtmfCidDigits(number, absent, opts), { onMs: 70, offMs: 70, ...opts });
}

/** Reads a DTMF caller ID back from audio (the FXO side, or a simulated phone). */
export function decodeDtmfCallerId(samples: ArrayLike<number>): { number?: string; absent?: 'O' | 'P'; digits: string } {
  const digits = detectDtmf(samples);
  const m = /^[AD]([0-9*#]+?)[C#]?$/.exec(digits);
  if (m) return { number: m[1], digits };
  const b = /^B(\d\d)/.exec(digits);
  if (b) return { absent: b[1] === '10' ? 'P' : 'O', digits };
  return { digits };
}
