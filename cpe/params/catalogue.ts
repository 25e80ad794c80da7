import { CATALOGUE } from './catalogue/index';
import type { ParamDef, ResetGroup } from './types';

/** Lookup over the catalogue data. Immutable: one instance is shared by every unit of a fleet. */
export class Catalogue {
  private readonly byId = new Map<number, ParamDef>();
  private readonly byName = new Map<string, ParamDef>();

  constructor(readonly entries: readonly ParamDef[]) {
    for (const d of entries) {
      if (this.byId.has(d.id)) throw new Error(`catalogue: P${d.id} defined twice`);
      this.byId.set(d.id, d);
      this.byName.set(d.name, d);
    }
  }

  get(id: number): ParamDef | undefined {
    return this.byId.get(id);
  }

  byNameOf(name: string): ParamDef | undefined {
    return this.byName.get(name);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  get size(): number {
    return this.entries.length;
  }

  inGroup(group: ResetGroup): ParamDef[] {
    return this.entries.filter((d) => d.reset === group);
  }
}

let shared: Catalogue | undefined;
/** The HT813 catalogue, built once on first use (immutable data, not state). */
export function ht813Catalogue(): Catalogue {
  shared ??= new Catalogue(CATALOGUE);
  return shared;
}

/** Parses `47`, `'47'`, `'P47'` or `'p47'` to 47; undefined for anything else. */
export function parsePNumber(key: number | string): number | undefined {
  if (typeof key === 'number') return Number.isInteger(key) && key >= 0 ? key : undefined;
  const m = /^[Pp]?(\d{1,6})$/.exec(key.trim());
  return m ? Number(m[1]) : undefined;
}
