/** One unit's CWMP service over a real store in a temporary folder, with a fake device lifecycle. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScriptedAcs } from '../../acs-fixtures/scripted-acs';
import { CwmpService, type CwmpOptions } from '../../cpe/cwmp/service';
import { ParamStore } from '../../cpe/params/store';
import type { Service, ServiceContext } from '../../cpe/service';
import type { Clock } from '../../cpe/shared/clock';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import { IDENTITY } from '../datamodel/tree-fixture';
import { freePort } from '../support/ports';

export interface Unit {
  readonly dir: string;
  store: ParamStore;
  service: CwmpService;
  /** Services started before CWMP (e.g. a provisioner), by name; rebuilt at each reboot. */
  others: Record<string, Service>;
  readonly clock: Clock;
  readonly log: CapturingLogger;
  readonly reboots: string[];
  readonly resets: string[];
  /** Simulated power cycle: stop the service, close and reopen the store, start again. */
  reboot(): Promise<void>;
  stop(): Promise<void>;
}

export async function startUnit(o: {
  clock: Clock;
  params?: Record<string, string>;
  cwmp?: CwmpOptions;
  dhcp43?: string;
  seed?: number;
  /** Services the unit runs before CWMP (ctx.services), e.g. { provision: (ctx) => new ProvisionService(ctx, ...) }. */
  others?: Record<string, (ctx: ServiceContext) => Service>;
}): Promise<Unit> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-cwmp-'));
  const log = new CapturingLogger();
  const random = new SeededRandom(o.seed ?? 7);
  let bootTime = o.clock.now();
  let bootCount = 0;
  const open = (): ParamStore => ParamStore.open(dir, { clock: o.clock, log, durability: 'normal' });
  const store0 = open();
  store0.applyOrThrow({ P4518: String(await freePort()), ...(o.params ?? {}) }, 'cli');
  const u = {
    dir,
    store: store0,
    clock: o.clock,
    log,
    reboots: [] as string[],
    resets: [] as string[],
  } as unknown as Unit;
  const make = (): CwmpService => {
    bootCount++;
    bootTime = o.clock.now();
    const ctx: ServiceContext = {
      identity: IDENTITY,
      store: u.store,
      clock: o.clock,
      random,
      log: log.child({ subsystem: 'cwmp' }),
      dataDir: dir,
      network: { address: '127.0.0.1', dhcpOptions: new Map(o.dhcp43 ? [[43, o.dhcp43]] : []) },
      ports: {},
      device: {
        reboot: async (reason) => {
          u.reboots.push(reason);
          await u.reboot();
        },
        factoryReset: async (type, reason) => {
          u.resets.push(`${type}: ${reason}`);
          u.store.factoryReset(type);
          await u.reboot();
        },
        bootTime: () => bootTime,
        bootCount: () => bootCount,
      },
      status: new StatusBoard(),
      services: { get: <T extends Service>(name: string) => u.others[name] as T | undefined },
    };
    u.others = {};
    for (const [name, create] of Object.entries(o.others ?? {})) u.others[name] = create({ ...ctx, log: log.child({ subsystem: name }) });
    return new CwmpService(ctx, o.cwmp ?? {});
  };
  const startAll = async (): Promise<void> => {
    u.service = make();
    for (const s of Object.values(u.others)) await s.start();
    await u.service.start();
  };
  const stopAll = async (why: 'reboot' | 'shutdown'): Promise<void> => {
    await u.service.stop(why);
    for (const s of Object.values(u.others).reverse()) await s.stop(why);
  };
  u.reboot = async () => {
    await stopAll('reboot');
    u.store.close();
    u.store = open();
    await startAll();
  };
  u.stop = async () => {
    await stopAll('shutdown');
    u.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  await startAll();
  return u;
}

/** Waits until the scripted ACS played every step and the unit's session ended; no ACS-side errors. */
export async function settleSession(acs: ScriptedAcs, u: Unit): Promise<void> {
  await acs.finished();
  await u.service.idle();
  assert.deepEqual(acs.errors, []);
}
