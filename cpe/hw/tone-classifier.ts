/**
 * Call-progress tone recognition from audio, for the simulated phone ("what it hears") and the
 * FXO port (dial tone, PSTN disconnect tone P841). Each 20 ms frame is reduced by Goertzel filters
 * (media/dsp/goertzel.ts) to a signature: silence, one of the known frequency sets, or other
 * audio. Runs of signatures are then matched against each tone's cadence:
 *   - a cadenced tone is named when an on time ends that matches one of its segments (±25 %, at
 *     least ±40 ms), and when other tones share its frequencies (busy/reorder, confirmation/dial)
 *     only after 80 % of the matching off time too; a tone with long on times (≥ 1 s, ringback)
 *     alone on its frequencies is named after 300 ms of it;
 *   - a continuous tone needs an unbroken run of 300 ms, or longer than every cadenced sibling's on;
 *   - a run of known frequencies longer than all their cadences allow, with no continuous tone of
 *     those frequencies, is 'audio' (a far end's 440 Hz test tone is not a call-waiting tone).
 */
import { blockEnergy, goertzelCoefficient, goertzelEnergy } from '../media/dsp/goertzel';
import { toneFromString, type CadenceSegment, type ToneDefinition } from '../media/dsp/tone-generator';

export interface ToneLabelSpec {
  readonly label: string;
  readonly tone: ToneDefinition | string;
}

/** Extra frequency sets every classifier knows (never reported as tones but as their own labels). */
const BUILTIN: readonly { label: string; hz: readonly number[] }[] = [
  { label: 'fsk', hz: [1200, 2200] },
  { label: 'fsk', hz: [1300, 2100] },
  { label: 'cas', hz: [2130, 2750] },
];

const FRAME_MS = 20;
const SET_SHARE = 0.7;
const COMPONENT_SHARE = 0.12;

interface Known {
  readonly label: string;
  readonly key: string;
  readonly segments: readonly CadenceSegment[];
  readonly continuous: boolean;
}

interface FreqSet {
  readonly key: string;
  readonly coeffs: readonly number[];
}

export interface HeardEvent {
  readonly label: string;
  /** Milliseconds of audio pushed into the classifier when it was recognised. */
  readonly atMs: number;
}

function keyOf(hz: readonly number[]): string {
  return [...hz].sort((a, b) => a - b).join('+');
}

function near(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(40, expected * 0.25);
}

export class ToneClassifier {
  private readonly known: Known[] = [];
  private readonly sets: FreqSet[] = [];
  private readonly builtinByKey = new Map<string, string>();
  private readonly minEnergyPerSample: number;
  private sig = 'silence';
  private runMs = 0;
  /** The last run of a known frequency set, and when (ms of audio) it ended. */
  private lastTone: { sig: string; ms: number; endedAt: number } | undefined;
  private elapsed = 0;
  private cur = 'silence';
  private curOffMs = 300;

  constructor(specs: readonly ToneLabelSpec[], opts: { readonly minDbm0?: number } = {}) {
    const keys = new Set<string>();
    const addSet = (hz: readonly number[]): string => {
      const key = keyOf(hz);
      if (!keys.has(key)) {
        keys.add(key);
        this.sets.push({ key, coeffs: hz.map((f) => goertzelCoefficient(f)) });
      }
      return key;
    };
    for (const s of specs) {
      const def = typeof s.tone === 'string' ? toneFromString(s.tone) : s.tone;
      const segments = def.cadence.filter((c) => c.onMs > 0 || c.offMs > 0);
      const continuous = segments.length === 0 || segments.every((c) => c.offMs === 0);
      this.known.push({ label: s.label, key: addSet(def.components.map((c) => c.hz)), segments, continuous });
    }
    for (const b of BUILTIN) this.builtinByKey.set(addSet(b.hz), b.label);
    // −45 dBm0 as RMS² per sample: (peak/√2)² with peak from dBm0.
    const min = opts.minDbm0 ?? -45;
    const peak = 32767 * 10 ** ((min - 3.17) / 20);
    this.minEnergyPerSample = (peak * peak) / 2;
  }

  /** The label recognised last and still going on ('silence' when quiet, 'audio' for anything else). */
  get current(): string {
    return this.cur;
  }

  /** Milliseconds of audio classified so far. */
  get position(): number {
    return this.elapsed;
  }

