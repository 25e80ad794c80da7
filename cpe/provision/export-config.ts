/**
 * A config file from the unit's settings (`ht813 cfg export`, TR-069 Upload FileType 1, a web
 * backup): every writable P-value, in P-number order. Read-only status entries are left out (a
 * file cannot set them), and so are secrets unless asked for: a masked value in a file would
 * overwrite the real password when the file is applied again.
 */
import type { Catalogue } from '../params/catalogue';
import type { ConfigEntry } from './codec/config-entries';

export interface ExportedConfig {
  readonly entries: ConfigEntry[];
  /** Secret P-values left out. */
  readonly omittedSecrets: number[];
}

export function exportEntries(values: Iterable<readonly [number, string]>, catalogue: Catalogue, withSecrets: boolean): ExportedConfig {
  const entries: ConfigEntry[] = [];
  const omittedSecrets: number[] = [];
  for (const [id, v] of values) {
    const def = catalogue.get(id);
    if (!def || def.readOnly) continue;
    if (def.secret && !withSecrets) {
      omittedSecrets.push(id);
      continue;
    }
    entries.push([id, v]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  omittedSecrets.sort((a, b) => a - b);
  return { entries, omittedSecrets };
}
