import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildHt813Model, storeReader, type DataModel, type TreeContext } from '../../cpe/datamodel';
import { ParamStore } from '../../cpe/params/store';
import { silentLogger } from '../../cpe/shared/logger';
import type { DeviceIdentity } from '../../cpe/service';
import { FakeClock } from '../support/fake-clock';

export const IDENTITY: DeviceIdentity = {
  mac: '000b82123456',
  lanMac: '000b82123457',
  serialNumber: '2026000B82123456',
  model: 'HT813',
  hardwareVersion: 'V1.0A',
  firmwareVersion: '1.0.7.1',
  manufacturer: 'Grandstream',
  oui: '000B82',
};

export interface Fixture {
  dir: string;
  store: ParamStore;
  clock: FakeClock;
  status: Map<string, unknown>;
  dm: DataModel;
  ctx: TreeContext;
  reopen(): void;
  close(): void;
}

/** A unit's store in a temporary folder and the HT813 tree over it. */
export function openFixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-dm-'));
  const clock = new FakeClock();
  const status = new Map<string, unknown>();
  const bootTime = clock.now();
  const ctx: TreeContext = {
    identity: IDENTITY,
    now: () => clock.now(),
    bootTime: () => bootTime,
    address: '127.0.0.1',
    acsUrl: () => f.store.get(4503),
    connectionRequestUrl: () => 'http://127.0.0.1:7547/',
    udpConnectionRequestAddress: () => '',
    kickUrl: () => 'http://127.0.0.1:8080/kick',
    status: { get: (k) => status.get(k) },
  };
  const build = (): void => {
    f.store = ParamStore.open(dir, { clock, log: silentLogger, durability: 'normal' });
    f.dm = buildHt813Model(storeReader(f.store), f.store.serviceState('datamodel'), ctx);
  };
  const f = {
    dir,
    clock,
    status,
    ctx,
    reopen: () => {
      f.store.close();
      build();
    },
    close: () => {
      f.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  } as Fixture;
  build();
  return f;
}
