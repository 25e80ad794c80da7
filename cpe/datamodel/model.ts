/**
 * The TR-069 data model of one unit: a tree of objects and parameters registered at startup,
 * each parameter a view over P-values (model: obuspa src/include/usp_api.h). No network here;
 * writes come out as a batch for the store (the caller applies it, source 'cwmp').
 */
import { checkType, direct, bool as boolBinding } from './bindings';
import {
  DataModelError,
  isRejection,
  type Binding,
  type DmNode,
  type DmType,
  type ObjectNode,
  type ParamNode,
  type Problem,
  type Rejection,
  type TableSpec,
} from './types';

/** What the model reads P-values through (a ParamStore satisfies it via storeReader). */
export interface ParamReader {
  get(id: number): string;
  has(id: number): boolean;
}

/** The model's own persisted state: table row allocations and the few settings without a P-value. */
export interface ModelState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

export interface SetEntry {
  readonly name: string;
  readonly value: string;
  /** xsd type the ACS declared, if any. */
  readonly type?: string;
}

export interface SetPlan {
  /** One batch for the store, in entry order. */
  readonly batch: Array<[number, string]>;
  /** Settings without a P-value, written after the batch commits. */
  readonly state: Array<[string, string]>;
  readonly problems: Problem[];
  /** Which parameter names wrote each P-value (to name them in per-entry faults). */
  readonly owners: Map<number, string[]>;
}

export interface ParamOptions {
  readonly type: DmType;
  readonly writable: boolean;
  /** Shorthand for a direct binding (or a 0/1 boolean binding when type is boolean). */
  readonly pvalue?: number;
  readonly binding?: Binding;
  readonly secret?: boolean;
}

export class DataModel {
  private readonly nodes = new Map<string, DmNode>();
  private readonly byPValue = new Map<number, string[]>();
  /** P-values the tree asked for that the catalogue does not hold (their parameters are left out). */
  readonly missing: number[] = [];
  private gate: (() => boolean) | undefined;

  constructor(
    private readonly store: ParamReader,
    private readonly state: ModelState,
  ) {
    this.nodes.set('Device.', { kind: 'object', path: 'Device.', children: [] });
  }

  // ---- registration ----

  registerObject(path: string, extra: { table?: TableSpec; gate?: () => boolean } = {}): void {
    if (!path.endsWith('.')) throw new Error(`object path must end with '.': ${path}`);
    if (this.nodes.has(path)) return;
    this.attach(path);
    const node: ObjectNode = { kind: 'object', path, children: [], ...this.gated(extra.gate), ...(extra.table ? { table: extra.table } : {}) };
    this.nodes.set(path, node);
  }

  registerParam(path: string, o: ParamOptions): void {
    const binding = o.binding ?? (o.pvalue === undefined ? undefined : o.type === 'boolean' ? boolBinding(o.pvalue) : direct(o.pvalue));
    if (!binding) throw new Error(`${path}: registerParam needs pvalue or binding`);
    const absent = binding.ids.filter((id) => !this.store.has(id));
    if (absent.length > 0) {
      for (const id of absent) if (!this.missing.includes(id)) this.missing.push(id);
      return;
    }
    const writable = o.writable && binding.write !== undefined;
    this.addParam({ kind: 'param', path, type: o.type, writable, secret: o.secret === true, source: { kind: 'pvalue', binding } });
    for (const id of binding.ids) {
      const list = this.byPValue.get(id) ?? [];
      list.push(path);
      this.byPValue.set(id, list);
    }
  }

  registerLive(path: string, o: { type: DmType; get: () => string }): void {
    this.addParam({ kind: 'param', path, type: o.type, writable: false, secret: false, source: { kind: 'live', get: o.get } });
  }

  registerConst(path: string, o: { type: DmType; value: string }): void {
    this.addParam({ kind: 'param', path, type: o.type, writable: false, secret: false, source: { kind: 'const', value: o.value } });
  }

  /** A writable setting with no P-value (kept in the model state under `key`). */
  registerState(path: string, o: { type: DmType; key: string; dflt: string; check?: (v: string) => string | Rejection }): void {
    const check = o.check ?? ((v: string) => v);
    this.addParam({ kind: 'param', path, type: o.type, writable: true, secret: false, source: { kind: 'state', key: o.key, dflt: o.dflt, check } });
  }

