/**
 * Receive jitter buffer (P133 type: 0 fixed, 1 adaptive; P132 length: 0 low, 1 medium, 2 high).
 * Packets are kept encoded, by RTP timestamp, and taken out strictly in timestamp order by the
 * playout side, so stateful decoders (G.726) see them in order and losses become PLC frames.
 * Playout time runs in timestamp units: the first packet (and, in adaptive mode, each talkspurt
 * start with an empty buffer, RFC 3551 §4.1 marker) sets playout = its timestamp − target delay.
 * Adaptive target = clamp(min, max, 4 × interarrival jitter (RFC 3550 §A.8) + one packet),
 * raised at once after a late packet, lowered gently by dropping a frame when the buffer runs
 * deeper than target + 40 ms for a second.
 * The delays per length are our choice (the user guide gives only Low/Medium/High):
 * fixed 40/80/120 ms; adaptive 20–100, 40–200, 60–300 ms.
 * Fax pass-through (ITU-T V.152 voiceband data) fixes the buffer mid-call at FAX_JITTER_MS.
 */
export type JitterMode = 'fixed' | 'adaptive';
export type JitterLength = 'low' | 'medium' | 'high';

export const JITTER_DELAYS: Readonly<Record<JitterLength, { fixed: number; min: number; max: number }>> = {
  low: { fixed: 40, min: 20, max: 100 },
  medium: { fixed: 80, min: 40, max: 200 },
  high: { fixed: 120, min: 60, max: 300 },
};

/** The fixed depth of a fax pass-through call: the High fixed depth (V.152 asks for a fixed playout buffer, not its size). */
export const FAX_JITTER_MS = JITTER_DELAYS.high.fixed;

export function jitterModeFromP133(v: string | number): JitterMode {
  return String(v) === '0' ? 'fixed' : 'adaptive';
}
export function jitterLengthFromP132(v: string | number): JitterLength {
  return String(v) === '0' ? 'low' : String(v) === '2' ? 'high' : 'medium';
}

export interface JbPacket {
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly payload: Uint8Array;
  /** Samples this packet covers (from its codec). */
  readonly samples: number;
}

interface Stored {
  readonly p: JbPacket;
  readonly uts: number;
}

export type PutResult = 'queued' | 'late' | 'duplicate' | 'overflow';

export class JitterBuffer {
  /** Held packets in timestamp order (a handful: arrival order is nearly always that order). */
  private readonly packets: Stored[] = [];
  private refTs: number | undefined;
  private refU = 0;
  private playout: number | undefined;
  private target: number;
  private readonly min: number;
  private readonly max: number;
  private jitter16 = 0;
  private lastTransit: number | undefined;
  private deepTicks = 0;
  /** The latest end (uts + samples) of the packets held or already played (see adapt()). */
  private newestEnd = Number.NEGATIVE_INFINITY;
  /** Timestamp units per ms (8 at 8 kHz, 48 for OPUS). */
  private readonly k: number;
  readonly stats = { queued: 0, late: 0, duplicate: 0, overflow: 0, played: 0, lost: 0, dropped: 0, resyncs: 0 };

  constructor(
    private modeNow: JitterMode = 'adaptive',
    readonly length: JitterLength = 'medium',
    /** RTP clock rate of the stream (timestamps, sizes and arrival times are in its units). */
    readonly clockRate = 8000,
    /** Capacity in ms. */
    capacityMs = 1000,
  ) {
    this.k = clockRate / 1000;
    const d = JITTER_DELAYS[length];
    this.min = d.min * this.k;
    this.max = d.max * this.k;
    this.target = (modeNow === 'fixed' ? d.fixed : Math.max(d.min, 40)) * this.k;
    this.capacity = capacityMs * this.k;
  }

  get mode(): JitterMode {
    return this.modeNow;
  }

  /**
   * Becomes a fixed buffer of `ms` now (fax pass-through): playout moves so that what is held
   * plays `ms` late. Going deeper inserts one gap (silence), going shallower drops the oldest audio.
   */
  fixDelay(ms: number): void {
    this.modeNow = 'fixed';
    const target = ms * this.k;
    this.deepTicks = 0;
    if (this.playout !== undefined) {
      // depth counted from the newest audio held, or from now when nothing is held
      this.playout = Math.max(this.newestEnd, this.playout) - target;
      this.stats.resyncs++;
    }
    this.target = target;
  }

  private readonly capacity: number;

  /** Current target delay in ms. */
  get delayMs(): number {
    return this.target / this.k;
  }