  /** Classifies one frame (any length; 160 samples expected); returns the labels newly recognised. */
  push(frame: ArrayLike<number>): HeardEvent[] {
    const ms = (frame.length * 1000) / 8000;
    this.elapsed += ms;
    const sig = this.signature(frame);
    let ended: string | undefined;
    if (sig === this.sig) this.runMs += ms;
    else {
      if (this.sig !== 'silence' && this.sig !== 'other') {
        this.lastTone = { sig: this.sig, ms: this.runMs, endedAt: this.elapsed - ms };
        // A burst cut by another signal (the SAS running into the CAS): named when its frequencies are its own.
      }
      const p = this.lastTone;
      if (this.builtinByKey.has(sig) && p && this.elapsed - ms - p.endedAt <= 2 * FRAME_MS) ended = this.endedUnique(p);
      this.sig = sig;
      this.runMs = ms;
    }
    const label = ended ?? this.recognise();
    if (label !== undefined && label !== this.cur) {
      this.cur = label;
      return [{ label, atMs: this.elapsed }];
    }
    return [];
  }

  private signature(frame: ArrayLike<number>): string {
    const n = frame.length;
    const e = blockEnergy(frame, 0, n);
    if (e / n < this.minEnergyPerSample) return 'silence';
    let best: string | undefined;
    let bestScore = 0;
    for (const s of this.sets) {
      let sum = 0;
      // FSK sends one tone at a time (a run of marks is one frequency): no per-component minimum.
      let ok = true;
      const fsk = this.builtinByKey.get(s.key) === 'fsk';
      for (const c of s.coeffs) {
        const share = goertzelEnergy(frame, 0, n, c) / e;
        if (share < COMPONENT_SHARE && !fsk) ok = false;
        sum += share;
      }
      if (ok && sum >= SET_SHARE && sum > bestScore) {
        bestScore = sum;
        best = s.key;
      }
    }
    return best ?? 'other';
  }

  private recognise(): string | undefined {
    const sig = this.sig;
    const run = this.runMs;
    if (sig === 'silence') {
      // The tone run that ended just before this silence (one splattered transition frame allowed).
      const p = this.lastTone;
      if (p && this.elapsed - run - p.endedAt <= 2 * FRAME_MS) {
        const hit = this.known.find(
          (k) => k.key === p.sig && !k.continuous && k.segments.some((s) => near(p.ms, s.onMs) && (!this.shared(k) || run >= s.offMs * 0.8)),
        );
        if (hit) return this.set(hit);
      }
      return run >= this.curOffMs ? this.setPlain('silence') : undefined;
    }
    if (sig === 'other') return run >= 100 ? this.setPlain('audio') : undefined;
    const builtin = this.builtinByKey.get(sig);
    if (builtin) return run >= 40 ? this.setPlain(builtin) : undefined;
    const same = this.known.filter((k) => k.key === sig);
    if (same.length === 0) return undefined;
    const cont = same.find((k) => k.continuous);
    const cadenced = same.filter((k) => !k.continuous);
    const ons = cadenced.flatMap((k) => k.segments.map((s) => s.onMs)).filter((x) => x > 0);
    const maxOn = ons.length > 0 ? Math.max(...ons) : 0;
    // A long-on tone alone on its frequencies (ringback 2 s) is named while it sounds.
    const only = cadenced[0];
    if (!cont && only && cadenced.every((k) => k.label === only.label) && Math.min(...ons) >= 1000 && run >= 300 && run <= maxOn * 1.25 + 60) {
      return this.set(only);
    }
    if (cont && run >= (cadenced.length > 0 ? Math.max(400, maxOn + 200) : 300)) return this.set(cont);
    // Longer than any cadence of these frequencies allows, and no continuous tone has them: not a tone we know.
    if (!cont && run > maxOn * 1.25 + 60) return this.setPlain('audio');
    return undefined;
  }

  private endedUnique(p: { sig: string; ms: number }): string | undefined {
    const hit = this.known.find((k) => k.key === p.sig && !k.continuous && !this.shared(k) && k.segments.some((s) => near(p.ms, s.onMs)));
    return hit ? this.set(hit) : undefined;
  }

  private shared(k: Known): boolean {
    return this.known.some((o) => o !== k && o.key === k.key && o.label !== k.label);
  }

  private set(k: Known): string {
    this.curOffMs = k.continuous ? 300 : Math.max(...k.segments.map((s) => s.offMs)) + 300;
    return k.label;
  }

  private setPlain(label: string): string {
    if (label !== 'silence') this.curOffMs = 300;
    return label;
  }
}

/** The tone table a phone knows by default: the HT813 defaults of P4000-P4005 (reference §1.5). */
export const DEFAULT_TONES: readonly ToneLabelSpec[] = [
  { label: 'dial', tone: 'f1=350@-17,f2=440@-17,c=0/0;' },
  { label: 'ringback', tone: 'f1=440@-17,f2=480@-17,c=2000/4000;' },
  { label: 'busy', tone: 'f1=480@-21,f2=620@-21,c=500/500;' },
  { label: 'reorder', tone: 'f1=480@-21,f2=620@-21,c=250/250;' },
  { label: 'confirmation', tone: 'f1=350@-11,f2=440@-11,c=100/100-100/100-100/100;' },
  { label: 'callWaiting', tone: 'f1=440@-13,c=300/10000;' },
];
