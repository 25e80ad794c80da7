/**
 * The fax tone detectors of one call's media: one on what our line sends (the phone, or the PSTN
 * line on the FXO side), one on what the network sends. They exist only while someone listens and
 * run until stop() (the call went to fax pass-through, or ended): nothing is left to detect then.
 * A listener's exception is logged, never thrown into the media clock.
 */
import { FaxToneDetector, type FaxTone } from '../../media/dsp/fax-tone-detector';
import type { Logger } from '../../shared/logger';

export type FaxToneListener = (tone: FaxTone, from: 'line' | 'network') => void;

export class FaxToneWatch {
  private readonly listeners: FaxToneListener[] = [];
  private fromLine: FaxToneDetector | undefined;
  private fromNetwork: FaxToneDetector | undefined;
  private stopped = false;

  constructor(private readonly log: Logger) {}

  listen(listener: FaxToneListener): void {
    if (this.stopped) return;
    this.listeners.push(listener);
    this.fromLine ??= new FaxToneDetector();
    this.fromNetwork ??= new FaxToneDetector();
  }

  /** 20 ms our line sent. */
  line(frame: Int16Array): void {
    if (this.fromLine) this.emit(this.fromLine, frame, 'line');
  }

  /** 20 ms the network sent (decoded, before anything is played over it). */
  network(frame: Int16Array): void {
    if (this.fromNetwork) this.emit(this.fromNetwork, frame, 'network');
  }

  private emit(det: FaxToneDetector, frame: Int16Array, from: 'line' | 'network'): void {
    const events = det.push(frame);
    for (let i = 0; i < events.length && !this.stopped; i++) {
      for (const l of this.listeners) {
        try {
          l(events[i]!.tone, from);
        } catch (e) {
          this.log.error({ err: (e as Error).message, from }, 'fax tone listener failed');
        }
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.fromLine = undefined;
    this.fromNetwork = undefined;
  }
}