  /**
   * A multi-instance object over the unit's fixed slots, with its NumberOfEntries parameter.
   * `rows(i, rowPath)` registers the parameters of row i; they exist only while the row is used.
   */
  registerTable(path: string, numberOfEntries: string, spec: TableSpec, rows: (i: number, rowPath: string) => void): void {
    const allocKey = (i: number): string => `alloc:${path}${i}`;
    const used = (i: number): boolean => spec.used(i) || this.state.get(allocKey(i)) === '1';
    const table: TableSpec = { slots: spec.slots, used, clear: spec.clear };
    this.registerObject(path, { table });
    this.registerLive(numberOfEntries, {
      type: 'unsignedInt',
      get: () => String(Array.from({ length: spec.slots }, (_, k) => k + 1).filter(used).length),
    });
    for (let i = 1; i <= spec.slots; i++) {
      const rowPath = `${path}${i}.`;
      const g = (): boolean => used(i);
      this.registerObject(rowPath, { gate: g });
      const saved = this.gate;
      this.gate = g;
      try {
        rows(i, rowPath);
      } finally {
        this.gate = saved;
      }
    }
  }

  private gated(explicit?: () => boolean): { gate?: () => boolean } {
    const g = explicit ?? this.gate;
    return g ? { gate: g } : {};
  }

  private addParam(p: ParamNode): void {
    if (this.nodes.has(p.path)) throw new Error(`data model: ${p.path} registered twice`);
    this.attach(p.path);
    this.nodes.set(p.path, { ...p, ...this.gated() });
  }

  /** Links a path under its parent object, creating missing ancestors. */
  private attach(path: string): void {
    const parent = parentOf(path);
    if (!parent) return;
    if (!this.nodes.has(parent)) this.registerObject(parent);
    const pn = this.nodes.get(parent);
    if (!pn || pn.kind !== 'object') throw new Error(`data model: parent of ${path} is not an object`);
    pn.children.push(path);
  }

  // ---- reads ----

  /** The node at an exact path, if it exists now (rows of a table only while used). */
  node(path: string): DmNode | undefined {
    const n = this.nodes.get(path);
    if (!n || (n.gate && !n.gate())) return undefined;
    return n;
  }

  /** The TR-069 value of a parameter; secrets read as empty strings. */
  read(p: ParamNode): string {
    if (p.secret) return '';
    const s = p.source;
    switch (s.kind) {
      case 'pvalue':
        return s.binding.read(s.binding.ids.map((id) => this.store.get(id)));
      case 'live':
        return s.get();
      case 'const':
        return s.value;
      case 'state':
        return this.state.get(`setting:${s.key}`) ?? s.dflt;
    }
  }

  /** A state-kept setting's value by key (for the service that acts on it). */
  stateValue(key: string, dflt: string): string {
    return this.state.get(`setting:${key}`) ?? dflt;
  }

  /** Parameters at or under `path` (a parameter name, or a partial path ending with '.'), in tree order. */
  paramsUnder(path: string): ParamNode[] {
    const start = this.node(path === '' ? 'Device.' : path);
    if (!start) throw new DataModelError({ name: path, kind: 'unknown-name', reason: 'no such parameter or object' });
    const out: ParamNode[] = [];
    this.walk(start, (n) => {
      if (n.kind === 'param') out.push(n);
    });
    return out;
  }

  private walk(n: DmNode, visit: (n: DmNode) => void): void {
    visit(n);
    if (n.kind !== 'object') return;
    for (const c of n.children) {
      const cn = this.node(c);
      if (cn) this.walk(cn, visit);
    }
  }

  /** GetParameterNames (TR-069 A.3.2.3). */
  names(path: string, nextLevel: boolean): Array<{ name: string; writable: boolean }> {
    const info = (n: DmNode): { name: string; writable: boolean } => ({ name: n.path, writable: this.nodeWritable(n) });
    if (path === '') {
      const root = this.node('Device.')!;
      if (nextLevel) return [info(root)];
      const all: DmNode[] = [];
      this.walk(root, (n) => all.push(n));
      return all.map(info);
    }
    const start = this.node(path);
    if (!start) throw new DataModelError({ name: path, kind: 'unknown-name', reason: 'no such parameter or object' });
    if (start.kind === 'param') {
      if (nextLevel) throw new DataModelError({ name: path, kind: 'invalid-arguments', reason: 'NextLevel true with a parameter name' });
      return [info(start)];
    }
    if (nextLevel) return start.children.map((c) => this.node(c)).filter((n): n is DmNode => n !== undefined).map(info);
    const all: DmNode[] = [];
    this.walk(start, (n) => all.push(n));
    return all.map(info);
  }

  private nodeWritable(n: DmNode): boolean {
    if (n.kind === 'param') return n.writable;
    if (n.table) return true;
    const parent = parentOf(n.path);
    const pn = parent ? this.nodes.get(parent) : undefined;
    return pn?.kind === 'object' && pn.table !== undefined;
  }

  /** Every data model parameter bound to P-value `id` (for VALUE CHANGE). */
  pathsOf(id: number): readonly string[] {
    return this.byPValue.get(id) ?? [];
  }

  get size(): number {
    return this.nodes.size;
  }

  // ---- writes ----

