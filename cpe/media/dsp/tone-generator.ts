/**
 * Call-progress tone generator: up to N sine components with levels in dBm0, gated by a cadence
 * of one or more on/off segments that repeats (reference §7: `c=on1/off1-on2/off2-on3/off3`).
 * `c=0/0` (or no cadence) is continuous. A segment with both parts 0 is skipped; an `on/0`
 * segment alone is continuous. Phase runs continuously so frames join without clicks.
 */
import { clip16, dbm0ToPeak, msToSamples } from './audio';
import { decodeToneString, playableSegments, toneLevel, type ToneSpec } from '../../params/syntax/tone-string';

export interface ToneComponent {
  readonly hz: number;
  readonly dbm0: number;
}

export interface CadenceSegment {
  readonly onMs: number;
  readonly offMs: number;
}

/** What a tone string means, as the generator needs it (the parser is cpe/params/syntax/tone-string.ts). */
export interface ToneDefinition {
  readonly components: readonly ToneComponent[];
  /** Empty, or all segments 0/0: continuous. */
  readonly cadence: readonly CadenceSegment[];
}

/** A cadence as a list of (samples, on) phases; undefined = continuous. */
function phases(cadence: readonly CadenceSegment[]): { n: number; on: boolean }[] | undefined {
  const out: { n: number; on: boolean }[] = [];
  for (const seg of cadence) {
    if (seg.onMs > 0) out.push({ n: msToSamples(seg.onMs), on: true });
    if (seg.offMs > 0) out.push({ n: msToSamples(seg.offMs), on: false });
  }
  if (out.length === 0 || out.every((p) => p.on)) return undefined;
  return out;
}

export class ToneGenerator {
  private readonly peaks: number[];
  private readonly steps: number[];
  private readonly phase: number[];
  private readonly cadence: { n: number; on: boolean }[] | undefined;
  private phaseIndex = 0;
  private phaseLeft: number;
  private produced = 0;

  constructor(readonly tone: ToneDefinition, sampleRate = 8000) {
    this.peaks = tone.components.map((c) => dbm0ToPeak(c.dbm0));
    this.steps = tone.components.map((c) => (2 * Math.PI * c.hz) / sampleRate);
    this.phase = tone.components.map(() => 0);
    this.cadence = phases(tone.cadence);
    this.phaseLeft = this.cadence?.[0]?.n ?? Infinity;
  }

  /** Samples produced so far. */
  get position(): number {
    return this.produced;
  }

  /** True while the current sample position is in an "on" part. */
  get sounding(): boolean {
    return this.cadence ? this.cadence[this.phaseIndex]!.on : true;
  }

  /** Fills `out` with the next samples (adds nothing else: use a fresh or cleared buffer). */
  read(out: Int16Array): Int16Array {
    for (let i = 0; i < out.length; i++) {
      if (this.cadence) {
        while (this.phaseLeft <= 0) {
          this.phaseIndex = (this.phaseIndex + 1) % this.cadence.length;
          this.phaseLeft = this.cadence[this.phaseIndex]!.n;
        }
        this.phaseLeft--;
      }
      const on = this.cadence ? this.cadence[this.phaseIndex]!.on : true;
      let v = 0;
      for (let k = 0; k < this.peaks.length; k++) {
        if (on) v += this.peaks[k]! * Math.sin(this.phase[k]!);
        this.phase[k] = (this.phase[k]! + this.steps[k]!) % (2 * Math.PI);
      }
      out[i] = clip16(v);
    }
    this.produced += out.length;
    return out;
  }
}

/** Renders `ms` milliseconds of a tone from its start. */
export function renderTone(tone: ToneDefinition, ms: number): Int16Array {
  return new ToneGenerator(tone).read(new Int16Array(msToSamples(ms)));
}

/** A continuous tone of one or two frequencies (DT-AS, CAS, SAS and the like). */
export function renderDualTone(hz: readonly number[], dbm0: number, ms: number): Int16Array {
  return renderTone({ components: hz.map((f) => ({ hz: f, dbm0 })), cadence: [] }, ms);
}

/** The generator's view of a parsed tone string (levels without `@` get the parser's default). */
export function toneFromSpec(spec: ToneSpec): ToneDefinition {
  return {
    components: spec.frequencies.map((f) => ({ hz: f.hz, dbm0: toneLevel(f) })),
    cadence: playableSegments(spec.cadence),
  };
}

/** Parses a tone string (P4000–P4005, P4041, P841, ...) for the generator; throws DecodeError when malformed. */
export function toneFromString(s: string): ToneDefinition {
  return toneFromSpec(decodeToneString(s));
}
