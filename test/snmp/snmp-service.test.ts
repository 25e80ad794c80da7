/*
 * Test plan: the 'snmp' service on a Device (FakeClock, seeded Random, in-memory sockets).
 * - Off by default: no socket, no timer, status off.
 * - P21896 = 1 (v2c): bound at once on the unit's address, P21903 + the fleet offset, no reboot
 *   asked; a GetRequest is answered; a port change rebinds; P21896 = 0 closes the socket.
 * - A port that cannot be bound: status error with the reason; the next change that frees it binds.
 * - Traps: coldStart as soon as a destination is set, htStatusNotification every P21901 minutes
 *   exactly (the status subtree bound), a new interval re-arms from now without another coldStart,
 *   no destination (or SNMP off) leaves no timer; a trap host name is resolved; v1 and v3
 *   (authPriv) traps decode as such.
 * - Bad datagrams: dropped, one warning a minute with the count of the others.
 * - Keys and communities appear in no log record and not on the status board.
 * - DES unavailable: a DES configuration is refused with the reason on the status board.
 * - Shutdown leaves no socket and no timer.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { oid, oidText } from '../../cpe/snmp/oid';
import { engineIdFromMac } from '../../cpe/snmp/snmp-engine';
import { decodeMessage, encodeCommunityMessage, type DecodedV3Message } from '../../cpe/snmp/snmp-message';
import { V, type Pdu } from '../../cpe/snmp/snmp-pdu';
import { SnmpService, type SnmpServiceOptions } from '../../cpe/snmp/snmp-service';
import { usmIncoming } from '../../cpe/snmp/usm';
import { localizeUser } from '../../cpe/snmp/usm-keys';
import { FakeClock } from '../support/fake-clock';
import { MemorySockets, flush } from './memory-sockets';

const MAC = '000b82112233';
const ADDRESS = '127.1.0.9';
const COMMUNITY = 'Comm-3f9a';
const TRAP_COMMUNITY = 'Trap-77c1';
const KEYS = ['Auth-Key-5d2e', 'Priv-Key-8b4c', 'Trap-Auth-1a2b', 'Trap-Priv-3c4d'];

const getSysName = (community = COMMUNITY): Buffer =>
  encodeCommunityMessage({ version: 'v2c', community: Buffer.from(community), pdu: { type: 'GetRequest', requestId: 11, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: oid('1.3.6.1.2.1.1.5.0'), value: V.null }] } });

describe('snmp service on a unit', () => {
  let dir: string;
  let clock: FakeClock;
  let sockets: MemorySockets;
  let log: CapturingLogger;
  let device: Device;
  const lookups: string[] = [];

  async function boot(opts: SnmpServiceOptions = {}): Promise<void> {
    device = new Device({
      dataDir: dir,
      mac: MAC,
      clock,
      random: new SeededRandom(7),
      log,
      network: { address: ADDRESS },
      ports: { offset: 100 },
      services: [{ name: 'snmp', create: (ctx) => new SnmpService(ctx, { openSocket: sockets.open, lookup: async (h) => (lookups.push(h), '192.0.2.77'), ...opts }) }],
    });
    await device.boot();
  }

  async function set(values: Record<string, string>): Promise<void> {
    const r = device.store.applyOrThrow(values, 'cli');
    assert.equal(r.rebootRequired, false, 'SNMP settings need no reboot');
    await flush();
  }

  /** Traps sent to the destination so far, decoded. */
  function traps(port = 162): ReturnType<typeof decodeMessage>[] {
    return sockets.opened.flatMap((s) => s.sent.filter((x) => x.port === port).map((x) => decodeMessage(x.bytes)));
  }

  function trapOid(m: ReturnType<typeof decodeMessage>): string {
    assert.ok(m.version !== 'v3' && m.pdu.type === 'SNMPv2-Trap');
    return oidText((m.pdu.varbinds[1]!.value as { value: readonly number[] }).value);
  }

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-snmp-'));
    clock = new FakeClock();
    sockets = new MemorySockets();
    log = new CapturingLogger();
    lookups.length = 0;
    await boot();
  });

  afterEach(async () => {
    await device.shutdown();
    assert.equal(clock.timerCount, 0, 'nothing left armed');
    assert.equal(sockets.current, undefined, 'no socket left open');
    const logged = JSON.stringify(log.records);
    for (const secret of [COMMUNITY, TRAP_COMMUNITY, ...KEYS]) assert.ok(!logged.includes(secret), `${secret} never logged`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is off by default: no socket, no timer', () => {
    assert.equal(sockets.opened.length, 0);
    assert.equal(clock.timerCount, 0);
    assert.deepEqual(device.status.get('snmp'), { state: 'off', engineId: '8000a59d03000b82112233', received: 0, answered: 0, problems: [] });
  });

  it('v2c on: bound on the unit address at P21903 + offset at once; answers; rebinds on a port change; closes when off', async () => {
    await set({ P21896: '1', P21904: '2', P21902: COMMUNITY });
    const s = sockets.current!;
    assert.deepEqual([s.address, s.port], [ADDRESS, 261]);
    assert.equal(clock.timerCount, 0, 'an agent without traps arms nothing');
    const [reply] = s.deliver(getSysName());
    const m = decodeMessage(reply!);
    assert.ok(m.version === 'v2c');
    assert.deepEqual((m.pdu as Pdu).varbinds[0]!.value, V.str('HT813-000B82112233'));
    assert.deepEqual(s.deliver(getSysName('public')), [], 'a wrong community: no answer');

    await set({ P21903: '1161' });
    assert.equal(s.closed, true);
    assert.equal(sockets.current!.port, 1261);
    assert.equal(sockets.current!.deliver(getSysName()).length, 1);
    assert.deepEqual(device.status.get('snmp'), { state: 'listening', port: 1261, version: 'v2c', engineId: '8000a59d03000b82112233', received: 3, answered: 2, problems: [] });

    await set({ P21902: 'Comm-new-1' });
    assert.equal(sockets.opened.length, 2, 'a community change does not rebind');
    assert.deepEqual(sockets.current!.deliver(getSysName()), [], 'the old community is refused at once');
    assert.equal(sockets.current!.deliver(getSysName('Comm-new-1')).length, 1);

    await set({ P21896: '0' });
    assert.equal(sockets.current, undefined);
    assert.equal(device.status.get('snmp')?.state, 'off');
  });

  it('a port that cannot be bound: status error with the reason; a free port then binds', async () => {
    sockets.busy.add(`${ADDRESS}|261`);
    await set({ P21896: '1', P21904: '2', P21902: COMMUNITY });
    const st = device.status.get('snmp')!;
    assert.equal(st.state, 'error');
    assert.match(st.lastError!, /EADDRINUSE/);
    assert.ok(log.records.some((r) => r.level === 'error' && r.msg === 'snmp: agent port could not be bound; the agent is off'));
    await set({ P21903: '2161' });
    assert.equal(device.status.get('snmp')?.state, 'listening');
    assert.equal(sockets.current!.port, 2261);
  });

  it('traps: coldStart at once, the status notification every P21901 minutes, re-armed on a new interval', async () => {
    await set({ P21896: '1', P21904: '2', P21902: COMMUNITY, P21897: '192.0.2.50', P21900: TRAP_COMMUNITY });
    let sent = traps();
    assert.equal(sent.length, 1);
    assert.equal(trapOid(sent[0]!), '1.3.6.1.6.3.1.1.5.1', 'coldStart');
    assert.equal(sockets.current!.sent[0]!.address, '192.0.2.50');
    assert.ok(sent[0]!.version === 'v2c' && sent[0]!.community.toString() === TRAP_COMMUNITY);
    assert.equal(clock.timerCount, 1);
    assert.equal(clock.nextDelay(), 5 * 60_000, 'P21901 default: 5 minutes');

    clock.advance(5 * 60_000 - 1);
    await flush();
    assert.equal(traps().length, 1, 'not a millisecond early');
    clock.advance(1);
    await flush();
    sent = traps();
    assert.equal(sent.length, 2);
    assert.equal(trapOid(sent[1]!), '1.3.6.1.4.1.42397.2.2.0.1', 'htStatusNotification');
    const bound = (sent[1]! as { pdu: Pdu }).pdu.varbinds.map((v) => oidText(v.oid));
    assert.deepEqual(bound, ['1.3.6.1.2.1.1.3.0', '1.3.6.1.6.3.1.1.4.1.0', '1.3.6.1.4.1.42397.2.1.1.0', '1.3.6.1.4.1.42397.2.1.2.0', '1.3.6.1.4.1.42397.2.1.3.0', '1.3.6.1.4.1.42397.2.1.4.0']);
    assert.deepEqual((sent[1]! as { pdu: Pdu }).pdu.varbinds[0]!.value, V.ticks(30_000), 'sysUpTime: 300 s since boot');

    clock.advance(2 * 60_000);
    await set({ P21901: '1' });
    assert.equal(traps().length, 2, 'a new interval sends no coldStart');
    assert.equal(clock.nextDelay(), 60_000, 're-armed from now');
    clock.advance(60_000);
    await flush();
    assert.equal(traps().length, 3);
    assert.equal(device.status.get('snmp')?.traps?.sent, 3);

    await set({ P21897: '' });
    assert.equal(clock.timerCount, 0, 'no destination: no timer');
    clock.advance(60 * 60_000);
    assert.equal(traps().length, 3);
  });

  it('SNMP off with a trap destination set: no socket, no timer, no trap', async () => {
    await set({ P21897: '192.0.2.50', P21904: '2', P21902: COMMUNITY });
    assert.equal(sockets.opened.length, 0);
    assert.equal(clock.timerCount, 0);
  });

  it('a trap host name is resolved; v1 traps are Trap-PDUs (coldStart, then enterprise-specific 1)', async () => {
    await set({ P21896: '1', P21904: '2', P21902: COMMUNITY, P21897: 'nms.example:1162', P21899: '1', P21900: TRAP_COMMUNITY });
    assert.deepEqual(lookups, ['nms.example']);
    assert.equal(sockets.current!.sent[0]!.address, '192.0.2.77');
    clock.advance(5 * 60_000);
    await flush();
    const [cold, status] = traps(1162);
    assert.ok(cold?.version === 'v1' && cold.pdu.type === 'Trap');
    assert.deepEqual([oidText(cold.pdu.enterprise), cold.pdu.genericTrap, [...cold.pdu.agentAddr].join('.')], ['1.3.6.1.4.1.42397.1.813', 0, ADDRESS]);
    assert.ok(status?.version === 'v1' && status.pdu.type === 'Trap');
    assert.deepEqual([oidText(status.pdu.enterprise), status.pdu.genericTrap, status.pdu.specificTrap, status.pdu.varbinds.length], ['1.3.6.1.4.1.42397.2.2', 6, 1, 4]);
  });

  it('v3 traps (authPriv SHA/AES) from this engine, readable with the trap user', async () => {
    await set({ P21896: '1', P21904: '2', P21902: COMMUNITY, P21897: '192.0.2.50', P21899: '3', P21911: 'trapper', P21916: '2', P21912: '2', P21913: '2', P21914: KEYS[2]!, P21915: KEYS[3]! });
    const raw = sockets.current!.sent[0]!.bytes;
    const m = decodeMessage(raw) as DecodedV3Message;
    assert.deepEqual(m.flags, { auth: true, priv: true, reportable: false });
    const id = engineIdFromMac(MAC);
    const user = localizeUser({ name: 'trapper', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: KEYS[2]!, privKey: KEYS[3]! }, id);
    const r = usmIncoming(m, raw, { id, boots: 1, time: 0 }, () => user);
    assert.ok(r.kind === 'ok', JSON.stringify(r));
    assert.equal(oidText(((r.scoped.pdu as Pdu).varbinds[1]!.value as { value: readonly number[] }).value), '1.3.6.1.6.3.1.1.5.1');
  });

  it('bad datagrams: dropped, one warning a minute carrying the count of the rest', async () => {
    await set({ P21896: '1', P21904: '2', P21902: COMMUNITY });
    const s = sockets.current!;
    for (let i = 0; i < 100; i++) assert.deepEqual(s.deliver(Buffer.from([0x30, 0x80, i])), []);
    const warnings = (): typeof log.records => log.records.filter((r) => r.msg === 'snmp: datagram dropped');
    assert.equal(warnings().length, 1);
    assert.deepEqual(warnings()[0]!.obj, { from: '192.0.2.99:40000', reason: 'parse', detail: 'indefinite length (at 1)' });
    clock.advance(60_000);
    s.deliver(getSysName('guess'));
    assert.equal(warnings().length, 2);
    assert.deepEqual(warnings()[1]!.obj, { from: '192.0.2.99:40000', reason: 'community', suppressed: 99 });
  });

  it('v3 with keys: no key on the status board or in the logs; DES refused when unavailable', async () => {
    await device.shutdown();
    await boot({ desAvailable: false });
    await set({ P21896: '1', P21904: '3', P21905: 'alice', P21910: '2', P21906: '1', P21907: '1', P21908: KEYS[0]!, P21909: KEYS[1]! });
    const st = device.status.get('snmp')!;
    assert.deepEqual(st.problems, ['P21907 = DES refused: DES-CBC is not available in this OpenSSL: v3 requests are refused']);
    assert.ok(!JSON.stringify(st).includes('Key'), 'no key on the status board');
    await set({ P21907: '2' });
    assert.deepEqual(device.status.get('snmp')!.problems, []);
  });
});
