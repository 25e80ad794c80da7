/**
 * Call-progress tone strings and ring cadences (reference §7):
 *   tone:    f1=<Hz>[@<dBm>][,f2=<Hz>[@<dBm>]][,c=<on1>/<off1>[-<on2>/<off2>[-<on3>/<off3>]]];
 *   cadence: c=<on1>/<off1>[-<on2>/<off2>[-<on3>/<off3>]];
 * Frequencies 300-3400 Hz, on/off 0-64000 ms, at most 3 cadence segments; `c=0/0` is continuous.
 * Whitespace between tokens is ignored, the trailing `;` is optional on input and always written.
 * Pure: no I/O, no state. Failures throw DecodeError naming the fault and its position.
 */
import { DecodeError } from '../../shared/errors';

export const TONE_MIN_HZ = 300;
export const TONE_MAX_HZ = 3400;
/** Level bounds: the reference gives none; HT defaults use -11..-32 dBm, so -60..0 is accepted. */
export const TONE_MIN_DBM = -60;
export const TONE_MAX_DBM = 0;
/** Level used when `@<dBm>` is absent: the HT813 dial-tone level (reference §1.5), our choice. */
export const DEFAULT_TONE_LEVEL_DBM = -17;
export const CADENCE_MAX_MS = 64000;
export const MAX_CADENCE_SEGMENTS = 3;

export interface ToneFrequency {
  readonly hz: number;
  /** Absent when the string gave no `@level` (then DEFAULT_TONE_LEVEL_DBM applies). */
  readonly dbm?: number;
}

export interface CadenceSegment {
  readonly onMs: number;
  readonly offMs: number;
}

export interface ToneSpec {
  /** One or two frequencies (f1, f2). */
  readonly frequencies: readonly ToneFrequency[];
  /** Absent when the string has no `c=`: the tone plays continuously. */
  readonly cadence?: readonly CadenceSegment[];
}

export interface RingCadence {
  readonly segments: readonly CadenceSegment[];
}

/** The level to play a frequency at. */
export function toneLevel(f: ToneFrequency): number {
  return f.dbm ?? DEFAULT_TONE_LEVEL_DBM;
}

/**
 * Segments that actually play: `0/0` segments are padding (the older HT50x style
 * `c=300/10000-300/10000-0/0`, and `c=0/0` itself), so they are dropped.
 */
export function playableSegments(cadence: readonly CadenceSegment[] | undefined): CadenceSegment[] {
  return (cadence ?? []).filter((s) => s.onMs !== 0 || s.offMs !== 0);
}

/** Continuous: no cadence, only `0/0` segments (`c=0/0`), or no off time anywhere. */
export function isContinuous(cadence: readonly CadenceSegment[] | undefined): boolean {
  return playableSegments(cadence).every((s) => s.offMs === 0);
}

export function decodeToneString(s: string): ToneSpec {
  const fields = parseFields(s);
  if (fields.length === 0) throw new DecodeError('empty tone string', 0);
  const frequencies: ToneFrequency[] = [];
  let cadence: CadenceSegment[] | undefined;
  for (const f of fields) {
    if (cadence !== undefined) throw new DecodeError(`${f.key}= after c=: the cadence must come last`, f.pos);
    if (f.key === 'f1' || f.key === 'f2') {
      const want = `f${frequencies.length + 1}`;
      if (f.key !== want) {
        throw new DecodeError(frequencies.length === 0 ? 'f2 without f1' : `duplicate ${f.key}`, f.pos);
      }
      frequencies.push(parseFrequency(f));
    } else {
      cadence = parseSegments(f);
    }
  }
  if (frequencies.length === 0) throw new DecodeError('a tone needs f1=<Hz>', 0);
  return cadence === undefined ? { frequencies } : { frequencies, cadence };
}

export function encodeToneString(t: ToneSpec): string {
  if (t.frequencies.length < 1 || t.frequencies.length > 2) {
    throw new RangeError(`a tone has 1 or 2 frequencies, not ${t.frequencies.length}`);
  }
  const parts = t.frequencies.map((f, i) => {
    checkHz(f.hz, () => new RangeError(hzReason(f.hz)));
    if (f.dbm !== undefined) checkDbm(f.dbm, () => new RangeError(dbmReason(f.dbm as number)));
    return `f${i + 1}=${f.hz}${f.dbm === undefined ? '' : `@${f.dbm}`}`;
  });
  if (t.cadence !== undefined) parts.push(cadenceText(t.cadence));
  return `${parts.join(',')};`;
}

export function decodeCadence(s: string): RingCadence {
  const fields = parseFields(s);
  const first = fields[0];
  if (first === undefined) throw new DecodeError('empty ring cadence', 0);
  if (first.key !== 'c') throw new DecodeError(`a ring cadence has only c=, not ${first.key}=`, first.pos);
  const extra = fields[1];
  if (extra !== undefined) throw new DecodeError(`a ring cadence has only c=, not ${extra.key}=`, extra.pos);
  return { segments: parseSegments(first) };
}

export function encodeCadence(c: RingCadence): string {
  return `${cadenceText(c.segments)};`;
}

