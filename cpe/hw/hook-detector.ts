/**
 * Hook-switch decoding on an exchange end (FXS port, simulated CO): turns loop open/close edges
 * into off-hook, on-hook (hang-up), hook flash and dial-pulse digits by their timing.
 *
 * A loop opening while off-hook starts the `opening` state, decided by how long it stays open:
 *   open ≤ pulseBreakMax and pulse dialing on  → one dial pulse (digit ends after PULSE_INTERDIGIT_MS closed)
 *   flashMin ≤ open ≤ flashMax and flash on    → hook flash (P4424, P251/P252)
 *   open reaches hang-up time                  → on-hook; hang-up time is P833 (on-hook timing), and
 *                                                never less than flashMax + 1 while flash is on
 *   anything else                              → ignored (a glitch)
 */
import type { Cancel, Clock } from '../shared/clock';

export type HookDetectorState = 'onHook' | 'offHook' | 'opening';

const ALLOWED: Readonly<Record<HookDetectorState, readonly HookDetectorState[]>> = {
  onHook: ['offHook'],
  offHook: ['opening', 'onHook'],
  opening: ['offHook', 'onHook'],
};

/** 'general': N pulses = digit N (10 = 0); 'swedish': N+1 pulses = N; 'nz': 10−N pulses = N (P28165). */
export type PulseStandard = 'general' | 'swedish' | 'nz';

export interface HookTimings {
  readonly flashEnabled: boolean;
  readonly flashMinMs: number;
  readonly flashMaxMs: number;
  readonly onHookMs: number;
  readonly pulseEnabled: boolean;
  readonly pulseStandard: PulseStandard;
}

/** HT813 defaults (reference §1.6: P4424 1, P251 300, P252 1100, P833 400, P20521 0). */
export const DEFAULT_HOOK_TIMINGS: HookTimings = {
  flashEnabled: true,
  flashMinMs: 300,
  flashMaxMs: 1100,
  onHookMs: 400,
  pulseEnabled: false,
  pulseStandard: 'general',
};

/** Longest break taken as a dial pulse (10 pps dials break 60-66 ms; Q.552 / EIA-470 allow up to ~100). */
export const PULSE_BREAK_MAX_MS = 120;
/** A make longer than this ends the pulse train of one digit (rotary inter-digit pause is ≥ 300 ms). */
export const PULSE_INTERDIGIT_MS = 250;

export type HookSignal =
  | { readonly type: 'offHook' }
  | { readonly type: 'onHook' }
  | { readonly type: 'flash' }
  | { readonly type: 'pulseDigit'; readonly digit: string };

/** Digit for a count of pulses, or undefined when the count means nothing in that standard. */
export function decodePulseCount(count: number, std: PulseStandard): string | undefined {
  if (count < 1 || count > 10) return undefined;
  switch (std) {
    case 'general':
      return String(count % 10);
    case 'swedish':
      return String(count - 1);
    case 'nz':
      return String((10 - count) % 10);
  }
}

/** Pulses a phone sends for a digit (inverse of decodePulseCount). */
export function pulsesForDigit(digit: string, std: PulseStandard): number {
  const d = Number(digit);
  if (!/^\d$/.test(digit)) throw new RangeError(`not a pulse-dialable digit: ${digit}`);
  switch (std) {
    case 'general':
      return d === 0 ? 10 : d;
    case 'swedish':
      return d + 1;
    case 'nz':
      return 10 - d;
  }
}

export class HookDetector {
  private st: HookDetectorState = 'onHook';
  private openedAt = 0;
  private pulses = 0;
  private cancelHangup: Cancel | undefined;
  private cancelInterdigit: Cancel | undefined;
  private timings: HookTimings;

  constructor(
    private readonly clock: Clock,
    timings: HookTimings,
    private readonly emit: (s: HookSignal) => void,
  ) {
    this.timings = timings;
  }

  get state(): HookDetectorState {
    return this.st;
  }

  /** New timings apply from the next loop edge. */
  configure(t: HookTimings): void {
    this.timings = t;
  }

  /** How long the loop must stay open to count as hang-up. */
  hangupMs(): number {
    const t = this.timings;
    return t.flashEnabled ? Math.max(t.onHookMs, t.flashMaxMs + 1) : t.onHookMs;
  }

  private pulseBreakMax(): number {
    const t = this.timings;
    return t.flashEnabled ? Math.min(PULSE_BREAK_MAX_MS, t.flashMinMs - 1, this.hangupMs() - 1) : Math.min(PULSE_BREAK_MAX_MS, this.hangupMs() - 1);
  }

  /** The loop closed (true) or opened (false), now. */
  loop(closed: boolean): void {
    if (closed) this.closed();
    else this.opened();
  }

  /** Forgets everything (port reset, lifeline engaged): back to on-hook without a signal. */
  reset(): void {
    this.clearTimers();
    this.pulses = 0;
    this.st = 'onHook';
  }

  private transition(to: HookDetectorState): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`hook detector: ${this.st} → ${to} not allowed`);
    this.st = to;
  }

  private closed(): void {
    switch (this.st) {
      case 'onHook':
        this.transition('offHook');
        this.emit({ type: 'offHook' });
        return;
      case 'offHook':
        return;
      case 'opening': {
        const open = this.clock.now() - this.openedAt;
        this.cancelHangup?.();
        this.cancelHangup = undefined;
        this.transition('offHook');
        const t = this.timings;
        if (t.pulseEnabled && open <= this.pulseBreakMax()) {
          this.pulses++;
          this.cancelInterdigit = this.clock.setTimer(PULSE_INTERDIGIT_MS, () => this.endPulseDigit());
        } else if (t.flashEnabled && open >= t.flashMinMs && open <= t.flashMaxMs) {
          this.flushPulses();
          this.emit({ type: 'flash' });
        }
        return;
      }
    }
  }

  private opened(): void {
    if (this.st !== 'offHook') return;
    this.cancelInterdigit?.();
    this.cancelInterdigit = undefined;
    this.transition('opening');
    this.openedAt = this.clock.now();
    this.cancelHangup = this.clock.setTimer(this.hangupMs(), () => {
      this.cancelHangup = undefined;
      this.pulses = 0;
      this.transition('onHook');
      this.emit({ type: 'onHook' });
    });
  }

  private endPulseDigit(): void {
    this.cancelInterdigit = undefined;
    this.flushPulses();
  }

  private flushPulses(): void {
    this.cancelInterdigit?.();
    this.cancelInterdigit = undefined;
    const n = this.pulses;
    this.pulses = 0;
    if (n === 0) return;
    const digit = decodePulseCount(n, this.timings.pulseStandard);
    if (digit !== undefined) this.emit({ type: 'pulseDigit', digit });
  }

  private clearTimers(): void {
    this.cancelHangup?.();
    this.cancelInterdigit?.();
    this.cancelHangup = undefined;
    this.cancelInterdigit = undefined;
  }
}
