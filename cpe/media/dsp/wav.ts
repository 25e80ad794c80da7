/** RIFF/WAVE PCM (16-bit mono) writer and reader: operators listen to what the unit puts on the line. */
import { DecodeError } from '../../shared/errors';

export function encodeWav(samples: Int16Array, sampleRate = 8000): Buffer {
  const data = samples.length * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8, 'ascii');
  b.write('fmt ', 12, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 44 + 2 * i);
  return b;
}

/** Reads a 16-bit PCM mono WAV (any chunk order); throws DecodeError otherwise. */
export function decodeWav(buf: Buffer): { sampleRate: number; samples: Int16Array } {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new DecodeError('not a RIFF/WAVE file', 0);
  let o = 12;
  let rate: number | undefined;
  while (o + 8 <= buf.length) {
    const id = buf.toString('ascii', o, o + 4);
    const len = buf.readUInt32LE(o + 4);
    const body = o + 8;
    if (body + len > buf.length) throw new DecodeError(`chunk ${id} overruns the file`, o);
    if (id === 'fmt ') {
      if (len < 16) throw new DecodeError('fmt chunk too short', o);
      if (buf.readUInt16LE(body) !== 1 || buf.readUInt16LE(body + 2) !== 1 || buf.readUInt16LE(body + 14) !== 16) throw new DecodeError('only 16-bit PCM mono is supported', body);
      rate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (rate === undefined) throw new DecodeError('data chunk before fmt chunk', o);
      const samples = new Int16Array(len >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + 2 * i);
      return { sampleRate: rate, samples };
    }
    o = body + len + (len & 1);
  }
  throw new DecodeError('no data chunk', o);
}
