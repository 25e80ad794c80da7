/**
 * Fax on one call (user guide "FAX Support"; reference §1.7: fax mode P228 / P710, 0 T.38 auto
 * detect, 1 pass-through; re-INVITE after fax tone P4416 / P4417, default 1). This unit has no
 * T.38, so both modes switch the call to G.711 pass-through (the specification table's "auto-
 * switch to G.711 for Fax Pass-through"); mode 0 logs once per call that T.38 is not available.
 *
 * A fax tone heard (CNG, CED/ANS, the V.21 preamble: media/dsp/fax-tone-detector.ts):
 *  - on a G.711 call our media path switches to pass-through at once (V.152 voiceband data:
 *    fixed jitter buffer, no PLC, CN, VAD or DTMF detection);
 *  - with P4416 on, we re-INVITE for G.711 pass-through, even on a G.711 call: the far end must
 *    turn off its own VAD, comfort noise and PLC too, and only signalling tells it. A tone from our
 *    own line (the fax machine on the phone port or the PSTN line) re-INVITEs at once; a tone from
 *    the network waits FAR_END_GRACE_MS first, since the far unit heard it on its line and re-INVITEs
 *    itself (two re-INVITEs at once would only meet in 491 glare, RFC 3261 §14.1);
 *  - with P4416 off there is no re-INVITE, and a call on another codec stays as it is ('failed').
 * A peer's pass-through re-INVITE, or one offering T.38, switches us as well (sdp/fax-sdp.ts).
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { FaxTone } from '../../media/dsp/fax-tone-detector';
import { isG711 } from '../sdp/fax-sdp';
import { bool, num, type ParamReader } from './fxs-settings';

export type FaxState = 'voice' | 'waiting' | 'reinviting' | 'passThrough' | 'failed';

const ALLOWED: Readonly<Record<FaxState, readonly FaxState[]>> = {
  voice: ['waiting', 'reinviting', 'passThrough', 'failed'],
  /** A tone came from the network: the far end's re-INVITE has FAR_END_GRACE_MS to arrive. */
  waiting: ['reinviting', 'passThrough', 'failed'],
  reinviting: ['passThrough', 'failed'],
  /** Could not reach G.711 (P4416 off, or the re-INVITE refused): a peer's re-INVITE still may. */
  failed: ['passThrough'],
  passThrough: [],
};

/** How long a tone heard from the network waits for the far end's own re-INVITE [our choice]. */
export const FAR_END_GRACE_MS = 1000;

export interface FaxSettings {
  /** P228 / P710: 't38' = 0 T.38 auto detect (default), 'passThrough' = 1. */
  readonly mode: 't38' | 'passThrough';
  /** P4416 / P4417. */
  readonly reinvite: boolean;
}

/** Profile 1 (FXS) or 2 (FXO) fax P-values, read when used. */
export function readFaxSettings(p: ParamReader, profile: 1 | 2): FaxSettings {
  const [mode, reinvite] = profile === 1 ? [228, 4416] : [710, 4417];
  return { mode: num(p, mode, 0) === 1 ? 'passThrough' : 't38', reinvite: bool(p, reinvite, true) };
}

export const DEFAULT_FAX_SETTINGS: FaxSettings = { mode: 't38', reinvite: true };

/** What the controller drives on its call leg. */
export interface FaxLeg {
  /** The codec the call sends with now (undefined before media is agreed). */
  sendEncoding(): string | undefined;
  /** Switches the leg's media path to pass-through (once). */
  switchMedia(): void;
  /** Sends our pass-through re-INVITE (once the dialog is confirmed). */
  reinvite(): void;
}

export class FaxPassThrough {
  private st: FaxState = 'voice';
  private switched = false;
  private t38Told = false;
  private grace: Cancel | undefined;

  constructor(
    private readonly leg: FaxLeg,
    private readonly settings: () => FaxSettings,
    private readonly env: { readonly clock: Clock; readonly log: Logger; readonly id: string },
  ) {}

  get state(): FaxState {
    return this.st;
  }

  /** The media path is in pass-through (call status). */
  get active(): boolean {
    return this.switched;
  }

  /** Our offers and answers are pass-through ones (G.711 only, voiceband data marks). */
  get signalling(): boolean {
    return this.st === 'reinviting' || this.st === 'passThrough' || this.switched;
  }

