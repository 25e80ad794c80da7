/**
 * Frames SIP messages out of a byte stream (TCP/TLS, RFC 3261 §18.3: Content-Length is mandatory)
 * and recognises RFC 5626 §4.4.1 keep-alives: a double CRLF "ping" and a single CRLF "pong".
 * Pure: push bytes in, get frames out. Throws DecodeError when the stream cannot be resynchronised
 * (the connection is then closed by the transport).
 */
import { DecodeError } from '../../../shared/errors';
import { findHeaderEnd, MAX_HEADER_BYTES } from './decode-message';

export type Frame = { kind: 'message'; bytes: Buffer } | { kind: 'ping' } | { kind: 'pong' };

export const MAX_BODY_BYTES = 1024 * 1024;

export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Frame[] = [];
    for (;;) {
      // keep-alives between messages: CRLFCRLF = ping, a lone CRLF = pong
      let i = 0;
      while (i < this.buf.length && (this.buf[i] === 13 || this.buf[i] === 10)) i++;
      if (i > 0) {
        const crlfs = this.buf.subarray(0, i).toString('latin1').split('\n').length - 1;
        if (crlfs >= 2) for (let p = 0; p < Math.floor(crlfs / 2); p++) out.push({ kind: 'ping' });
        else if (crlfs === 1) out.push({ kind: 'pong' });
        this.buf = this.buf.subarray(i);
      }
      if (this.buf.length === 0) return out;
      const he = findHeaderEnd(this.buf);
      if (!he) {
        if (this.buf.length > MAX_HEADER_BYTES) throw new DecodeError('header section too large', 0);
        return out;
      }
      const head = this.buf.toString('latin1', 0, he.end);
      const m = /(?:^|\n)(?:content-length|l)[ \t]*:[ \t]*([0-9]+)[ \t]*\r?(?:\n|$)/i.exec(head);
      if (!m) throw new DecodeError('missing Content-Length on a stream', he.end);
      const len = Number(m[1]);
      if (len > MAX_BODY_BYTES) throw new DecodeError('body too large', he.end);
      const total = he.bodyStart + len;
      if (this.buf.length < total) return out;
      out.push({ kind: 'message', bytes: this.buf.subarray(0, total) });
      this.buf = this.buf.subarray(total);
    }
  }

  get buffered(): number {
    return this.buf.length;
  }
}
