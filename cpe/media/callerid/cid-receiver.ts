/**
 * Caller ID / MWI receiver: FSK demodulator → bytes → messages. A message starts at a byte that
 * is a known message type right after the mark period; its length byte says where it ends.
 * Bad checksums and unknown types are counted and dropped, never thrown.
 */
import { DecodeError } from '../../shared/errors';
import { FskDemodulator, type FskDemodulatorOptions, type FskStandard } from '../dsp/fsk-modem';
import { CID_MDMF_CALL, CID_MDMF_MWI, CID_SDMF_CALL, CID_SDMF_MWI, decodeCidMessage, type CidMessage } from './cid-message';

const TYPES = new Set([CID_SDMF_CALL, CID_SDMF_MWI, CID_MDMF_CALL, CID_MDMF_MWI]);

export class CidReceiver {
  private readonly demod: FskDemodulator;
  private buf: number[] = [];
  readonly stats = { messages: 0, checksumErrors: 0, skippedBytes: 0 };

  constructor(standard: FskStandard, opts?: FskDemodulatorOptions) {
    this.demod = new FskDemodulator(standard, opts);
  }

  get demodulatorStats(): { bytes: number; framingErrors: number } {
    return this.demod.stats;
  }

  push(samples: ArrayLike<number>): CidMessage[] {
    const out: CidMessage[] = [];
    for (const b of this.demod.push(samples)) {
      if (this.buf.length === 0 && !TYPES.has(b)) {
        this.stats.skippedBytes++;
        continue;
      }
      this.buf.push(b);
      const len = this.buf[1];
      if (len === undefined || this.buf.length < len + 3) continue;
      try {
        out.push(decodeCidMessage(Uint8Array.from(this.buf)).message);
        this.stats.messages++;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        this.stats.checksumErrors++;
      }
      this.buf = [];
    }
    return out;
  }
}

/** Decodes every caller ID message in a recording. */
export function receiveCallerId(samples: ArrayLike<number>, standard: FskStandard, opts?: FskDemodulatorOptions): CidMessage[] {
  return new CidReceiver(standard, opts).push(samples);
}
