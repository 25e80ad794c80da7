/**
 * Notification attributes (TR-069 A.3.2.4): 0 off, 1 passive, 2 active, and the AccessList,
 * persisted in the service state. An AccessList without "Subscriber" locks the P-values behind the
 * parameter against the web UI and the voice menu (lockedPValues, enforced by a store write guard). Forced-active parameters (TR-181: ConnectionRequestURL and
 * SoftwareVersion) stay active; active notification is refused for live values the unit cannot
 * watch without polling (fault 9009, as A.3.2.4 allows).
 */
import type { DataModel } from '../datamodel';
import type { ParamNode } from '../datamodel/types';
import type { KeyValueState } from './events';
import { CwmpFault } from './faults';
import type { ParameterAttribute, SetAttributeEntry } from './soap/types';

export const FORCED_ACTIVE = new Set(['Device.ManagementServer.ConnectionRequestURL', 'Device.DeviceInfo.SoftwareVersion']);
/** Live values the client watches itself (TR-111 binding changes), so active notification is allowed. */
export const WATCHED_LIVE = new Set(['Device.ManagementServer.UDPConnectionRequestAddress']);
/** Live values whose passive notification would fire on every Inform. */
const NO_NOTIFY = new Set(['Device.DeviceInfo.UpTime', 'Device.Time.CurrentLocalTime']);

interface Attr {
  n: number;
  /** The AccessList the ACS set; absent = the default (see accessList()). */
  a?: string[];
}

/** v2: an entry's `a` is present only when the ACS set an AccessList (v1 stored [] for "never set"). */
const KEY = 'attributes.v2';
const KEY_V1 = 'attributes';
const LIVE_KEY = 'liveLast';

export class NotificationAttributes {
  private readonly map: Map<string, Attr>;
  private liveLast: Record<string, string>;
  /** lockedPValues() until the next set(). */
  private locked: Map<number, string> | undefined;

  constructor(
    private readonly state: KeyValueState,
    private readonly dm: DataModel,
  ) {
    const v2 = state.get(KEY);
    if (v2 !== undefined) this.map = new Map(Object.entries(safeJson<Record<string, Attr>>(v2, {})));
    else {
      // v1 could not tell an AccessList set to [] from one never set: read every [] as never set
      const v1 = safeJson<Record<string, { n: number; a?: string[] }>>(state.get(KEY_V1), {});
      this.map = new Map(Object.entries(v1).map(([k, v]) => [k, v.a && v.a.length > 0 ? { n: v.n, a: v.a } : { n: v.n }]));
    }
    this.liveLast = safeJson<Record<string, string>>(state.get(LIVE_KEY), {});
  }

  notification(path: string): number {
    if (FORCED_ACTIVE.has(path)) return 2;
    return this.map.get(path)?.n ?? 0;
  }

  /**
   * A.3.2.4 AccessList: what the ACS set, else the unit's default — the subscriber (web UI, voice
   * menu) may change what is writable and stored in a P-value, nothing else.
   */
  accessList(p: ParamNode): string[] {
    const set = this.map.get(p.path)?.a;
    if (set !== undefined) return set;
    return p.writable && p.source.kind === 'pvalue' ? ['Subscriber'] : [];
  }

  get(p: ParamNode): ParameterAttribute {
    return { name: p.path, notification: this.notification(p.path), accessList: this.accessList(p) };
  }

  /**
   * P-values the subscriber may not change: those behind a parameter whose AccessList the ACS set
   * without "Subscriber" (A.3.2.4: the ACS then has exclusive write access). P-number → path.
   */
  lockedPValues(): ReadonlyMap<number, string> {
    if (this.locked) return this.locked;
    const out = new Map<number, string>();
    for (const [path, attr] of this.map) {
      if (attr.a === undefined || attr.a.includes('Subscriber')) continue;
      const node = this.dm.node(path);
      if (!node || node.kind !== 'param' || node.source.kind !== 'pvalue') continue;
      for (const id of node.source.binding.ids) if (!out.has(id)) out.set(id, path);
    }
    this.locked = out;
    return out;
  }

