/**
 * The voice menu (user guide table 5) as a pure state machine over a real parameter store:
 * option numbers, `*` / `#`, toggles with `9`, 12-digit addresses, direct IP calls (47), voice
 * mail (86), reboot and factory reset (99, MAC keyed per table 7), refusals (P88, P277, invalid
 * entries) leaving the store unchanged, and the audit naming the writer `ivr`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IvrHost } from '../../cpe/ivr/ivr-host';
import { IvrMenu, type IvrEffect } from '../../cpe/ivr/ivr-menu';
import { IVR_OPTIONS } from '../../cpe/ivr/ivr-options';
import { macKeys } from '../../cpe/ivr/mac-keys';
import { serverWords, symbols } from '../../cpe/ivr/speak';
import { ParamStore } from '../../cpe/params/store';
import { CapturingLogger } from '../../cpe/shared/logger';
import { FakeClock } from '../support/fake-clock';

const MAC = '000b8200e395';
const LAN_MAC = '000b8200e396';

interface Rig {
  menu: IvrMenu;
  store: ParamStore;
  host: IvrHost & { voicemailUri?: string };
  /** Keys the digits; the words said and the other effects, flattened. */
  key(digits: string): string[];
}

let dir: string;
let stores: ParamStore[] = [];

function rig(params: Record<string, string> = {}): Rig {
  const store = ParamStore.open(fs.mkdtempSync(path.join(dir, 'u-')), { clock: new FakeClock(), log: new CapturingLogger() });
  stores.push(store);
  store.applyOrThrow(params, 'cli');
  const host: IvrHost & { voicemailUri?: string } = {
    get: (id) => store.get(id),
    apply(batch) {
      if (store.get(88) !== '0') return 'locked by P88';
      const r = store.apply(batch, 'ivr');
      return r.ok ? undefined : r.errors.map((e) => e.message).join('; ');
    },
    mac: MAC,
    lanMac: LAN_MAC,
    firmwareVersion: '1.0.7.1',
    network: () => ({ address: '127.0.0.1' }),
    factoryResetRefusal: () => store.resetRefusal('full'),
    voicemail: () => host.voicemailUri,
    reboot: () => undefined,
    factoryReset: () => undefined,
  };
  const menu = new IvrMenu(host, new CapturingLogger());
  const flat = (effects: IvrEffect[]): string[] =>
    effects.flatMap((e) => (e.kind === 'say' ? [...e.words] : e.kind === 'call' ? [`call ${e.target}`] : [e.kind]));
  return { menu, store, host, key: (digits) => [...digits].flatMap((d) => flat(menu.digit(d))) };
}