  private transition(to: FaxState): void {
    if (this.st === to) return;
    if (!ALLOWED[this.st].includes(to)) throw new Error(`fax ${this.env.id}: ${this.st} → ${to} not allowed`);
    this.env.log.info({ leg: this.env.id, from: this.st, to }, 'fax state');
    if (this.st === 'waiting') {
      this.grace?.();
      this.grace = undefined;
    }
    this.st = to;
  }

  /** A fax tone in the call's audio: from our own line, or from the network. */
  heard(tone: FaxTone, from: 'line' | 'network'): void {
    if (this.st !== 'voice' && !(this.st === 'waiting' && from === 'line')) return;
    const s = this.settings();
    this.env.log.info({ leg: this.env.id, tone, from }, 'fax tone heard');
    this.noT38(s);
    const g711 = isG711(this.leg.sendEncoding());
    if (g711) this.switchMedia();
    if (!s.reinvite) {
      if (!g711) this.env.log.warn({ leg: this.env.id, codec: this.leg.sendEncoding() }, 'fax tone on a call that is not G.711, and P4416/P4417 forbids the re-INVITE: the fax will likely fail');
      return this.transition(g711 ? 'passThrough' : 'failed');
    }
    if (from === 'line') return this.reinvite();
    this.waitForFarEnd();
  }

  private waitForFarEnd(): void {
    this.transition('waiting');
    this.grace = this.env.clock.setTimer(FAR_END_GRACE_MS, () => {
      this.grace = undefined;
      if (this.st === 'waiting') this.reinvite();
    });
  }

  private reinvite(): void {
    this.transition('reinviting');
    this.leg.reinvite();
  }

  /** The outcome of our re-INVITE (2xx and a usable answer, or not). */
  reinviteResult(ok: boolean): void {
    if (this.st !== 'reinviting') return;
    const g711 = isG711(this.leg.sendEncoding());
    if (g711) this.switchMedia();
    if (!ok) this.env.log.warn({ leg: this.env.id, codec: this.leg.sendEncoding() }, g711 ? 'fax re-INVITE refused: pass-through on this side only' : 'fax re-INVITE refused: the call stays on its codec');
    this.transition(g711 ? 'passThrough' : 'failed');
  }

  /**
   * A peer's re-INVITE asked for fax: pass-through (accepted: we answered G.711 pass-through), or
   * T.38, which we refuse (its image stream rejected, RFC 3264 §6; 488 when it had no audio).
   */
  farEndRequest(kind: 'passThrough' | 't38', accepted: boolean): void {
    this.noT38(this.settings(), kind === 't38');
    if (kind === 't38') {
      if (!accepted) {
        // the far end heard a fax: like a tone from the network
        if (this.st !== 'voice') return;
        const s = this.settings();
        const g711 = isG711(this.leg.sendEncoding());
        if (g711) this.switchMedia();
        if (s.reinvite) return this.waitForFarEnd();
        return this.transition(g711 ? 'passThrough' : 'failed');
      }
    }
    if (!accepted || this.st === 'passThrough') return;
    if (isG711(this.leg.sendEncoding())) this.switchMedia();
    // in 'reinviting' our re-INVITE met glare (491) and waits to retry: the peer's did the job
    this.transition('passThrough');
  }

  private switchMedia(): void {
    if (this.switched) return;
    this.switched = true;
    this.env.log.info({ leg: this.env.id }, 'fax pass-through: media path is voiceband data (fixed jitter buffer, no PLC, CN, VAD or DTMF detection)');
    this.leg.switchMedia();
  }

  /** P228 = 0 asks for T.38, which this unit does not have: said once per call. */
  private noT38(s: FaxSettings, offered = false): void {
    if (this.t38Told || (s.mode !== 't38' && !offered)) return;
    this.t38Told = true;
    this.env.log.warn({ leg: this.env.id, offered }, offered ? 'fax: T.38 offered by the far end; T.38 is not available here, G.711 pass-through instead' : 'fax: T.38 is not available on this unit; fax mode T.38 (P228/P710 = 0) falls back to G.711 pass-through');
  }

  stop(): void {
    this.grace?.();
    this.grace = undefined;
  }
}
