/*
 * Test plan: a unit (every default service, FakeClock, real sockets on 127.0.0.1) with net-snmp's
 * tools as the real manager and trap receiver.
 * - v2c: snmpget of the system group and the vendor objects; snmpwalk and snmpbulkwalk return the
 *   same OIDs in increasing order (net-snmp itself fails a walk that is not); unknown OIDs give
 *   noSuchObject / noSuchInstance; snmpset gets noAccess; a wrong community times out.
 * - v3, switched on by P-values without a reboot: snmpget/snmpbulkwalk with authPriv SHA/AES
 *   (discovery, then the request); a wrong authentication or privacy password, an unknown user
 *   and a lower level get their reports; MD5/DES works too; v2c is then refused.
 * - A P21903 change moves the agent at once.
 * - Traps to snmptrapd: coldStart as soon as P21897 is set and the status notification after
 *   P21901 minutes of FakeClock time, as v2c, v3 authPriv (the trap user created for the unit's
 *   engine ID) and v1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { ParamStore } from '../../cpe/params/store';
import { defaultServices } from '../../cpe/services';
import { CapturingLogger, silentLogger } from '../../cpe/shared/logger';
import { FakeClock } from '../support/fake-clock';
import { freePort } from '../support/ports';
import { netSnmp, type NetSnmp, type Snmptrapd } from './net-snmp';

const MAC = '000b82aabbcc';
const ENGINE_ID = '8000a59d03000b82aabbcc';
const COMMUNITY = 'Ht813-ro';
const TRAP_COMMUNITY = 'Ht813-traps';
const V3 = ['-u', 'nms', '-l', 'authPriv', '-a', 'SHA', '-A', 'Auth-Pass-1', '-x', 'AES', '-X', 'Priv-Pass-1'];
const QUICK = ['-t', '1', '-r', '1'];
const ONCE = ['-t', '0.5', '-r', '0'];

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `.oid = TYPE: value` lines → [oid, rest]. */
function lines(out: string): Array<[string, string]> {
  return out.split('\n').filter((l) => l.startsWith('.')).map((l) => {
    const i = l.indexOf(' = ');
    return [l.slice(0, i), l.slice(i + 3)];
  });
}

