/*
 * Test plan: the 'mgmt' service on a hand-built unit context (FakeClock, real sockets on
 * 127.0.0.1, ports from test/support/ports.ts).
 * - Both off: no socket, no timer, no host key made; status off.
 * - P276 = 0 starts SSH at once (no reboot asked), on P27006 + the fleet offset; the host key is
 *   made once, kept (0600) and reused; a port change rebinds; P276 = 1 closes the listener.
 * - Telnet the same with P28120/P28128; turning it off ends open sessions with a message; the
 *   same port as SSH is refused as a setting problem.
 * - WAN rules (P190 Auto/No/Yes, white/black lists) at connect and on change; limits per
 *   protocol and per address; a port that cannot be bound shows as error until a change frees it.
 * - Stop leaves no socket and no timer.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MAX_CONNECTIONS_PER_CLIENT, MgmtService } from '../../cpe/mgmt/mgmt-service';
import { HOST_KEY_FILE } from '../../cpe/mgmt/ssh/host-key';
import { MSG } from '../../cpe/mgmt/ssh/messages';
import { PacketDecoder } from '../../cpe/mgmt/ssh/packet-codec';
import { SshReader } from '../../cpe/mgmt/ssh/wire';
import type { ParamStore } from '../../cpe/params/store';
import type { ServiceContext } from '../../cpe/service';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import { FakeClock } from '../support/fake-clock';
import { freePort, tcpListening } from '../support/ports';
import { FakeDevice, testIdentity } from '../web/harness';
import { MemoryConn, makeFixture, type Fixture } from './fixture';
import { rawClient, until } from './net-helpers';

describe('mgmt service', function () {
  this.timeout(20_000);
  let fx: Fixture;
  let clock: FakeClock;
  let log: CapturingLogger;
  let status: StatusBoard;
  let svc: MgmtService;
  const offset = 7;

  async function start(params: Record<string, string> = {}): Promise<void> {
    fx = makeFixture(params);
    clock = fx.clock;
    log = new CapturingLogger();
    status = new StatusBoard();
    const ctx: ServiceContext = {
      identity: testIdentity(),
      store: fx.store,
      clock,
      random: new SeededRandom(11),
      log: log.child({ subsystem: 'mgmt' }),
      dataDir: fx.dir,
      network: { address: '127.0.0.1', dhcpOptions: new Map() },
      ports: { offset },
      device: new FakeDevice(() => fx.store, clock.now()),
      status,
      services: { get: () => undefined },
    };
    svc = new MgmtService(ctx);
    await svc.start();
  }

  function set(store: ParamStore, values: Record<string, string>): void {
    const r = store.applyOrThrow(values, 'cli');
    assert.equal(r.rebootRequired, false, 'no reboot asked');
  }

  afterEach(async () => {
    await svc.stop('shutdown');
    assert.equal(clock.timerCount, 0, 'no timer left after stop');
    fx.close();
  });

  it('both off: no socket, no timer, no host key; status off', async () => {
    const port = await freePort();
    await start({ P276: '1', P27006: String(port - offset) });
    assert.deepEqual(status.get('mgmt'), { ssh: { state: 'off', sessions: 0 }, telnet: { state: 'off', sessions: 0 }, problems: [] });
    assert.equal(await tcpListening(port), false);
    assert.equal(clock.timerCount, 0);
    assert.equal(fs.existsSync(path.join(fx.dir, 'mgmt', HOST_KEY_FILE)), false);
    assert.equal(svc.accept('telnet', new MemoryConn()), undefined, 'nothing to accept');
  });

  it('SSH starts, rebinds and stops at once with P276 / P27006; the host key is made once and kept', async () => {
    const [a, b] = [await freePort(), await freePort()];
    await start({ P276: '1' });
    set(fx.store, { P276: '0', P27006: String(a - offset) });
    await until(() => svc.port('ssh') === a, 'SSH on a');
    assert.equal(await tcpListening(a), true);
    const keyFile = path.join(fx.dir, 'mgmt', HOST_KEY_FILE);
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    const fp = status.get('mgmt')?.ssh.hostKey;
    assert.match(fp ?? '', /^SHA256:/);
    assert.ok(log.records.some((r) => r.msg === 'ssh: made the unit host key (ssh-ed25519)'));
    set(fx.store, { P27006: String(b - offset) });
    await until(() => svc.port('ssh') === b, 'SSH moved to b');
    assert.equal(await tcpListening(a), false);
    set(fx.store, { P276: '1' });
    await until(() => svc.port('ssh') === undefined, 'SSH off');
    assert.equal(await tcpListening(b), false);
    assert.equal(status.get('mgmt')?.ssh.state, 'off');
    // a restart reads the same key
    await svc.stop('reboot');
    set(fx.store, { P276: '0' });
    const again = new MgmtService({ ...(svc as unknown as { ctx: ServiceContext }).ctx });
    await again.start();
    assert.equal(again.status.ssh.hostKey, fp);
    await again.stop('shutdown');
  });

  it('Telnet starts at once; turning it off ends its sessions with a message', async () => {
    const port = await freePort();
    await start({ P276: '1' });
    set(fx.store, { P28120: '0', P28128: String(port - offset) });
    await until(() => svc.port('telnet') === port, 'Telnet listening');
    const c = await rawClient(port);
    await until(() => c.text().includes('Login: '), 'the login prompt');
    assert.equal(status.get('mgmt')?.telnet.sessions, 1);
    assert.equal(clock.timerCount, 1, 'one timer: this connection’s login grace time');
    set(fx.store, { P28120: '1' });
    await until(() => c.closed(), 'the session closed');
    assert.match(c.text(), /Telnet has been turned off\.\r\n$/);
    assert.equal(status.get('mgmt')?.telnet.sessions, 0);
  });

  it('the Telnet port may not be the SSH port', async () => {
    const port = await freePort();
    await start({ P276: '0', P27006: String(port - offset), P28120: '0', P28128: String(port - offset) });
    await until(() => svc.port('ssh') === port, 'SSH listening');
    assert.equal(status.get('mgmt')?.telnet.state, 'off');
    assert.match(status.get('mgmt')?.problems[0] ?? '', /Telnet port .* is the SSH port/);
  });

  it('a port that cannot be bound shows as error; a change that frees it binds', async () => {
    const [busy, free] = [await freePort(), await freePort()];
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', () => r()));
    try {
      await start({ P276: '0', P27006: String(busy - offset) });
      const st = status.get('mgmt')!.ssh;
      assert.equal(st.state, 'error');
      assert.match(st.lastError ?? '', /EADDRINUSE/);
      set(fx.store, { P27006: String(free - offset) });
      await until(() => svc.port('ssh') === free, 'SSH on the free port');
    } finally {
      blocker.close();
    }
  });

  describe('WAN access rules (P190, P20701, P20702), as the web UI applies them', () => {
    // client, P190, white, black, allowed
    const table: Array<[string, string, string, string, boolean]> = [
      ['127.0.0.1', '0', '', '', true], // loopback: the local side, always
      ['10.1.2.3', '2', '', '', true], // Auto: private addresses
      ['203.0.113.9', '2', '', '', false],
      ['203.0.113.9', '1', '', '', true],
      ['10.1.2.3', '0', '', '', false],
      ['10.1.2.3', '1', '10.9.0.0/16', '', false],
      ['10.9.2.3', '1', '10.9.0.0/16', '', true],
      ['10.9.2.3', '1', '', '10.9.2.3', false],
    ];
    for (const [client, mode, white, black, ok] of table) {
      it(`${client} with P190=${mode} white=${white || '-'} black=${black || '-'}: ${ok ? 'allowed' : 'refused'}`, async () => {
        await start({ P276: '1', P28120: '0', P28128: String((await freePort()) - offset), P190: mode, P20701: white, P20702: black });
        await until(() => svc.port('telnet') !== undefined, 'Telnet listening');
        const conn = new MemoryConn(client);
        const s = svc.accept('telnet', conn);
        assert.equal(s !== undefined, ok);
        if (!ok) {
          assert.match(conn.take().toString(), /^Access refused: (Telnet access|address)/);
          assert.equal(conn.ended, true);
          assert.ok(log.records.some((r) => r.msg === 'telnet: connection refused'));
        } else s?.closed();
      });
    }

    it('a refused SSH client gets the identification line and DISCONNECT 1 with the reason', async () => {
      await start({ P276: '0', P27006: String((await freePort()) - offset), P190: '0' });
      await until(() => svc.port('ssh') !== undefined, 'SSH listening');
      const conn = new MemoryConn('192.168.1.20');
      assert.equal(svc.accept('ssh', conn), undefined);
      const out = conn.take();
      const lf = out.indexOf(0x0a);
      assert.equal(out.subarray(0, lf + 1).toString(), 'SSH-2.0-GS_HT813\r\n');
      const dec = new PacketDecoder();
      dec.push(out.subarray(lf + 1));
      const r = new SshReader(dec.next()!);
      assert.equal(r.byte(), MSG.DISCONNECT);
      assert.equal(r.uint32(), 1);
      assert.equal(r.utf8(), 'Access refused: SSH access from the WAN side is disabled (P190).');
      assert.equal(conn.ended, true);
    });

    it('a change of the rules ends sessions they now refuse', async () => {
      await start({ P276: '1', P28120: '0', P28128: String((await freePort()) - offset), P190: '1' });
      await until(() => svc.port('telnet') !== undefined, 'Telnet listening');
      const wan = new MemoryConn('203.0.113.9');
      const lan = new MemoryConn('127.0.0.1');
      svc.accept('telnet', wan);
      svc.accept('telnet', lan);
      set(fx.store, { P190: '0' });
      await until(() => wan.ended, 'the WAN session ended');
      assert.match(wan.take().toString(), /Access refused by the WAN access rules \(P190\)\.\r\n$/);
      assert.equal(lan.ended, false);
    });
  });

  it(`at most ${MAX_CONNECTIONS_PER_CLIENT} connections per address and protocol`, async () => {
    await start({ P276: '1', P28120: '0', P28128: String((await freePort()) - offset) });
    await until(() => svc.port('telnet') !== undefined, 'Telnet listening');
    const conns = Array.from({ length: MAX_CONNECTIONS_PER_CLIENT }, () => new MemoryConn('10.0.0.1'));
    for (const c of conns) assert.ok(svc.accept('telnet', c));
    const extra = new MemoryConn('10.0.0.1');
    assert.equal(svc.accept('telnet', extra), undefined);
    assert.match(extra.take().toString(), /too many Telnet connections from this address/);
    assert.ok(svc.accept('telnet', new MemoryConn('10.0.0.2')), 'another address still gets in');
  });

  it('stop closes listeners and sessions, leaving no timer', async () => {
    const port = await freePort();
    await start({ P276: '0', P27006: String(port - offset) });
    await until(() => svc.port('ssh') === port, 'SSH listening');
    const c = await rawClient(port);
    await until(() => c.text().startsWith('SSH-2.0-GS_HT813\r\n'), 'the identification line');
    await svc.stop('shutdown');
    await until(() => c.closed(), 'the connection closed');
    assert.equal(await tcpListening(port), false);
    assert.equal(clock.timerCount, 0);
  });
});
