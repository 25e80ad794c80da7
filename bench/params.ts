/**
 * The parameter store: the whole catalogue as one batch (goal ≤ 10 ms), single-value applies,
 * reading every value, change-event fan-out to 10 subscribers; against a raw better-sqlite3
 * insert loop of the same size in one transaction, measured in the same run.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParamStore } from '../cpe/params/store';
import { ht813Catalogue } from '../cpe/params/catalogue';
import { checkValue } from '../cpe/params/validate';
import type { ParamDef } from '../cpe/params/types';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { line, measure } from './_report';

/** A valid value other than the default, where the type has one, so each apply really changes something. */
function alternate(def: ParamDef): string {
  const t = def.type;
  const candidates: string[] = [];
  switch (t.kind) {
    case 'int': candidates.push(String(t.min), String(t.max)); break;
    case 'octet': candidates.push('1', '2'); break;
    case 'bool': candidates.push('0', '1'); break;
    case 'enum': candidates.push(...t.values.map((v) => v.value)); break;
    case 'string': candidates.push(t.charset === 'digits' ? '1234' : t.charset === 'hex' ? 'ab' : 'bench'); break;
    case 'password': candidates.push('Bench!pw'); break;
    case 'host': candidates.push('bench.example.com:5060'); break;
    case 'ipv4': candidates.push('10.0.0.1'); break;
    case 'text': candidates.push('bench text'); break;
    case 'mac': candidates.push('000b82000001'); break;
    default: break;
  }
  return candidates.find((c) => c !== def.default && !checkValue(def, c)) ?? def.default;
}

const catalogue = ht813Catalogue();
const writable = catalogue.entries.filter((d) => !d.readOnly);
const batchA = writable.map((d): [number, string] => [d.id, alternate(d)]);
const batchB = writable.map((d): [number, string] => [d.id, d.default]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-bench-'));

for (const durability of ['full', 'normal'] as const) {
  const sub = path.join(dir, durability);
  const store = ParamStore.open(sub, { clock: new SystemClock(), log: silentLogger, durability });
  const changedA = batchA.filter(([id, v]) => v !== catalogue.get(id)!.default).length;

  // Baseline: the same number of rows inserted by a raw prepared statement in one transaction.
  const raw = new Database(path.join(sub, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
  const ins = raw.prepare('INSERT INTO t (id, value) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value');
  let flip = false;
  const baseline = measure(`baseline: raw insert loop of ${batchA.length} rows`, () => {
    flip = !flip;
    const src = flip ? batchA : batchB;
    raw.transaction(() => {
      for (const [id, v] of src) ins.run(id, v);
    })();
  });

  console.log(`\ncatalogue: ${catalogue.size} entries (${writable.length} writable, ${changedA} with an alternate value); synchronous=${durability.toUpperCase()}`);
  console.log(line(baseline));
  flip = false;
  const whole = measure(`apply whole catalogue as one batch`, () => {
    flip = !flip;
    const r = store.apply(flip ? batchA : batchB, 'cli');
    if (!r.ok) throw new Error(r.errors[0]!.message);
  });
  console.log(line(whole, baseline));
  const wholePerOp = whole.ms / whole.ops;
  console.log(`  goal: whole catalogue ≤ 10 ms per batch → ${wholePerOp <= 10 ? 'met' : 'NOT met'} (${wholePerOp.toFixed(2)} ms)`);

  let n = 0;
  console.log(line(measure('apply one value (P47)', () => void store.apply([[47, `s${n++ % 2}.example`]], 'cli'))));
  console.log(line(measure('read every value (snapshot)', () => void store.snapshot())));
  console.log(line(measure('read one value (get P47)', () => void store.get(47), 200)));

  let received = 0;
  const unsub = Array.from({ length: 10 }, () => store.subscribe((e) => (received += e.changes.length)));
  console.log(line(measure('apply one value, fan-out to 10 subscribers', () => void store.apply([[47, `f${n++ % 2}.example`]], 'cli'))));
  unsub.forEach((u) => u());
  if (received === 0) throw new Error('subscribers received nothing');

  raw.close();
  store.close();
}
fs.rmSync(dir, { recursive: true, force: true });
