/**
 * OPUS (RFC 6716) through opusscript (libopus 1.4 compiled to WebAssembly, npm), used
 * narrowband: the media path is 8 kHz, so the encoder takes 8 kHz frames (VOIP application,
 * SILK NB) and the decoder renders 8 kHz. On the wire RFC 7587 applies: RTP clock 48 kHz,
 * SDP `opus/48000/2`; `opusPacketSamples48k` reads a packet's duration from its TOC byte.
 * Each encoder/decoder holds WebAssembly memory: close() frees it (RtpSession.close does).
 */
import OpusScript from 'opusscript';
import { DecodeError } from '../../shared/errors';

/** Samples at 48 kHz in an OPUS packet (RFC 6716 §3.1 TOC byte, §3.2 frame count). */
export function opusPacketSamples48k(p: Uint8Array): number {
  if (p.length < 1) throw new DecodeError('empty OPUS packet', 0);
  const config = p[0]! >> 3;
  let frameUs: number;
  if (config < 12) frameUs = [10_000, 20_000, 40_000, 60_000][config & 3]!;
  else if (config < 16) frameUs = config & 1 ? 20_000 : 10_000;
  else frameUs = [2_500, 5_000, 10_000, 20_000][config & 3]!;
  const code = p[0]! & 3;
  let frames = code === 0 ? 1 : 2;
  if (code === 3) {
    if (p.length < 2) throw new DecodeError('OPUS code 3 packet without a frame count', 1);
    frames = p[1]! & 0x3f;
    if (frames === 0 || (frames * frameUs) / 1000 > 120) throw new DecodeError(`OPUS frame count ${frames} invalid`, 1);
  }
  return (frames * frameUs * 48) / 1000;
}

export class OpusEncoder {
  private readonly o = new OpusScript(8000, 1, OpusScript.Application.VOIP);

  /** One 2.5–60 ms frame of 8 kHz PCM (20 ms = 160 samples). */
  encode(pcm: Int16Array): Uint8Array {
    return this.o.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), pcm.length);
  }

  close(): void {
    this.o.delete();
  }
}

export class OpusDecoder {
  private readonly o = new OpusScript(8000, 1, OpusScript.Application.VOIP);

  /** 8 kHz PCM of one packet; throws DecodeError on a packet libopus refuses. */
  decode(payload: Uint8Array): Int16Array {
    opusPacketSamples48k(payload);
    let out: Buffer;
    try {
      out = this.o.decode(Buffer.from(payload));
    } catch (e) {
      throw new DecodeError(`OPUS packet rejected: ${(e as Error).message}`, 0);
    }
    const pcm = new Int16Array(out.length >> 1);
    for (let i = 0; i < pcm.length; i++) pcm[i] = out.readInt16LE(2 * i);
    return pcm;
  }

  close(): void {
    this.o.delete();
  }
}
