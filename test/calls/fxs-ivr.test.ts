/**
 * The voice menu on the FXS line (fakes, FakeClock): `***` from a fresh dial tone opens it, keys
 * interrupt prompts, option 47 places the call, 99 reboots only once its prompt has been heard,
 * the phone hanging up leaves it, P253 turns it off, and "Device not registered" is said at off
 * hook when unregistered calls are not allowed (P109 = 0).
 */
import assert from 'node:assert/strict';
import type { IvrHost } from '../../cpe/ivr/ivr-host';
import { makeLine } from './fxs-harness';

function fakeHost(): IvrHost & { values: Map<number, string>; reboots: number; resets: number } {
  const values = new Map<number, string>([[8, '0'], [88, '0'], [277, '0']]);
  const host = {
    values,
    reboots: 0,
    resets: 0,
    get: (id: number) => values.get(id) ?? '',
    apply(batch: Readonly<Record<string, string>>) {
      for (const [k, v] of Object.entries(batch)) values.set(Number(k.slice(1)), v);
      return undefined;
    },
    mac: '000b82000001',
    lanMac: '000b82000002',
    firmwareVersion: '1.0.7.1',
    network: () => ({ address: '127.0.0.1' }),
    factoryResetRefusal: () => undefined,
    voicemail: () => undefined,
    reboot: () => void host.reboots++,
    factoryReset: () => void host.resets++,
  };
  return host;
}

describe('FXS line: the voice menu (***)', () => {
  it('*** opens the menu; a key cuts the prompt short and is taken; hanging up leaves it', () => {
    const host = fakeHost();
    const h = makeLine({}, { ivr: host });
    h.phone.offHook();
    assert.equal(h.phone.tone, h.tones.dial);
    h.phone.dial('**');
    assert.equal(h.line.state, 'dialing', '** waits for the third star');
    h.phone.dial('*');
    assert.equal(h.line.state, 'ivr');
    assert.equal(h.phone.tone, undefined);
    assert.deepEqual(h.phone.prompts, [['enterMenuOption']]);
    assert.equal(h.phone.prompting, true);
    h.phone.dial('0');
    assert.equal(h.phone.prompting, false, 'barge-in');
    h.phone.dial('1');
    assert.deepEqual(h.phone.listen(), ['dhcpMode']);
    h.phone.dial('9');
    assert.deepEqual(h.phone.listen(), ['staticIpMode']);
    assert.equal(host.values.get(8), '1');
    h.phone.onHook();
    assert.equal(h.line.state, 'idle');
    assert.equal(h.line.voiceMenu, undefined);
  });

  it('one key then silence: after the no-key-entry timeout (P85) the entry is invalid', () => {
    const h = makeLine({}, { ivr: fakeHost() });
    h.phone.offHook();
    h.phone.dial('***');
    h.phone.listen();
    h.phone.dial('3');
    h.clock.advance(3999);
    assert.equal(h.phone.prompts.length, 1);
    h.clock.advance(1);
    assert.deepEqual(h.phone.listen(), ['invalidEntry', 'enterMenuOption']);
  });

  it('47: the dial tone, then the address; # places the direct IP call', () => {
    const h = makeLine({}, { ivr: fakeHost() });
    h.phone.offHook();
    h.phone.dial('***');
    h.phone.listen();
    h.phone.dial('47');
    assert.deepEqual(h.phone.listen(), ['directIpCalling']);
    assert.equal(h.phone.tone, h.tones.dial, 'dial tone after the prompt');
    h.phone.dial('192168001020');
    assert.equal(h.phone.tone, undefined);
    h.phone.dial('#');
    assert.equal(h.line.state, 'calling');
    assert.equal(h.sip.invites[0]?.request?.target, 'sip:192.168.1.20:5060');
  });

  it('99 then 9: "Rebooting" is heard first, then the unit reboots', () => {
    const host = fakeHost();
    const h = makeLine({}, { ivr: host });
    h.phone.offHook();
    h.phone.dial('***');
    h.phone.listen();
    h.phone.dial('999');
    assert.deepEqual(h.phone.prompts[h.phone.prompts.length - 1], ['rebooting']);
    assert.equal(host.reboots, 0);
    h.phone.dial('1');
    assert.equal(h.phone.prompting, true, 'keys no longer interrupt once the reboot is decided');
    h.phone.listen();
    assert.equal(host.reboots, 1);
  });

  it('P253 = 1 disables the voice menu: *** is dialed like other digits', () => {
    const h = makeLine({ 253: '1' }, { ivr: fakeHost() });
    h.phone.offHook();
    h.phone.dial('***');
    assert.notEqual(h.line.state, 'ivr');
    assert.deepEqual(h.phone.prompts, []);
  });

  it('not registered and P109 = 0: "Device not registered" at off hook, then the dial tone', () => {
    const h = makeLine({ 109: '0' }, { ivr: fakeHost() });
    h.sip.registered = false;
    h.phone.offHook();
    assert.deepEqual(h.phone.prompts, [['notRegistered']]);
    assert.equal(h.phone.tone, undefined);
    h.phone.listen();
    assert.equal(h.phone.tone, h.tones.dial);
    h.phone.onHook();
    h.sip.registered = true;
    h.phone.offHook();
    assert.equal(h.phone.prompts.length, 1, 'registered: the dial tone at once');
  });
});
