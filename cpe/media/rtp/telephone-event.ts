/**
 * RFC 4733 telephone-events (DTMF named events 0–15, §3.2) in RTP.
 * Payload (§2.3): event (8) | E (1) R (1) volume (6) | duration (16), several blocks per packet allowed.
 * Sender (§2.5.1): the first packet of an event carries the marker bit; every packet of one
 * event has the event's start timestamp and the duration so far; the end packet (E=1) is sent
 * `endCount` times (P28177, default 3, §2.5.1.4). P28173 ("events count", default 8) is the
 * least number of non-end packets, so a short key press still gets a usable duration.
 * Receiver (§2.5.2): an event is identified by its timestamp; repeats and retransmitted ends
 * are recognised, a missing start (first packet lost) still yields the digit.
 */
import { DecodeError } from '../../shared/errors';
import type { DtmfDigit } from '../dsp/dtmf-generator';

export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  /** Power level as −dBm0, 0–63. */
  readonly volume: number;
  /** Timestamp units since the event's start. */
  readonly duration: number;
}

const EVENT_DIGITS = '0123456789*#ABCD';

export function digitToEvent(d: DtmfDigit): number {
  return EVENT_DIGITS.indexOf(d);
}

export function eventToDigit(e: number): DtmfDigit | undefined {
  return e >= 0 && e < 16 ? (EVENT_DIGITS[e] as DtmfDigit) : undefined;
}

export function decodeTelephoneEvents(payload: Uint8Array): TelephoneEvent[] {
  if (payload.length === 0 || payload.length % 4 !== 0) throw new DecodeError(`telephone-event payload of ${payload.length} bytes is not a multiple of 4`, 0);
  const out: TelephoneEvent[] = [];
  for (let o = 0; o < payload.length; o += 4) {
    out.push({ event: payload[o]!, end: (payload[o + 1]! & 0x80) !== 0, volume: payload[o + 1]! & 0x3f, duration: (payload[o + 2]! << 8) | payload[o + 3]! });
  }
  return out;
}

export function encodeTelephoneEvent(e: TelephoneEvent): Buffer {
  if (e.event < 0 || e.event > 255 || e.volume < 0 || e.volume > 63 || e.duration < 0 || e.duration > 0xffff) throw new RangeError('telephone-event field out of range');
  return Buffer.from([e.event, (e.end ? 0x80 : 0) | e.volume, e.duration >> 8, e.duration & 0xff]);
}

const NO_PACKETS: readonly EventPacket[] = Object.freeze([]);

/** One RTP packet the sender wants out (the session adds sequence number and SSRC). */
export interface EventPacket {
  readonly marker: boolean;
  readonly timestamp: number;
  readonly payload: Buffer;
}

export interface TelephoneEventSenderOptions {
  /** P28173: least number of non-end packets per event (default 8). */
  readonly eventCount?: number;
  /** P28177: end packet copies (default 3). */
  readonly endCount?: number;
  /** Packet interval in timestamp units (default 20 ms of the clock). */
  readonly interval?: number;
  /** RTP clock rate of the stream (default 8000; 48000 with OPUS). */
  readonly clockRate?: number;
  /** −dBm0 (default 10). */
  readonly volume?: number;
}

/**
 * Produces the event packets of digits, pulled one interval at a time by the media clock.
 * `press(digit)` starts an event that lasts until `release()`; `send(digit, ms)` sends one of
 * known length. End packets go out one per interval, `endCount` times.
 */
export class TelephoneEventSender {
  private readonly eventCount: number;
  private readonly endCount: number;
  private readonly interval: number;
  private readonly volume: number;
  private readonly clockRate: number;
  private current: { event: number; ts: number; sent: number; segStart: number; min: number; held: boolean; endsLeft: number } | undefined;
  private readonly queue: { digit: DtmfDigit; hold: number | 'held' }[] = [];

  constructor(opts: TelephoneEventSenderOptions = {}) {
    this.eventCount = opts.eventCount ?? 8;
    this.endCount = opts.endCount ?? 3;
    this.clockRate = opts.clockRate ?? 8000;
    this.interval = opts.interval ?? this.clockRate / 50;
    this.volume = opts.volume ?? 10;
  }

  /** True while an event is being sent or queued (audio is suppressed meanwhile, §2.5.1.2). */
  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  /** A key went down. */
  press(digit: DtmfDigit): void {
    this.queue.push({ digit, hold: 'held' });
  }

