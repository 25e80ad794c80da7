/*
 * Test plan: a child process applies a seeded stream of random batches to a store; the test kills
 * it with SIGKILL at a random moment, reopens the database, and checks that it equals the state
 * after some prefix of the stream — the last batch the child reported, or the one it was committing.
 * Nothing torn, nothing committed lost. Repeated many times on the same folder; each round resumes
 * the stream where the database says it stopped.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParamStore } from '../../cpe/params/store';
import { Catalogue } from '../../cpe/params/catalogue';
import { SeededRandom } from '../../cpe/shared/random';
import { silentLogger } from '../../cpe/shared/logger';
import { FakeClock } from '../support/fake-clock';
import { DURABILITY_DEFS, stateAfter } from './durability/batches';

const ROUNDS = 25;
const SEED = 813;

function runAndKill(dir: string, from: number, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'durability', 'child.ts'), dir, String(SEED), String(from)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && out.includes('ready\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended without being killed:\n${out}`));
      const done = [...out.matchAll(/done (\d+)\n/g)].map((m) => Number(m[1]));
      resolve(done.length > 0 ? done[done.length - 1]! : from - 1);
    });
  });
}

describe('params/store durability under SIGKILL', function () {
  this.timeout(120_000);

  it(`equals a committed prefix after each of ${ROUNDS} kills`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-dur-'));
    const catalogue = new Catalogue(DURABILITY_DEFS);
    const rnd = new SeededRandom(7);
    let next = 0;
    let totalBatches = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const lastReported = await runAndKill(dir, next, 5 + rnd.int(120));
        const store = ParamStore.open(dir, { clock: new FakeClock(), log: silentLogger, catalogue });
        const actual = store.snapshot();
        store.close();
        // The stream position the database is at: after the last reported batch, or after the one in flight.
        const candidates = [lastReported + 1, lastReported + 2];
        const match = candidates.find((k) => sameState(actual, stateAfter(SEED, k)));
        assert.ok(
          match !== undefined,
          `round ${round}: database matches neither the state after batch ${lastReported} nor after ${lastReported + 1}`,
        );
        totalBatches += match - next;
        next = match;
      }
      assert.ok(totalBatches > ROUNDS, `too few batches ran (${totalBatches}) for the test to mean anything`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function sameState(a: Map<number, string>, b: Map<number, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}
