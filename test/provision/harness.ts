/**
 * A unit for provisioning tests, assembled by hand: a store on a temp folder, a FakeClock, a
 * seeded Random, a status board, a device control that records reboots, and a scripted fetcher
 * (URL → bytes or FetchError) that records every request with its options.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ParamStore } from '../../cpe/params/store';
import type { BatchInput, ResetType } from '../../cpe/params/types';
import type { DeviceControl, DeviceIdentity, ServiceContext } from '../../cpe/service';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import { FetchError, type FetchOptions } from '../../cpe/provision/fetch/fetcher';
import { ProvisionService } from '../../cpe/provision/provisioner';
import { FakeClock } from '../support/fake-clock';
import { SystemClock } from '../../cpe/shared/clock';
import type { FetchFn } from '../../cpe/provision/fetch/fetch-url';

export const MAC = '000b82123456';
export const GOLDEN = path.join(__dirname, '..', 'golden', 'provision');

export function testSigningKey(): KeyObject {
  return createPrivateKey(fs.readFileSync(path.join(GOLDEN, 'firmware-test-key.pem')));
}

export class RecordingDevice implements DeviceControl {
  readonly reboots: string[] = [];
  async reboot(reason: string): Promise<void> {
    this.reboots.push(reason);
  }
  async factoryReset(_type: ResetType, _reason: string): Promise<void> {}
  bootTime(): number {
    return 0;
  }
  bootCount(): number {
    return 1;
  }
}

export type Script = Map<string, Buffer | FetchError | ((opts: FetchOptions) => Promise<Buffer>)>;

export interface Harness {
  readonly dir: string;
  readonly store: ParamStore;
  readonly clock: FakeClock;
  readonly log: CapturingLogger;
  readonly status: StatusBoard;
  readonly device: RecordingDevice;
  readonly script: Script;
  readonly requests: Array<{ url: string; opts: FetchOptions }>;
  readonly svc: ProvisionService;
  readonly ctx: ServiceContext;
  close(): Promise<void>;
}

export function identity(firmwareVersion = '1.0.7.1'): DeviceIdentity {
  return {
    mac: MAC,
    lanMac: '000b82123457',
    serialNumber: MAC.toUpperCase(),
    model: 'HT813',
    hardwareVersion: 'V1.0A',
    firmwareVersion,
    manufacturer: 'Grandstream',
    oui: '000B82',
  };
}

export interface HarnessOptions {
  readonly params?: BatchInput;
  readonly dhcp?: Array<[number, string]>;
  readonly firmwareVersion?: string;
  /** A real fetcher (integration tests) instead of the script; requests are still recorded. */
  readonly fetch?: FetchFn;
  /** Real time instead of a FakeClock (integration tests against real servers). */
  readonly realClock?: boolean;
}

export function makeHarness(opts: HarnessOptions = {}): Harness {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-unit-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 12, 0, 0)); // a Monday, 12:00 UTC
  const log = new CapturingLogger();
  const store = ParamStore.open(dir, { clock, log, durability: 'normal' });
  // Defaults of the tests: a plain HTTP server on a test host, no firmware check at boot.
  store.applyOrThrow({ P212: '1', P237: 'prov.test/cfg', P192: 'fw.test/fw', P238: '2', P8463: '1' }, 'cli');
  if (opts.params) store.applyOrThrow(opts.params, 'cli');
  const status = new StatusBoard();
  const device = new RecordingDevice();
  const script: Script = new Map();
  const requests: Array<{ url: string; opts: FetchOptions }> = [];
  const ctx: ServiceContext = {
    identity: identity(opts.firmwareVersion),
    store,
    clock: opts.realClock ? new SystemClock() : clock,
    random: new SeededRandom(7),
    log,
    dataDir: dir,
    network: { address: '127.0.0.1', dhcpOptions: new Map(opts.dhcp ?? []) },
    ports: {},
    device,
    status,
    services: { get: () => undefined },
  };
  const svc = new ProvisionService(ctx, {
    fetch: async (url, o) => {
      requests.push({ url: url.href, opts: o });
      if (opts.fetch) return opts.fetch(url, o);
      const r = script.get(url.href);
      if (r === undefined) throw new FetchError('not-found', 'HTTP 404', url.href);
      if (r instanceof FetchError) throw r;
      if (typeof r === 'function') return r(o);
      return r;
    },
  });
  return {
    dir,
    store,
    clock,
    log,
    status,
    device,
    script,
    requests,
    svc,
    ctx,
    async close() {
      await svc.stop('shutdown');
      await svc.idle();
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function xml(body: string, mac?: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><gs_provision version="1">${mac ? `<mac>${mac}</mac>` : ''}<config version="1">${body}</config></gs_provision>`);
}
