/** A ServiceContext for SIP service tests: a temporary store, FakeClock, captured logs, fake device. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParamStore } from '../../../cpe/params/store';
import type { ResetType } from '../../../cpe/params/types';
import type { Service, ServiceContext } from '../../../cpe/service';
import type { Clock } from '../../../cpe/shared/clock';
import { CapturingLogger } from '../../../cpe/shared/logger';
import { SeededRandom } from '../../../cpe/shared/random';
import { StatusBoard } from '../../../cpe/status';

export interface SipTestContext {
  ctx: ServiceContext;
  store: ParamStore;
  log: CapturingLogger;
  resets: ResetType[];
  services: Map<string, Service>;
  cleanup(): void;
}

export function sipContext(clock: Clock, params: Record<string, string>, opts: { address?: string; offset?: number; dhcpOptions?: Map<number, string> } = {}): SipTestContext {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-sip-'));
  const log = new CapturingLogger();
  const store = ParamStore.open(dir, { clock, log });
  store.applyOrThrow(params, 'cli');
  const resets: ResetType[] = [];
  const services = new Map<string, Service>();
  const ctx: ServiceContext = {
    identity: {
      mac: '000b82a1b2c3', lanMac: '000b82a1b2c4', serialNumber: 'TEST', model: 'HT813', hardwareVersion: 'V1.0A',
      firmwareVersion: '1.0.0.1', manufacturer: 'Grandstream', oui: '000B82',
    },
    store,
    clock,
    random: new SeededRandom(11),
    log: log.child({ subsystem: 'sip' }),
    dataDir: dir,
    network: { address: opts.address ?? '127.0.0.1', dhcpOptions: opts.dhcpOptions ?? new Map() },
    ports: opts.offset !== undefined ? { offset: opts.offset } : {},
    device: {
      reboot: async () => {},
      factoryReset: async (type: ResetType) => {
        resets.push(type);
      },
      bootTime: () => 0,
      bootCount: () => 1,
    },
    status: new StatusBoard(),
    services: { get: <T extends Service>(name: string) => services.get(name) as T | undefined },
  };
  return {
    ctx, store, log, resets, services,
    cleanup: () => {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lets promises and 0 ms timers run (in-memory delivery) without moving time. */
export async function settle(clock: { advance(ms: number): void }, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(0);
  }
}

/** Advances time in steps, letting async work run between steps. */
export async function advance(clock: { advance(ms: number): void }, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle(clock, 3);
  }
}
