import { DecodeError } from '../shared/errors';
import { decodeCadence, decodeToneString } from './syntax/tone-string';
import { decodeDialPlan } from './syntax/dial-plan';
import type { ParamDef, ParamErrorKind, ParamType } from './types';

export interface ValueProblem {
  readonly kind: ParamErrorKind;
  /** The rule broken, e.g. `must be an integer from 1 to 60`. */
  readonly rule: string;
}

const PRINTABLE = /^[\x20-\x7e]*$/;
/** Passwords: ASCII 33-126 (reference §1.2, P2). */
const PASSWORD = /^[\x21-\x7e]*$/;
const DIGITS = /^\d*$/;
const DIALABLE = /^[0-9*#A-Da-d+]*$/;
const HEX = /^[0-9A-Fa-f]*$/;
const INT = /^-?\d+$/;
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.\-]+)(:\d{1,5})?(\/[\x21-\x7e]*)?$/;
const URL_FORM = /^(tftp|https?|ftps?):\/\/[\x21-\x7e]+$/i;

/** Checks one value against its parameter's type. Pure. */
export function checkValue(def: ParamDef, value: string): ValueProblem | undefined {
  return checkType(def.type, value);
}

/** The message form used by tests and helpers: null when the value is valid. */
export function validateValue(def: ParamDef, value: string): string | null {
  const p = checkValue(def, value);
  return p ? p.rule : null;
}

function checkType(t: ParamType, v: string): ValueProblem | undefined {
  switch (t.kind) {
    case 'string': {
      if (v.length > t.maxLength) return { kind: 'length', rule: `must be at most ${t.maxLength} characters` };
      const cs = t.charset ?? 'printable';
      const re = { printable: PRINTABLE, digits: DIGITS, dialable: DIALABLE, hex: HEX }[cs];
      if (t.list === undefined) return re.test(v) ? undefined : { kind: 'charset', rule: `must contain only ${charsetName(cs)}` };
      const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
      if (items.length > t.list) return { kind: 'length', rule: `must be at most ${t.list} items separated by commas` };
      if (!items.every((x) => re.test(x))) return { kind: 'charset', rule: `must be a comma-separated list of ${charsetName(cs)}` };
      return undefined;
    }
    case 'password':
      if (v.length > t.maxLength) return { kind: 'length', rule: `must be at most ${t.maxLength} characters` };
      if (!PASSWORD.test(v)) return { kind: 'charset', rule: 'must contain only printable ASCII without spaces' };
      return undefined;
    case 'text':
      if (v.length > t.maxLength) return { kind: 'length', rule: `must be at most ${t.maxLength} characters` };
      if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(v)) return { kind: 'charset', rule: 'must not contain control characters' };
      return undefined;
    case 'int': {
      if (!INT.test(v.trim())) return { kind: 'type', rule: `must be an integer from ${t.min} to ${t.max}` };
      const n = Number(v.trim());
      if (n < t.min || n > t.max) return { kind: 'range', rule: `must be an integer from ${t.min} to ${t.max}` };
      return undefined;
    }
    case 'octet': {
      if (!INT.test(v.trim())) return { kind: 'type', rule: 'must be an integer from 0 to 255' };
      const n = Number(v.trim());
      if (n < 0 || n > 255) return { kind: 'range', rule: 'must be an integer from 0 to 255' };
      return undefined;
    }
    case 'bool':
      if (v !== '0' && v !== '1') return { kind: 'enum', rule: 'must be 0 or 1' };
      return undefined;
    case 'enum':
      if (!t.values.some((e) => e.value === v)) {
        return { kind: 'enum', rule: `must be one of ${t.values.map((e) => `${e.value} (${e.label})`).join(', ')}` };
      }
      return undefined;
    case 'ipv4':
      if (v === '' || isIpv4(v)) return undefined;
      return { kind: 'type', rule: 'must be a dotted IPv4 address' };
    case 'host':
      if (v.length > t.maxLength) return { kind: 'length', rule: `must be at most ${t.maxLength} characters` };
      if (v === '' || HOST_PORT.test(v) || (t.url === true && URL_FORM.test(v))) return undefined;
      return { kind: 'type', rule: t.url ? 'must be host[:port][/path] or a tftp/http/https/ftp/ftps URL' : 'must be host or host:port' };
    case 'mac':
      if (/^[0-9a-fA-F]{12}$/.test(v.replace(/[:\-]/g, ''))) return undefined;
      return { kind: 'type', rule: 'must be a MAC address of 12 hex digits' };
    case 'tone':
      return syntax(() => decodeToneString(v), 'tone string');
    case 'cadence':
      return syntax(() => decodeCadence(v), 'ring cadence');
    case 'dialplan':
      return syntax(() => decodeDialPlan(v), 'dial plan');
  }
}

function syntax(decode: () => unknown, what: string): ValueProblem | undefined {
  try {
    decode();
    return undefined;
  } catch (e) {
    if (e instanceof DecodeError) return { kind: 'type', rule: `must be a valid ${what}: ${e.message}` };
    throw e;
  }
}

function isIpv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function charsetName(cs: 'printable' | 'digits' | 'dialable' | 'hex'): string {
  return { printable: 'printable ASCII', digits: 'digits 0-9', dialable: 'dialable characters 0-9 * # A-D +', hex: 'hex digits' }[cs];
}

/** Canonical stored form: integers without leading zeros or spaces; everything else as given. */
export function canonical(def: ParamDef, value: string): string {
  if (def.type.kind === 'int' || def.type.kind === 'octet') return String(Number(value.trim()));
  return value;
}
