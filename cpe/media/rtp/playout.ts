/**
 * The receive side's playout, pulled every 20 ms: packets leave the jitter buffer in timestamp
 * order, are decoded and pass the G.711 Appendix I PLC (which keeps its pitch history); holes
 * become PLC audio, RFC 3389 comfort noise when a CN packet came after the last audio played,
 * or silence before the first packet and under an RFC 4733 event (whose sender stops audio).
 * Decoder output stays at 8 kHz; `scale` converts RTP clock units (6 for OPUS's 48 kHz).
 * In fax pass-through (ITU-T V.152 voiceband data) the jitter buffer is fixed, decoded audio is
 * played as it is and every hole is silence: PLC's synthetic speech or comfort noise would be
 * garbage to a modem's demodulator, a short silence is a clean dropout it can recover from.
 */
import { DecodeError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Random } from '../../shared/random';
import { FRAME_SAMPLES } from '../dsp/audio';
import type { AudioCodec, FrameDecoder } from '../codecs/registry';
import { G711Plc } from '../codecs/plc';
import { FramePool } from '../dsp/frame-pool';
import { CnGenerator, type ComfortNoise } from '../codecs/cn';
import { JitterBuffer, type JbPacket, type JitterLength, type JitterMode, type PutResult } from '../jitter-buffer';

const EMPTY = new Int16Array(0);

export interface PlayoutCounters {
  concealedFrames: number;
  dropped: { malformed: number };
}

export class Playout {
  readonly jb: JitterBuffer;
  private readonly decoder: FrameDecoder;
  private readonly plc = new G711Plc();
  private readonly frames = new FramePool();
  private readonly cng: CnGenerator;
  private readonly scale: number;
  private fifo: Int16Array = EMPTY;
  /** RTP timestamp of the last CN packet, and of the last audio packet played: CN rules the gaps after it (playout order). */
  private cnTs: number | undefined;
  private lastPlayedTs: number | undefined;
  /** Until this time (ms) gaps in the audio are a telephone-event replacing it: silence, not loss. */
  private eventQuietUntil = 0;
  private passThrough = false;

  constructor(
    codec: AudioCodec,
    jitter: { readonly mode: JitterMode; readonly length: JitterLength },
    random: Random,
    private readonly clock: Clock,
    private readonly counters: PlayoutCounters,
  ) {
    this.decoder = codec.createDecoder();
    this.scale = codec.clockRate / 8000;
    this.jb = new JitterBuffer(jitter.mode, jitter.length, codec.clockRate);
    this.cng = new CnGenerator(random);
  }

  /** A voice packet (arrival in RTP clock units). */
  put(p: JbPacket, arrival: number): PutResult {
    return this.jb.put(p, arrival);
  }

  /** Fax pass-through from now on: fixed jitter buffer of `jitterMs`, no PLC, no comfort noise. */
  setPassThrough(jitterMs: number): void {
    if (this.passThrough) return;
    this.passThrough = true;
    this.jb.fixDelay(jitterMs);
  }

  /** An RFC 3389 CN packet with its RTP timestamp. */
  comfortNoise(timestamp: number, cn: ComfortNoise): void {
    this.cng.update(cn);
    this.cnTs = timestamp;
  }

  /** An RFC 4733 packet arrived now (ms): the audio gap it causes is not loss (§2.5.1.2). */
  eventSeen(nowMs: number): void {
    this.eventQuietUntil = nowMs + 60 + this.jb.delayMs;
  }

  /** The next 20 ms to play. */
  read(): Int16Array {
    let fifo = this.fifo;
    while (fifo.length < FRAME_SAMPLES) {
      const need = FRAME_SAMPLES - fifo.length;
      const r = this.jb.take(need * this.scale);
      let chunk: Int16Array;
      if (r === undefined) chunk = this.frames.take(need);
      else if ('packet' in r) {
        this.lastPlayedTs = r.packet.timestamp;
        let pcm: Int16Array;
        try {
          pcm = this.decoder.decode(r.packet.payload);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          this.counters.dropped.malformed++;
          const n = Math.round(r.packet.samples / this.scale);
          pcm = this.passThrough ? this.frames.take(n) : this.plc.conceal(Math.ceil(n / 80) * 80).subarray(0, n);
        }
        // the decoder reuses its output array: pass-through keeps a copy (PLC copies into its own)
        if (this.passThrough) chunk = this.frames.copy(pcm, 0, pcm.length);
        else if (pcm.length % 80 === 0) chunk = this.plc.good(pcm);
        else {
          const padded = new Int16Array(Math.ceil(pcm.length / 80) * 80);
          padded.set(pcm);
          chunk = this.plc.good(padded).subarray(0, pcm.length);
        }
      } else {
        const n = Math.max(1, Math.round(r.gap / this.scale));
        if (r.reason === 'preroll' || this.passThrough || this.clock.now() < this.eventQuietUntil) chunk = this.frames.take(n);
        else if (this.inComfortNoise()) chunk = this.cng.read(new Int16Array(n));
        else {
          chunk = this.plc.conceal(Math.ceil(n / 80) * 80).subarray(0, n);
          this.counters.concealedFrames++;
        }
      }
      if (fifo.length === 0) fifo = chunk;
      else {
        const f = new Int16Array(fifo.length + chunk.length);
        f.set(fifo);
        f.set(chunk, fifo.length);
        fifo = f;
      }
    }
    if (fifo.length === FRAME_SAMPLES) {
      this.fifo = EMPTY;
      return fifo;
    }
    this.fifo = fifo.slice(FRAME_SAMPLES);
    return fifo.slice(0, FRAME_SAMPLES);
  }

  /** A CN packet came after the last audio played (RFC 3389 §4: noise until speech resumes). */
  private inComfortNoise(): boolean {
    if (this.cnTs === undefined) return false;
    return this.lastPlayedTs === undefined || ((this.cnTs - this.lastPlayedTs) | 0) > 0;
  }

  close(): void {
    this.decoder.close?.();
  }
}
