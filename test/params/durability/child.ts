/**
 * Child process of the durability test (not a test file: mocha must not load it): applies batches `from`, from+1, ... of a seeded stream to
 * the store in `dir`, printing `done k` after each apply returns, until it is killed.
 */
import { ParamStore } from '../../../cpe/params/store';
import { Catalogue } from '../../../cpe/params/catalogue';
import { SystemClock } from '../../../cpe/shared/clock';
import { silentLogger } from '../../../cpe/shared/logger';
import { DURABILITY_DEFS, batchAt } from './batches';

const [dir, seedArg, fromArg] = process.argv.slice(2);
const seed = Number(seedArg);
const store = ParamStore.open(dir!, { clock: new SystemClock(), log: silentLogger, catalogue: new Catalogue(DURABILITY_DEFS) });
process.stdout.write('ready\n');
for (let k = Number(fromArg); ; k++) {
  store.apply(batchAt(seed, k), 'cli');
  process.stdout.write(`done ${k}\n`);
}