  /** Validates every entry first, then applies all (A.3.2.4: all or nothing). */
  set(entries: readonly SetAttributeEntry[]): void {
    const plan: Array<{ params: ParamNode[]; e: SetAttributeEntry }> = [];
    for (const e of entries) {
      let params: ParamNode[];
      try {
        params = this.dm.paramsUnder(e.name === '' ? 'Device.' : e.name);
      } catch {
        throw new CwmpFault(9005, e.name);
      }
      if (e.notificationChange) {
        if (e.notification < 0 || e.notification > 2) throw new CwmpFault(9003, `Notification ${e.notification} for ${e.name}`);
        for (const p of params) {
          if (FORCED_ACTIVE.has(p.path) && e.notification !== 2 && !e.name.endsWith('.')) {
            throw new CwmpFault(9009, `${p.path} has forced active notification`);
          }
          if (e.notification === 2 && p.source.kind === 'live' && !WATCHED_LIVE.has(p.path) && !e.name.endsWith('.')) {
            throw new CwmpFault(9009, `active notification on the live value ${p.path}`);
          }
          if (e.notification > 0 && NO_NOTIFY.has(p.path) && !e.name.endsWith('.')) {
            throw new CwmpFault(9009, `${p.path} changes continuously`);
          }
        }
      }
      if (e.accessListChange && e.accessList.some((a) => a !== 'Subscriber')) {
        throw new CwmpFault(9003, `AccessList may hold only "Subscriber"`);
      }
      plan.push({ params, e });
    }
    for (const { params, e } of plan) {
      for (const p of params) {
        if (FORCED_ACTIVE.has(p.path)) continue;
        const cur = this.map.get(p.path) ?? { n: 0 };
        const next: Attr = cur.a === undefined ? { n: cur.n } : { n: cur.n, a: cur.a };
        if (e.notificationChange) {
          // Partial paths skip what cannot be notified instead of failing the whole subtree.
          const skip = NO_NOTIFY.has(p.path) || (e.notification === 2 && p.source.kind === 'live' && !WATCHED_LIVE.has(p.path));
          if (!skip) next.n = e.notification;
        }
        if (e.accessListChange) next.a = [...e.accessList];
        if (next.n === 0 && next.a === undefined) this.map.delete(p.path);
        else this.map.set(p.path, next);
        if (next.n > 0 && p.source.kind === 'live') this.liveLast[p.path] = this.dm.read(p);
      }
    }
    this.locked = undefined;
    this.state.set(KEY, JSON.stringify(Object.fromEntries(this.map)));
    this.state.set(LIVE_KEY, JSON.stringify(this.liveLast));
  }

  /** Parameters bound to P-value `id` whose notification is on: [path, 1 | 2]. */
  notifiedFor(id: number): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const path of this.dm.pathsOf(id)) {
      const n = this.notification(path);
      if (n > 0) out.push([path, n]);
    }
    return out;
  }

  /** Live parameters with passive notification whose value moved since the last Inform (then remembered). */
  changedLive(): string[] {
    const out: string[] = [];
    let dirty = false;
    for (const path of new Set([...this.map.keys(), ...FORCED_ACTIVE])) {
      if (this.notification(path) === 0) continue;
      const node = this.dm.node(path);
      if (!node || node.kind !== 'param' || node.source.kind !== 'live') continue;
      const v = this.dm.read(node);
      const last = this.liveLast[path];
      if (last !== v) {
        // The first reading is a baseline, not a change.
        if (last !== undefined) out.push(path);
        this.liveLast[path] = v;
        dirty = true;
      }
    }
    if (dirty) this.state.set(LIVE_KEY, JSON.stringify(this.liveLast));
    return out;
  }
}

export function safeJson<T>(raw: string | undefined, dflt: T): T {
  if (raw === undefined) return dflt;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return dflt;
  }
}
