/**
 * DTMF transport priority (P850/P851/P852 for FXS, P860/P861/P862 for FXO): each holds
 * 100 in-audio, 101 RFC 2833/4733, 102 SIP INFO; the first one usable on the call wins
 * (RFC 4733 needs telephone-event in the answer; SIP INFO needs the voice side to allow it;
 * in-audio always works with G.711).
 * `DtmfRelay` is the DSP stage between the phone and the RTP session: it detects the phone's
 * digits (Goertzel) and, unless the method is in-audio, takes them out of the audio (audio is
 * delayed 40 ms so the tone's onset, heard before detection, is removed too) and hands them to
 * RFC 4733 or to a SIP INFO callback.
 */
import { DtmfDetector } from './dsp/dtmf-detector';
import type { DtmfDigit } from './dsp/dtmf-generator';
import { FRAME_SAMPLES } from './dsp/audio';
import type { MediaPort } from './media-port';

export type DtmfMethod = 'in-audio' | 'rfc2833' | 'sip-info';

const CODES: Readonly<Record<string, DtmfMethod>> = { '100': 'in-audio', '101': 'rfc2833', '102': 'sip-info' };

/** The priority list from the three P-values (unknown and repeated values skipped). */
export function dtmfMethodOrder(p1: string | number, p2: string | number, p3: string | number): DtmfMethod[] {
  const out: DtmfMethod[] = [];
  for (const v of [p1, p2, p3]) {
    const m = CODES[String(v)];
    if (m && !out.includes(m)) out.push(m);
  }
  return out.length ? out : ['rfc2833', 'sip-info', 'in-audio'];
}

/** The method to use on a call. */
export function chooseDtmfMethod(order: readonly DtmfMethod[], available: { rfc2833: boolean; sipInfo: boolean }): DtmfMethod {
  for (const m of order) {
    if (m === 'in-audio') return m;
    if (m === 'rfc2833' && available.rfc2833) return m;
    if (m === 'sip-info' && available.sipInfo) return m;
  }
  return 'in-audio';
}

export interface DtmfRelaySink {
  /** RFC 4733: key down / key up (RtpSession.pressDigit / releaseDigit). */
  press?(d: DtmfDigit): void;
  release?(): void;
  /** SIP INFO (voice/ sends it), with the detected duration in ms. */
  info?(d: DtmfDigit, ms: number): void;
}

/** Wraps the RTP-side port: writeFrame gets phone audio, readFrame passes the far end through. */
export class DtmfRelay implements MediaPort {
  private readonly det = new DtmfDetector();
  private readonly delay: Int16Array[] = [];
  private muteFrames = 0;
  private current: { digit: DtmfDigit; start: number } | undefined;
  private samples = 0;

  constructor(private readonly inner: MediaPort, public method: DtmfMethod, private readonly sink: DtmfRelaySink) {}

  readFrame(): Int16Array {
    return this.inner.readFrame();
  }

  writeFrame(frame: Int16Array): void {
    for (const e of this.det.push(frame)) {
      if (e.endSample === undefined) {
        this.current = { digit: e.digit, start: e.startSample };
        if (this.method === 'rfc2833') this.sink.press?.(e.digit);
      } else {
        if (this.method === 'rfc2833') this.sink.release?.();
        if (this.method === 'sip-info') this.sink.info?.(e.digit, Math.round((e.endSample - e.startSample) / 8));
        this.current = undefined;
        this.muteFrames = 2; // the tone's tail still in the delay line
      }
    }
    this.samples += frame.length;
    if (this.method === 'in-audio') return this.inner.writeFrame(frame);
    this.delay.push(Int16Array.from(frame));
    const out = this.delay.length > 2 ? this.delay.shift()! : new Int16Array(FRAME_SAMPLES);
    if (this.current || this.muteFrames > 0 || this.det.digit) {
      if (!this.current && this.muteFrames > 0) this.muteFrames--;
      this.inner.writeFrame(new Int16Array(FRAME_SAMPLES));
    } else this.inner.writeFrame(out);
  }
}
