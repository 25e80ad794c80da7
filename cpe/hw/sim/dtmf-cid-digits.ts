/**
 * Reading a DTMF caller-ID digit string as a display does (the inverse of media's dtmfCidDigits):
 * start digit A or D, the number, stop digit C or #; or B and a two-digit absence code
 * ("00" unavailable, "10" private) then the stop digit. Undefined until a whole string is seen.
 */
import type { CallerId } from '../types';

export function parseDtmfCallerId(digits: string): CallerId | undefined {
  const m = /^[AD]([0-9*]+)[C#]$/.exec(digits);
  if (m) return { number: m[1] };
  const b = /^B(\d\d)[C#]$/.exec(digits);
  if (b) return { numberAbsent: b[1] === '10' ? 'P' : 'O' };
  return undefined;
}