// --- parsing -------------------------------------------------------------------------------

interface Field {
  readonly key: 'f1' | 'f2' | 'c';
  /** Value text, whitespace removed, with the offset of each of its characters in the input. */
  readonly value: string;
  readonly offsets: readonly number[];
  readonly pos: number;
}

/** Splits `key=value,key=value;` into fields; whitespace between tokens is dropped. */
function parseFields(s: string): Field[] {
  const fields: Field[] = [];
  let i = skipWs(s, 0);
  if (i === s.length) return fields;
  for (;;) {
    const pos = i;
    const m = /^(f1|f2|c)\s*=/i.exec(s.slice(i));
    if (!m) throw new DecodeError(`expected f1=, f2= or c= but found "${s.slice(i, i + 8)}"`, i);
    const key = (m[1] as string).toLowerCase() as Field['key'];
    i += m[0].length;
    let value = '';
    const offsets: number[] = [];
    while (i < s.length && s[i] !== ',' && s[i] !== ';') {
      const ch = s[i] as string;
      if (!/\s/.test(ch)) {
        value += ch;
        offsets.push(i);
      }
      i++;
    }
    if (value === '') throw new DecodeError(`${key}= has no value`, i);
    const gap = /\d\s+\d/.exec(s.slice(pos, i));
    if (gap) throw new DecodeError(`space inside a number in ${key}=`, pos + gap.index + 1);
    fields.push({ key, value, offsets, pos });
    if (i === s.length) return fields;
    if (s[i] === ';') {
      const rest = skipWs(s, i + 1);
      if (rest !== s.length) throw new DecodeError(`unexpected text after ';'`, rest);
      return fields;
    }
    i = skipWs(s, i + 1); // after ','
  }
}

function skipWs(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  return i;
}

function at(f: Field, index: number): number {
  return f.offsets[index] ?? f.pos;
}

function parseFrequency(f: Field): ToneFrequency {
  const m = /^(\d+)(?:@(-?\d+))?$/.exec(f.value);
  if (!m) throw new DecodeError(`${f.key}=${f.value}: expected <Hz>[@<dBm>] with whole numbers`, f.pos);
  const hz = Number(m[1]);
  checkHz(hz, () => new DecodeError(hzReason(hz), at(f, 0)));
  if (m[2] === undefined) return { hz };
  const dbm = Number(m[2]);
  checkDbm(dbm, () => new DecodeError(dbmReason(dbm), at(f, (m[1] as string).length + 1)));
  return { hz, dbm };
}

function parseSegments(f: Field): CadenceSegment[] {
  const segments: CadenceSegment[] = [];
  let index = 0;
  for (const part of f.value.split('-')) {
    const start = at(f, index);
    if (segments.length === MAX_CADENCE_SEGMENTS) {
      throw new DecodeError(`more than ${MAX_CADENCE_SEGMENTS} cadence segments`, start);
    }
    const m = /^(\d+)\/(\d+)$/.exec(part);
    if (!m) throw new DecodeError(`cadence segment "${part}": expected <on ms>/<off ms>`, start);
    const onMs = Number(m[1]);
    const offMs = Number(m[2]);
    if (onMs > CADENCE_MAX_MS) throw new DecodeError(msReason('on', onMs), start);
    if (offMs > CADENCE_MAX_MS) throw new DecodeError(msReason('off', offMs), at(f, index + (m[1] as string).length + 1));
    segments.push({ onMs, offMs });
    index += part.length + 1;
  }
  return segments;
}

// --- shared checks -------------------------------------------------------------------------

function checkHz(hz: number, fail: () => Error): void {
  if (!Number.isInteger(hz) || hz < TONE_MIN_HZ || hz > TONE_MAX_HZ) throw fail();
}

function checkDbm(dbm: number, fail: () => Error): void {
  if (!Number.isInteger(dbm) || dbm < TONE_MIN_DBM || dbm > TONE_MAX_DBM) throw fail();
}

const hzReason = (hz: number): string => `frequency ${hz} Hz out of range ${TONE_MIN_HZ}-${TONE_MAX_HZ}`;
const dbmReason = (dbm: number): string => `level ${dbm} dBm out of range ${TONE_MIN_DBM} to ${TONE_MAX_DBM}`;
const msReason = (which: 'on' | 'off', ms: number): string => `cadence ${which} time ${ms} ms out of range 0-${CADENCE_MAX_MS}`;

function cadenceText(segments: readonly CadenceSegment[]): string {
  if (segments.length < 1 || segments.length > MAX_CADENCE_SEGMENTS) {
    throw new RangeError(`a cadence has 1 to ${MAX_CADENCE_SEGMENTS} segments, not ${segments.length}`);
  }
  for (const s of segments) {
    for (const [which, ms] of [['on', s.onMs], ['off', s.offMs]] as const) {
      if (!Number.isInteger(ms) || ms < 0 || ms > CADENCE_MAX_MS) throw new RangeError(msReason(which, ms));
    }
  }
  return `c=${segments.map((s) => `${s.onMs}/${s.offMs}`).join('-')}`;
}