  /** Packets held. */
  get size(): number {
    return this.packets.length;
  }

  private unwrap(ts: number): number {
    if (this.refTs === undefined) {
      this.refTs = ts >>> 0;
      this.refU = 0;
      return 0;
    }
    const u = this.refU + ((ts - this.refTs) | 0);
    if (u > this.refU) {
      this.refTs = ts >>> 0;
      this.refU = u;
    }
    return u;
  }

  /** Adds a received packet; `arrivalTs` is the local arrival time in timestamp units (ms × clock rate / 1000). */
  put(p: JbPacket, arrivalTs: number): PutResult {
    const uts = this.unwrap(p.timestamp);
    const transit = arrivalTs - uts;
    if (this.lastTransit !== undefined) this.jitter16 += Math.abs(transit - this.lastTransit) - ((this.jitter16 + 8) >> 4);
    this.lastTransit = transit;
    if (this.playout === undefined) {
      this.playout = uts - this.target;
    } else if (this.modeNow === 'adaptive' && p.marker && this.packets.length === 0 && uts - this.target > this.playout) {
      // Talkspurt start after silence: re-anchor at the current target.
      this.playout = uts - this.target;
      this.stats.resyncs++;
    }
    if (uts + p.samples <= this.playout) {
      this.stats.late++;
      if (this.modeNow === 'adaptive') this.target = Math.min(this.max, this.target + 20 * this.k);
      return 'late';
    }
    // Insertion point from the newest end (in-order arrival stops at once).
    const held = this.packets;
    let at = held.length;
    while (at > 0 && held[at - 1]!.uts > uts) at--;
    if (at > 0 && held[at - 1]!.uts === uts) {
      this.stats.duplicate++;
      return 'duplicate';
    }
    if (uts - this.playout > this.capacity) {
      this.stats.overflow++;
      return 'overflow';
    }
    if (at === held.length) held.push({ p, uts });
    else held.splice(at, 0, { p, uts });
    if (uts + p.samples > this.newestEnd) this.newestEnd = uts + p.samples;
    this.stats.queued++;
    return 'queued';
  }

  /**
   * Next step of playout, taking up to `want` samples of time: the packet due now (playout
   * advances by its length), or a gap of `min(want, time to the next packet)` samples — before
   * the first packet plays ('preroll', silence), a hole before a later packet ('lost', PLC), or
   * nothing buffered ('empty') — or undefined when nothing was ever received.
   */
  take(want = 20 * this.k): { packet: JbPacket } | { gap: number; reason: 'preroll' | 'lost' | 'empty' } | undefined {
    if (this.playout === undefined) return undefined;
    this.adapt();
    // Drop what fell behind playout (partially played packets are dropped too).
    const held = this.packets;
    let behind = 0;
    while (behind < held.length && held[behind]!.uts < this.playout) behind++;
    if (behind > 0) {
      held.splice(0, behind);
      this.stats.late += behind;
      // a dropped packet may have ended past playout: the newest end comes from what is left
      this.newestEnd = Number.NEGATIVE_INFINITY;
      for (const h of held) this.newestEnd = Math.max(this.newestEnd, h.uts + h.p.samples);
    }
    const next = held[0];
    if (next && next.uts === this.playout) {
      held.shift();
      this.playout += next.p.samples;
      this.stats.played++;
      return { packet: next.p };
    }
    const gap = next ? Math.min(want, next.uts - this.playout) : want;
    this.playout += gap;
    if (this.stats.played === 0) return { gap, reason: 'preroll' };
    if (next) this.stats.lost++;
    return { gap, reason: next ? 'lost' : 'empty' };
  }

  private adapt(): void {
    if (this.modeNow !== 'adaptive' || this.playout === undefined) return;
    const wanted = Math.min(this.max, Math.max(this.min, 4 * (this.jitter16 >> 4) + 20 * this.k));
    if (wanted > this.target) this.target = wanted;
    // Depth now = newest buffered end − playout. newestEnd may still count a packet already
    // played, whose end is at or before playout, so the max with playout gives the same depth.
    const depth = Math.max(this.newestEnd, this.playout) - this.playout;
    if (depth > this.target + 40 * this.k) this.deepTicks++;
    else this.deepTicks = 0;
    if (this.deepTicks >= 50) {
      // Shrink: skip one frame of the oldest audio (a 20 ms drop, once per second at most).
      this.playout += 20 * this.k;
      this.stats.dropped++;
      this.deepTicks = 0;
      this.target = Math.max(this.min, wanted);
    }
  }
}
