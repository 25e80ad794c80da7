/**
 * The console's line discipline, shared by Telnet and SSH: bytes in, lines out, with the echo a
 * terminal expects when the unit echoes (Telnet WILL ECHO, RFC 857; an SSH pty, RFC 4254 §6.2).
 * Pure and synchronous; the sink is called in input order, so a mode change made in a callback
 * (echo off for a password) applies to the very next byte.
 *
 * CR or LF ends a line; an LF or NUL right after a CR is part of that end (RFC 854 NVT: CR LF and
 * CR NUL). DEL/BS erase a character (a whole UTF-8 sequence), ^U the line, ^C cancels it, ^D on an
 * empty line ends the input; ANSI escape sequences (arrow keys) and other controls are dropped.
 */
import { MAX_LINE } from './cli-command';

/** on: echo what is typed; mask: echo nothing but the line end (passwords); off: the far end echoes. */
export type EchoMode = 'on' | 'mask' | 'off';

export interface EditorSink {
  /** Bytes to send back to the terminal. */
  echo(bytes: Buffer): void;
  line(text: string): void;
  /** The line was longer than MAX_LINE bytes: it was dropped. */
  tooLong(): void;
  interrupt(): void;
  eof(): void;
}

const CRLF = Buffer.from('\r\n');
const ERASE = Buffer.from('\b \b');
const BELL = Buffer.from([0x07]);

type EscState = 'none' | 'esc' | 'csi' | 'ss3';

export class LineEditor {
  mode: EchoMode;
  private buf: number[] = [];
  private overflow = false;
  private afterCr = false;
  private esc: EscState = 'none';
  private stopped = false;

  constructor(
    private readonly sink: EditorSink,
    mode: EchoMode,
    private readonly maxLine = MAX_LINE,
  ) {
    this.mode = mode;
  }

  /** No more input is taken (the session is ending); the rest of a chunk is dropped. */
  stop(): void {
    this.stopped = true;
  }

  /** Bytes typed so far on the current line. */
  get pending(): number {
    return this.buf.length;
  }

  push(data: Uint8Array): void {
    for (let i = 0; i < data.length && !this.stopped; i++) this.byte(data[i]!);
  }

  /** End of input: a last line without its end still counts. */
  finish(): void {
    if (this.stopped) return;
    if (this.buf.length > 0 || this.overflow) this.endLine();
    if (!this.stopped) this.sink.eof();
  }

  private byte(b: number): void {
    if (this.afterCr) {
      this.afterCr = false;
      if (b === 0x0a || b === 0x00) return;
    }
    if (this.esc !== 'none') return this.escape(b);
    switch (b) {
      case 0x0d:
        this.afterCr = true;
        return this.endLine();
      case 0x0a:
        return this.endLine();
      case 0x7f:
      case 0x08:
        return this.erase();
      case 0x15: // ^U
        while (this.buf.length > 0) this.erase();
        return;
      case 0x03: // ^C
        this.buf = [];
        this.overflow = false;
        if (this.mode !== 'off') this.sink.echo(Buffer.from('^C\r\n'));
        return this.sink.interrupt();
      case 0x04: // ^D
        if (this.buf.length === 0 && !this.overflow) this.sink.eof();
        return;
      case 0x1b:
        this.esc = 'esc';
        return;
      case 0x09:
        return this.append(0x20);
      default:
        if (b < 0x20) return;
        return this.append(b);
    }
  }

  /** ESC [ params final (ECMA-48 CSI), ESC O x (SS3), or ESC x: all dropped. */
  private escape(b: number): void {
    if (this.esc === 'esc') this.esc = b === 0x5b ? 'csi' : b === 0x4f ? 'ss3' : 'none';
    else if (this.esc === 'ss3') this.esc = 'none';
    else if (b >= 0x40 && b <= 0x7e) this.esc = 'none';
    else if (b < 0x20 || b > 0x3f) this.esc = 'none'; // not a CSI parameter byte: give up quietly
  }

  private append(b: number): void {
    if (this.buf.length >= this.maxLine) {
      if (!this.overflow && this.mode === 'on') this.sink.echo(BELL);
      this.overflow = true;
      return;
    }
    this.buf.push(b);
    if (this.mode === 'on') this.sink.echo(Buffer.from([b]));
  }

  private erase(): void {
    if (this.buf.length === 0) return;
    // drop UTF-8 continuation bytes, then the lead byte: one character
    while (this.buf.length > 0 && (this.buf[this.buf.length - 1]! & 0xc0) === 0x80) this.buf.pop();
    this.buf.pop();
    if (this.mode === 'on') this.sink.echo(ERASE);
  }

  private endLine(): void {
    const bytes = Buffer.from(this.buf);
    const overflow = this.overflow;
    this.buf = [];
    this.overflow = false;
    if (this.mode !== 'off') this.sink.echo(CRLF);
    if (overflow) this.sink.tooLong();
    else this.sink.line(bytes.toString('utf8'));
  }
}
