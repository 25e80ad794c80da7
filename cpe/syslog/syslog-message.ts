/**
 * The syslog message of RFC 5424 §6, as a value and as bytes: encodeSyslog / decodeSyslog, no
 * clock, no I/O. Golden tests: the four examples of §6.5.
 *
 *   SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
 *   HEADER     = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
 */
import { DecodeError } from '../shared/errors';

/** RFC 5424 §6.2.1 Table 2. */
export const SEVERITY = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, informational: 6, debug: 7 } as const;
/** RFC 5424 §6.2.1 Table 1 (the ones this unit uses). */
export const FACILITY = { user: 1, local0: 16 } as const;

/** One SD-ELEMENT (§6.3.1): `[id name="value" ...]`. */
export interface SdElement {
  readonly id: string;
  readonly params: ReadonlyArray<readonly [string, string]>;
}

/** A field left undefined is the NILVALUE `-` on the wire. */
export interface SyslogMessage {
  /** 0..23 (§6.2.1). */
  readonly facility: number;
  /** 0..7 (§6.2.1). */
  readonly severity: number;
  /** §6.2.3, e.g. `2003-10-11T22:14:15.003Z`; syslogTimestamp() makes one. */
  readonly timestamp?: string | undefined;
  readonly hostname?: string | undefined;
  readonly appName?: string | undefined;
  readonly procId?: string | undefined;
  readonly msgId?: string | undefined;
  readonly structuredData: readonly SdElement[];
  /** undefined = no MSG part at all; '' = an empty one after the SP. */
  readonly msg?: string | undefined;
  /** MSG starts with the BOM (§6.4 MSG-UTF8). Always written when MSG holds a non-ASCII character. */
  readonly bom?: boolean;
}

const VERSION = 1;
const NIL = '-';
const BOM = '\ufeff';
/** §6: the most octets each header field may hold. */
const LIMITS = { hostname: 255, appName: 48, procId: 128, msgId: 32, sdName: 32 } as const;
/** §6.2.3 (RFC 3339 profile): upper-case T and Z, at most 6 fraction digits. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** §6.2.3 from ms since the epoch: UTC with milliseconds, `2026-01-01T00:00:00.000Z`. */
export function syslogTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function encodeSyslog(m: SyslogMessage): Buffer {
  if (!Number.isInteger(m.facility) || m.facility < 0 || m.facility > 23) throw new RangeError(`syslog facility ${m.facility} is not 0..23`);
  if (!Number.isInteger(m.severity) || m.severity < 0 || m.severity > 7) throw new RangeError(`syslog severity ${m.severity} is not 0..7`);
  if (m.timestamp !== undefined && !validTimestamp(m.timestamp)) throw new RangeError(`syslog TIMESTAMP ${JSON.stringify(m.timestamp)} is not RFC 5424 §6.2.3`);
  const head = [
    `<${m.facility * 8 + m.severity}>${VERSION}`, // §6.2.1 PRI = facility × 8 + severity
    m.timestamp ?? NIL,
    headerField('HOSTNAME', m.hostname, LIMITS.hostname),
    headerField('APP-NAME', m.appName, LIMITS.appName),
    headerField('PROCID', m.procId, LIMITS.procId),
    headerField('MSGID', m.msgId, LIMITS.msgId),
    m.structuredData.length === 0 ? NIL : m.structuredData.map(encodeSdElement).join(''),
  ].join(' ');
  if (m.msg === undefined) return Buffer.from(head, 'utf8');
  const bom = m.bom === true || /[^\x00-\x7f]/.test(m.msg);
  return Buffer.from(`${head} ${bom ? BOM : ''}${m.msg}`, 'utf8');
}

function headerField(name: string, v: string | undefined, max: number): string {
  if (v === undefined) return NIL;
  if (v.length === 0 || v.length > max || !/^[\x21-\x7e]+$/.test(v)) throw new RangeError(`syslog ${name} ${JSON.stringify(v)} must be 1..${max} printable US-ASCII characters`);
  return v;
}

function encodeSdElement(e: SdElement): string {
  const params = e.params.map(([name, value]) => ` ${sdName(name)}="${value.replace(/["\\\]]/g, '\\$&')}"`).join(''); // §6.3.3
  return `[${sdName(e.id)}${params}]`;
}

