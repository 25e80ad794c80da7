/**
 * HTTP/1.1 for the CWMP client, as a pure codec (RFC 9112): the request head, and a response
 * parser fed bytes as they arrive. Bodies framed by Content-Length, chunked transfer coding
 * (§7.1) or the connection closing (§6.3 rule 8); 1xx interim responses skipped (§15.2); heads
 * and bodies size-limited. Node's http client did this before; at fleet scale its per-request
 * machinery cost more than the CWMP session itself (bench/cwmp.ts).
 */
import { DecodeError } from '../../shared/errors';

export type HttpHeaders = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; set-cookie and www-authenticate as arrays, other repeats joined with ", ". */
  readonly headers: HttpHeaders;
  readonly body: Buffer;
  /** The server will close the connection after this response (Connection: close, HTTP/1.0). */
  readonly close: boolean;
}

export const MAX_HEAD_BYTES = 64 * 1024;
const LIST_HEADERS = new Set(['set-cookie', 'www-authenticate']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `POST /path HTTP/1.1` and the headers; values with CR, LF or NUL are refused (header injection). */
export function encodeRequestHead(method: string, target: string, headers: ReadonlyArray<readonly [string, string]>): string {
  if (!TOKEN.test(method) || /[\s\x00-\x1f\x7f]/.test(target)) throw new RangeError('bad request line');
  let s = `${method} ${target} HTTP/1.1\r\n`;
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) throw new RangeError(`bad header name ${JSON.stringify(name)}`);
    if (/[\r\n\0]/.test(value)) throw new RangeError(`header ${name} contains CR, LF or NUL`);
    s += `${name}: ${value}\r\n`;
  }
  return `${s}\r\n`;
}

