import assert from 'node:assert/strict';
import { openFixture, type Fixture } from './tree-fixture';

describe('datamodel: HT813 tree', () => {
  let f: Fixture;
  beforeEach(() => (f = openFixture()));
  afterEach(() => f.close());

  it('binds every P-value it names to the catalogue (none missing)', () => {
    assert.deepEqual(f.dm.missing, []);
  });

  it('reads DeviceInfo from identity and P-values', () => {
    const get = (p: string): string => f.dm.read(f.dm.paramsUnder(p)[0]!);
    assert.equal(get('Device.DeviceInfo.Manufacturer'), 'Grandstream');
    assert.equal(get('Device.DeviceInfo.ManufacturerOUI'), '000B82');
    assert.equal(get('Device.DeviceInfo.ProductClass'), 'HT813');
    assert.equal(get('Device.DeviceInfo.SoftwareVersion'), '1.0.7.1');
    f.clock.advance(65_000);
    assert.equal(get('Device.DeviceInfo.UpTime'), '65');
  });

  it('reads passwords as empty strings', () => {
    f.store.apply({ P34: 'sip-secret', P4505: 'acs-secret', P2: 'adminpw' }, 'cli');
    for (const p of [
      'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.SIP.AuthPassword',
      'Device.ManagementServer.Password',
      'Device.UserInterface.X_GRANDSTREAM_AdminLoginPassword',
    ]) {
      assert.equal(f.dm.read(f.dm.paramsUnder(p)[0]!), '', p);
    }
    const all = f.dm.paramsUnder('Device.').map((p) => f.dm.read(p)).join('\n');
    assert.ok(!all.includes('sip-secret') && !all.includes('acs-secret') && !all.includes('adminpw'));
  });

  it('maps profile 1 to FXS P-values and profile 2 to FXO P-values', () => {
    f.store.apply({ P47: 'fxs.example.com:5070', P747: 'fxo.example.com' }, 'cli');
    const get = (p: string): string => f.dm.read(f.dm.paramsUnder(`Device.Services.VoiceService.1.VoiceProfile.${p}`)[0]!);
    assert.equal(get('1.SIP.ProxyServer'), 'fxs.example.com');
    assert.equal(get('1.SIP.ProxyServerPort'), '5070');
    assert.equal(get('2.SIP.ProxyServer'), 'fxo.example.com');
    assert.equal(get('2.SIP.ProxyServerPort'), '5060');
    assert.equal(get('1.SIP.RegisterExpires'), '3600');
    assert.equal(get('1.SIP.TimerT1'), '500');
    assert.equal(get('1.X_GRANDSTREAM_Port'), 'FXS');
  });

  it('live Line.Status and CallState default sensibly and follow the status board', () => {
    const st = (i: number, leaf: string): string =>
      f.dm.read(f.dm.paramsUnder(`Device.Services.VoiceService.1.VoiceProfile.${i}.Line.1.${leaf}`)[0]!);
    assert.equal(st(1, 'Status'), 'Initializing');
    assert.equal(st(1, 'CallState'), 'Idle');
    f.status.set('sip.accounts', [{ account: 2, state: 'failed' }, { account: 1, state: 'registered' }]);
    f.status.set('voice.calls', [{ line: 1, callState: 'InCall' }]);
    assert.equal(st(1, 'Status'), 'Up');
    assert.equal(st(2, 'Status'), 'Error');
    assert.equal(st(1, 'CallState'), 'InCall');
    assert.equal(st(2, 'CallState'), 'Idle');
    // profile 2's line is the FXO gateway
    f.status.set('voice.fxo', { state: 'bridged', direction: 'voipToPstn' });
    assert.equal(st(2, 'CallState'), 'InCall');
    f.status.set('voice.fxo', { state: 'pstnCalling' });
    assert.equal(st(2, 'CallState'), 'Calling');
    f.status.set('voice.calls', 'nonsense');
    assert.equal(st(1, 'CallState'), 'Idle');
    f.store.apply({ P401: '0' }, 'cli');
    assert.equal(st(2, 'Status'), 'Disabled');
  });

  it('plans one batch; entries on the same P-value compose (host then port)', () => {
    const sip = 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.';
    const plan = f.dm.plan([
      { name: `${sip}ProxyServer`, value: 'pbx.example.net' },
      { name: `${sip}ProxyServerPort`, value: '5080' },
      { name: `${sip}RegisterExpires`, value: '1800' },
      { name: 'Device.Services.VoiceService.1.VoiceProfile.1.Line.1.CallingFeatures.CallWaitingEnable', value: 'false' },
    ]);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.batch, [[47, 'pbx.example.net:5080'], [32, '30'], [91, '1']]);
  });

  it('reports unknown names, read-only parameters, wrong types and bad values', () => {
    const plan = f.dm.plan([
      { name: 'Device.Nope', value: '1' },
      { name: 'Device.DeviceInfo.Manufacturer', value: 'x' },
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: 'abc' },
      { name: 'Device.ManagementServer.PeriodicInformEnable', value: '1', type: 'dateTime' },
      { name: 'Device.Services.VoiceService.1.VoiceProfile.1.SIP.ProxyServerTransport', value: 'SCTP' },
    ]);
    assert.deepEqual(
      plan.problems.map((p) => p.kind),
      ['unknown-name', 'not-writable', 'value', 'type', 'value'],
    );
    assert.deepEqual(plan.batch, []);
  });

  it('GetParameterNames with NextLevel lists children only; partial paths list the subtree', () => {
    assert.deepEqual(f.dm.names('', true), [{ name: 'Device.', writable: false }]);
    const top = f.dm.names('Device.', true).map((n) => n.name);
    assert.ok(top.includes('Device.DeviceInfo.') && top.includes('Device.ManagementServer.') && top.includes('Device.DeviceSummary'));
    assert.ok(!top.includes('Device.DeviceInfo.Manufacturer'));
    const sub = f.dm.names('Device.DeviceInfo.', false).map((n) => n.name);
    assert.equal(sub[0], 'Device.DeviceInfo.');
    assert.ok(sub.includes('Device.DeviceInfo.Manufacturer'));
    assert.throws(() => f.dm.names('Device.DeviceInfo.Manufacturer', true), /NextLevel/);
  });

  it('port-forward rows: AddObject up to the 8 slots, resources when full, DeleteObject empties the slot', () => {
    f.store.apply({ P150: '8080', P158: '192.168.2.10', P166: '80', P174: '1' }, 'cli');
    assert.equal(f.dm.read(f.dm.paramsUnder('Device.NAT.PortMappingNumberOfEntries')[0]!), '1');
    const got: number[] = [];
    for (let k = 0; k < 7; k++) got.push(f.dm.addObject('Device.NAT.PortMapping.'));
    assert.deepEqual(got, [2, 3, 4, 5, 6, 7, 8]);
    assert.throws(() => f.dm.addObject('Device.NAT.PortMapping.'), (e: { problem?: { kind: string } }) => e.problem?.kind === 'resources');
    assert.equal(f.dm.read(f.dm.paramsUnder('Device.NAT.PortMappingNumberOfEntries')[0]!), '8');
    assert.equal(f.dm.read(f.dm.paramsUnder('Device.NAT.PortMapping.1.Protocol')[0]!), 'TCP');
    const del = f.dm.deleteObject('Device.NAT.PortMapping.1.');
    assert.ok(f.store.apply(del.batch, 'cwmp').ok);
    del.finish();
    assert.equal(f.dm.node('Device.NAT.PortMapping.1.'), undefined);
    assert.equal(f.store.get(150), '0');
    assert.equal(f.dm.addObject('Device.NAT.PortMapping.'), 1);
  });

  it('allocated rows survive a reopen of the store', () => {
    assert.equal(f.dm.addObject('Device.NAT.PortMapping.'), 1);
    f.reopen();
    assert.ok(f.dm.node('Device.NAT.PortMapping.1.'));
    assert.equal(f.dm.addObject('Device.NAT.PortMapping.'), 2);
  });
});
