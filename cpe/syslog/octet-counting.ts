/**
 * RFC 5425 §4.3 framing of syslog messages on a TLS stream (octet counting):
 *
 *   SYSLOG-FRAME = MSG-LEN SP SYSLOG-MSG      ; MSG-LEN = NONZERO-DIGIT *DIGIT, in octets
 *
 * frameSyslog wraps one message; SyslogDeframer splits a byte stream back into messages (tests,
 * and anyone reading such a stream). No I/O.
 */
import { DecodeError } from '../shared/errors';

export function frameSyslog(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

/** Frames larger than this are refused (§4.3.1: receivers SHOULD take 8192 octets; we allow more). */
const MAX_FRAME = 1 << 20;

export class SyslogDeframer {
  private buf = Buffer.alloc(0);
  private consumed = 0;

  /** The whole messages this chunk completes. Throws DecodeError on a bad MSG-LEN. */
  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const sp = this.buf.indexOf(0x20);
      const digits = this.buf.subarray(0, sp < 0 ? Math.min(this.buf.length, 8) : sp).toString('latin1');
      if (!/^([1-9]\d*)?$/.test(digits)) throw new DecodeError('syslog frame: MSG-LEN is not a number (RFC 5425 §4.3)', this.consumed);
      if (sp < 0) {
        if (digits.length > 7) throw new DecodeError('syslog frame: MSG-LEN too long', this.consumed);
        return out;
      }
      if (digits === '') throw new DecodeError('syslog frame: empty MSG-LEN', this.consumed);
      const len = Number(digits);
      if (len > MAX_FRAME) throw new DecodeError(`syslog frame: ${len} octets is more than ${MAX_FRAME}`, this.consumed);
      if (this.buf.length < sp + 1 + len) return out;
      out.push(Buffer.from(this.buf.subarray(sp + 1, sp + 1 + len)));
      this.buf = this.buf.subarray(sp + 1 + len);
      this.consumed += sp + 1 + len;
    }
  }
}
