import { parsePNumber, type Catalogue } from './catalogue';
import { canonical, checkValue } from './validate';
import type { AccessLevel, BatchEntryError, BatchInput, ParamDef, Source, WriteGuard } from './types';

export interface ValidEntry {
  readonly def: ParamDef;
  readonly value: string;
}

/** Ordered [key, value] pairs from either batch form. */
export function normaliseBatch(batch: BatchInput): Array<[number | string, string]> {
  if (Array.isArray(batch)) return (batch as ReadonlyArray<readonly [number | string, string]>).map(([k, v]) => [k, v]);
  return Object.entries(batch as Record<string, string>);
}

/**
 * Checks every entry of a batch; pure. An entry fails for an unknown number, a wrong value, a
 * level that may not write it, a read-only status entry, a write guard's refusal, or a second
 * different value for the same number. Messages name the P-number, the value and the rule.
 */
export function validateBatch(
  catalogue: Catalogue,
  pairs: ReadonlyArray<readonly [number | string, string]>,
  source: Source,
  level: AccessLevel,
  skipUnknown: boolean,
  guard?: WriteGuard,
): { entries: ValidEntry[]; errors: BatchEntryError[]; skipped: string[] } {
  const entries = new Map<number, ValidEntry>();
  const errors: BatchEntryError[] = [];
  const skipped: string[] = [];
  for (const [key, raw] of pairs) {
    const value = typeof raw === 'string' ? raw : String(raw);
    const id = parsePNumber(key);
    const def = id === undefined ? undefined : catalogue.get(id);
    const label = id === undefined ? String(key) : `P${id}`;
    if (!def) {
      if (skipUnknown && id !== undefined) skipped.push(label);
      else errors.push({ id: id ?? String(key), value, kind: 'unknown', message: `${label}: no such parameter` });
      continue;
    }
    const shown = def.secret ? '(hidden)' : JSON.stringify(value);
    if (def.readOnly && source !== 'factory') {
      errors.push({ id: def.id, value, kind: 'read-only', message: `${label}=${shown}: is read-only (${def.name})` });
      continue;
    }
    if (source !== 'factory' && !levelMayWrite(level, def)) {
      errors.push({ id: def.id, value, kind: 'access', message: `${label}=${shown}: the ${level} level may not change ${def.name}` });
      continue;
    }
    const locked = source === 'factory' ? undefined : guard?.(def.id, source);
    if (locked !== undefined) {
      errors.push({ id: def.id, value, kind: 'locked', message: `${label}=${shown}: ${locked}` });
      continue;
    }
    const problem = checkValue(def, value);
    if (problem) {
      errors.push({ id: def.id, value, kind: problem.kind, message: `${label}=${shown}: ${problem.rule}` });
      continue;
    }
    const v = canonical(def, value);
    const prev = entries.get(def.id);
    if (prev && prev.value !== v) {
      errors.push({ id: def.id, value, kind: 'duplicate', message: `${label}: given twice with different values` });
      continue;
    }
    entries.set(def.id, { def, value: v });
  }
  return { entries: [...entries.values()], errors, skipped };
}

export function levelMayWrite(level: AccessLevel, def: ParamDef): boolean {
  if (level === 'admin') return true;
  if (level === 'user') return def.level === 'user';
  return false;
}
