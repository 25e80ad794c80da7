/**
 * A read-only MIB view: objects (scalars and table columns) each owning a subtree, with Get and
 * the lexicographic successor GetNext needs (RFC 3416 §4.2.1, §4.2.2). Values are read when asked;
 * nothing is cached. Pure given its getters.
 */
import { compareOid, oidStartsWith, oidText, type Oid } from './oid';
import { V, type SnmpValue, type VarBind } from './snmp-pdu';

export interface MibInstance {
  readonly oid: Oid;
  value(): SnmpValue;
}

export interface MibObject {
  /** The OBJECT-TYPE's OID: every instance lies under it. */
  readonly oid: Oid;
  /** The instances that exist now, in OID order. */
  instances(): readonly MibInstance[];
}

/** A scalar: one instance, `.0` (RFC 2578 §7.7). */
export function scalar(oid: Oid, value: () => SnmpValue): MibObject {
  const inst: readonly MibInstance[] = [{ oid: [...oid, 0], value }];
  return { oid, instances: () => inst };
}

/**
 * Columns of a conceptual table (RFC 2578 §7.7): entry OID, the column numbers with their getters,
 * the rows that exist now and each row's index arcs.
 */
export function tableColumns<R>(entry: Oid, columns: ReadonlyArray<readonly [number, (row: R) => SnmpValue]>, rows: () => readonly R[], index: (row: R) => readonly number[]): MibObject[] {
  return columns.map(([col, get]) => {
    const oid = [...entry, col];
    return {
      oid,
      instances: () =>
        rows()
          .map((r) => ({ oid: [...oid, ...index(r)], value: () => get(r) }))
          .sort((a, b) => compareOid(a.oid, b.oid)),
    };
  });
}

export class Mib {
  private readonly objects: readonly MibObject[];

  constructor(objects: readonly MibObject[]) {
    const sorted = [...objects].sort((a, b) => compareOid(a.oid, b.oid));
    for (let i = 1; i < sorted.length; i++) {
      if (oidStartsWith(sorted[i]!.oid, sorted[i - 1]!.oid)) throw new TypeError(`MIB objects overlap: ${oidText(sorted[i - 1]!.oid)} and ${oidText(sorted[i]!.oid)}`);
    }
    this.objects = sorted;
  }

  /** RFC 3416 §4.2.1: the value, or noSuchObject / noSuchInstance. */
  get(o: Oid): SnmpValue {
    const obj = this.objects.find((x) => oidStartsWith(o, x.oid));
    if (!obj) return V.noSuchObject;
    const inst = obj.instances().find((i) => compareOid(i.oid, o) === 0);
    return inst ? inst.value() : V.noSuchInstance;
  }

  /** RFC 3416 §4.2.2: the first instance after `o` in lexicographic order, or undefined at the end of the view. */
  next(o: Oid, accept: (v: SnmpValue) => boolean = () => true): VarBind | undefined {
    for (const obj of this.objects) {
      // a whole subtree before `o` (and not holding it) has nothing after it
      if (compareOid(obj.oid, o) < 0 && !oidStartsWith(o, obj.oid)) continue;
      for (const inst of obj.instances()) {
        if (compareOid(inst.oid, o) <= 0) continue;
        const value = inst.value();
        if (accept(value)) return { oid: inst.oid, value };
      }
    }
    return undefined;
  }

  /** Every instance under `prefix`, in order. */
  walk(prefix: Oid): VarBind[] {
    const out: VarBind[] = [];
    for (const obj of this.objects) {
      if (!oidStartsWith(obj.oid, prefix) && !oidStartsWith(prefix, obj.oid)) continue;
      for (const inst of obj.instances()) if (oidStartsWith(inst.oid, prefix)) out.push({ oid: inst.oid, value: inst.value() });
    }
    return out;
  }
}
