/**
 * The codecs this unit really implements, and nothing else: SDP offers and answers are built
 * from `offerableCodecs` only, so a codec we cannot encode and decode is never advertised.
 * Vocoder codes are the HT813's (P57–P62, P46: 0 PCMU, 8 PCMA, 4 G.723, 18 G.729, 2 G.726-32,
 * 97 iLBC, 9 G.722, 123 OPUS); G.723.1, G.729 and iLBC are not implemented here and are skipped.
 * OPUS is real through libopus (opusscript, WebAssembly), narrowband, RTP clock 48 kHz.
 */
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711';
import { G726Decoder, G726Encoder } from './g726';
import { G722Decoder, G722Encoder } from './g722';
import { Downsampler2, Upsampler2 } from '../dsp/resample2';
import { OpusDecoder, OpusEncoder, opusPacketSamples48k } from './opus';

/** Encoders and decoders may reuse their output array: it is valid until their next call. */
export interface FrameEncoder {
  encode(pcm: Int16Array): Uint8Array;
  /**
   * Optional, for codecs with one payload byte per sample (G.711): writes the payload of `pcm`
   * straight into `out` at `offset` (the RTP packet being built), `pcm.length` bytes.
   */
  encodeInto?(pcm: Int16Array, out: Uint8Array, offset: number): void;
  /** Frees what the encoder holds (WebAssembly memory); called when the session closes. */
  close?(): void;
}
export interface FrameDecoder {
  /** 8 kHz PCM of one payload; may throw DecodeError on a malformed payload. */
  decode(payload: Uint8Array): Int16Array;
  close?(): void;
}

export interface AudioCodec {
  /** SDP encoding name (RFC 3551 / RFC 4733 / RFC 3389). */
  readonly name: string;
  /** Static payload type, or the unit's default for a dynamic one. */
  readonly payloadType: number;
  /** RTP clock rate (8000, OPUS 48000, RFC 7587 §4.1). The media path itself always runs at 8 kHz. */
  readonly clockRate: number;
  /** SDP channel count where the rtpmap needs one (OPUS: 2, RFC 7587 §7). */
  readonly channels?: number;
  /** The HT813 vocoder code (P57…) that selects it, if it is a voice codec. */
  readonly vocoder?: number;
  readonly kind: 'voice' | 'comfort-noise' | 'telephone-event';
  /** Duration of a payload in RTP clock units (voice codecs). */
  samplesIn(payload: Uint8Array): number;
  createEncoder(): FrameEncoder;
  createDecoder(): FrameDecoder;
}

/** A G.711 encoder/decoder pair that reuses its output buffers (the RTP layer copies them at once). */
function g711(
  enc: (pcm: Int16Array, out: Uint8Array, offset?: number) => Uint8Array,
  dec: (b: Uint8Array, out: Int16Array) => Int16Array,
): Pick<AudioCodec, 'createEncoder' | 'createDecoder'> {
  return {
    createEncoder: () => {
      let buf = new Uint8Array(160);
      return {
        encode: (pcm) => enc(pcm, buf.length === pcm.length ? buf : (buf = new Uint8Array(pcm.length))),
        encodeInto: (pcm, out, offset) => void enc(pcm, out, offset),
      };
    },
    createDecoder: () => {
      let buf = new Int16Array(160);
      return { decode: (p) => dec(p, buf.length === p.length ? buf : (buf = new Int16Array(p.length))) };
    },
  };
}

const notVoice = (): never => {
  throw new RangeError('not a voice codec');
};

export const PCMU: AudioCodec = {
  name: 'PCMU',
  payloadType: 0,
  clockRate: 8000,
  vocoder: 0,
  kind: 'voice',
  samplesIn: (p) => p.length,
  ...g711(encodeUlaw, decodeUlaw),
};

export const PCMA: AudioCodec = {
  name: 'PCMA',
  payloadType: 8,
  clockRate: 8000,
  vocoder: 8,
  kind: 'voice',
  samplesIn: (p) => p.length,
  ...g711(encodeAlaw, decodeAlaw),
};

