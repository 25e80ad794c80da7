/**
 * Test plan: the `ht813 phone` interpreter on the hw service with a FakeClock: commands act on the
 * simulated phone and PSTN line, and the output reports what the phone hears and displays.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeClock } from '../support/fake-clock';
import { silentLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { ParamStore } from '../../cpe/params/store';
import { StatusBoard } from '../../cpe/status';
import type { ServiceContext } from '../../cpe/service';
import { HwService } from '../../cpe/hw/service';
import { PhoneConsole, formatCallerId } from '../../cpe/hw/cli/phone-console';

describe('hw/phone console (ht813 phone)', () => {
  it('drives the phone and reports ringing, caller ID, digits and the PSTN line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-'));
    const clock = new FakeClock(Date.UTC(2026, 10, 24, 15, 30));
    const store = ParamStore.open(dir, { clock, log: silentLogger, durability: 'normal' });
    const ctx = { store, clock, random: new SeededRandom(1), log: silentLogger, status: new StatusBoard(), services: { get: () => undefined } } as unknown as ServiceContext;
    const hw = new HwService(ctx);
    await hw.start();
    const lines: string[] = [];
    const c = new PhoneConsole(hw, clock, (l) => lines.push(l));
    await c.handle('ring 6265551234 Alice B');
    clock.advance(6500);
    assert.ok(lines.includes('phone: RING (1)'));
    assert.ok(lines.includes('phone display: 6265551234 "Alice B" 11/24 15:30'), lines.join('\n'));
    await c.handle('off');
    assert.ok(lines.includes('unit: FXS ringStopped'));
    const d = c.handle('dial 4#');
    clock.advance(500);
    await d;
    assert.ok(lines.includes('unit: FXS digit 4 (dtmf)') && lines.includes('unit: FXS digit # (dtmf)'));
    await c.handle('on');
    clock.advance(1200);
    await c.handle('pstn call 6175550100 PSTN');
    clock.advance(6500);
    assert.ok(lines.includes('unit: FXO caller ID 6175550100 "PSTN" 11/24 15:30'), lines.join('\n'));
    lines.length = 0;
    await c.handle('status');
    assert.match(lines.join('\n'), /FXO ringing/);
    await c.handle('bogus');
    assert.match(lines.at(-1) ?? '', /unknown command bogus/);
    assert.equal(await c.handle('quit'), false);
    c.close();
    await hw.stop('shutdown');
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('formats absent caller IDs', () => {
    assert.equal(formatCallerId({ numberAbsent: 'P', nameAbsent: 'P' }), 'Private "Private"');
    assert.equal(formatCallerId(undefined), '(none)');
  });
});
