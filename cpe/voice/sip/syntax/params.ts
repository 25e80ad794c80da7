/**
 * Ordered, case-insensitive parameters (`;name=value`, `;lr`) of URIs, Via, name-addr and
 * Content-Type. A value of null is a parameter with no value. Quoted values keep `quoted`.
 */
import { Cursor, isToken, isTokenChar } from './cursor';

export interface Param {
  name: string;
  value: string | null;
  quoted?: boolean;
}

export class Params {
  readonly list: Param[];
  constructor(list: Param[] = []) {
    this.list = list;
  }

  private find(name: string): Param | undefined {
    const n = name.toLowerCase();
    for (const p of this.list) if (p.name.toLowerCase() === n) return p;
    return undefined;
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The value; null when present without value; undefined when absent. */
  get(name: string): string | null | undefined {
    const p = this.find(name);
    return p ? p.value : undefined;
  }

  set(name: string, value: string | null, quoted = false): this {
    const p = this.find(name);
    if (p) {
      p.value = value;
      p.quoted = quoted;
    } else this.list.push({ name, value, quoted });
    return this;
  }

  delete(name: string): this {
    const n = name.toLowerCase();
    const i = this.list.findIndex((p) => p.name.toLowerCase() === n);
    if (i >= 0) this.list.splice(i, 1);
    return this;
  }

  get size(): number {
    return this.list.length;
  }

  clone(): Params {
    return new Params(this.list.map((p) => ({ ...p })));
  }

  /** `;a=b;c` (empty string when there is none). */
  encode(): string {
    let s = '';
    for (const p of this.list) {
      s += ';' + p.name;
      if (p.value !== null) s += '=' + (p.quoted || (p.value !== '' && !isParamValue(p.value)) ? quote(p.value) : p.value);
    }
    return s;
  }
}

function isParamValue(v: string): boolean {
  // token, host (incl. [IPv6]) — anything else is quoted on output
  return isToken(v) || /^\[[0-9a-fA-F:.]+\]$/.test(v) || /^[0-9a-fA-F:.]+$/.test(v);
}

/** True when s holds '"', '\\', CR, LF or another control character but HT (what quote() must rewrite). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c === 127 || (c < 32 && c !== 9)) return true;
  }
  return false;
}

export function quote(s: string): string {
  if (!needsEscape(s)) return '"' + s + '"';
  // quoted-pair for '"', '\\' and control characters (§25.1); CR and LF cannot be carried
  return '"' + s.replace(/[\r\n]/g, '').replace(/["\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (m) => '\\' + m) + '"';
}

/**
 * Generic header parameters after a value: *( SEMI generic-param ), generic-param = token
 * [ EQUAL gen-value ], gen-value = token / host / quoted-string (§25.1). Stops at end or at a
 * character that cannot continue (caller checks).
 */
export function parseGenericParams(c: Cursor): Params {
  const params = new Params();
  while (c.sep(';')) {
    const name = c.token('parameter name');
    if (c.sep('=')) {
      if (c.peek() === '"') params.list.push({ name, value: c.quoted(), quoted: true });
      else if (c.peek() === '[') {
        const v = c.until(']');
        c.expect(']', ']');
        params.list.push({ name, value: v + ']' });
      } else params.list.push({ name, value: paramValue(c) });
    } else params.list.push({ name, value: null });
  }
  return params;
}

/** token, or an IPv6 address without brackets (Via received=, RFC 3261 §20.42). */
function paramValue(c: Cursor): string {
  const start = c.i;
  while (c.i < c.s.length) {
    const code = c.s.charCodeAt(c.i);
    if (isTokenChar(code) || code === 58) c.i++;
    else break;
  }
  if (c.i === start) c.fail('expected parameter value');
  return c.s.slice(start, c.i);
}
