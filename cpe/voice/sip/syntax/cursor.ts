/**
 * A read cursor over one header value (already unfolded), with the RFC 3261 §25.1 lexical pieces:
 * SWS, token, quoted-string, separators with optional whitespace around them. Throws DecodeError.
 */
import { DecodeError } from '../../../shared/errors';

const TOKEN = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`\'~') TOKEN[c.charCodeAt(0)] = 1;

/** RFC 3261 §25.1 token character. */
export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

export function isWsp(code: number): boolean {
  return code === 32 || code === 9;
}

export class Cursor {
  i = 0;
  constructor(
    readonly s: string,
    /** Offset of s in the whole message, for error positions. */
    readonly base = 0,
  ) {}

  fail(reason: string): never {
    throw new DecodeError(reason, this.base + this.i);
  }

  get done(): boolean {
    return this.i >= this.s.length;
  }

  peek(): string {
    return this.s[this.i] ?? '';
  }

  /** Skips optional whitespace (SWS; the value is already unfolded). */
  sws(): this {
    while (this.i < this.s.length && isWsp(this.s.charCodeAt(this.i))) this.i++;
    return this;
  }

  /** Consumes ch after optional whitespace, and whitespace after it; false when ch is not next. */
  sep(ch: string): boolean {
    const save = this.i;
    this.sws();
    if (this.s[this.i] === ch) {
      this.i++;
      this.sws();
      return true;
    }
    this.i = save;
    return false;
  }

  expect(ch: string, what: string): void {
    if (this.s[this.i] !== ch) this.fail(`expected ${what}`);
    this.i++;
  }

  token(what = 'token'): string {
    const start = this.i;
    while (this.i < this.s.length && isTokenChar(this.s.charCodeAt(this.i))) this.i++;
    if (this.i === start) this.fail(`expected ${what}`);
    return this.s.slice(start, this.i);
  }

  /** quoted-string (§25.1): returns the content with quoted-pairs resolved. */
  quoted(): string {
    this.expect('"', 'quoted string');
    // the usual case, no quoted-pair: one slice instead of a string built character by character
    const start = this.i;
    for (let j = start; j < this.s.length; j++) {
      const c = this.s.charCodeAt(j);
      if (c === 34) {
        this.i = j + 1;
        return this.s.slice(start, j);
      }
      if (c === 92 || (c < 32 && c !== 9)) break;
    }
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated quoted string');
      const c = this.s.charCodeAt(this.i);
      if (c === 34) {
        this.i++;
        return out;
      }
      if (c === 92) {
        const n = this.s.charCodeAt(this.i + 1);
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
        if (Number.isNaN(n) || n === 10 || n === 13 || n > 0x7f) this.fail('bad quoted-pair');
        out += this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c < 32 && c !== 9) this.fail('control character in quoted string');
      out += this.s[this.i];
      this.i++;
    }
  }

  /** Reads up to (not including) any of the stop characters, or the end. */
  until(stops: string): string {
    const start = this.i;
    while (this.i < this.s.length && !stops.includes(this.s[this.i] as string)) this.i++;
    return this.s.slice(start, this.i);
  }

  rest(): string {
    const r = this.s.slice(this.i);
    this.i = this.s.length;
    return r;
  }

  end(what: string): void {
    this.sws();
    if (!this.done) this.fail(`unexpected characters after ${what}`);
  }
}

/** Splits a header value on commas that are outside quoted strings and angle brackets (§7.3.1). */
export function splitCommas(value: string, base = 0): string[] {
  // one value, nothing quoted (most Via and Contact lines): no scan character by character
  if (value.indexOf(',') < 0 && value.indexOf('"') < 0) return [value.trim()];
  const out: string[] = [];
  let depth = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) depth++;
    else if (c === 62) depth = Math.max(0, depth - 1);
    else if (c === 44 && depth === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (inQuote) throw new DecodeError('unterminated quoted string', base + value.length);
  out.push(value.slice(start).trim());
  return out;
}

/** Parses a non-negative decimal integer of at most `max`; leading zeros allowed (RFC 4475 §3.1.1.1). */
export function parseDecimal(s: string, max: number, what: string, pos = 0): number {
  if (!/^[0-9]+$/.test(s)) throw new DecodeError(`bad ${what}`, pos);
  const t = s.replace(/^0+(?=\d)/, '');
  if (t.length > 16) throw new DecodeError(`${what} too large`, pos);
  const n = Number(t);
  if (n > max) throw new DecodeError(`${what} too large`, pos);
  return n;
}
