/**
 * Small builders that keep the catalogue files data-shaped: type constructors and one entry
 * maker per file. No logic beyond filling in the fixed rules stated in index.ts.
 */
import type { ParamDef, ParamType, ResetGroup, WebPage, WebPlacement } from '../types';

type Charset = 'printable' | 'digits' | 'dialable' | 'hex';

export const bool = (): ParamType => ({ kind: 'bool' });
export const int = (min: number, max: number): ParamType => ({ kind: 'int', min, max });
export const port = (): ParamType => int(1, 65535);
export const str = (maxLength: number, charset?: Charset): ParamType =>
  charset === undefined ? { kind: 'string', maxLength } : { kind: 'string', maxLength, charset };
/** A comma-separated list of at most `maxItems` items, each in `charset` (e.g. caller numbers). */
export const list = (maxItems: number, maxLength: number, charset: Charset): ParamType => ({ kind: 'string', maxLength, charset, list: maxItems });
/** Web, SIP, ACS passwords: ASCII 33-126 (reference §1.2 P2). */
export const password = (maxLength = 25): ParamType => ({ kind: 'password', maxLength });
/** PINs: up to 8 digits (reference §1.8 P794/P795). Always paired with `secret: true`. */
export const pin = (): ParamType => str(8, 'digits');
export const host = (maxLength = 256): ParamType => ({ kind: 'host', maxLength });
/** A server path that may also be a full tftp/http/https/ftp/ftps URL (reference §2). */
export const url = (maxLength = 256): ParamType => ({ kind: 'host', url: true, maxLength });
export const octet = (): ParamType => ({ kind: 'octet' });
export const ipv4 = (): ParamType => ({ kind: 'ipv4' });
export const tone = (): ParamType => ({ kind: 'tone' });
export const cadence = (): ParamType => ({ kind: 'cadence' });
export const dialplan = (): ParamType => ({ kind: 'dialplan' });
export const mac = (): ParamType => ({ kind: 'mac' });
/** PEM certificates and keys, lists over several lines. */
export const text = (maxLength = 8192): ParamType => ({ kind: 'text', maxLength });

/** `enumOf([['0', 'UDP'], ['1', 'TCP']])`. */
export function enumOf(pairs: ReadonlyArray<readonly [string, string]>): ParamType {
  return { kind: 'enum', values: pairs.map(([value, label]) => ({ value, label })) };
}

/** `at('advanced', 'Syslog')('Syslog Server')` → a web placement. */
export function at(page: WebPage, section: string): (label: string) => WebPlacement {
  return (label) => ({ page, section, label });
}

export interface EntryOptions {
  readonly reset?: ResetGroup;
  readonly web?: WebPlacement;
  readonly secret?: boolean;
  readonly readOnly?: boolean;
  readonly reboot?: boolean;
  readonly profile?: 1 | 2;
  readonly note?: string;
}

export type Maker = (id: number, name: string, type: ParamType, dflt: string, opts?: EntryOptions) => ParamDef;

/**
 * One maker per file, carrying that file's default reset group. The access level follows the
 * placement: `user` exactly for the Basic Settings page (user guide "Web UI Access Level
 * Management": the end user sees Status and Basic Settings only), `admin` for everything else.
 */
export function maker(base: EntryOptions & { readonly reset: ResetGroup }): Maker {
  return (id, name, type, dflt, opts = {}) => {
    const o = { ...base, ...opts };
    const def: { -readonly [K in keyof ParamDef]: ParamDef[K] } = {
      id,
      name,
      type,
      default: dflt,
      level: o.web?.page === 'basic' ? 'user' : 'admin',
      reset: o.reset ?? base.reset,
    };
    if (o.secret) def.secret = true;
    if (o.readOnly) def.readOnly = true;
    if (o.reboot) def.reboot = true;
    if (o.web) def.web = o.web;
    if (o.profile) def.profile = o.profile;
    if (o.note) def.note = o.note;
    return def;
  };
}

/** Four octet P-values of one IPv4 address (reference §1.1: P9-P28, P92-P95, P5026-P5037). */
export function octets(
  make: Maker,
  firstId: number,
  name: string,
  dotted: string,
  label: string,
  opts: EntryOptions,
): ParamDef[] {
  const parts = dotted.split('.');
  return parts.map((d, i) => {
    const web = opts.web ? { ...opts.web, label: `${label} (octet ${i + 1})` } : undefined;
    return make(firstId + i, `${name}${i + 1}`, octet(), d, web ? { ...opts, web } : opts);
  });
}
