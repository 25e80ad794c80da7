/**
 * The vocoders a line may offer, from the "Preferred Vocoder" choices P57–P62, P46 (profile 1) and
 * the payload-type P-values, filtered by what the media layer really implements: a codec we
 * cannot encode and decode is never advertised.
 */

export interface CodecSpec {
  /** rtpmap encoding name as written in SDP. */
  readonly encoding: string;
  readonly payloadType: number;
  readonly clockRate: number;
  readonly channels?: number;
  /** Length of one codec frame, ms (P37 "voice frames per TX" counts these). */
  readonly frameMs: number;
  readonly fmtp?: string;
}

/** Vocoder choice value (as stored in P57…) → codec; dynamic PTs come from their own P-values. */
export interface VocoderPayloadTypes {
  /** P96 iLBC payload type. */
  readonly ilbc: number;
  /** P2385 OPUS payload type. */
  readonly opus: number;
  /** P97 iLBC frame size: 0 = 20 ms, 1 = 30 ms. */
  readonly ilbcFrame: 0 | 1;
}

export function vocoderCodec(choice: string, pts: VocoderPayloadTypes): CodecSpec | undefined {
  switch (choice.trim()) {
    case '0':
      return { encoding: 'PCMU', payloadType: 0, clockRate: 8000, frameMs: 10 };
    case '8':
      return { encoding: 'PCMA', payloadType: 8, clockRate: 8000, frameMs: 10 };
    case '4':
      return { encoding: 'G723', payloadType: 4, clockRate: 8000, frameMs: 30 };
    case '18':
      return { encoding: 'G729', payloadType: 18, clockRate: 8000, frameMs: 10 };
    case '9':
      // RFC 3551 §4.5.2: G.722 keeps an 8000 Hz RTP clock rate.
      return { encoding: 'G722', payloadType: 9, clockRate: 8000, frameMs: 10 };
    case '2':
      // Grandstream sends G.726-32 on the legacy static payload type 2 (RFC 3551 §6 notes).
      return { encoding: 'G726-32', payloadType: 2, clockRate: 8000, frameMs: 10 };
    case '97':
      return { encoding: 'iLBC', payloadType: pts.ilbc, clockRate: 8000, frameMs: pts.ilbcFrame === 1 ? 30 : 20, fmtp: `mode=${pts.ilbcFrame === 1 ? 30 : 20}` };
    case '123':
      return { encoding: 'opus', payloadType: pts.opus, clockRate: 48000, channels: 2, frameMs: 20 };
    default:
      return undefined;
  }
}

/**
 * The offered codec list: the vocoder choices in order, duplicates removed, keeping only what
 * `implemented` (encoding names the media layer encodes and decodes, compared case-insensitively)
 * holds. An empty result means the line cannot place calls (the caller reports it).
 */
export function codecPreference(choices: readonly string[], pts: VocoderPayloadTypes, implemented: readonly string[]): CodecSpec[] {
  const can = new Set(implemented.map((e) => e.toLowerCase()));
  const out: CodecSpec[] = [];
  for (const c of choices) {
    const spec = vocoderCodec(c, pts);
    if (!spec || !can.has(spec.encoding.toLowerCase())) continue;
    if (out.some((o) => o.encoding === spec.encoding)) continue;
    out.push(spec);
  }
  return out;
}

/** P37 frames per packet × the first codec's frame length, at least one frame (RFC 4566 §6 a=ptime). */
export function packetTimeMs(framesPerTx: number, codec: CodecSpec | undefined): number {
  const frame = codec?.frameMs ?? 10;
  const frames = Number.isFinite(framesPerTx) && framesPerTx >= 1 ? Math.floor(framesPerTx) : 2;
  return Math.max(frame, frames * frame);
}
