/*
 * Test plan: whole units with every default service (hw, sip, calls, provision, cwmp, web, mgmt).
 * Two units boot in one process on their own loopback addresses with the same ports, every
 * service starts, an idle unit keeps no timer armed, a setting changed on one unit does not
 * reach the other, and both shut down leaving no timer behind.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Fleet } from '../../cpe/fleet';
import { ParamStore } from '../../cpe/params/store';
import { CapturingLogger, silentLogger } from '../../cpe/shared/logger';
import { FakeClock } from '../support/fake-clock';
import { freePort } from '../support/ports';
import type { PnpService } from '../../cpe/provision/pnp/pnp-service';

describe('whole unit with every service', function () {
  this.timeout(60_000);

  it('two units in one process: all services up, idle without timers, independent settings', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-unit-'));
    const clock = new FakeClock();
    const log = new CapturingLogger();
    const macBase = '000b82300000';
    // Keep provisioning on loopback (nothing listens on the discard port), so the test needs no DNS.
    for (const mac of ['000b82300000', '000b82300001']) {
      const s = ParamStore.open(path.join(root, mac), { clock, log: silentLogger });
      s.applyOrThrow({ P212: '1', P237: '127.0.0.1:9/prov', P192: '127.0.0.1:9/fw' }, 'cli');
      s.close();
    }
    const fleet = new Fleet({
      root,
      count: 2,
      macBase,
      addressBase: '127.1.0.1',
      unit: { clock, log, ports: { web: await freePort(), https: await freePort(), offset: 20000 }, durability: 'normal' },
    });
    try {
      await fleet.boot();
      const failed = log.records.filter((r) => r.level === 'error');
      assert.deepEqual(failed, [], 'no service failed');
      for (const u of fleet.units) {
        assert.deepEqual(
          ['syslog', 'hw', 'sip', 'calls', 'provision', 'pnp', 'maintenance', 'snmp', 'cwmp', 'web', 'mgmt'].filter((n) => !u.service(n)),
          [],
          `${u.identity.mac}: every service running`,
        );
      }
      // Let the boot-time provisioning attempt fail on the closed port.
      await new Promise((r) => setTimeout(r, 300));
      // P1414 (default on): the PnP SUBSCRIBE to the multicast group is retransmitted until Timer F
      // (nobody answers on this machine), then its port closes
      assert.ok(clock.timerCount > 0, 'the PnP SUBSCRIBE is in flight');
      clock.advance(32_000);
      await new Promise((r) => setImmediate(r));
      for (const u of fleet.units) assert.equal(u.service<PnpService>('pnp')?.status.state, 'no-answer');
      assert.equal(clock.timerCount, 0, 'an idle unit arms no timer');
      fleet.units[0]!.store.apply({ P3: 'Only Unit Zero' }, 'cli');
      assert.equal(fleet.units[1]!.store.get(3), '');
    } finally {
      await fleet.shutdown();
      fs.rmSync(root, { recursive: true, force: true });
    }
    assert.equal(clock.timerCount, 0, 'nothing left armed after shutdown');
  });
});
