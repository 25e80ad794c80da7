/** The headers of a message that have no typed field: canonical names, one entry per value, in order. */
import { canonicalName } from './header-names';

export interface HeaderField {
  name: string;
  value: string;
}

export class HeaderList {
  readonly fields: HeaderField[];
  constructor(fields: HeaderField[] = []) {
    this.fields = fields;
  }

  get(name: string): string | undefined {
    const n = canonicalName(name).toLowerCase();
    for (const f of this.fields) if (f.name.toLowerCase() === n) return f.value;
    return undefined;
  }

  getAll(name: string): string[] {
    const n = canonicalName(name).toLowerCase();
    const out: string[] = [];
    for (const f of this.fields) if (f.name.toLowerCase() === n) out.push(f.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  add(name: string, value: string): this {
    this.fields.push({ name: canonicalName(name), value });
    return this;
  }

  /** Replaces every value of the header with this one. */
  set(name: string, value: string): this {
    this.remove(name);
    return this.add(name, value);
  }

  remove(name: string): this {
    const n = canonicalName(name).toLowerCase();
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]?.name.toLowerCase() === n) this.fields.splice(i, 1);
    return this;
  }

  clone(): HeaderList {
    return new HeaderList(this.fields.map((f) => ({ ...f })));
  }
}
