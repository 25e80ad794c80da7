/**
 * Object identifiers as arrays of sub-identifiers (RFC 3416 §2: at most 128 sub-identifiers, each
 * 0..2^32-1), with the lexicographic order GetNext and GetBulk walk in (RFC 3416 §4.2.2). Pure.
 */
export type Oid = readonly number[];

export const MAX_OID_ARCS = 128;
export const MAX_SUBID = 0xffffffff;

/** '1.3.6.1.2.1.1.1.0' (a leading dot is allowed) → arcs; throws TypeError when not an OID. */
export function oid(text: string): Oid {
  const t = text.startsWith('.') ? text.slice(1) : text;
  if (!/^\d+(\.\d+)+$/.test(t)) throw new TypeError(`not an OID: ${JSON.stringify(text)}`);
  const arcs = t.split('.').map(Number);
  if (arcs.length > MAX_OID_ARCS || arcs.some((a) => a > MAX_SUBID)) throw new TypeError(`OID out of range: ${text}`);
  return arcs;
}

export function oidText(o: Oid): string {
  return o.join('.');
}

/** Negative, zero or positive as a sorts before, equal to, or after b (a prefix sorts first). */
export function compareOid(a: Oid, b: Oid): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function oidEquals(a: Oid, b: Oid): boolean {
  return a.length === b.length && compareOid(a, b) === 0;
}

/** True when `prefix` is `o` or one of its ancestors. */
export function oidStartsWith(o: Oid, prefix: Oid): boolean {
  if (prefix.length > o.length) return false;
  for (let i = 0; i < prefix.length; i++) if (o[i] !== prefix[i]) return false;
  return true;
}

export function oidChild(base: Oid, ...arcs: number[]): Oid {
  return [...base, ...arcs];
}
