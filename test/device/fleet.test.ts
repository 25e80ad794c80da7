import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Fleet, nthAddress, nthMac } from '../../cpe/fleet';
import { silentLogger } from '../../cpe/shared/logger';
import { FakeClock } from '../support/fake-clock';

describe('fleet', () => {
  it('numbers MACs and addresses', () => {
    assert.equal(nthMac('000b82100000', 0), '000b82100000');
    assert.equal(nthMac('00:0B:82:10:00:FF', 1), '000b82100100');
    assert.equal(nthAddress('127.1.0.1', 0), '127.1.0.1');
    assert.equal(nthAddress('127.1.0.255', 2), '127.1.1.1');
    assert.throws(() => nthAddress('127.255.255.255', 1), /overflows/);
    assert.throws(() => nthMac('000b82ffffff', 1), /overflows/);
  });

  it('runs many units in one process, each with its own folder, MAC and address, and no timers when idle', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-fleet-'));
    const clock = new FakeClock();
    const fleet = new Fleet({
      root,
      count: 25,
      macBase: '000b82200000',
      addressBase: '127.1.0.1',
      unit: { clock, log: silentLogger, services: [], durability: 'normal' },
    });
    try {
      await fleet.boot();
      assert.equal(new Set(fleet.units.map((u) => u.identity.mac)).size, 25);
      assert.equal(new Set(fleet.units.map((u) => u.network.address)).size, 25);
      fleet.units[3]!.store.apply({ P47: 'only.three' }, 'cli');
      assert.equal(fleet.units[4]!.store.get(47), '');
      assert.equal(fleet.units[3]!.store.get(47), 'only.three');
      assert.equal(clock.timerCount, 0);
    } finally {
      await fleet.shutdown();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