  /**
   * SetParameterValues as a plan: checks every entry (name, writability, type, value) and turns
   * the good ones into one batch. Entries on the same P-value compose in order.
   */
  plan(entries: readonly SetEntry[]): SetPlan {
    const problems: Problem[] = [];
    const pending = new Map<number, string>();
    const order: number[] = [];
    const owners = new Map<number, string[]>();
    const state: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const e of entries) {
      const n = this.node(e.name);
      if (!n || n.kind !== 'param') {
        problems.push({ name: e.name, kind: 'unknown-name', reason: 'no such parameter' });
        continue;
      }
      if (seen.has(e.name)) {
        problems.push({ name: e.name, kind: 'value', reason: 'the same parameter twice in one request' });
        continue;
      }
      seen.add(e.name);
      if (!n.writable) {
        problems.push({ name: e.name, kind: 'not-writable', reason: 'read-only parameter' });
        continue;
      }
      if (e.type !== undefined && !typeCompatible(n.type, e.type)) {
        problems.push({ name: e.name, kind: 'type', reason: `declared xsd:${e.type}, the parameter is ${n.type}` });
        continue;
      }
      const bad = checkType(n.type, e.value);
      if (bad) {
        problems.push({ name: e.name, kind: 'value', reason: bad.reason });
        continue;
      }
      const s = n.source;
      if (s.kind === 'state') {
        const r = s.check(e.value);
        if (isRejection(r)) problems.push({ name: e.name, kind: r.rejected === 'type' ? 'type' : 'value', reason: r.reason });
        else state.push([`setting:${s.key}`, r]);
        continue;
      }
      if (s.kind !== 'pvalue' || !s.binding.write) {
        problems.push({ name: e.name, kind: 'not-writable', reason: 'read-only parameter' });
        continue;
      }
      const cur = s.binding.ids.map((id) => pending.get(id) ?? this.store.get(id));
      const out = s.binding.write(e.value, cur);
      if (isRejection(out)) {
        problems.push({ name: e.name, kind: out.rejected === 'type' ? 'type' : 'value', reason: out.reason });
        continue;
      }
      s.binding.ids.forEach((id, k) => {
        const v = out[k];
        if (v === undefined) return;
        if (!pending.has(id)) order.push(id);
        pending.set(id, v);
        const o = owners.get(id) ?? [];
        if (!o.includes(e.name)) o.push(e.name);
        owners.set(id, o);
      });
    }
    return { batch: order.map((id) => [id, pending.get(id)!]), state, problems, owners };
  }

  /** Writes the state part of a plan (after its batch committed). */
  commitState(state: ReadonlyArray<readonly [string, string]>): void {
    for (const [k, v] of state) this.state.set(k, v);
  }

  /** AddObject (TR-069 A.3.2.6): the first free slot of a table; `resources` when the unit's slots are full. */
  addObject(path: string): number {
    const n = this.node(path);
    if (!n || n.kind !== 'object') throw new DataModelError({ name: path, kind: 'unknown-name', reason: 'no such object' });
    if (!n.table) throw new DataModelError({ name: path, kind: 'invalid-arguments', reason: 'not a multi-instance object' });
    for (let i = 1; i <= n.table.slots; i++) {
      if (!n.table.used(i)) {
        this.state.set(`alloc:${path}${i}`, '1');
        return i;
      }
    }
    throw new DataModelError({ name: path, kind: 'resources', reason: `all ${n.table.slots} slots are in use` });
  }

  /** DeleteObject (TR-069 A.3.2.7): the batch that empties the row, and what to do once it committed. */
  deleteObject(path: string): { batch: Array<[number, string]>; finish: () => void } {
    const n = this.node(path);
    const parent = parentOf(path);
    const table = parent ? this.nodes.get(parent) : undefined;
    if (!n || n.kind !== 'object' || !table || table.kind !== 'object' || !table.table) {
      throw new DataModelError({ name: path, kind: 'unknown-name', reason: 'no such object instance' });
    }
    const i = Number(path.slice(table.path.length, -1));
    return {
      batch: table.table.clear(i).map(([id, v]) => [id, v]),
      finish: () => this.state.delete(`alloc:${table.path}${i}`),
    };
  }
}

/** `A.B.C` → `A.B.`, `A.B.` → `A.`, `Device.` → undefined. */
export function parentOf(path: string): string | undefined {
  const trimmed = path.endsWith('.') ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf('.');
  return i < 0 ? undefined : trimmed.slice(0, i + 1);
}

/** An ACS may send any value as xsd:string; otherwise the declared type must be the parameter's. */
function typeCompatible(param: DmType, declared: string): boolean {
  if (declared === 'string' || declared === param) return true;
  if (param === 'unsignedInt' && (declared === 'unsignedLong' || declared === 'int' || declared === 'long')) return true;
  if (param === 'int' && (declared === 'long' || declared === 'unsignedInt')) return true;
  return false;
}
