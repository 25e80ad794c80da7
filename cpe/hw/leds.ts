/**
 * The front-panel LEDs (user guide table 4, "HT813 LEDs Pattern"): Power (on; blinking while the
 * unit boots), WAN and LAN (on while the port has a link), FXS and FXO (off when the port's SIP
 * account is not registered, on when registered and available, blinking every 500 ms when
 * off-hook or busy, slow blinking on the FXS LED while a voicemail waits). Computed when read:
 * patterns, not toggles, so an idle unit keeps no timer for them.
 */
import type { FxoState, HookState, LedPanel, LedPattern } from './types';

export interface LedSources {
  /** False after a simulated power cut: every LED off. */
  powered(): boolean;
  booting(): boolean;
  wanLink(): boolean;
  lanLink(): boolean;
  /** The SIP account of the port is registered (profile 1 FXS, 2 FXO). */
  registered(profile: 1 | 2): boolean;
  fxsHook(): HookState;
  fxsRinging(): boolean;
  /** A call holds the port (the voice layer's call state; hw.setCallActive). */
  callActive(port: 'fxs' | 'fxo'): boolean;
  messageWaiting(): boolean;
  fxoState(): FxoState;
}

export class LedBoard {
  constructor(private readonly src: LedSources) {}

  panel(): LedPanel {
    const s = this.src;
    if (!s.powered()) return { power: 'off', wan: 'off', lan: 'off', fxs: 'off', fxo: 'off' };
    return {
      power: s.booting() ? 'slowBlink' : 'on',
      wan: s.wanLink() ? 'on' : 'off',
      lan: s.lanLink() ? 'on' : 'off',
      fxs: this.fxs(),
      fxo: this.fxo(),
    };
  }

  private fxs(): LedPattern {
    const s = this.src;
    if (!s.registered(1)) return 'off';
    if (s.fxsHook() === 'offHook' || s.fxsRinging() || s.callActive('fxs')) return 'fastBlink';
    if (s.messageWaiting()) return 'slowBlink';
    return 'on';
  }

  private fxo(): LedPattern {
    const s = this.src;
    if (!s.registered(2)) return 'off';
    if (s.fxoState() !== 'idle' || s.callActive('fxo')) return 'fastBlink';
    return 'on';
  }
}
