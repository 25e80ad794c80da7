/**
 * Test plan: the 'hw' service on a real store with a FakeClock.
 *  - status keys and LED patterns (table 4) from registration, hook, MWI, FXO state, power;
 *  - store change events reconfigure the ports without restart (hook timing, ring cadence, scheme, P891);
 *  - lifeline relay: Auto follows registration failure (waiting for an idle line), always
 *    connected / disconnected, power failure; the phone reaches the PSTN line through it;
 *  - an idle unit keeps no timer.
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
import { SimulatedPhone } from '../../cpe/hw/sim/simulated-phone';
import { CentralOffice } from '../../cpe/hw/sim/central-office';
import type { FxsEvent } from '../../cpe/hw/types';

type Loose = { provide(key: string, get: () => unknown): void };

async function unit() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
  const clock = new FakeClock();
  const store = ParamStore.open(dir, { clock, log: silentLogger, durability: 'normal' });
  const status = new StatusBoard();
  let accounts: { account: number; state: string }[] = [
    { account: 1, state: 'registered' },
    { account: 2, state: 'registered' },
  ];
  (status as unknown as Loose).provide('sip.accounts', () => accounts);
  const ctx = {
    identity: { mac: '000b82000001', lanMac: '000b82000002', serialNumber: 'x', model: 'HT813', hardwareVersion: '1', firmwareVersion: '1', manufacturer: 'Grandstream', oui: '000B82' },
    store,
    clock,
    random: new SeededRandom(1),
    log: silentLogger,
    dataDir: dir,
    network: { address: '127.0.0.1', dhcpOptions: new Map() },
    ports: {},
    device: { reboot: async () => {}, factoryReset: async () => {}, bootTime: () => 0, bootCount: () => 1 },
    status,
    services: { get: () => undefined },
  } as unknown as ServiceContext;
  const hw = new HwService(ctx);
  await hw.start();
  const phone = new SimulatedPhone({ clock });
  const co = new CentralOffice({ clock, numberLength: 3 });
  hw.plugPhone(phone);
  hw.plugLine(co);
  const events: FxsEvent[] = [];
  hw.fxs.on((e) => events.push(e));
  const setAccount = (profile: number, state: string) => {
    accounts = accounts.map((a) => (a.account === profile ? { ...a, state } : a));
    hw.registrationChanged();
  };
  const done = async () => {
    await hw.stop('shutdown');
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { clock, store, status, hw, phone, co, events, setAccount, done };
}

describe('hw/service', () => {
  it('provides the LED panel and port states on the StatusBoard (table 4)', async () => {
    const u = await unit();
    assert.deepEqual(u.status.get('hw.leds'), { power: 'on', wan: 'on', lan: 'off', fxs: 'on', fxo: 'on' });
    assert.equal(u.status.get('hw.fxs.hook'), 'onHook');
    u.phone.offHook();
    assert.equal(u.status.get('hw.leds')?.fxs, 'fastBlink', 'off-hook: blinking every 500 ms');
    u.phone.onHook();
    u.clock.advance(1200);
    u.hw.fxs.setMessageWaiting(true);
    assert.equal(u.status.get('hw.leds')?.fxs, 'slowBlink', 'voicemail waiting');
    u.setAccount(1, 'failed');
    assert.equal(u.status.get('hw.leds')?.fxs, 'off', 'unregistered');
    u.hw.fxo.seize();
    assert.equal(u.status.get('hw.leds')?.fxo, 'fastBlink');
    assert.equal(u.status.get('hw.fxo.state'), 'seized');
    u.hw.fxo.release();
    u.hw.powerFail();
    assert.deepEqual(u.status.get('hw.leds'), { power: 'off', wan: 'off', lan: 'off', fxs: 'off', fxo: 'off' });
    await u.done();
  });

  it('applies new hook-flash timing and ring cadence from a store change, without restart', async () => {
    const u = await unit();
    u.store.apply({ P251: '100', P252: '200', P833: '300', P4040: 'c=1000/1000;' }, 'cli');
    u.phone.offHook();
    const f = u.phone.flash(150);
    u.clock.advance(200);
    await f;
    u.phone.onHook();
    u.clock.advance(300);
    assert.deepEqual(u.events.map((e) => e.type), ['offHook', 'flash', 'onHook']);
    const on: number[] = [];
    const t0 = u.clock.now();
    const orig = u.phone.ringVoltage.bind(u.phone);
    u.phone.ringVoltage = (x: boolean) => {
      if (x) on.push(u.clock.now() - t0);
      orig(x);
    };
    u.hw.fxs.ring();
    u.clock.advance(4100);
    assert.deepEqual(on, [0, 2000, 4000]);
    u.hw.fxs.stopRing();
    await u.done();
  });

  it('caller-ID scheme change (P853) takes effect on the next ring', async () => {
    const u = await unit();
    u.store.apply({ P853: '6' }, 'cli');
    u.hw.fxs.ring({ callerId: { number: '4433221100' } });
    u.clock.advance(3000);
    assert.deepEqual(u.phone.callerId, { number: '4433221100' });
    u.hw.fxs.stopRing();
    await u.done();
  });

  it('lifeline Auto: engaged when the FXS registration fails, once the phone hangs up; released when it recovers', async () => {
    const u = await unit();
    assert.equal(u.hw.lifeline.engaged, false);
    u.phone.offHook();
    u.setAccount(1, 'failed');
    assert.equal(u.hw.lifeline.engaged, false, 'a call in progress is not cut');
    u.phone.onHook();
    u.clock.advance(1200);
    assert.equal(u.hw.lifeline.engaged, true);
    assert.deepEqual(u.status.get('hw.lifeline'), { engaged: true, mode: 'auto', reason: 'registration' });
    assert.ok(u.events.some((e) => e.type === 'lifeline' && e.engaged));
    // The phone now talks to the PSTN line directly.
    u.phone.offHook();
    u.clock.advance(600);
    assert.equal(u.co.state, 'dialTone');
    assert.equal(u.phone.hearing, 'dial');
    const d = u.phone.dial('911');
    u.clock.advance(800);
    await d;
    assert.deepEqual(u.co.dialed, ['911']);
    assert.equal(u.phone.hearing, 'ringback');
    u.phone.onHook();
    u.clock.advance(1200);
    assert.equal(u.co.state, 'idle');
    u.setAccount(1, 'registered');
    assert.equal(u.hw.lifeline.engaged, false);
    u.phone.offHook();
    assert.equal(u.hw.fxs.hook, 'offHook', 'the phone is back on the FXS port');
    await u.done();
  });

  it('lifeline: a new call re-reads the registration when nobody said it recovered', async () => {
    const u = await unit();
    u.setAccount(1, 'failed');
    assert.equal(u.hw.lifeline.engaged, true);
    // The account recovers but the SIP service does not call registrationChanged().
    (u.status as unknown as Loose).provide('sip.accounts', () => [{ account: 1, state: 'registered' }]);
    u.phone.offHook();
    assert.equal(u.hw.lifeline.engaged, false);
    assert.equal(u.hw.fxs.hook, 'offHook');
    assert.equal(u.co.state, 'idle', 'the PSTN line never saw the off-hook');
    await u.done();
  });

  it('lifeline Auto: a failure nobody reported is found when the phone goes off-hook', async () => {
    const u = await unit();
    (u.status as unknown as Loose).provide('sip.accounts', () => [{ account: 1, state: 'failed' }]);
    u.phone.offHook();
    assert.equal(u.hw.lifeline.engaged, true);
    assert.equal(u.hw.fxs.hook, 'onHook', 'the FXS port never saw the off-hook');
    u.clock.advance(600);
    assert.equal(u.co.state, 'dialTone');
    assert.equal(u.phone.hearing, 'dial');
    await u.done();
  });

  it('lifeline modes from P891: always connected, always disconnected', async () => {
    const u = await unit();
    u.store.apply({ P891: '2' }, 'cli');
    assert.equal(u.hw.lifeline.engaged, true);
    u.co.call({ number: '6175550100' });
    u.clock.advance(7000);
    assert.equal(u.phone.rings, 2, 'PSTN rings reach the phone');
    assert.equal(u.phone.callerId?.number, '6175550100');
    assert.equal(u.hw.fxo.state, 'idle', 'the FXO port is cut off');
    u.co.callerAbandons();
    u.store.apply({ P891: '1' }, 'cli');
    assert.equal(u.hw.lifeline.engaged, false);
    u.setAccount(1, 'failed');
    assert.equal(u.hw.lifeline.engaged, false, 'always disconnected ignores registration');
    await u.done();
  });

  it('lifeline: power failure engages at once whatever P891 says, restore releases', async () => {
    const u = await unit();
    u.store.apply({ P891: '1' }, 'cli');
    u.hw.powerFail();
    assert.equal(u.hw.lifeline.engaged, true);
    assert.equal(u.hw.lifeline.reason, 'power');
    u.hw.powerRestore();
    assert.equal(u.hw.lifeline.engaged, false);
    await u.done();
  });

  it('FXO disconnect-tone detection follows a store change of P712', async () => {
    const u = await unit();
    u.co.behaviour('555', 'answer');
    const call = async () => {
      u.hw.fxo.seize();
      u.clock.advance(600);
      const d = u.hw.fxo.dial('555');
      u.clock.advance(700);
      await d;
      u.clock.advance(3100);
      u.hw.fxo.setConnected();
      u.co.farEndHangUp();
      u.clock.advance(1500);
    };
    u.store.apply({ P893: '0' }, 'cli');
    await call();
    assert.equal(u.hw.fxo.state, 'connected', 'P712 off: the tone is ignored');
    u.hw.fxo.release();
    u.clock.advance(1200);
    u.store.apply({ P712: '1' }, 'cli');
    await call();
    assert.equal(u.hw.fxo.state, 'disconnected');
    await u.done();
  });

  it('an idle unit keeps no timer', async () => {
    const u = await unit();
    u.phone.offHook();
    u.clock.advance(100);
    u.phone.onHook();
    u.clock.advance(2000);
    assert.equal(u.clock.timerCount, 0);
    await u.done();
  });
});
