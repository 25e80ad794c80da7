/**
 * The voice menu on a whole unit under a FakeClock: the simulated analog phone goes off hook and
 * keys `***` as DTMF audio (detected by the FXS port's DSP), and what it hears on the line is
 * matched against the prompts' own audio; settings change in the unit's store (source ivr), and
 * option 99 with the keyed MAC resets the unit to factory defaults and reboots it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { createHwService, type HwService } from '../../cpe/hw/service';
import { SimulatedPhone } from '../../cpe/hw/sim/simulated-phone';
import { macKeys } from '../../cpe/ivr/mac-keys';
import { renderPrompts } from '../../cpe/media/prompts/prompt-player';
import type { PromptId } from '../../cpe/media/prompts/prompt-text';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { createCallsService, type CallsService } from '../../cpe/voice/calls/calls-service';
import { FakeClock } from '../support/fake-clock';

const FRAME = 160;

/** RMS of each 20 ms frame. */
function envelope(x: Int16Array): Float64Array {
  const out = new Float64Array(Math.floor(x.length / FRAME));
  for (let f = 0; f < out.length; f++) {
    let e = 0;
    for (let i = f * FRAME; i < (f + 1) * FRAME; i++) e += (x[i] as number) ** 2;
    out[f] = Math.sqrt(e / FRAME);
  }
  return out;
}

/** Normalised correlation of b against a at offset `at` (0 when out of range). */
function ncc(a: ArrayLike<number>, b: ArrayLike<number>, at: number): number {
  if (at < 0 || at + b.length > a.length) return 0;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < b.length; i++) {
    const x = a[at + i] as number;
    const y = b[i] as number;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** How well `heard` contains the prompts' audio: the best sample-level correlation (1 = the same waveform, any gain). */
function match(heard: Int16Array, words: readonly PromptId[]): number {
  const want = renderPrompts(words);
  const he = envelope(heard);
  const we = envelope(want);
  let lag = 0;
  let bestEnv = -1;
  for (let f = 0; f + we.length <= he.length; f++) {
    const c = ncc(he, we, f);
    if (c > bestEnv) [bestEnv, lag] = [c, f];
  }
  let best = 0;
  for (let d = -FRAME; d <= FRAME; d++) best = Math.max(best, ncc(heard, want, lag * FRAME + d));
  return best;
}

describe('voice menu on a unit (simulated phone, FakeClock)', function () {
  this.timeout(60_000);
  let dir: string;
  let clock: FakeClock;
  let device: Device;
  let phone: SimulatedPhone;
  let heard: Int16Array[];

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
  };
  /** Runs the unit's clock, letting the phone's queued steps and the device's promises move. */
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 20) {
      clock.advance(20);
      await settle();
    }
  };
  const key = async (digits: string): Promise<void> => {
    const done = phone.dial(digits);
    await run(digits.length * 200 + 100);
    await done;
  };
  /** Audio the phone heard since the last call, joined. */
  const take = (): Int16Array => {
    const out = new Int16Array(heard.length * FRAME);
    heard.forEach((f, i) => out.set(f, i * FRAME));
    heard = [];
    return out;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-ivr-unit-'));
    clock = new FakeClock();
    device = new Device({
      dataDir: dir, mac: '000b8200e395', clock, random: new SeededRandom(3), log: new CapturingLogger(), durability: 'normal',
      services: [
        { name: 'hw', create: createHwService },
        { name: 'sip', create: (ctx) => new SipService(ctx) },
        { name: 'calls', create: createCallsService },
      ],
    });
    await device.boot();
    // no SIP traffic: the account is off; unregistered calls allowed (no "not registered" prompt)
    device.store.applyOrThrow({ P271: '0', P109: '1' }, 'cli');
    phone = new SimulatedPhone({ clock });
    device.service<HwService>('hw')?.plugPhone(phone);
    heard = [];
    phone.audio.onFrame((f) => void heard.push(Int16Array.from(f)));
    await settle();
  });

  afterEach(async () => {
    if (phone.isOffHook) phone.onHook();
    await device.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const line = () => device.service<CallsService>('calls')?.fxs;

  it('*** then 01 and 9: the phone hears the prompts, and P8 changes in the store', async () => {
    phone.offHook();
    await run(1000);
    assert.equal(phone.hearing, 'dial');
    take();
    await key('***');
    assert.equal(line()?.state, 'ivr');
    await run(2500);
    const menu = take();
    assert.ok(match(menu, ['enterMenuOption']) > 0.9, `"Enter a menu option" heard (match ${match(menu, ['enterMenuOption']).toFixed(3)})`);
    assert.ok(match(menu, ['invalidEntry']) < 0.6, 'and not another prompt');
    await key('01');
    await run(1500);
    assert.ok(match(take(), ['dhcpMode']) > 0.9, '"DHCP mode"');
    await key('9');
    await run(1500);
    assert.ok(match(take(), ['staticIpMode']) > 0.9, '"Static IP mode"');
    assert.equal(device.store.get(8), '1');
    assert.equal(device.store.audit(1)[0]?.source, 'ivr');
    await key('#02');
    await run(9000);
    // `0` cut "Enter a menu option" short; then the address in use, said symbol by symbol
    const address = take();
    const said: PromptId[] = ['ipAddress', 'd1', 'd9', 'd2', 'dot', 'd1', 'd6', 'd8', 'dot', 'd0', 'dot', 'd1', 'd6', 'd0'];
    assert.ok(match(address, said) > 0.9, `the static address (match ${match(address, said).toFixed(3)})`);
    assert.ok(match(address, ['ipAddress', 'd1', 'd9', 'd2', 'dot', 'd1', 'd6', 'd8', 'dot', 'd0', 'dot', 'd1', 'd6', 'd1']) < match(address, said), 'another last digit matches less');
    phone.onHook();
    await run(1500); // longer than a hook flash
    assert.equal(line()?.state, 'idle');
    assert.equal(clock.timerCount, 0, 'nothing left running once the phone hangs up');
  });

  it('99 and the keyed MAC: factory defaults and a reboot', async () => {
    device.store.applyOrThrow({ P47: 'sip.example.test' }, 'cli');
    phone.offHook();
    await run(400);
    await key('***');
    await key('99');
    await key(macKeys('000b8200e395'));
    await run(3000);
    assert.equal(device.bootCount(), 2, 'rebooted');
    assert.equal(device.store.get(47), '', 'P47 back to its default');
  });
});
