/**
 * The lifeline relay (user guide: "FXS port will be hard-relayed to FXO port" on power loss;
 * P891 0 Auto, 1 always disconnected, 2 always connected). Engaged, the phone on the FXS jack is
 * wired straight to the PSTN line on the FXO jack (LifelineBridge), and both ports see an empty
 * jack. Auto engages it while the FXS account is not registered. A power cut engages it at once
 * whatever P891 says (a de-energised relay rests in the lifeline position); any other change
 * waits until the phone is on-hook and the FXO port idle, so no call is cut.
 */
import type { Logger } from '../shared/logger';
import { FRAME_SAMPLES } from '../media/dsp/audio';
import type { Loop, LoopExchangeEnd, LoopTerminalEnd } from './loop';
import type { AudioFrame, LifelineMode } from './types';

const FIFO_MAX = 4;

/** The relay's copper: exchange end toward the phone's loop, terminal end toward the PSTN loop. */
export class LifelineBridge {
  private phoneLoop: Loop | undefined;
  private lineLoop: Loop | undefined;
  private readonly down: AudioFrame[] = [];
  private readonly up: AudioFrame[] = [];
  /** Called when the phone goes on-hook through the bridge. */
  onPhoneOnHook: () => void = () => undefined;
  /** Called when the phone goes off-hook through the bridge; true = the relay released, do not pass it on. */
  interceptOffHook: () => boolean = () => false;

  readonly exchangeEnd: LoopExchangeEnd = {
    attached: (loop) => {
      this.phoneLoop = loop;
      if (loop && this.lineLoop) {
        loop.setBattery(this.lineLoop.battery);
        loop.setPolarity(this.lineLoop.reversed);
        loop.setRinging(this.lineLoop.ringing);
      }
    },
    loopChanged: (closed) => {
      if (closed && this.interceptOffHook()) return;
      this.lineLoop?.setClosed(closed);
      if (!closed) this.onPhoneOnHook();
    },
    pullDown: () => {
      const f = this.down.shift();
      if (this.down.length === 0) this.phoneLoop?.setOnHookAudio(false);
      return f;
    },
    pushUp: (frame) => push(this.up, frame),
  };

  readonly terminalEnd: LoopTerminalEnd = {
    attached: (loop) => {
      this.lineLoop = loop;
      if (loop && this.phoneLoop?.closed) loop.setClosed(true);
    },
    ringVoltage: (on) => {
      if (this.phoneLoop && this.lineLoop) this.phoneLoop.ringHz = this.lineLoop.ringHz;
      this.phoneLoop?.setRinging(on);
    },
    polarity: (reversed) => this.phoneLoop?.setPolarity(reversed),
    battery: (on) => this.phoneLoop?.setBattery(on),
    lamp: (on) => this.phoneLoop?.setLamp(on),
    pullUp: () => this.up.shift(),
    pushDown: (frame) => {
      if (frame.length !== FRAME_SAMPLES) return;
      push(this.down, frame);
      this.phoneLoop?.setOnHookAudio(true);
    },
  };
}

function push(q: AudioFrame[], f: AudioFrame): void {
  q.push(f);
  while (q.length > FIFO_MAX) q.shift();
}

export interface LifelineEnds {
  readonly fxsJack: Loop;
  readonly fxoJack: Loop;
  /** The FXS port's exchange end and the FXO port's terminal end, given back when the relay releases. */
  readonly fxsPort: LoopExchangeEnd;
  readonly fxoPort: LoopTerminalEnd;
  /** True when no call holds either port (the phone on-hook, the FXO port idle). */
  idle(): boolean;
  /** The FXO port holds a call (the relay cannot take the PSTN line from it). */
  fxoPortBusy?(): boolean;
  /** Re-reads the FXS account state (the relay asks before a new call, in case nobody told it). */
  refreshRegistration?(): void;
}

export type LifelineReason = 'power' | 'mode' | 'registration' | 'none';

