/**
 * Test plan: a unit boots with an ACS URL and opens a session to a scripted ACS; the ACS plays
 * every CPE RPC and its fault paths; the test checks what the unit answered and what the store
 * holds afterwards. Timers run on a FakeClock; HTTP is real on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { normalise, ScriptedAcs, type Step } from '../../acs-fixtures/scripted-acs';
import type { CwmpMessage, Envelope } from '../../cpe/cwmp/soap/types';
import { FakeClock } from '../support/fake-clock';
import { startUnit, type Unit } from './unit-fixture';

type Body<M extends CwmpMessage['method']> = Extract<CwmpMessage, { method: M }>;
function body<M extends CwmpMessage['method']>(env: Envelope | null, m: M): Body<M> {
  assert.ok(env?.body, 'no body');
  assert.equal(env.body.method, m);
  return env.body as Body<M>;
}

const informOk: Step = { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } };

describe('cwmp session: RPCs against a scripted ACS', () => {
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

  async function run(steps: Step[], params: Record<string, string> = {}): Promise<Unit> {
    acs.script(steps);
    unit = await startUnit({ clock, params: { P4503: acs.url, ...params } });
    await acs.finished();
    await unit.service.idle();
    assert.deepEqual(acs.errors, []);
    return unit;
  }

  it('first boot: Inform with 0 BOOTSTRAP and 1 BOOT, DeviceId, MaxEnvelopes 1, the Inform parameters; 204 ends', async () => {
    const u = await run([
      {
        expect: 'Inform',
        check: (env) => {
          const i = body(env, 'Inform');
          assert.deepEqual(i.event.map((e) => e.code), ['0 BOOTSTRAP', '1 BOOT']);
          assert.deepEqual(i.deviceId, { manufacturer: 'Grandstream', oui: '000B82', productClass: 'HT813', serialNumber: '2026000B82123456' });
          assert.equal(i.maxEnvelopes, 1);
          assert.equal(i.retryCount, 0);
          const names = i.parameterList.map((p) => p.name);
          assert.ok(names.includes('Device.DeviceInfo.SoftwareVersion'));
          assert.ok(names.includes('Device.ManagementServer.ConnectionRequestURL'));
          assert.match(i.parameterList.find((p) => p.name === 'Device.ManagementServer.ConnectionRequestURL')!.value, /^http:\/\/127\.0\.0\.1:\d+\/$/);
        },
        reply: { method: 'InformResponse', maxEnvelopes: 1 },
      },
      { expect: 'empty', reply: null },
    ]);
    assert.equal(u.service.lastResult?.ok, true);
  });

  it('GetRPCMethods, GetParameterValues (full and partial), GetParameterNames', async () => {
    await run([
      informOk,
      { expect: 'empty', reply: { method: 'GetRPCMethods' } },
      {
        expect: 'GetRPCMethodsResponse',
        check: (env) => {
          const m = body(env, 'GetRPCMethodsResponse').methodList;
          for (const x of ['GetRPCMethods', 'SetParameterValues', 'GetParameterValues', 'GetParameterNames', 'SetParameterAttributes', 'GetParameterAttributes', 'AddObject', 'DeleteObject', 'Reboot', 'Download']) {
            assert.ok(m.includes(x), x);
          }
        },
        reply: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.Manufacturer', 'Device.ManagementServer.'] },
      },
      {
        expect: 'GetParameterValuesResponse',
        check: (env) => {
          const l = body(env, 'GetParameterValuesResponse').parameterList;
          assert.deepEqual(l[0], { name: 'Device.DeviceInfo.Manufacturer', value: 'Grandstream', type: 'string' });
          assert.ok(l.some((p) => p.name === 'Device.ManagementServer.PeriodicInformInterval' && p.value === '300' && p.type === 'unsignedInt'));
          assert.equal(l.find((p) => p.name === 'Device.ManagementServer.Password')?.value, '');
        },
        reply: { method: 'GetParameterNames', parameterPath: 'Device.Services.VoiceService.1.VoiceProfile.', nextLevel: true },
      },
      {
        expect: 'GetParameterNamesResponse',
        check: (env) => {
          assert.deepEqual(body(env, 'GetParameterNamesResponse').parameterList.map((p) => p.name), [
            'Device.Services.VoiceService.1.VoiceProfile.1.',
            'Device.Services.VoiceService.1.VoiceProfile.2.',
          ]);
        },
        reply: { method: 'GetParameterValues', parameterNames: ['Device.No.Such'] },
      },
      {
        expect: 'Fault',
        check: (env) => assert.equal(body(env, 'Fault').faultCode, 9005),
        reply: null,
      },
    ], { P4505: 'acs-secret' });
  });

  it('SetParameterValues: one batch with source cwmp, ParameterKey P4509 set, Status 1 when a reboot is needed', async () => {
    const u = await run([
      informOk,
      {
        expect: 'empty',
        reply: {
          method: 'SetParameterValues',
          parameterKey: 'key-1',
          parameterList: [
            { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer', value: 'pbx.example.net', type: 'string' },
            { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServerPort', value: '5070', type: 'unsignedInt' },
            { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true', type: 'boolean' },
          ],
        },
      },
      {
        expect: 'SetParameterValuesResponse',
        check: (env) => assert.equal(body(env, 'SetParameterValuesResponse').status, 0),
        reply: {
          method: 'SetParameterValues',
          parameterKey: 'key-2',
          parameterList: [{ name: 'Device.LAN.AddressingType', value: 'Static', type: 'string' }],
        },
      },
      {
        expect: 'SetParameterValuesResponse',
        check: (env) => assert.equal(body(env, 'SetParameterValuesResponse').status, 1),
        reply: null,
      },
    ]);
    assert.equal(u.store.get(47), 'pbx.example.net:5070');
    assert.equal(u.store.get(4506), '1');
    assert.equal(u.store.get(8), '1');
    assert.equal(u.store.get(4509), 'key-2');
    const audit = u.store.audit(10).filter((a) => a.id === 47);
    assert.equal(audit[0]?.source, 'cwmp');
  });

  it('SetParameterValues with bad entries: fault 9003 with one SetParameterValuesFault each, nothing changed, no ParameterKey', async () => {
    const u = await run([
      informOk,
      {
        expect: 'empty',
        reply: {
          method: 'SetParameterValues',
          parameterKey: 'bad',
          parameterList: [
            { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer', value: 'ok.example.net', type: 'string' },
            { name: 'Device.Nope', value: '1', type: 'string' },
            { name: 'Device.DeviceInfo.Manufacturer', value: 'x', type: 'string' },
            { name: 'Device.ManagementServer.PeriodicInformInterval', value: '0', type: 'unsignedInt' },
            { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true', type: 'dateTime' },
          ],
        },
      },
      {
        expect: 'Fault',
        check: (env) => {
          const f = body(env, 'Fault');
          assert.equal(f.faultCode, 9003);
          assert.deepEqual(
            f.setParameterValuesFault.map((x) => [x.name, x.code]),
            [
              ['Device.Nope', 9005],
              ['Device.DeviceInfo.Manufacturer', 9008],
              ['Device.ManagementServer.PeriodicInformEnable', 9006],
            ],
          );
        },
        // The store catches what the model cannot: P4507 must be 1..99999.
        reply: {
          method: 'SetParameterValues',
          parameterKey: 'bad2',
          parameterList: [
            { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer', value: 'ok.example.net', type: 'string' },
            { name: 'Device.ManagementServer.PeriodicInformInterval', value: '0', type: 'unsignedInt' },
          ],
        },
      },
      {
        expect: 'Fault',
        check: (env) => {
          const f = body(env, 'Fault');
          assert.equal(f.faultCode, 9003);
          assert.deepEqual(f.setParameterValuesFault.map((x) => [x.name, x.code]), [['Device.ManagementServer.PeriodicInformInterval', 9007]]);
        },
        reply: null,
      },
    ]);
    assert.equal(u.store.get(47), '');
    assert.equal(u.store.get(4509), '');
    assert.equal(u.store.audit(100).filter((a) => a.source === 'cwmp').length, 0);
  });

  it('Get/SetParameterAttributes persist; forced active refused with 9009', async () => {
    const u = await run([
      informOk,
      {
        expect: 'empty',
        reply: {
          method: 'SetParameterAttributes',
          parameterList: [
            { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer', notificationChange: true, notification: 2, accessListChange: true, accessList: ['Subscriber'] },
          ],
        },
      },
      {
        expect: 'SetParameterAttributesResponse',
        reply: { method: 'GetParameterAttributes', parameterNames: ['Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer', 'Device.ManagementServer.ConnectionRequestURL'] },
      },
      {
        expect: 'GetParameterAttributesResponse',
        check: (env) =>
          assert.deepEqual(body(env, 'GetParameterAttributesResponse').parameterList, [
            { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer', notification: 2, accessList: ['Subscriber'] },
            { name: 'Device.ManagementServer.ConnectionRequestURL', notification: 2, accessList: [] },
          ]),
        reply: {
          method: 'SetParameterAttributes',
          parameterList: [{ name: 'Device.ManagementServer.ConnectionRequestURL', notificationChange: true, notification: 0, accessListChange: false, accessList: [] }],
        },
      },
      { expect: 'Fault', check: (env) => assert.equal(body(env, 'Fault').faultCode, 9009), reply: null },
    ]);
    await u.reboot();
    const attrs = u.service.model;
    assert.ok(attrs);
  });

  it('AccessList (A.3.2.4): default "Subscriber"; set to [] the web UI and voice menu may not change the P-value, the ACS and CLI still may', async () => {
    const proxy = 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServer';
    const u = await run([
      informOk,
      { expect: 'empty', reply: { method: 'GetParameterAttributes', parameterNames: [proxy] } },
      {
        expect: 'GetParameterAttributesResponse',
        check: (env) => assert.deepEqual(body(env, 'GetParameterAttributesResponse').parameterList, [{ name: proxy, notification: 0, accessList: ['Subscriber'] }]),
        reply: { method: 'SetParameterAttributes', parameterList: [{ name: proxy, notificationChange: false, notification: 0, accessListChange: true, accessList: [] }] },
      },
      { expect: 'SetParameterAttributesResponse', reply: null },
    ]);
    const id = u.service.model?.node(proxy);
    assert.ok(id && id.kind === 'param' && id.source.kind === 'pvalue');
    const p = id.source.binding.ids[0] as number;
    const web = u.store.apply({ [p]: 'sip.example.test' }, 'web', { level: 'admin' });
    assert.equal(web.ok, false);
    assert.equal(web.errors[0]?.kind, 'locked');
    assert.match(web.errors[0]?.message ?? '', /locked by the service provider \(TR-069 AccessList of Device\.Services\.VoiceService\.1\.VoiceProfile\.1\.SIP\.ProxyServer\)/);
    assert.equal(u.store.apply({ [p]: 'sip.example.test' }, 'ivr', { level: 'admin' }).errors[0]?.kind, 'locked');
    assert.equal(u.store.apply({ [p]: 'sip.example.test' }, 'cli').ok, true);
    assert.equal(u.store.apply({ [p]: 'sip2.example.test' }, 'cwmp').ok, true);
    // the lock survives a reboot (persisted attributes)
    await u.reboot();
    assert.equal(u.store.apply({ [p]: 'sip3.example.test' }, 'web', { level: 'admin' }).errors[0]?.kind, 'locked');
  });

  it('AddObject / DeleteObject on the port-forward rows, 9004 when the 8 slots are full, ParameterKey set', async () => {
    const steps: Step[] = [informOk];
    const add: CwmpMessage = { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'k-add' };
    steps.push({ expect: 'empty', reply: add });
    for (let i = 1; i <= 8; i++) {
      steps.push({
        expect: 'AddObjectResponse',
        check: (env) => assert.equal(body(env, 'AddObjectResponse').instanceNumber, i),
        reply: add, // the 9th AddObject must fail: slot 8 is the last
      });
    }
    steps.push({
      expect: 'Fault',
      check: (env) => assert.equal(body(env, 'Fault').faultCode, 9004),
      reply: { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.3.', parameterKey: 'k-del' },
    });
    steps.push({
      expect: 'DeleteObjectResponse',
      reply: { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.3.', parameterKey: 'k-del2' },
    });
    steps.push({ expect: 'Fault', check: (env) => assert.equal(body(env, 'Fault').faultCode, 9005), reply: null });
    const u = await run(steps);
    assert.equal(u.store.get(4509), 'k-del');
    assert.equal(u.service.model.node('Device.NAT.PortMapping.3.'), undefined);
    assert.ok(u.service.model.node('Device.NAT.PortMapping.4.'));
  });

  it('unknown RPC gets 9000, bad arguments 9003, a request without cwmp:ID is answered without one; nothing changes', async () => {
    const u = await run([
      informOk,
      {
        expect: 'empty',
        reply: {
          http: 200,
          raw:
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">' +
            '<soap:Header><cwmp:ID soap:mustUnderstand="1">x1</cwmp:ID></soap:Header><soap:Body><cwmp:ChangeDUState/></soap:Body></soap:Envelope>',
        },
      },
      {
        expect: 'Fault',
        check: (env) => {
          assert.equal(env?.id, 'x1');
          assert.equal(body(env, 'Fault').faultCode, 9000);
        },
        reply: {
          http: 200,
          raw:
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">' +
            '<soap:Header><cwmp:ID soap:mustUnderstand="1">x2</cwmp:ID></soap:Header><soap:Body><cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>maybe</NextLevel></cwmp:GetParameterNames></soap:Body></soap:Envelope>',
        },
      },
      {
        expect: 'Fault',
        check: (env) => {
          assert.equal(env?.id, 'x2');
          assert.equal(body(env, 'Fault').faultCode, 9003);
        },
        reply: { http: 200, raw: '<soap:Envelope><soap:Body><cwmp:GetParam' },
      },
      {
        expect: 'Fault',
        check: (env) => assert.equal(body(env, 'Fault').faultCode, 9003),
        reply: { http: 200, raw: `<a>${'x'.repeat(1_100_000)}</a>` },
      },
      {
        expect: 'Fault',
        check: (env) => assert.equal(body(env, 'Fault').faultCode, 9004),
        reply: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.ProductClass'] },
        noId: true,
      },
      {
        expect: 'GetParameterValuesResponse',
        check: (env) => {
          assert.equal(env?.id, undefined);
          assert.equal(body(env, 'GetParameterValuesResponse').parameterList[0]?.value, 'HT813');
        },
        reply: null,
      },
    ]);
    assert.equal(u.store.audit(100).filter((a) => a.source === 'cwmp').length, 0);
  });

  it('recorded boot session matches acs-fixtures/boot-session (volatile fields normalised)', async () => {
    await run([
      informOk,
      { expect: 'empty', reply: { method: 'GetParameterValues', parameterNames: ['Device.ManagementServer.'] } },
      { expect: 'GetParameterValuesResponse', reply: { method: 'SetParameterValues', parameterKey: 'golden', parameterList: [{ name: 'Device.Time.NTPServer1', value: 'ntp.example.org', type: 'string' }] } },
      { expect: 'SetParameterValuesResponse', reply: null },
    ]);
    const text = acs.transcript.map((t) => `<!-- ${t.from} -->\n${normalise(t.xml)}`).join('\n') + '\n';
    const file = path.join(__dirname, '../../acs-fixtures/boot-session/transcript.xml');
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, text);
    assert.equal(text, fs.readFileSync(file, 'utf8'));
  });
});