/** G.726-32; the HT813 uses payload type 2 (its vocoder code), RFC 3551 lets SDP map it dynamically. */
export const G726_32: AudioCodec = {
  name: 'G726-32',
  payloadType: 2,
  clockRate: 8000,
  vocoder: 2,
  kind: 'voice',
  samplesIn: (p) => 2 * p.length,
  createEncoder: () => new G726Encoder(),
  createDecoder: () => new G726Decoder(),
};

/**
 * G.722 at 64 kbit/s. RTP clock 8000 although the audio is 16 kHz (RFC 3551 §4.5.2): one octet
 * per 8 kHz clock tick. The line audio is 8 kHz, so frames are resampled by two each way.
 */
export const G722: AudioCodec = {
  name: 'G722',
  payloadType: 9,
  clockRate: 8000,
  vocoder: 9,
  kind: 'voice',
  samplesIn: (p) => p.length,
  createEncoder: () => {
    const up = new Upsampler2();
    const enc = new G722Encoder();
    let wide = new Int16Array(320);
    let out = new Uint8Array(160);
    return {
      encode: (pcm) => {
        if (wide.length !== 2 * pcm.length) {
          wide = new Int16Array(2 * pcm.length);
          out = new Uint8Array(pcm.length);
        }
        return enc.encode(up.process(pcm, wide), out);
      },
    };
  },
  createDecoder: () => {
    const down = new Downsampler2();
    const dec = new G722Decoder();
    let wide = new Int16Array(320);
    let out = new Int16Array(160);
    return {
      decode: (p) => {
        if (out.length !== p.length) {
          wide = new Int16Array(2 * p.length);
          out = new Int16Array(p.length);
        }
        return down.process(dec.decode(p, wide), out);
      },
    };
  },
};

/** OPUS narrowband (payload type from P2385, default 123). */
export const OPUS: AudioCodec = {
  name: 'opus',
  payloadType: 123,
  clockRate: 48000,
  channels: 2,
  vocoder: 123,
  kind: 'voice',
  samplesIn: (p) => opusPacketSamples48k(p),
  createEncoder: () => new OpusEncoder(),
  createDecoder: () => new OpusDecoder(),
};

export const CN: AudioCodec = {
  name: 'CN',
  payloadType: 13,
  clockRate: 8000,
  kind: 'comfort-noise',
  samplesIn: () => 0,
  createEncoder: notVoice,
  createDecoder: notVoice,
};

/** RFC 4733; payload type from P79 (FXS) / P779 (FXO), default 101. */
export const TELEPHONE_EVENT: AudioCodec = {
  name: 'telephone-event',
  payloadType: 101,
  clockRate: 8000,
  kind: 'telephone-event',
  samplesIn: () => 0,
  createEncoder: notVoice,
  createDecoder: notVoice,
};

export const IMPLEMENTED_CODECS: readonly AudioCodec[] = [PCMU, PCMA, G726_32, G722, OPUS, CN, TELEPHONE_EVENT];

/** Vocoder codes the unit's settings may name but this software does not implement (never offered). */
export const UNIMPLEMENTED_VOCODERS: Readonly<Record<number, string>> = { 4: 'G723', 18: 'G729', 97: 'iLBC' };

export function codecByName(name: string): AudioCodec | undefined {
  return IMPLEMENTED_CODECS.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

export function codecByVocoder(code: number): AudioCodec | undefined {
  return IMPLEMENTED_CODECS.find((c) => c.vocoder === code);
}

/** Voice codecs to offer, in the order of the vocoder choices (P57, P58, … P46), duplicates and unimplemented ones removed. */
export function offerableCodecs(vocoderChoices: readonly number[]): AudioCodec[] {
  const out: AudioCodec[] = [];
  for (const v of vocoderChoices) {
    const c = codecByVocoder(v);
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/** Payload type → codec for one session (static types plus the negotiated dynamic ones). */
export class PayloadMap {
  private readonly map = new Map<number, AudioCodec>();
  constructor(entries: readonly (readonly [number, AudioCodec])[]) {
    for (const [pt, c] of entries) this.map.set(pt, c);
  }
  get(pt: number): AudioCodec | undefined {
    return this.map.get(pt);
  }
  payloadTypeOf(c: AudioCodec): number | undefined {
    for (const [pt, x] of this.map) if (x === c) return pt;
    return undefined;
  }
}
