/**
 * Telnet's in-band commands (RFC 854): IAC sequences are taken out of the byte stream, data
 * bytes pass through (IAC IAC is a data 255). A streaming decoder, since a sequence may straddle
 * two reads; no I/O, no clock. Subnegotiations (IAC SB ... IAC SE, RFC 855) are skipped, bounded.
 */
import { DecodeError } from '../../shared/errors';

// RFC 854 "TELNET COMMAND STRUCTURE"
export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const EL = 248;
export const EC = 247;
export const AYT = 246;
export const AO = 245;
export const IP = 244;
export const BRK = 243;
export const DM = 242;
export const NOP = 241;
export const SE = 240;

/** RFC 857 */
export const OPT_ECHO = 1;
/** RFC 858 */
export const OPT_SGA = 3;

export type Verb = 'WILL' | 'WONT' | 'DO' | 'DONT';

const VERB_OF: Readonly<Record<number, Verb>> = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO', [DONT]: 'DONT' };
const CODE_OF: Readonly<Record<Verb, number>> = { WILL, WONT, DO, DONT };

export type TelnetEvent =
  | { readonly kind: 'data'; readonly bytes: Buffer }
  | { readonly kind: 'negotiate'; readonly verb: Verb; readonly option: number }
  /** IP, AYT, EC, EL, BRK, AO, NOP, GA, DM (RFC 854 "The Network Virtual Terminal" controls). */
  | { readonly kind: 'command'; readonly code: number };

/** Longest subnegotiation skipped; longer is a hostile or broken peer. */
export const MAX_SUBNEGOTIATION = 512;

type State = 'data' | 'iac' | 'verb' | 'sb' | 'sb-iac';

export class TelnetDecoder {
  private state: State = 'data';
  private verb: Verb = 'WILL';
  private sbLength = 0;
  private offset = 0;

  /** Events in stream order; throws DecodeError on an oversized subnegotiation. */
  push(chunk: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    let data: number[] = [];
    const flush = (): void => {
      if (data.length === 0) return;
      events.push({ kind: 'data', bytes: Buffer.from(data) });
      data = [];
    };
    for (let i = 0; i < chunk.length; i++, this.offset++) {
      const b = chunk[i]!;
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          else data.push(b);
          break;
        case 'iac': {
          this.state = 'data';
          const verb = VERB_OF[b];
          if (b === IAC) data.push(IAC);
          else if (verb) {
            this.verb = verb;
            this.state = 'verb';
          } else if (b === SB) {
            this.sbLength = 0;
            this.state = 'sb';
          } else if (b !== SE) {
            flush();
            events.push({ kind: 'command', code: b });
          }
          break;
        }
        case 'verb':
          flush();
          events.push({ kind: 'negotiate', verb: this.verb, option: b });
          this.state = 'data';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          else this.count();
          break;
        case 'sb-iac':
          // IAC SE ends it; IAC IAC is a 255 inside it; anything else: end it too (lenient)
          if (b === IAC) {
            this.count();
            this.state = 'sb';
          } else this.state = 'data';
          break;
      }
    }
    flush();
    return events;
  }

  private count(): void {
    if (++this.sbLength > MAX_SUBNEGOTIATION) throw new DecodeError(`telnet subnegotiation longer than ${MAX_SUBNEGOTIATION} bytes`, this.offset);
  }
}

export function encodeNegotiation(verb: Verb, option: number): Buffer {
  return Buffer.from([IAC, CODE_OF[verb], option & 0xff]);
}

/** Data for the wire: every 255 doubled (RFC 854: "IAC IAC" is data byte 255). */
export function escapeData(bytes: Uint8Array): Buffer {
  if (!bytes.includes(IAC)) return Buffer.from(bytes);
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}
