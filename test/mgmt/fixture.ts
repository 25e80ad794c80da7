/**
 * Console sessions without sockets: a store on a temp folder, a FakeClock, a seeded Random, a
 * capturing logger, and an in-memory Conn that records what the unit sends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliAction } from '../../cpe/mgmt/cli/cli-ports';
import type { Conn, SessionDeps } from '../../cpe/mgmt/conn';
import { ConsoleLogin } from '../../cpe/mgmt/console-login';
import { storeCliPorts } from '../../cpe/mgmt/store-cli-ports';
import { ParamStore } from '../../cpe/params/store';
import type { BatchInput } from '../../cpe/params/types';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import { FakeClock } from '../support/fake-clock';
import { FakeDevice, testIdentity } from '../web/harness';

export class MemoryConn implements Conn {
  private readonly chunks: Buffer[] = [];
  ended = false;
  destroyed = false;

  constructor(readonly remote = '127.0.0.1') {}

  write(bytes: Buffer): void {
    if (!this.ended && !this.destroyed) this.chunks.push(Buffer.from(bytes));
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  get closed(): boolean {
    return this.ended || this.destroyed;
  }
  /** Everything sent since the last take(). */
  take(): Buffer {
    const b = Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return b;
  }
}

export interface Fixture {
  readonly dir: string;
  readonly store: ParamStore;
  readonly clock: FakeClock;
  readonly log: CapturingLogger;
  readonly actions: CliAction[];
  /** Deps for a session; one ConsoleLogin (lockout table) for the whole fixture. */
  deps(seed?: number): SessionDeps;
  close(): void;
}

export function makeFixture(params?: BatchInput): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-mgmt-'));
  const clock = new FakeClock();
  const log = new CapturingLogger();
  const store = ParamStore.open(dir, { clock, log, durability: 'normal' });
  if (params) store.applyOrThrow(params, 'cli');
  const login = new ConsoleLogin(() => store, clock);
  const actions: CliAction[] = [];
  const status = new StatusBoard();
  const device = new FakeDevice(() => store, clock.now());
  return {
    dir,
    store,
    clock,
    log,
    actions,
    deps: (seed = 1) => ({
      clock,
      random: new SeededRandom(seed),
      log: log.child({ subsystem: 'mgmt' }),
      login,
      ports: storeCliPorts({ identity: testIdentity(), store, clock, network: { address: '127.0.0.1', dhcpOptions: new Map() }, device, status }),
      banner: 'Grandstream HT813',
      loginGraceMs: 60_000,
      idleMs: () => store.getInt(28116) * 60_000,
      perform: (a) => actions.push(a),
    }),
    close() {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
