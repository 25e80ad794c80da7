/**
 * A unit for web UI tests, assembled by hand (no Device): a store on a temp folder, a clock, a
 * status board, a fake device control, and the real WebService bound to 127.0.0.1 on a free port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParamStore } from '../../cpe/params/store';
import type { BatchInput, ChangeEvent, ResetType } from '../../cpe/params/types';
import type { DeviceControl, DeviceIdentity, PortOverrides, Service, ServiceContext } from '../../cpe/service';
import type { Clock } from '../../cpe/shared/clock';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import type { RadiusDeps } from '../../cpe/web/radius/radius-login';
import { WebService } from '../../cpe/web/web-service';
import { FakeClock } from '../support/fake-clock';
import { freePort } from '../support/ports';

export const TEST_MAC = '000b82a1b2c3';

export class FakeDevice implements DeviceControl {
  readonly reboots: string[] = [];
  readonly resets: ResetType[] = [];
  constructor(
    private readonly store: () => ParamStore,
    private readonly booted: number,
  ) {}
  async reboot(reason: string): Promise<void> {
    this.reboots.push(reason);
  }
  async factoryReset(type: ResetType, _reason: string): Promise<void> {
    this.store().factoryReset(type);
    this.resets.push(type);
  }
  bootTime(): number {
    return this.booted;
  }
  bootCount(): number {
    return 3;
  }
}

export interface TestUnitOptions {
  readonly clock?: Clock;
  /** Settings before the web service starts (source cli). */
  readonly params?: BatchInput;
  readonly services?: Readonly<Record<string, Service>>;
  readonly ports?: PortOverrides;
  readonly seed?: number;
  /** RADIUS login sockets / resolver (default the real ones). */
  readonly radius?: RadiusDeps;
}

export interface TestUnit {
  readonly dir: string;
  readonly store: ParamStore;
  readonly clock: Clock;
  readonly status: StatusBoard;
  readonly device: FakeDevice;
  readonly log: CapturingLogger;
  readonly web: WebService;
  readonly url: string;
  /** Every change event since start. */
  readonly events: ChangeEvent[];
  close(): Promise<void>;
}

export function testIdentity(mac = TEST_MAC): DeviceIdentity {
  const lan = (BigInt(`0x${mac}`) + 1n).toString(16).padStart(12, '0');
  return {
    mac,
    lanMac: lan,
    serialNumber: 'W2A1B2C3',
    model: 'HT813',
    hardwareVersion: 'V1.0A',
    firmwareVersion: '1.0.1.0',
    manufacturer: 'Grandstream',
    oui: '000B82',
  };
}

export async function startTestUnit(o: TestUnitOptions = {}): Promise<TestUnit> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-web-'));
  const clock = o.clock ?? new FakeClock();
  const log = new CapturingLogger();
  const store = ParamStore.open(dir, { clock, log, durability: 'normal' });
  if (o.params) store.applyOrThrow(o.params, 'cli');
  const events: ChangeEvent[] = [];
  store.subscribe((e) => events.push(e));
  const status = new StatusBoard();
  const device = new FakeDevice(() => store, clock.now() - 3_723_000);
  const ctx: ServiceContext = {
    identity: testIdentity(),
    store,
    clock,
    random: new SeededRandom(o.seed ?? 7),
    log: log.child({ subsystem: 'web' }),
    dataDir: dir,
    network: { address: '127.0.0.1', dhcpOptions: new Map() },
    ports: o.ports ?? { web: await freePort() },
    device,
    status,
    services: { get: <T extends Service>(name: string) => o.services?.[name] as T | undefined },
  };
  const web = new WebService(ctx, o.radius);
  try {
    await web.start();
  } catch (e) {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const url = web.urls()[0]!.replace(/\/$/, '');
  return {
    dir,
    store,
    clock,
    status,
    device,
    log,
    web,
    url,
    events,
    async close() {
      await web.stop('shutdown');
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
