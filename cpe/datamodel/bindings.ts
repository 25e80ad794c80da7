/**
 * Bindings between P-value strings and TR-069 values. Each is a small pure object; the tree files
 * pick one per parameter. Type checks for the TR-106 types come first (checkType).
 */
import { reject, type Binding, type DmType, type Rejection } from './types';

const UNSIGNED = /^\d{1,10}$/;
const SIGNED = /^-?\d{1,10}$/;
export const UNKNOWN_TIME = '0001-01-01T00:00:00Z';

/** TR-106 §3.2 type rules; undefined when the value is of the type. */
export function checkType(type: DmType, v: string): Rejection | undefined {
  switch (type) {
    case 'boolean':
      return /^(true|false|0|1)$/.test(v) ? undefined : reject('type', 'must be true, false, 1 or 0');
    case 'unsignedInt':
      return UNSIGNED.test(v) && Number(v) <= 0xffffffff ? undefined : reject('type', 'must be an unsigned integer');
    case 'int':
      return SIGNED.test(v) && Math.abs(Number(v)) <= 0x7fffffff ? undefined : reject('type', 'must be an integer');
    case 'dateTime':
      return v === '' || dateTimeMs(v) !== undefined || v.startsWith('0001-01-01') ? undefined : reject('type', 'must be an xsd:dateTime');
    case 'string':
    case 'base64':
      return undefined;
  }
}

/** xsd:dateTime in UTC without fractions, the form every ACS accepts. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses xsd:dateTime; undefined for the unknown time (TR-069 A.2.1) or nonsense. */
export function dateTimeMs(s: string): number | undefined {
  const t = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t) || t.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(t) ? t : `${t}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

export function toBool(v: string): boolean {
  return v === 'true' || v === '1';
}

/** The P-value as is. */
export function direct(id: number): Binding {
  return { ids: [id], read: ([v]) => v ?? '', write: (v) => [v] };
}

/** A read-only view of a P-value. */
export function readOnly(id: number, map: (p: string) => string = (p) => p): Binding {
  return { ids: [id], read: ([v]) => map(v ?? '') };
}

/** 0/1 P-value as a TR-069 boolean; `invert` for the "Disable …" P-values (P91 Disable Call-Waiting). */
export function bool(id: number, invert = false): Binding {
  return {
    ids: [id],
    read: ([v]) => ((v === '1') !== invert ? 'true' : 'false'),
    write: (v) => [toBool(v) !== invert ? '1' : '0'],
  };
}

/** An enumerated P-value shown as TR-069 strings: pairs of [P-value, TR-069 value]. */
export function enumMap(id: number, pairs: ReadonlyArray<readonly [string, string]>): Binding {
  return {
    ids: [id],
    read: ([v]) => pairs.find(([p]) => p === v)?.[1] ?? v ?? '',
    write: (v) => {
      const hit = pairs.find(([, t]) => t === v);
      return hit ? [hit[0]] : reject('value', `must be one of ${pairs.map(([, t]) => t).join(', ')}`);
    },
  };
}

/** An integer P-value in other units: TR-069 value = P-value × factor (RegisterExpires s ↔ P32 min). */
export function scaled(id: number, factor: number): Binding {
  return {
    ids: [id],
    read: ([v]) => String(Math.round(Number(v ?? '0') * factor)),
    write: (v) => [String(Math.max(0, Math.round(Number(v) / factor)))],
  };
}

/** Splits `host[:port]` / `[v6]:port` (the P-value form of P47, P48, P8209). */
export function splitHostPort(v: string): { host: string; port: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(v);
  if (!m) return { host: v, port: '' };
  return { host: m[1] ?? '', port: m[2] ?? '' };
}

function joinHostPort(host: string, port: string): string {
  return port === '' || host === '' ? host : `${host}:${port}`;
}

/** The host part of a host[:port] P-value (SIP ProxyServer ↔ P47). */
export function hostPart(id: number): Binding {
  return {
    ids: [id],
    read: ([v]) => splitHostPort(v ?? '').host,
    write: (v, [cur]) => {
      if (/[\s/]/.test(v) || (v.includes(':') && !/^\[[0-9a-fA-F:.]+\]$/.test(v))) {
        return reject('value', 'must be a host name or address without port');
      }
      return [joinHostPort(v, splitHostPort(cur ?? '').port)];
    },
  };
}

/** The port part of a host[:port] P-value; `dflt` when absent (5060 for SIP, 3478 for STUN). */
export function portPart(id: number, dflt: string): Binding {
  return {
    ids: [id],
    read: ([v]) => splitHostPort(v ?? '').port || dflt,
    write: (v, [cur]) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) return reject('value', 'must be a port from 1 to 65535');
      const { host } = splitHostPort(cur ?? '');
      if (host === '') return reject('value', 'set the server address before its port');
      return [v === dflt ? host : joinHostPort(host, v)];
    },
  };
}

/** An IPv4 address held in four octet P-values (P9-P12 …). */
export function octets(first: number): Binding {
  const ids = [first, first + 1, first + 2, first + 3];
  return {
    ids,
    read: (vs) => vs.join('.'),
    write: (v) => {
      const parts = v.split('.');
      if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return reject('value', 'must be a dotted IPv4 address');
      return parts.map((p) => String(Number(p)));
    },
  };
}

/** xsd:dateTime kept as a string P-value; empty ↔ the unknown time (TR-069 A.2.1). */
export function dateTime(id: number): Binding {
  return {
    ids: [id],
    read: ([v]) => (v === undefined || v === '' ? UNKNOWN_TIME : v),
    write: (v) => [v.startsWith('0001-01-01') ? '' : v],
  };
}
