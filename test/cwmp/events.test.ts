/**
 * Test plan: events raised by boots, reboots, URL changes, value changes, schedules and retries,
 * persisted in the store's service state and carried by the next Inform; retry waits asserted
 * exactly on the FakeClock (TR-069 §3.2.1.1 windows, seeded randomness).
 */
import assert from 'node:assert/strict';
import { ScriptedAcs, type Step } from '../../acs-fixtures/scripted-acs';
import { retryWindowSeconds } from '../../cpe/cwmp/retry';
import type { CwmpMessage, Envelope } from '../../cpe/cwmp/soap/types';
import { FakeClock } from '../support/fake-clock';
import { startUnit, type Unit } from './unit-fixture';
import { waitFor } from './wait';

type Inform = Extract<CwmpMessage, { method: 'Inform' }>;
function inform(env: Envelope | null): Inform {
  assert.equal(env?.body?.method, 'Inform');
  return env!.body as Inform;
}
const codes = (env: Envelope | null): string[] => inform(env).event.map((e) => (e.commandKey ? `${e.code}:${e.commandKey}` : e.code));
const informOk: Step = { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } };
const end: Step = { expect: 'empty', reply: null };

describe('cwmp events, reboots and retries', () => {
  let acs: ScriptedAcs;
  let unit: Unit | undefined;
  let clock: FakeClock;
  beforeEach(async () => {
    acs = new ScriptedAcs();
    await acs.start();
    clock = new FakeClock();
  });
  afterEach(async () => {
    await unit?.stop();
    unit = undefined;
    await acs.stop();
  });

  async function boot(steps: Step[], params: Record<string, string> = {}): Promise<Unit> {
    acs.script(steps);
    unit = await startUnit({ clock, params: { P4503: acs.url, ...params } });
    return unit;
  }
  async function settle(u: Unit): Promise<void> {
    await acs.finished();
    await u.service.idle();
    assert.deepEqual(acs.errors, []);
  }

  it('Reboot: after the session, the unit reboots and informs 1 BOOT + M Reboot with the CommandKey', async () => {
    const u = await boot([
      informOk,
      { expect: 'empty', reply: { method: 'Reboot', commandKey: 'rb-1' } },
      { expect: 'RebootResponse', reply: null },
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT', 'M Reboot:rb-1']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      end,
    ]);
    await settle(u);
    await waitFor(() => u.reboots.length === 1, 'reboot');
    await u.service.idle();
  });

  it('undelivered events survive a reboot (store closed and reopened) and are sent once the ACS answers', async () => {
    const u = await boot([
      { expect: 'Inform', reply: { http: 503, headers: { 'Retry-After': '60' } } },
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['0 BOOTSTRAP', '1 BOOT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      end,
    ]);
    await waitFor(() => u.service.sessions === 1, 'first session');
    assert.equal(clock.nextDelay(), 60_000);
    await u.reboot();
    await settle(u);
    // Delivered: the next boot carries 1 BOOT only.
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    await u.reboot();
    await settle(u);
  });

  it('retry waits follow TR-069 §3.2.1.1 windows and RetryCount rises, then resets after success', async () => {
    const fail: Step = { expect: 'Inform', reply: { http: 500 } };
    const u = await boot([fail]);
    for (let n = 1; n <= 4; n++) {
      await waitFor(() => u.service.sessions === n, `session ${n}`);
      await u.service.idle();
      const [lo, hi] = retryWindowSeconds(n);
      const d = clock.nextDelay()!;
      assert.ok(d >= lo * 1000 && d <= hi * 1000, `retry ${n}: ${d} ms not in [${lo}, ${hi}] s`);
      acs.script(
        n < 4
          ? [{ ...fail, check: (env) => assert.equal(inform(env).retryCount, n) }]
          : [{ expect: 'Inform', check: (env) => assert.equal(inform(env).retryCount, 4), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end],
      );
      clock.advance(d);
    }
    await settle(u);
    assert.equal(u.service.lastResult?.ok, true);
    assert.equal(clock.timerCount, 0, 'an idle unit keeps no timers');
    acs.script([{ expect: 'Inform', check: (env) => assert.equal(inform(env).retryCount, 0), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    u.store.applyOrThrow({ P4503: `${acs.url}?again` }, 'cli');
    await settle(u);
  });

  it('an ACS URL change raises 0 BOOTSTRAP; DHCP option 43 gives the URL when P4503 is empty', async () => {
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['0 BOOTSTRAP', '1 BOOT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    const hex = Buffer.concat([Buffer.from([1, acs.url.length]), Buffer.from(acs.url)]).toString('hex');
    unit = await startUnit({ clock, dhcp43: hex });
    await settle(unit);
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['0 BOOTSTRAP']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    unit.store.applyOrThrow({ P4503: `${acs.url}/new` }, 'cli');
    await settle(unit);
  });

  it('VALUE CHANGE: active notification opens a session (not for changes by the ACS), passive rides the next Inform', async () => {
    const proxy = 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer';
    const name = 'Device.Services.VoiceService.1.VoiceProfile.1.Name';
    const u = await boot([
      informOk,
      {
        expect: 'empty',
        reply: {
          method: 'SetParameterAttributes',
          parameterList: [
            { name: proxy, notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
            { name, notificationChange: true, notification: 1, accessListChange: false, accessList: [] },
          ],
        },
      },
      { expect: 'SetParameterAttributesResponse', reply: { method: 'SetParameterValues', parameterKey: '', parameterList: [{ name: proxy, value: 'by-acs.example', type: 'string' }] } },
      { expect: 'SetParameterValuesResponse', reply: null },
    ]);
    await settle(u);
    assert.equal(u.store.get(47), 'by-acs.example');
    assert.equal(u.service.sessions, 1, 'the ACS change raised nothing');
    // Passive: no session.
    u.store.applyOrThrow({ P3: 'Front desk' }, 'web', { level: 'admin' });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(u.service.sessions, 1);
    // Active: a session carrying both.
    acs.script([
      {
        expect: 'Inform',
        check: (env) => {
          assert.deepEqual(codes(env), ['4 VALUE CHANGE']);
          const l = inform(env).parameterList;
          assert.equal(l.find((p) => p.name === proxy)?.value, 'by-web.example');
          assert.equal(l.find((p) => p.name === name)?.value, 'Front desk');
        },
        reply: { method: 'InformResponse', maxEnvelopes: 1 },
      },
      end,
    ]);
    u.store.applyOrThrow({ P47: 'by-web.example' }, 'web', { level: 'admin' });
    await settle(u);
    // Attributes persist across a reboot.
    acs.script([informOk, { expect: 'empty', reply: { method: 'GetParameterAttributes', parameterNames: [proxy] } }, {
      expect: 'GetParameterAttributesResponse',
      check: (env) => assert.equal((env!.body as Extract<CwmpMessage, { method: 'GetParameterAttributesResponse' }>).parameterList[0]?.notification, 2),
      reply: null,
    }]);
    await u.reboot();
    await settle(u);
  });

  it('PERIODIC honours PeriodicInformTime as the phase; ScheduleInform raises 3 SCHEDULED + M ScheduleInform', async () => {
    const t0 = clock.now();
    const phase = new Date(t0 - 25_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const u = await boot([informOk, { expect: 'empty', reply: { method: 'ScheduleInform', delaySeconds: 90, commandKey: 'si-1' } }, { expect: 'ScheduleInformResponse', reply: null }], {
      P4506: '1',
      P4507: '60',
      P4508: phase,
    });
    await settle(u);
    // Phase t0-25 s, interval 60 s: first PERIODIC at t0+35 s.
    assert.equal(clock.nextDelay(), 35_000);
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['2 PERIODIC']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    clock.advance(35_000);
    await settle(u);
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['3 SCHEDULED', 'M ScheduleInform:si-1']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    clock.advance(55_000);
    await settle(u);
    assert.equal(clock.nextDelay(), 5_000, 'next PERIODIC at t0+95 s');
  });

  it('FactoryReset: after the session, a full reset through the device, then BOOTSTRAP again', async () => {
    const u = await boot([
      informOk,
      { expect: 'empty', reply: { method: 'FactoryReset' } },
      { expect: 'FactoryResetResponse', reply: null },
    ], { P47: 'keep-me-not.example' });
    await settle(u);
    await waitFor(() => u.resets.length === 1, 'factory reset');
    assert.equal(u.store.get(47), '');
    assert.equal(u.store.get(4503), '', 'the ACS URL is reset too: no session after a full reset');
  });

  it('FactoryReset refused with 9001 when P88 locks resets', async () => {
    const u = await boot([informOk, { expect: 'empty', reply: { method: 'FactoryReset' } }, { expect: 'Fault', check: (env) => assert.equal((env!.body as { faultCode: number }).faultCode, 9001), reply: null }], {
      P88: '1',
    });
    await settle(u);
    assert.equal(u.resets.length, 0);
  });

  it('session timeout: an ACS that stops answering fails the session after SessionTimeout (its header, else 30 s)', async () => {
    const u = await boot([
      { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 }, sessionTimeout: 5 },
      { expect: 'empty', reply: 'hang' },
    ]);
    await acs.finished();
    assert.equal(clock.nextDelay(), 5_000, 'the ACS SessionTimeout header sets the limit');
    clock.advance(5_000);
    await waitFor(() => u.service.sessions === 1, 'timed-out session');
    assert.equal(u.service.lastResult?.ok, false);
    assert.match((u.service.lastResult as { reason: string }).reason, /within 5000 ms/);
    const [lo, hi] = retryWindowSeconds(1);
    const d = clock.nextDelay()!;
    assert.ok(d >= lo * 1000 && d <= hi * 1000);
  });

  it('HoldRequests: the unit keeps its TransferComplete for later and goes straight to the empty POST', async () => {
    // A transfer result waiting from an earlier session.
    const u = await boot([informOk, end]);
    await settle(u);
    u.store.serviceState('cwmp').set('transferResults', JSON.stringify([{ commandKey: 'held', faultCode: 0, faultString: '', startTime: 'x', completeTime: 'y' }]));
    acs.script([
      { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 }, holdRequests: true },
      { expect: 'empty', reply: null },
    ]);
    await u.reboot();
    await settle(u);
    assert.equal(u.store.serviceState('cwmp').getJson<unknown[]>('transferResults')?.length, 1, 'still queued for the next session');
  });

  it('14 HEARTBEAT per HeartbeatPolicy set by the ACS (kept in the model state, read back by GetParameterValues)', async () => {
    const hp = 'Device.ManagementServer.HeartbeatPolicy.';
    const u = await boot([
      informOk,
      {
        expect: 'empty',
        reply: {
          method: 'SetParameterValues',
          parameterKey: 'hb',
          parameterList: [
            { name: `${hp}Enable`, value: 'true', type: 'boolean' },
            { name: `${hp}ReportingInterval`, value: '120', type: 'unsignedInt' },
          ],
        },
      },
      { expect: 'SetParameterValuesResponse', reply: { method: 'SetParameterValues', parameterKey: 'hb2', parameterList: [{ name: `${hp}ReportingInterval`, value: '10', type: 'unsignedInt' }] } },
      { expect: 'Fault', check: (env) => assert.equal((env!.body as unknown as { setParameterValuesFault: { code: number }[] }).setParameterValuesFault[0]?.code, 9007), reply: null },
    ]);
    await settle(u);
    assert.equal(u.store.get(4509), 'hb');
    assert.equal(clock.nextDelay(), 120_000);
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['14 HEARTBEAT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    clock.advance(120_000);
    await settle(u);
    assert.equal(clock.nextDelay(), 120_000);
  });

  it('active notifications are rate limited: a second change within 5 s waits for the throttle', async () => {
    const proxy = 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer';
    const u = await boot([
      informOk,
      { expect: 'empty', reply: { method: 'SetParameterAttributes', parameterList: [{ name: proxy, notificationChange: true, notification: 2, accessListChange: false, accessList: [] }] } },
      { expect: 'SetParameterAttributesResponse', reply: null },
    ]);
    await settle(u);
    const vc: Step = { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['4 VALUE CHANGE']), reply: { method: 'InformResponse', maxEnvelopes: 1 } };
    acs.script([vc, end]);
    u.store.applyOrThrow({ P47: 'a.example' }, 'cli');
    await settle(u);
    assert.equal(u.service.sessions, 2);
    clock.advance(1_000);
    u.store.applyOrThrow({ P47: 'b.example' }, 'cli');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(u.service.sessions, 2, 'throttled');
    assert.equal(clock.nextDelay(), 4_000);
    acs.script([{ ...vc, check: (env) => assert.equal(inform(env).parameterList.find((p) => p.name === proxy)?.value, 'b.example') }, end]);
    clock.advance(4_000);
    await settle(u);
    assert.equal(u.service.sessions, 3);
  });
});
