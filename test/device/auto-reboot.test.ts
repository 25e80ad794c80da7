/**
 * Automatic reboot (P21929–P21931, P28118): the schedule as a pure function (daily, weekly,
 * monthly with short months, a zone with daylight saving), and the service on a Device under a
 * FakeClock: it reboots at the hour, waits while the unit is in use, re-arms at once on a change
 * and arms nothing when off.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { AutoRebootService, BUSY_RECHECK_MS } from '../../cpe/maintenance/auto-reboot-service';
import { nextRebootTime, rebootSettings } from '../../cpe/maintenance/reboot-schedule';
import type { Service, ServiceContext } from '../../cpe/service';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { FakeClock } from '../support/fake-clock';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function settings(p: Record<number, string>): ReturnType<typeof rebootSettings> {
  const defaults: Record<number, string> = { 21929: '0', 21930: '1', 21931: '1', 28118: '1', 64: 'TZN+0', 246: '' };
  return rebootSettings((id) => p[id] ?? defaults[id] ?? '');
}

describe('automatic reboot schedule (P21929)', () => {
  // Thursday 2026-01-01 00:00 UTC
  const NEW_YEAR = Date.UTC(2026, 0, 1, 0, 0);

  it('off: no reboot', () => {
    assert.equal(nextRebootTime(NEW_YEAR, settings({})), undefined);
  });

  it('daily at the hour: today while it is ahead, else tomorrow', () => {
    const s = settings({ 21929: '1', 21930: '3' });
    assert.equal(iso(nextRebootTime(NEW_YEAR, s)), '2026-01-01T03:00:00.000Z');
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 0, 1, 3, 0), s)), '2026-01-02T03:00:00.000Z', 'not again at the same instant');
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 0, 1, 23, 59), s)), '2026-01-02T03:00:00.000Z');
  });

  it('weekly on the day (0 = Sunday)', () => {
    assert.equal(iso(nextRebootTime(NEW_YEAR, settings({ 21929: '2', 21930: '2', 21931: '0' }))), '2026-01-04T02:00:00.000Z');
    assert.equal(iso(nextRebootTime(NEW_YEAR, settings({ 21929: '2', 21930: '2', 21931: '4' }))), '2026-01-01T02:00:00.000Z', 'a Thursday');
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 0, 1, 5), settings({ 21929: '2', 21930: '2', 21931: '4' }))), '2026-01-08T02:00:00.000Z');
  });

  it('monthly on the day, 0-based; a day the month lacks is its last day', () => {
    assert.equal(iso(nextRebootTime(NEW_YEAR, settings({ 21929: '3', 21930: '4', 28118: '0' }))), '2026-01-01T04:00:00.000Z');
    assert.equal(iso(nextRebootTime(NEW_YEAR, settings({ 21929: '3', 21930: '4', 28118: '14' }))), '2026-01-15T04:00:00.000Z');
    const last = settings({ 21929: '3', 21930: '4', 28118: '30' });
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 0, 31, 5), last)), '2026-02-28T04:00:00.000Z', 'February has no 31st');
    assert.equal(iso(nextRebootTime(Date.UTC(2028, 1, 1), last)), '2028-02-29T04:00:00.000Z', 'leap year');
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 1, 28, 5), last)), '2026-03-31T04:00:00.000Z');
  });

  it('on the local wall clock of P64, across daylight saving', () => {
    // US Eastern: 01:00 local is 06:00Z in winter, 05:00Z in summer
    const s = settings({ 21929: '1', 21930: '1', 64: 'EST5EDT,M3.2.0,M11.1.0' });
    assert.equal(iso(nextRebootTime(NEW_YEAR, s)), '2026-01-01T06:00:00.000Z');
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 6, 1, 12), s)), '2026-07-02T05:00:00.000Z');
    // P64 = customize: the self-defined zone P246
    const custom = settings({ 21929: '1', 21930: '1', 64: 'customize', 246: 'CET-1CEST,M3.5.0,M10.5.0/3' });
    // 01:00 CET is 00:00Z: at the new year's first instant that hour has just come, so the next day's
    assert.equal(iso(nextRebootTime(NEW_YEAR, custom)), '2026-01-02T00:00:00.000Z');
    assert.equal(iso(nextRebootTime(Date.UTC(2026, 6, 1, 12), custom)), '2026-07-01T23:00:00.000Z', '01:00 CEST');
  });
});

describe('automatic reboot service', () => {
  let dir: string;
  let clock: FakeClock;
  let device: Device;
  let hook: string;
  let fxo: string;

  /** Stands in for the line hardware's status keys (the service reads only them). */
  class FakeHw implements Service {
    readonly name = 'hw';
    constructor(private readonly ctx: ServiceContext) {}
    async start(): Promise<void> {
      this.ctx.status.provide('hw.fxs.hook', () => hook as 'onHook');
      this.ctx.status.provide('hw.fxo.state', () => fxo as 'idle');
    }
    async stop(): Promise<void> {}
  }

  async function boot(params: Record<string, string>): Promise<void> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-reboot-'));
    clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0));
    hook = 'onHook';
    fxo = 'idle';
    device = new Device({
      dataDir: dir, mac: '000b82000077', clock, random: new SeededRandom(7), log: new CapturingLogger(),
      services: [{ name: 'hw', create: (ctx) => new FakeHw(ctx) }, { name: 'maintenance', create: (ctx) => new AutoRebootService(ctx) }],
    });
    await device.boot();
    // the unit's clock on UTC (the default P246 zone is UTC-6)
    device.store.applyOrThrow({ P64: 'TZN+0', ...params }, 'cli');
  }

  /** Lets the in-process reboot (async) finish. */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };

  afterEach(async () => {
    await device.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('off (the default): no timer; on: one, re-armed at once when the hour changes', async () => {
    await boot({});
    assert.equal(clock.timerCount, 0, 'an idle unit arms no timer');
    assert.equal(device.status.get('maintenance.nextReboot'), undefined);
    device.store.applyOrThrow({ P21929: '1', P21930: '3' }, 'cli');
    assert.equal(iso(device.status.get('maintenance.nextReboot')), '2026-01-01T03:00:00.000Z');
    assert.equal(clock.timerCount, 1);
    device.store.applyOrThrow({ P21930: '5' }, 'cli');
    assert.equal(iso(device.status.get('maintenance.nextReboot')), '2026-01-01T05:00:00.000Z');
    assert.equal(clock.timerCount, 1, 'the old timer is gone');
    device.store.applyOrThrow({ P21929: '0' }, 'cli');
    assert.equal(clock.timerCount, 0);
  });

  it('reboots at the hour, and then arms the next day', async () => {
    await boot({ P21929: '1', P21930: '2' });
    assert.equal(device.bootCount(), 1);
    clock.advance(2 * 3_600_000 - 1);
    await settle();
    assert.equal(device.bootCount(), 1, 'not a moment early');
    clock.advance(1);
    await settle();
    assert.equal(device.bootCount(), 2);
    assert.equal(device.state, 'up');
    assert.equal(iso(device.status.get('maintenance.nextReboot')), '2026-01-02T02:00:00.000Z');
  });

  it('waits while the phone is off hook or the line is in use, then reboots', async () => {
    await boot({ P21929: '1', P21930: '1' });
    hook = 'offHook';
    clock.advance(3_600_000);
    await settle();
    assert.equal(device.bootCount(), 1, 'a call in progress is not cut off');
    hook = 'onHook';
    fxo = 'connected';
    clock.advance(BUSY_RECHECK_MS);
    await settle();
    assert.equal(device.bootCount(), 1, 'nor a PSTN call');
    fxo = 'idle';
    clock.advance(BUSY_RECHECK_MS);
    await settle();
    assert.equal(device.bootCount(), 2);
  });
});