  /** The key went up: the event ends once its least count (P28173) is sent. */
  release(): void {
    const q = [...this.queue].reverse().find((x) => x.hold === 'held');
    if (q) q.hold = 0;
    else if (this.current) this.current.held = false;
  }

  /** A whole digit of known length (SIP INFO relay, IVR): at least `ms` of event. */
  send(digit: DtmfDigit, ms = 100): void {
    this.queue.push({ digit, hold: Math.ceil((ms * this.clockRate) / 1000 / this.interval) });
  }

  /** The packets due in the interval whose first sample has RTP timestamp `ts`. */
  tick(ts: number): readonly EventPacket[] {
    if (!this.current) {
      if (this.queue.length === 0) return NO_PACKETS;
      const next = this.queue.shift()!;
      const held = next.hold === 'held';
      this.current = { event: digitToEvent(next.digit), ts, sent: 0, segStart: 0, min: Math.max(this.eventCount, held ? 0 : (next.hold as number)), held, endsLeft: this.endCount };
    }
    const c = this.current;
    if (c.held || c.sent < c.min) {
      // §2.5.1.3: an event longer than the 16-bit duration goes on in a new segment whose
      // timestamp is where the previous one ended (no marker, no end bit on the old one).
      if ((c.sent - c.segStart + 1) * this.interval > 0xffff) {
        c.ts = (c.ts + (c.sent - c.segStart) * this.interval) >>> 0;
        c.segStart = c.sent;
      }
      c.sent++;
      const duration = (c.sent - c.segStart) * this.interval;
      return [{ marker: c.sent === 1, timestamp: c.ts, payload: encodeTelephoneEvent({ event: c.event, end: false, volume: this.volume, duration }) }];
    }
    c.endsLeft--;
    if (c.endsLeft <= 0) this.current = undefined;
    const duration = (c.sent - c.segStart) * this.interval;
    return [{ marker: false, timestamp: c.ts, payload: encodeTelephoneEvent({ event: c.event, end: true, volume: this.volume, duration }) }];
  }
}

export interface ReceivedEvent {
  readonly digit: DtmfDigit;
  readonly kind: 'start' | 'end';
  /** RTP timestamp of the event start. */
  readonly timestamp: number;
  /** Duration in timestamp units (in the end event). */
  readonly duration?: number;
}

/** Turns received telephone-event packets into digit start/end, once each. */
export class TelephoneEventReceiver {
  private lastTs: number | undefined;
  private started = false;
  private ended = false;
  private lastEvent = -1;
  private lastDuration = 0;
  readonly stats = { packets: 0, malformed: 0, unknownEvents: 0, digits: 0 };

  /** Feeds the payload of one packet with its RTP timestamp. Never throws on bad input. */
  receive(timestamp: number, payload: Uint8Array): ReceivedEvent[] {
    this.stats.packets++;
    let blocks: TelephoneEvent[];
    try {
      blocks = decodeTelephoneEvents(payload);
    } catch {
      this.stats.malformed++;
      return [];
    }
    // With several blocks (§2.5.1.5 redundancy) only the last one is this packet's event.
    const e = blocks[blocks.length - 1]!;
    const digit = eventToDigit(e.event);
    if (!digit) {
      this.stats.unknownEvents++;
      return [];
    }
    const out: ReceivedEvent[] = [];
    // §2.5.1.3: a long event's next segment starts where the previous one ended: same key, not a new press.
    const continuation =
      this.started && !this.ended && e.event === this.lastEvent && this.lastTs !== undefined && timestamp === ((this.lastTs + this.lastDuration) >>> 0) && this.lastDuration >= 0xff00;
    if (continuation) {
      this.lastTs = timestamp;
    } else if (timestamp !== this.lastTs || e.event !== this.lastEvent) {
      if (this.started && !this.ended && this.lastTs !== undefined) {
        const prev = eventToDigit(this.lastEvent);
        if (prev) out.push({ digit: prev, kind: 'end', timestamp: this.lastTs });
      }
      this.lastTs = timestamp;
      this.lastEvent = e.event;
      this.started = true;
      this.ended = false;
      this.stats.digits++;
      out.push({ digit, kind: 'start', timestamp });
    }
    this.lastDuration = e.duration;
    if (e.end && !this.ended) {
      this.ended = true;
      out.push({ digit, kind: 'end', timestamp, duration: e.duration });
    }
    return out;
  }
}