describe('voice menu (IVR)', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-ivr-'));
    stores = [];
  });
  afterEach(() => {
    for (const s of stores) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens on "Enter a menu option"; two digits pick an option; an unknown one is an invalid entry', () => {
    const r = rig();
    assert.deepEqual(r.menu.start(), [{ kind: 'say', words: ['enterMenuOption'] }]);
    assert.deepEqual(r.key('1'), []);
    assert.equal(r.menu.collecting, true, 'one digit waits for the second (the line arms P85)');
    assert.deepEqual(r.key('6'), ['firmwareVersion', 'd1', 'dot', 'd0', 'dot', 'd7', 'dot', 'd1']);
    assert.deepEqual(r.key('#'), ['enterMenuOption']);
    assert.deepEqual(r.key('33'), ['invalidEntry', 'enterMenuOption']);
    assert.equal(r.menu.state, 'main');
    assert.deepEqual(r.key('1'), []);
    assert.deepEqual(r.menu.timeout().flatMap((e) => (e.kind === 'say' ? e.words : [])), ['invalidEntry', 'enterMenuOption']);
  });

  it('`*` steps through every option in order and wraps around', () => {
    assert.deepEqual(IVR_OPTIONS.map((o) => o.id), ['01', '02', '03', '04', '05', '07', '10', '12', '13', '14', '15', '16', '17', '47', '86', '99']);
    const r = rig();
    assert.deepEqual(r.key('*'), ['dhcpMode']);
    assert.deepEqual(r.key('*'), ['ipAddress', ...symbols('127.0.0.1')]);
    assert.deepEqual(r.key('*'), ['subnet', 'notSet']);
    assert.deepEqual(r.key('#*1'), ['enterMenuOption', 'dhcpMode', 'invalidEntry', 'enterMenuOption'], 'a toggle option takes only 9, * and #');
    // 47 and 86 act as they are reached; 99 waits, and after it comes 01 again
    assert.deepEqual(r.key('99*'), ['reset', 'dhcpMode']);
  });

  it('01: 9 toggles DHCP → static → PPPoE → DHCP, each a batch from the ivr writer', () => {
    const r = rig();
    assert.deepEqual(r.key('01'), ['dhcpMode']);
    assert.deepEqual(r.key('9'), ['staticIpMode']);
    assert.equal(r.store.get(8), '1');
    assert.deepEqual(r.key('9'), ['pppoeMode']);
    assert.deepEqual(r.key('9'), ['dhcpMode']);
    assert.equal(r.store.get(8), '0');
    const audit = r.store.audit(3);
    assert.ok(audit.every((a) => a.source === 'ivr' && a.id === 8), JSON.stringify(audit));
  });

  it('02-05: the address in use is announced; a 12-digit entry is taken in static IP mode only', () => {
    const r = rig();
    assert.deepEqual(r.key('02'), ['ipAddress', ...symbols('127.0.0.1')]);
    assert.deepEqual(r.key('192168001020'), ['invalidEntry', 'enterMenuOption'], 'not in static IP mode');
    assert.equal(r.store.get(9), '192');
    assert.deepEqual(r.key('03'), ['subnet', 'notSet'], 'DHCP gave no mask this unit knows of');
    const s = rig({ P8: '1' });
    assert.deepEqual(s.key('02'), ['ipAddress', ...symbols('192.168.0.160')]);
    assert.deepEqual(s.key('1921680010'), []);
    assert.deepEqual(s.key('20'), ['ipAddress', ...symbols('192.168.1.20')]);
    assert.deepEqual([9, 10, 11, 12].map((id) => s.store.get(id)), ['192', '168', '1', '20']);
    assert.deepEqual(s.key('#04'), ['enterMenuOption', 'gateway', ...symbols('0.0.0.0')]);
    assert.deepEqual(s.key('010000000256'), ['invalidEntry', 'enterMenuOption'], 'an octet above 255');
    assert.equal(s.store.get(20), '0');
    assert.deepEqual(s.key('05008008008008'), ['dnsServer', ...symbols('0.0.0.0'), 'dnsServer', ...symbols('8.8.8.8')]);
  });

  it('07, 12, 15, 17: the toggles cycle through their choices', () => {
    const r = rig();
    assert.deepEqual(r.key('07'), ['preferredVocoder', 'pcmu']);
    assert.deepEqual(r.key('9'), ['preferredVocoder', 'pcma']);
    assert.deepEqual(r.key('9'), ['preferredVocoder', 'ilbc']);
    assert.equal(r.store.get(57), '97');
    assert.deepEqual(r.key('#12'), ['enterMenuOption', 'wanWebAccess', 'auto']);
    assert.deepEqual(r.key('99'), ['wanWebAccess', 'enabled', 'wanWebAccess', 'disabled']);
    assert.equal(r.store.get(190), '0');
    assert.deepEqual(r.key('#15'), ['enterMenuOption', 'upgradeProtocol', 'https']);
    assert.deepEqual(r.key('9'), ['upgradeProtocol', 'ftp']);
    assert.equal(r.store.get(212), '3');
    assert.deepEqual(r.key('#17'), ['enterMenuOption', 'firmwareUpgrade', 'alwaysCheck']);
    assert.deepEqual(r.key('9'), ['firmwareUpgrade', 'checkOnChange']);
    assert.equal(r.store.get(238), '1');
  });

  it('10 says the LAN MAC; 13/14 say the server address and take a new one', () => {
    const r = rig();
    assert.deepEqual(r.key('10'), ['macAddress', 'd0', 'd0', 'd0', 'b', 'd8', 'd2', 'd0', 'd0', 'e', 'd3', 'd9', 'd6']);
    assert.deepEqual(r.key('#13'), ['enterMenuOption', 'firmwareServer', 'hostName'], 'fm.grandstream.com/gs is a name');
    assert.deepEqual(r.key('010000000005'), ['firmwareServer', ...symbols('10.0.0.5')]);
    assert.equal(r.store.get(192), '10.0.0.5');
    assert.deepEqual(r.key('#14172016000001'), ['enterMenuOption', 'configServer', 'hostName', 'configServer', ...symbols('172.16.0.1')]);
    assert.equal(r.store.get(237), '172.16.0.1');
    assert.deepEqual(serverWords('https://10.1.2.3:8443/prov'), symbols('10.1.2.3'));
    assert.deepEqual(serverWords(''), ['notSet']);
  });

  it('P88 locks keypad updates: a toggle or entry is refused and nothing changes', () => {
    const r = rig({ P88: '1' });
    assert.deepEqual(r.key('01'), ['dhcpMode']);
    assert.deepEqual(r.key('9'), ['locked', 'enterMenuOption']);
    assert.equal(r.store.get(8), '0');
    assert.deepEqual(r.key('99'), ['reset']);
    assert.deepEqual(r.key(macKeys(MAC)), ['locked', 'enterMenuOption'], 'factory reset refused too');
  });

  it('47: dial tone, then the address (three digits an octet, *4 port) and # or the timeout', () => {
    const r = rig();
    assert.deepEqual(r.key('47'), ['directIpCalling', 'dialTone']);
    assert.equal(r.menu.collecting, false, 'no timeout before the first digit');
    assert.deepEqual(r.key('192168001020'), []);
    assert.equal(r.menu.collecting, true);
    assert.deepEqual(r.key('#'), ['call sip:192.168.1.20:5060']);
    assert.equal(r.menu.state, 'done');
    assert.deepEqual(r.key('1'), [], 'done: keys are ignored');
    const t = rig();
    t.key('47192168001020*45070');
    assert.deepEqual(t.menu.timeout(), [{ kind: 'call', target: 'sip:192.168.1.20:5070' }]);
    const bad = rig();
    assert.deepEqual(bad.key('47999#'), ['directIpCalling', 'dialTone', 'invalidEntry', 'enterMenuOption']);
    const off = rig({ P277: '1' });
    assert.deepEqual(off.key('47'), ['directIpCalling', 'disabled', 'enterMenuOption'], 'P277 disables direct IP calls');
  });

  it('86 calls the voice mail system named by the message summary, or says it is not available', () => {
    const r = rig();
    assert.deepEqual(r.key('86'), ['voiceMail', 'notAvailable', 'enterMenuOption']);
    r.host.voicemailUri = 'sip:*97@pbx.example';
    assert.deepEqual(r.key('86'), ['voiceMail', 'call sip:*97@pbx.example']);
  });

  it('99: 9 reboots; the MAC keyed per table 7 resets to factory defaults; another MAC is an invalid entry', () => {
    assert.equal(macKeys('000b8200e395'), '0002228200333395', 'the user guide example');
    const r = rig();
    assert.deepEqual(r.key('99'), ['reset']);
    assert.deepEqual(r.key('9'), ['rebooting', 'reboot']);
    const f = rig();
    assert.deepEqual(f.key('99' + macKeys(MAC)), ['reset', 'factoryReset', 'factoryReset']);
    const lan = rig();
    assert.deepEqual(lan.key('99' + macKeys(LAN_MAC)).slice(-1), ['factoryReset'], 'the LAN MAC option 10 announces works too');
    const wrong = rig();
    assert.deepEqual(wrong.key('99' + macKeys('000b82000001')).slice(0, 3), ['reset', 'invalidEntry', 'enterMenuOption'], 'refused at the first wrong key');
    assert.equal(wrong.menu.state, 'main');
  });
});