export class LifelineRelay {
  private engagedNow = false;
  private reasonNow: LifelineReason = 'none';
  private powered = true;
  private registrationFailed = false;
  private modeNow: LifelineMode;
  private readonly bridge = new LifelineBridge();
  private readonly listeners = new Set<(engaged: boolean) => void>();

  constructor(
    private readonly ends: LifelineEnds,
    private readonly log: Logger,
    mode: LifelineMode,
  ) {
    this.modeNow = mode;
    this.bridge.onPhoneOnHook = () => this.update();
    this.bridge.interceptOffHook = () => this.beforeNewCall(true);
    ends.fxsJack.attachExchange(ends.fxsPort);
    ends.fxoJack.attachTerminal(ends.fxoPort);
  }

  get engaged(): boolean {
    return this.engagedNow;
  }
  get mode(): LifelineMode {
    return this.modeNow;
  }
  get reason(): LifelineReason {
    return this.reasonNow;
  }

  onChange(fn: (engaged: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  setMode(mode: LifelineMode): void {
    this.modeNow = mode;
    this.update();
  }

  /** Whether the FXS account's registration has failed (Auto mode engages while it has). */
  setRegistrationFailed(failed: boolean): void {
    this.registrationFailed = failed;
    this.update();
  }

  /** Records the state without switching (used from inside beforeNewCall). */
  setRegistrationFailedQuiet(failed: boolean): void {
    this.registrationFailed = failed;
  }

  /**
   * The phone goes off-hook on the FXS port: re-read the registration and, when Auto wants the
   * relay now, engage it first so the off-hook reaches the PSTN line. True when it engaged.
   */
  beforePortOffHook(): boolean {
    if (this.engagedNow || !this.powered) return false;
    this.ends.refreshRegistration?.();
    const want = this.wanted();
    if (want === 'none' || this.ends.fxoPortBusy?.()) return false;
    this.switchTo(true, want);
    return true;
  }

  /**
   * A new call is starting (the phone went off-hook through the relay, or the FXS port is asked to
   * ring): re-read the registration and release the relay at once if it is no longer wanted.
   * Returns true when it released.
   */
  beforeNewCall(phoneOffHook = false): boolean {
    if (!this.engagedNow || !this.powered) return false;
    this.ends.refreshRegistration?.();
    if (this.wanted() !== 'none') return false;
    if (!phoneOffHook && this.ends.fxsJack.closed) return false; // a PSTN call through the relay goes on
    this.switchTo(false, 'none');
    return true;
  }

  setPowered(powered: boolean): void {
    this.powered = powered;
    this.update();
  }

  /** Re-evaluates (called when a port goes idle, so a waiting change can happen). */
  private wanted(): LifelineReason {
    if (!this.powered) return 'power';
    if (this.modeNow === 'alwaysConnected') return 'mode';
    if (this.modeNow === 'auto' && this.registrationFailed) return 'registration';
    return 'none';
  }

  update(): void {
    const reason = this.wanted();
    const want = reason !== 'none';
    if (want === this.engagedNow) {
      this.reasonNow = reason;
      return;
    }
    const lineIdle = this.engagedNow ? !this.ends.fxsJack.closed : this.ends.idle();
    if (this.powered && !lineIdle) {
      this.log.debug({ want, reason }, 'lifeline change waits for the line to be idle');
      return;
    }
    this.switchTo(want, reason);
  }

  private switchTo(want: boolean, reason: LifelineReason): void {
    this.engagedNow = want;
    this.reasonNow = reason;
    if (want) {
      this.ends.fxsJack.attachExchange(this.bridge.exchangeEnd);
      this.ends.fxoJack.attachTerminal(this.bridge.terminalEnd);
    } else {
      this.ends.fxoJack.attachTerminal(this.ends.fxoPort);
      this.ends.fxsJack.attachExchange(this.ends.fxsPort);
    }
    this.log.info({ engaged: want, reason }, want ? 'lifeline engaged: FXS wired to the PSTN line' : 'lifeline released');
    for (const l of [...this.listeners]) l(want);
  }
}