/** §6.3.2 SD-NAME: 1..32 printable US-ASCII but `=`, SP, `]` and `"`. */
function sdName(n: string): string {
  if (!/^[\x21-\x7e]{1,32}$/.test(n) || /[=\]"]/.test(n)) throw new RangeError(`syslog SD-NAME ${JSON.stringify(n)} is not valid (RFC 5424 §6.3.2)`);
  return n;
}

function validTimestamp(t: string): boolean {
  const m = TIMESTAMP.exec(t);
  if (!m) return false;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  // §6.2.3: no leap second (60)
  return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 59;
}

/** Decodes one SYSLOG-MSG (one UDP datagram, one octet-counted frame). Throws DecodeError. */
export function decodeSyslog(bytes: Buffer | string): SyslogMessage {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const c = new Cursor(text);
  const pri = /^<(\d{1,3})>(\d{1,3}) /.exec(text);
  if (!pri) throw new DecodeError('syslog: no PRI and VERSION (RFC 5424 §6.2)', 0);
  const prival = Number(pri[1]);
  if (prival > 191 || (pri[1]!.length > 1 && pri[1]!.startsWith('0'))) throw new DecodeError(`syslog: PRI ${pri[1]} out of range`, 1);
  if (pri[2] !== String(VERSION)) throw new DecodeError(`syslog: VERSION ${pri[2]} is not 1`, pri[1]!.length + 2);
  c.pos = pri[0].length;
  const timestamp = c.field('TIMESTAMP', 64);
  if (timestamp !== undefined && !validTimestamp(timestamp)) throw new DecodeError(`syslog: TIMESTAMP ${timestamp} is not RFC 5424 §6.2.3`, c.pos);
  c.space();
  const hostname = c.field('HOSTNAME', LIMITS.hostname);
  c.space();
  const appName = c.field('APP-NAME', LIMITS.appName);
  c.space();
  const procId = c.field('PROCID', LIMITS.procId);
  c.space();
  const msgId = c.field('MSGID', LIMITS.msgId);
  c.space();
  const structuredData = c.structuredData();
  let msg: string | undefined;
  let bom = false;
  if (!c.atEnd()) {
    c.space();
    msg = text.slice(c.pos);
    if (msg.startsWith(BOM)) {
      bom = true;
      msg = msg.slice(1);
    }
  }
  const base = { facility: prival >> 3, severity: prival & 7, timestamp, hostname, appName, procId, msgId, structuredData, msg };
  return bom ? { ...base, bom } : base;
}

class Cursor {
  pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  space(): void {
    if (this.s[this.pos] !== ' ') throw new DecodeError('syslog: SP expected', this.pos);
    this.pos++;
  }

  /** A header field up to the next SP: NILVALUE → undefined. */
  field(name: string, max: number): string | undefined {
    let end = this.s.indexOf(' ', this.pos);
    if (end < 0) end = this.s.length;
    const v = this.s.slice(this.pos, end);
    if (v.length === 0 || v.length > max || !/^[\x21-\x7e]+$/.test(v)) throw new DecodeError(`syslog: ${name} is not 1..${max} printable US-ASCII characters`, this.pos);
    this.pos = end;
    return v === NIL ? undefined : v;
  }

  /** §6.3: NILVALUE or 1*SD-ELEMENT. */
  structuredData(): SdElement[] {
    if (this.s[this.pos] === '-') {
      this.pos++;
      return [];
    }
    const out: SdElement[] = [];
    while (this.s[this.pos] === '[') {
      this.pos++;
      const id = this.sdName();
      const params: Array<[string, string]> = [];
      while (this.s[this.pos] === ' ') {
        this.pos++;
        const name = this.sdName();
        if (this.s[this.pos] !== '=' || this.s[this.pos + 1] !== '"') throw new DecodeError('syslog: SD-PARAM needs ="value"', this.pos);
        this.pos += 2;
        params.push([name, this.paramValue()]);
      }
      if (this.s[this.pos] !== ']') throw new DecodeError('syslog: SD-ELEMENT not closed by ]', this.pos);
      this.pos++;
      out.push({ id, params });
    }
    if (out.length === 0) throw new DecodeError('syslog: STRUCTURED-DATA must be - or [...]', this.pos);
    return out;
  }

  private sdName(): string {
    const m = /^[^= \]"\x00-\x20\x7f-\uffff]{1,32}/.exec(this.s.slice(this.pos, this.pos + 33));
    if (!m) throw new DecodeError('syslog: SD-NAME expected (RFC 5424 §6.3.2)', this.pos);
    this.pos += m[0].length;
    return m[0];
  }

  /** §6.3.3: `\"`, `\\` and `\]` are escapes; any other backslash is itself. */
  private paramValue(): string {
    let v = '';
    for (;;) {
      const ch = this.s[this.pos];
      if (ch === undefined) throw new DecodeError('syslog: PARAM-VALUE not closed', this.pos);
      this.pos++;
      if (ch === '"') return v;
      if (ch === '\\') {
        const next = this.s[this.pos];
        if (next === '"' || next === '\\' || next === ']') {
          v += next;
          this.pos++;
          continue;
        }
      }
      v += ch;
    }
  }
}
