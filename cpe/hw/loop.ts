/**
 * A two-wire loop-start line: an exchange end (an FXS port, a PSTN central office, the lifeline
 * bridge) feeding battery, ring voltage and polarity, and a terminal end (a phone, an FXO port)
 * closing the loop. DC signalling crosses at once; audio crosses in 20 ms frames pulled by the
 * loop's own ticker, which runs only while the loop is closed or the exchange sends on-hook data
 * (caller ID, VMWI): an idle line keeps no timer.
 */
import type { Cancel, Clock } from '../shared/clock';
import { FRAME_MS, FRAME_SAMPLES } from '../media/dsp/audio';
import type { AudioFrame } from './types';

/** What the loop calls on its exchange end. */
export interface LoopExchangeEnd {
  /** The terminal closed (off-hook) or opened (on-hook) the loop. */
  loopChanged(closed: boolean): void;
  /** The next 20 ms toward the terminal; undefined = silence. */
  pullDown(): AudioFrame | undefined;
  /** 20 ms received from the terminal (only while the loop is closed). */
  pushUp(frame: AudioFrame): void;
  /** Called with the loop when attached, undefined when detached. */
  attached(loop: Loop | undefined): void;
}

/** What the loop calls on its terminal end. */
export interface LoopTerminalEnd {
  ringVoltage(on: boolean): void;
  polarity(reversed: boolean): void;
  /** Loop current feed (battery) applied or removed (open-switch interval, disconnect). */
  battery(on: boolean): void;
  /** The next 20 ms toward the exchange (only asked while off-hook); undefined = silence. */
  pullUp(): AudioFrame | undefined;
  /** 20 ms received from the exchange (on-hook too: caller ID and VMWI arrive on-hook). */
  pushDown(frame: AudioFrame): void;
  attached(loop: Loop | undefined): void;
  /** Message-waiting lamp voltage (NEON visual MWI), when the terminal has a lamp. */
  lamp?(on: boolean): void;
}

const SILENCE = new Int16Array(FRAME_SAMPLES);

export class Loop {
  private exchange: LoopExchangeEnd | undefined;
  private terminal: LoopTerminalEnd | undefined;
  private closedNow = false;
  private ringingNow = false;
  private reversedNow = false;
  private batteryNow = false;
  private onHookAudio = false;
  private lampNow = false;
  /** Ring signal frequency the exchange applies (FXS P4429: 20 or 25 Hz). */
  ringHz = 20;
  private cancelTick: Cancel | undefined;

  constructor(
    private readonly clock: Clock,
    readonly name: string,
  ) {}

  /** The terminal holds the loop closed (off-hook). */
  get closed(): boolean {
    return this.closedNow;
  }
  get ringing(): boolean {
    return this.ringingNow;
  }
  get reversed(): boolean {
    return this.reversedNow;
  }
  get battery(): boolean {
    return this.batteryNow;
  }
  /** Loop current flows: closed, battery applied. */
  get current(): boolean {
    return this.closedNow && this.batteryNow;
  }
  get exchangeEnd(): LoopExchangeEnd | undefined {
    return this.exchange;
  }
  get terminalEnd(): LoopTerminalEnd | undefined {
    return this.terminal;
  }
  /** True while the audio ticker runs (tests check an idle line keeps no timer). */
  get ticking(): boolean {
    return this.cancelTick !== undefined;
  }

  // ---- plugging ----

  /** Puts an exchange on the loop (replacing any); the terminal sees its battery, ring and polarity. */
  attachExchange(x: LoopExchangeEnd | undefined): void {
    if (this.exchange === x) return;
    const old = this.exchange;
    this.exchange = undefined;
    if (old) {
      this.setRinging(false, true);
      this.setPolarity(false, true);
      this.setBattery(false, true);
      if (this.lampNow) {
        this.lampNow = false;
        this.terminal?.lamp?.(false);
      }
      this.onHookAudio = false;
      old.attached(undefined);
    }
    this.exchange = x;
    if (x) {
      x.attached(this);
      if (this.closedNow) x.loopChanged(true);
    }
    this.updateTicker();
  }

  /** Plugs a terminal in (replacing any); the exchange sees the loop open or close accordingly. */
  attachTerminal(t: LoopTerminalEnd | undefined): void {
    if (this.terminal === t) return;
    const old = this.terminal;
    this.terminal = undefined;
    if (old) {
      this.setClosed(false);
      old.attached(undefined);
    }
    this.terminal = t;
    if (t) {
      t.attached(this);
      t.battery(this.batteryNow);
      t.polarity(this.reversedNow);
      if (this.ringingNow) t.ringVoltage(true);
    }
    this.updateTicker();
  }

  // ---- the terminal's side ----

  setClosed(closed: boolean): void {
    if (this.closedNow === closed) return;
    this.closedNow = closed;
    this.exchange?.loopChanged(closed);
    this.updateTicker();
  }

  // ---- the exchange's side ----

  setRinging(on: boolean, force = false): void {
    if (!force && !this.exchange) return;
    if (this.ringingNow === on) return;
    this.ringingNow = on;
    this.terminal?.ringVoltage(on);
  }

  setPolarity(reversed: boolean, force = false): void {
    if (!force && !this.exchange) return;
    if (this.reversedNow === reversed) return;
    this.reversedNow = reversed;
    this.terminal?.polarity(reversed);
  }

  setBattery(on: boolean, force = false): void {
    if (!force && !this.exchange) return;
    if (this.batteryNow === on) return;
    this.batteryNow = on;
    this.terminal?.battery(on);
  }

  /** NEON message-waiting lamp voltage. */
  setLamp(on: boolean): void {
    if (!this.exchange || this.lampNow === on) return;
    this.lampNow = on;
    this.terminal?.lamp?.(on);
  }

  get lamp(): boolean {
    return this.lampNow;
  }

  /** The exchange has on-hook audio to send (keeps the ticker running while the loop is open). */
  setOnHookAudio(on: boolean): void {
    this.onHookAudio = on;
    this.updateTicker();
  }

  // ---- audio ----

  private updateTicker(): void {
    const want = this.exchange !== undefined && this.terminal !== undefined && (this.closedNow || this.onHookAudio);
    if (want && !this.cancelTick) this.arm();
    else if (!want && this.cancelTick) {
      this.cancelTick();
      this.cancelTick = undefined;
    }
  }

  private arm(): void {
    this.cancelTick = this.clock.setTimer(FRAME_MS, () => {
      this.cancelTick = undefined;
      this.tick();
      this.updateTicker();
    });
  }

  /** One 20 ms step: a frame each way. */
  private tick(): void {
    const x = this.exchange;
    const t = this.terminal;
    if (!x || !t) return;
    t.pushDown(x.pullDown() ?? SILENCE);
    if (this.closedNow) x.pushUp(t.pullUp() ?? SILENCE);
  }
}
