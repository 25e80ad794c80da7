/**
 * The FXS line's LinePort over the line hardware (cpe/hw FxsPort) and the media clock: tones,
 * ringing with caller ID, call-waiting alert, MWI, and the audio path phone ↔ RTP session, or
 * phone ↔ conference mixer ↔ two sessions for the local 3-way conference. The path exists only
 * while a call is connected, so an idle unit has no media clock running.
 */
import type { FxsPort } from '../../hw/types';
import { cidDateTime, type CallerId } from '../../media/callerid/cid-message';
import type { MediaClock } from '../../media/media-clock';
import type { MediaPort } from '../../media/media-port';
import { ConferenceMixer } from '../../media/mixer';
import { PromptPlayer } from '../../media/prompts/prompt-player';
import type { PromptId } from '../../media/prompts/prompt-text';
import type { Logger } from '../../shared/logger';
import type { CallerIdInfo, LineEvent, LinePort, MediaSession } from '../fxs/ports';

/** A media session that can give the audio path its frames. */
export interface AudioSession extends MediaSession {
  readonly port: MediaPort;
}

function hasPort(s: MediaSession): s is AudioSession {
  return typeof (s as Partial<AudioSession>).port === 'object';
}

const FRAME = 160;
const FIFO_MAX = 5;

/** The phone side as a MediaPort: frames the phone sent, and frames to play to it. */
class PhonePort implements MediaPort {
  private readonly q: Int16Array[] = [];
  private readonly stop: () => void;
  constructor(private readonly fxs: FxsPort) {
    this.stop = fxs.audio.onFrame((f) => {
      this.q.push(f);
      if (this.q.length > FIFO_MAX) this.q.shift();
    });
  }
  readFrame(): Int16Array {
    return this.q.shift() ?? new Int16Array(FRAME);
  }
  writeFrame(frame: Int16Array): void {
    this.fxs.audio.write(frame);
  }
  close(): void {
    this.stop();
  }
}

export function toCallerId(cid: CallerIdInfo | undefined, tzMinutes = 0): CallerId | undefined {
  if (!cid) return undefined;
  const dateTime = cidDateTime(cid.time, tzMinutes);
  if (cid.private) return { dateTime, numberAbsent: 'P', nameAbsent: 'P' };
  return {
    dateTime,
    ...(cid.number ? { number: cid.number.slice(0, 20) } : { numberAbsent: 'O' as const }),
    ...(cid.name ? { name: cid.name.slice(0, 15) } : {}),
  };
}

export class HwLinePort implements LinePort {
  private path: (() => void)[] = [];
  /** Stops the voice prompts now playing. */
  private prompt: (() => void) | undefined;
  private phone: PhonePort | undefined;
  private connected: readonly MediaSession[] = [];

  constructor(
    private readonly fxs: FxsPort,
    private readonly mediaClock: MediaClock,
    private readonly log: Logger,
    private readonly hooks: { busy?(busy: boolean): void } = {},
  ) {}

  onEvent(listener: (e: LineEvent) => void): () => void {
    return this.fxs.on((e) => {
      if (e.type === 'offHook' || e.type === 'onHook' || e.type === 'flash') {
        this.hooks.busy?.(e.type !== 'onHook');
        listener({ type: e.type });
      } else if (e.type === 'digit') listener({ type: 'digit', digit: e.digit });
    });
  }

  playTone(tone: string | undefined): void {
    if (tone === undefined) this.fxs.stopTone();
    else this.fxs.playTone(tone);
  }

  /** The hw picks the cadence itself (distinctive ring P870–P875, else P4040), so `cadence` is only what it would choose. */
  ring(_cadence: string, callerId?: CallerIdInfo): void {
    const cid = toCallerId(callerId);
    this.hooks.busy?.(true);
    this.fxs.ring(cid ? { callerId: cid } : {});
  }

  stopRing(): void {
    this.fxs.stopRing();
    if (this.fxs.hook === 'onHook') this.hooks.busy?.(false);
  }

  alertCallWaiting(tone: string | undefined, callerId?: CallerIdInfo): void {
    if (tone !== undefined) this.fxs.playTone(tone);
    const cid = toCallerId(callerId);
    if (cid) {
      this.fxs.sendCallWaitingId(cid).then(
        (acked) => this.log.debug({ acked }, 'call-waiting caller ID'),
        (e: unknown) => this.log.warn({ err: String(e) }, 'call-waiting caller ID failed'),
      );
    }
  }

  stopCallWaiting(): void {
    this.fxs.stopTone();
  }

  setMessageWaiting(waiting: boolean): void {
    this.fxs.setMessageWaiting(waiting);
  }

  connect(sessions: readonly MediaSession[]): void {
    const same = sessions.length === this.connected.length && sessions.every((s, i) => s === this.connected[i]);
    if (same) return;
    this.teardown();
    this.connected = sessions;
    const ports = sessions.filter(hasPort).map((s) => s.port);
    this.fxs.setCallConnected(ports.length > 0);
    if (ports.length === 0) return;
    const phone = new PhonePort(this.fxs);
    this.phone = phone;
    if (ports.length === 1) {
      this.path.push(this.mediaClock.connect(phone, ports[0] as MediaPort));
      return;
    }
    // Bellcore 3-way: each of phone, B and C hears the other two (user guide "3-Way conferencing").
    const mixer = new ConferenceMixer(3);
    this.path.push(this.mediaClock.connect(phone, mixer.join('phone')));
    ports.slice(0, 2).forEach((p, i) => this.path.push(this.mediaClock.connect(p, mixer.join(`leg${i}`))));
    this.path.push(this.mediaClock.onTick(() => mixer.tick()));
  }

  farEndDisconnected(): void {
    this.fxs.signalDisconnect();
  }

  /** Voice prompts to the phone on the media clock (which runs only while they play). */
  playPrompt(words: readonly PromptId[], done: () => void): void {
    this.stopPrompt();
    // done comes inside a clock tick: the clock runs a copy of its handlers, so stopping here is safe
    const player = new PromptPlayer(words, () => {
      if (this.prompt !== stop) return;
      this.stopPrompt();
      done();
    });
    const stop = this.mediaClock.pipe(player, { writeFrame: (f) => this.fxs.audio.write(f) });
    this.prompt = stop;
  }

  stopPrompt(): void {
    const stop = this.prompt;
    this.prompt = undefined;
    stop?.();
  }

  private teardown(): void {
    for (const stop of this.path) stop();
    this.path = [];
    this.phone?.close();
    this.phone = undefined;
  }

  close(): void {
    this.teardown();
    this.stopPrompt();
    this.connected = [];
  }
}