type State =
  | { kind: 'head' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-data-end' }
  | { kind: 'trailers' }
  | { kind: 'until-close' };

/**
 * Feed bytes with push(); a complete response comes back once, then the parser expects the next
 * response on the same connection (next() gives one already buffered). end() says the connection closed (completes a close-delimited
 * body; anything else unfinished is an error). Malformed input throws DecodeError.
 */
export class ResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private st: State = { kind: 'head' };
  private status = 0;
  private headers: HttpHeaders = {};
  private close = false;
  private body: Buffer[] = [];
  private bodyBytes = 0;

  constructor(private readonly maxBody: number) {}

  /** True while nothing of a response has arrived (a close then is not a truncated response). */
  get idle(): boolean {
    return this.st.kind === 'head' && this.buf.length === 0;
  }

  push(chunk: Buffer): HttpResponse | undefined {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return this.next();
  }

  /** The next response from bytes already received (a server that sent two at once). */
  next(): HttpResponse | undefined {
    for (;;) {
      const st = this.st;
      switch (st.kind) {
        case 'head': {
          const end = this.buf.indexOf('\r\n\r\n');
          if (end < 0) {
            if (this.buf.length > MAX_HEAD_BYTES) throw new DecodeError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
            return undefined;
          }
          if (end > MAX_HEAD_BYTES) throw new DecodeError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
          const head = this.buf.subarray(0, end).toString('latin1');
          this.buf = this.buf.subarray(end + 4);
          if (this.startResponse(head)) continue; // 1xx: the final response follows
          const done = this.startBody();
          if (done) return done;
          continue;
        }
        case 'length': {
          if (this.buf.length === 0) return undefined;
          const n = Math.min(st.remaining, this.buf.length);
          this.take(n);
          st.remaining -= n;
          if (st.remaining === 0) return this.finish();
          return undefined;
        }
        case 'chunk-size': {
          const eol = this.buf.indexOf('\r\n');
          if (eol < 0) {
            if (this.buf.length > 1024) throw new DecodeError('chunk size line too long');
            return undefined;
          }
          const line = this.buf.subarray(0, eol).toString('latin1');
          this.buf = this.buf.subarray(eol + 2);
          const m = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;.*)?$/.exec(line);
          if (!m) throw new DecodeError(`bad chunk size ${JSON.stringify(line.slice(0, 20))}`);
          const size = parseInt(m[1]!, 16);
          this.st = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining: size };
          continue;
        }
        case 'chunk-data': {
          if (this.buf.length === 0) return undefined;
          const n = Math.min(st.remaining, this.buf.length);
          this.take(n);
          st.remaining -= n;
          if (st.remaining === 0) this.st = { kind: 'chunk-data-end' };
          continue;
        }
        case 'chunk-data-end': {
          if (this.buf.length < 2) return undefined;
          if (this.buf[0] !== 13 || this.buf[1] !== 10) throw new DecodeError('chunk data not followed by CRLF');
          this.buf = this.buf.subarray(2);
          this.st = { kind: 'chunk-size' };
          continue;
        }
        case 'trailers': {
          // §7.1.2: trailer fields are read and dropped; an empty line ends the message.
          const eol = this.buf.indexOf('\r\n');
          if (eol < 0) {
            if (this.buf.length > MAX_HEAD_BYTES) throw new DecodeError('trailer section too large');
            return undefined;
          }
          const empty = eol === 0;
          this.buf = this.buf.subarray(eol + 2);
          if (empty) return this.finish();
          continue;
        }
        case 'until-close': {
          if (this.buf.length > 0) this.take(this.buf.length);
          return undefined;
        }
      }
    }
  }

  /** The connection closed: the close-delimited response it completes, if any. */
  end(): HttpResponse | undefined {
    if (this.st.kind === 'until-close') return this.finish();
    if (this.idle) return undefined;
    throw new DecodeError('connection closed in the middle of a response');
  }

  /** Returns true for an interim (1xx) response. */
  private startResponse(head: string): boolean {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) ([1-5]\d\d)(?: .*)?$/.exec(lines[0] ?? '');
    if (!m) throw new DecodeError(`bad status line ${JSON.stringify((lines[0] ?? '').slice(0, 40))}`);
    this.status = Number(m[2]);
    this.close = m[1] === '0';
    const h: HttpHeaders = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const c = line.indexOf(':');
      // §5.2: obsolete line folding is refused by a client that does not support it.
      if (c <= 0 || line[0] === ' ' || line[0] === '\t') throw new DecodeError(`bad header line ${JSON.stringify(line.slice(0, 40))}`);
      const name = line.slice(0, c).toLowerCase();
      if (!TOKEN.test(name)) throw new DecodeError(`bad header name ${JSON.stringify(name.slice(0, 40))}`);
      const value = line.slice(c + 1).trim();
      const prev = h[name];
      if (LIST_HEADERS.has(name)) h[name] = [...((prev as string[] | undefined) ?? []), value];
      else h[name] = prev === undefined ? value : `${prev as string}, ${value}`;
    }
    if (this.status < 200) return true;
    this.headers = h;
    const conn = (h.connection as string | undefined)?.toLowerCase() ?? '';
    if (/\bclose\b/.test(conn)) this.close = true;
    else if (/\bkeep-alive\b/.test(conn)) this.close = false;
    return false;
  }

  /** Chooses the body framing (RFC 9112 §6.3); a response without a body is complete at once. */
  private startBody(): HttpResponse | undefined {
    const h = this.headers;
    if (this.status === 204 || this.status === 304) return this.finish();
    const te = h['transfer-encoding'] as string | undefined;
    if (te !== undefined) {
      if (!/(?:^|,)\s*chunked\s*$/i.test(te)) throw new DecodeError(`unsupported transfer coding ${JSON.stringify(te.slice(0, 40))}`);
      this.st = { kind: 'chunk-size' };
      return undefined;
    }
    const cl = h['content-length'] as string | undefined;
    if (cl !== undefined) {
      const values = new Set(cl.split(',').map((v) => v.trim()));
      const v = [...values][0]!;
      if (values.size !== 1 || !/^\d{1,10}$/.test(v)) throw new DecodeError(`bad Content-Length ${JSON.stringify(cl.slice(0, 40))}`);
      const n = Number(v);
      if (n > this.maxBody) throw new DecodeError(`response body of ${n} bytes is over the limit of ${this.maxBody}`);
      if (n === 0) return this.finish();
      this.st = { kind: 'length', remaining: n };
      return undefined;
    }
    this.close = true;
    this.st = { kind: 'until-close' };
    return undefined;
  }

  private take(n: number): void {
    this.bodyBytes += n;
    if (this.bodyBytes > this.maxBody) throw new DecodeError(`response body over the limit of ${this.maxBody} bytes`);
    this.body.push(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
  }

  private finish(): HttpResponse {
    const r: HttpResponse = {
      status: this.status,
      headers: this.headers,
      body: this.body.length === 1 ? this.body[0]! : Buffer.concat(this.body),
      close: this.close,
    };
    this.st = { kind: 'head' };
    this.headers = {};
    this.body = [];
    this.bodyBytes = 0;
    return r;
  }
}