describe('SNMP agent and traps against net-snmp', function () {
  this.timeout(90_000);
  let dir: string;
  let tools: NetSnmp;
  let trapd: Snmptrapd;
  let device: Device;
  let clock: FakeClock;
  let port: number;
  let trapPort: number;
  const log = new CapturingLogger();
  const target = (): string => `127.0.0.1:${port}`;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-net-snmp-'));
    tools = netSnmp(dir);
    port = await freePort();
    trapPort = await freePort();
    trapd = await tools.startTrapd(trapPort, [
      `authCommunity log ${TRAP_COMMUNITY}`,
      `createUser -e 0x${ENGINE_ID} trapper SHA Trap-Auth-1 AES Trap-Priv-1`,
      'authUser log trapper',
    ]);
    clock = new FakeClock(Date.now());
    const data = path.join(dir, 'unit');
    const s = ParamStore.open(data, { clock, log: silentLogger });
    s.applyOrThrow({
      P21896: '1', P21904: '2', P21902: COMMUNITY, P21903: String(port),
      // accounts off; no provisioning, PnP or DNS
      P271: '0', P401: '0', P1414: '0', P212: '1', P237: '127.0.0.1:9/prov', P192: '127.0.0.1:9/fw',
    }, 'cli');
    s.close();
    device = new Device({ dataDir: data, mac: MAC, clock, log, ports: { web: await freePort(), https: await freePort(), offset: 0 }, durability: 'normal', services: defaultServices() });
    await device.boot();
    assert.equal(device.status.get('snmp')?.state, 'listening');
  });

  after(async () => {
    await device?.shutdown();
    await trapd?.stop();
    const logged = JSON.stringify(log.records);
    for (const secret of [COMMUNITY, TRAP_COMMUNITY, 'Auth-Pass-1', 'Priv-Pass-1', 'Trap-Auth-1', 'Trap-Priv-1']) assert.ok(!logged.includes(secret), `${secret} never logged`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('v2c: snmpget of the system group and the vendor objects', async () => {
    const r = await tools.run('snmpget', ['-v2c', '-c', COMMUNITY, ...QUICK, target(), '.1.3.6.1.2.1.1.1.0', '.1.3.6.1.2.1.1.2.0', '.1.3.6.1.2.1.1.3.0', '.1.3.6.1.2.1.1.5.0', '.1.3.6.1.4.1.42397.2.1.1.0', '.1.3.6.1.4.1.42397.2.1.2.0', '.1.3.6.1.4.1.42397.2.1.3.0', '.1.3.6.1.4.1.42397.2.1.4.0']);
    assert.equal(r.code, 0, r.out);
    const v = new Map(lines(r.out));
    assert.equal(v.get('.1.3.6.1.2.1.1.1.0'), `STRING: "Grandstream HT813 analog telephone adapter, hardware V1.0A, firmware ${device.identity.firmwareVersion}"`);
    assert.equal(v.get('.1.3.6.1.2.1.1.2.0'), 'OID: .1.3.6.1.4.1.42397.1.813');
    assert.match(v.get('.1.3.6.1.2.1.1.3.0')!, /^Timeticks: \(\d+\)/);
    assert.equal(v.get('.1.3.6.1.2.1.1.5.0'), 'STRING: "HT813-000B82AABBCC"');
    assert.equal(v.get('.1.3.6.1.4.1.42397.2.1.1.0'), `STRING: "${device.identity.firmwareVersion}"`);
    assert.equal(v.get('.1.3.6.1.4.1.42397.2.1.2.0')?.trim(), 'Hex-STRING: 00 0B 82 AA BB CC');
    assert.equal(v.get('.1.3.6.1.4.1.42397.2.1.3.0'), 'INTEGER: 1', 'the phone is on hook');
    assert.equal(v.get('.1.3.6.1.4.1.42397.2.1.4.0'), 'INTEGER: 1', 'the PSTN line is idle');
  });

  it('v2c: snmpwalk and snmpbulkwalk give the same OIDs, in increasing order, account rows included', async () => {
    const walk = await tools.run('snmpwalk', ['-v2c', '-c', COMMUNITY, ...QUICK, target(), '.1']);
    const bulk = await tools.run('snmpbulkwalk', ['-v2c', '-c', COMMUNITY, ...QUICK, '-Cr7', target(), '.1']);
    assert.equal(walk.code, 0, walk.out);
    assert.equal(bulk.code, 0, bulk.out);
    assert.doesNotMatch(walk.out + bulk.out, /not increasing/);
    const oids = lines(walk.out).map(([o]) => o);
    assert.deepEqual(lines(bulk.out).map(([o]) => o), oids);
    assert.ok(oids.length >= 40, `${oids.length} objects`);
    for (const o of ['.1.3.6.1.2.1.1.7.0', '.1.3.6.1.2.1.11.1.0', '.1.3.6.1.4.1.42397.2.1.5.1.4.1', '.1.3.6.1.4.1.42397.2.1.5.1.4.2', '.1.3.6.1.6.3.10.2.1.1.0', '.1.3.6.1.6.3.15.1.1.4.0']) assert.ok(oids.includes(o), o);
    const vendor = await tools.run('snmpbulkwalk', ['-v2c', '-c', COMMUNITY, ...QUICK, target(), '.1.3.6.1.4.1.42397.2.1.5']);
    assert.deepEqual(lines(vendor.out).filter(([o]) => o.includes('.5.1.4.')), [['.1.3.6.1.4.1.42397.2.1.5.1.4.1', 'INTEGER: 1'], ['.1.3.6.1.4.1.42397.2.1.5.1.4.2', 'INTEGER: 1']], 'both accounts not registered');
  });

  it('v2c: noSuchObject, noSuchInstance, Set refused with noAccess, a wrong community times out', async () => {
    const r = await tools.run('snmpget', ['-v2c', '-c', COMMUNITY, ...QUICK, target(), '.1.3.6.1.2.1.1.99.0', '.1.3.6.1.2.1.1.1.1']);
    assert.deepEqual(lines(r.out), [
      ['.1.3.6.1.2.1.1.99.0', 'No Such Object available on this agent at this OID'],
      ['.1.3.6.1.2.1.1.1.1', 'No Such Instance currently exists at this OID'],
    ]);
    const set = await tools.run('snmpset', ['-v2c', '-c', COMMUNITY, ...QUICK, target(), '.1.3.6.1.2.1.1.5.0', 's', 'renamed']);
    assert.notEqual(set.code, 0);
    assert.match(set.out, /Reason: noAccess/);
    const wrong = await tools.run('snmpget', ['-v2c', '-c', 'public', ...ONCE, target(), '.1.3.6.1.2.1.1.1.0']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.out, /Timeout: No Response/);
    const v1 = await tools.run('snmpget', ['-v1', '-c', COMMUNITY, ...ONCE, target(), '.1.3.6.1.2.1.1.1.0']);
    assert.match(v1.out, /Timeout: No Response/, 'v1 while v2c is configured');
  });

  it('v3 authPriv SHA/AES, applied without a reboot; v2c is then refused', async () => {
    const r = device.store.applyOrThrow({ P21904: '3', P21905: 'nms', P21910: '2', P21906: '2', P21907: '2', P21908: 'Auth-Pass-1', P21909: 'Priv-Pass-1' }, 'cwmp');
    assert.equal(r.rebootRequired, false);
    await until('v3 applied', () => device.status.get('snmp')?.version === 'v3');
    const get = await tools.run('snmpget', ['-v3', ...V3, ...QUICK, target(), '.1.3.6.1.2.1.1.5.0']);
    assert.equal(get.code, 0, get.out);
    assert.deepEqual(lines(get.out), [['.1.3.6.1.2.1.1.5.0', 'STRING: "HT813-000B82AABBCC"']]);
    const engine = await tools.run('snmpbulkwalk', ['-v3', ...V3, ...QUICK, target(), '.1.3.6.1.6.3.10.2.1']);
    const e = new Map(lines(engine.out));
    assert.equal(e.get('.1.3.6.1.6.3.10.2.1.1.0')?.trim(), 'Hex-STRING: 80 00 A5 9D 03 00 0B 82 AA BB CC');
    assert.equal(e.get('.1.3.6.1.6.3.10.2.1.2.0'), `INTEGER: ${device.bootCount()}`);
    assert.equal(e.get('.1.3.6.1.6.3.10.2.1.4.0'), 'INTEGER: 1472');
    const v2c = await tools.run('snmpget', ['-v2c', '-c', COMMUNITY, ...ONCE, target(), '.1.3.6.1.2.1.1.1.0']);
    assert.match(v2c.out, /Timeout: No Response/);
  });

  it('v3: a wrong password, a wrong privacy password, an unknown user, a lower level: each reported', async () => {
    const swap = (flag: string, value: string): string[] => V3.map((x, i) => (V3[i - 1] === flag ? value : x));
    const cases: Array<[string, string[], RegExp]> = [
      ['wrong authentication password', swap('-A', 'Wrong-Pass-1'), /Authentication failure \(incorrect password, community or key\)/],
      ['wrong privacy password', swap('-X', 'Wrong-Pass-1'), /Decryption error/],
      ['unknown user', swap('-u', 'intruder'), /Unknown user name/],
      ['authNoPriv below authPriv', ['-u', 'nms', '-l', 'authNoPriv', '-a', 'SHA', '-A', 'Auth-Pass-1'], /authorizationError/],
    ];
    for (const [name, args, expected] of cases) {
      const r = await tools.run('snmpget', ['-v3', ...args, ...QUICK, target(), '.1.3.6.1.2.1.1.1.0']);
      assert.notEqual(r.code, 0, name);
      assert.match(r.out, expected, `${name}: ${r.out}`);
    }
    const usm = device.status.get('snmp')!;
    assert.ok(usm.received > usm.answered);
  });

  it('v3 authPriv MD5/DES', async () => {
    device.store.applyOrThrow({ P21906: '1', P21907: '1' }, 'cwmp');
    await new Promise((r) => setTimeout(r, 50));
    const args = ['-u', 'nms', '-l', 'authPriv', '-a', 'MD5', '-A', 'Auth-Pass-1', '-x', 'DES', '-X', 'Priv-Pass-1'];
    const r = await tools.run('snmpget', ['-v3', ...args, ...QUICK, target(), '.1.3.6.1.2.1.1.1.0']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Grandstream HT813/);
    device.store.applyOrThrow({ P21906: '2', P21907: '2' }, 'cwmp');
  });

  it('a P21903 change moves the agent at once', async () => {
    const old = port;
    port = await freePort();
    device.store.applyOrThrow({ P21903: String(port) }, 'cwmp');
    await until('rebound', () => device.status.get('snmp')?.port === port);
    const r = await tools.run('snmpget', ['-v3', ...V3, ...QUICK, target(), '.1.3.6.1.2.1.1.5.0']);
    assert.equal(r.code, 0, r.out);
    const gone = await tools.run('snmpget', ['-v3', ...V3, ...ONCE, `127.0.0.1:${old}`, '.1.3.6.1.2.1.1.5.0']);
    assert.match(gone.out, /Timeout|No Response/);
  });

  it('v2c traps: coldStart at once, the status notification after P21901 minutes', async () => {
    device.store.applyOrThrow({ P21897: '127.0.0.1', P21898: String(trapPort), P21899: '2', P21900: TRAP_COMMUNITY, P21901: '5' }, 'cwmp');
    await until('coldStart', () => trapd.traps().length >= 1);
    assert.match(trapd.traps()[0]!, new RegExp(`^TRAP2, SNMP v2c, community ${TRAP_COMMUNITY}\\|\\|\\|\\|.1.3.6.1.2.1.1.3.0 = Timeticks: \\(\\d+\\).*\t.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.6.3.1.1.5.1$`));
    clock.advance(5 * 60_000 - 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(trapd.traps().length, 1, 'not before 5 minutes');
    clock.advance(1);
    await until('status notification', () => trapd.traps().length >= 2);
    const t = trapd.traps()[1]!;
    assert.match(t, /.1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.42397.2.2.0.1/);
    assert.match(t, /.1.3.6.1.4.1.42397.2.1.2.0 = Hex-STRING: 00 0B 82 AA BB CC/);
    assert.match(t, /.1.3.6.1.4.1.42397.2.1.5.1.4.2 = INTEGER: 1/);
  });

  it('v3 traps (authPriv SHA/AES, the trap user of P21911-P21916) and v1 traps', async () => {
    const before = trapd.traps().length;
    device.store.applyOrThrow({ P21899: '3', P21911: 'trapper', P21916: '2', P21912: '2', P21913: '2', P21914: 'Trap-Auth-1', P21915: 'Trap-Priv-1' }, 'cwmp');
    await until('v3 coldStart', () => trapd.traps().length > before);
    assert.match(trapd.traps()[before]!, /^TRAP2, SNMP v3, user trapper, context \|\|\|\|.*OID: .1.3.6.1.6.3.1.1.5.1$/);
    clock.advance(5 * 60_000);
    await until('v3 status notification', () => trapd.traps().length > before + 1);
    assert.match(trapd.traps()[before + 1]!, /^TRAP2, SNMP v3, user trapper.*OID: .1.3.6.1.4.1.42397.2.2.0.1/);

    device.store.applyOrThrow({ P21899: '1' }, 'cwmp');
    await until('v1 coldStart', () => trapd.traps().length > before + 2);
    assert.match(trapd.traps()[before + 2]!, new RegExp(`^TRAP, SNMP v1, community ${TRAP_COMMUNITY}\\|.1.3.6.1.4.1.42397.1.813\\|0\\|0\\|`));
    clock.advance(5 * 60_000);
    await until('v1 status notification', () => trapd.traps().length > before + 3);
    assert.match(trapd.traps()[before + 3]!, /^TRAP, SNMP v1, community [^|]+\|.1.3.6.1.4.1.42397.2.2\|6\|\.?1\|.1.3.6.1.4.1.42397.2.1.1.0 = STRING/);
  });
});
