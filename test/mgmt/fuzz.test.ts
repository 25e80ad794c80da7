/*
 * Test plan: hostile bytes into both servers. The only outcome allowed is a closed (or still
 * waiting) connection: no exception, no timer once the connection is gone, the unit still serves.
 * - In memory: thousands of seeded random inputs (noise, and noise after a valid prefix: an SSH
 *   identification line and KEXINIT, a Telnet login) into SshSession and TelnetSession.
 * - On sockets: connections to the running service sending random bytes; afterwards a proper
 *   Telnet login and SSH identification still work.
 */
import assert from 'node:assert/strict';
import { MgmtService } from '../../cpe/mgmt/mgmt-service';
import { hostKeyFromSeed } from '../../cpe/mgmt/ssh/host-key';
import { encodeServerKexInit } from '../../cpe/mgmt/ssh/kexinit';
import { PacketEncoder } from '../../cpe/mgmt/ssh/packet-codec';
import { SshSession } from '../../cpe/mgmt/ssh/ssh-session';
import { TelnetSession } from '../../cpe/mgmt/telnet/telnet-session';
import type { ServiceContext } from '../../cpe/service';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { StatusBoard } from '../../cpe/status';
import { freePort } from '../support/ports';
import { FakeDevice, testIdentity } from '../web/harness';
import { MemoryConn, makeFixture, type Fixture } from './fixture';
import { rawClient, until } from './net-helpers';

const HOST_KEY = hostKeyFromSeed(Buffer.alloc(32, 7));

function noise(r: SeededRandom): Buffer {
  const n = r.int(4) === 0 ? r.int(40_000) : r.int(300);
  return r.bytes(n);
}

/** An SSH prefix a fuzzed tail follows: the identification line, maybe a well-formed KEXINIT. */
function sshPrefix(r: SeededRandom): Buffer {
  const line = Buffer.from('SSH-2.0-Fuzz\r\n');
  if (r.int(2) === 0) return line;
  return Buffer.concat([line, new PacketEncoder(r).encode(encodeServerKexInit(r.bytes(16), true))]);
}

describe('mgmt fuzz', function () {
  this.timeout(60_000);
  let fx: Fixture;
  beforeEach(() => {
    fx = makeFixture();
  });
  afterEach(() => fx.close());

  it('SshSession: 1,500 random inputs end in a closed or waiting connection, never an exception', () => {
    const r = new SeededRandom(1);
    for (let i = 0; i < 1500; i++) {
      const conn = new MemoryConn();
      const s = new SshSession(conn, { ...fx.deps(i), hostKey: HOST_KEY, serverVersion: 'SSH-2.0-GS_HT813' });
      s.start();
      const input = i % 3 === 0 ? noise(r) : Buffer.concat([sshPrefix(r), noise(r)]);
      // in one piece, or in random slices
      if (r.int(2) === 0) s.receive(input);
      else for (let at = 0; at < input.length; ) at += (s.receive(input.subarray(at, at + 1 + r.int(64))), 1 + r.int(64));
      assert.ok(conn.ended || s.state !== 'closed', 'closed state ⇒ connection ended');
      s.closed();
      assert.equal(fx.clock.timerCount, 0);
    }
    assert.ok(fx.log.records.every((rec) => rec.level !== 'error'), 'no internal error, only bad input');
  });

  it('TelnetSession: 1,500 random inputs, before and after login, never an exception', () => {
    const r = new SeededRandom(2);
    for (let i = 0; i < 1500; i++) {
      const conn = new MemoryConn(`10.0.${i >> 8}.${i & 255}`); // own addresses: the lockout stays out of it
      const s = new TelnetSession(conn, fx.deps(i));
      s.start();
      if (i % 2 === 0) s.receive(Buffer.from('admin\r\nadmin\r\n'));
      const input = noise(r);
      for (let at = 0; at < input.length; at += 512) s.receive(input.subarray(at, at + 512));
      s.closed();
      assert.equal(fx.clock.timerCount, 0);
    }
    assert.ok(fx.log.records.every((rec) => rec.level !== 'error'), 'no internal error');
  });

  it('on sockets: random bytes only close connections; the service still serves', async () => {
    const log = new CapturingLogger();
    const [sshPort, telnetPort] = [await freePort(), await freePort()];
    // P1683 = 0: the noise's "logins" from 127.0.0.1 must not lock the final check out
    fx.store.applyOrThrow({ P276: '0', P27006: String(sshPort), P28120: '0', P28128: String(telnetPort), P1683: '0' }, 'cli');
    const ctx: ServiceContext = {
      identity: testIdentity(),
      store: fx.store,
      clock: fx.clock,
      random: new SeededRandom(3),
      log,
      dataDir: fx.dir,
      network: { address: '127.0.0.1', dhcpOptions: new Map() },
      ports: {},
      device: new FakeDevice(() => fx.store, fx.clock.now()),
      status: new StatusBoard(),
      services: { get: () => undefined },
    };
    const svc = new MgmtService(ctx);
    await svc.start();
    try {
      const r = new SeededRandom(4);
      for (let round = 0; round < 4; round++) {
        const clients = await Promise.all(
          [sshPort, sshPort, telnetPort, telnetPort].map(async (port, k) => {
            const c = await rawClient(port);
            c.sock.write(k === 0 ? Buffer.concat([Buffer.from('SSH-2.0-Fuzz\r\n'), r.bytes(5000)]) : r.bytes(3000 + r.int(3000)));
            return c;
          }),
        );
        // SSH clients are cut off for bad input; Telnet ones are told to go away by the grace time
        await until(() => clients.slice(0, 2).every((c) => c.closed()), 'the SSH connections closed');
        fx.clock.advance(60_000);
        await until(() => clients.every((c) => c.closed()), 'every connection closed');
      }
      assert.ok(log.records.every((rec) => rec.level !== 'error'), 'no internal error');
      const t = await rawClient(telnetPort);
      await until(() => t.text().includes('Login: '), 'a Telnet login prompt');
      t.sock.write('admin\r\nadmin\r\nget P28120\r\n');
      await until(() => t.text().includes('P28120=0'), 'a command answered');
      t.sock.destroy();
      const s = await rawClient(sshPort);
      await until(() => s.text().startsWith('SSH-2.0-GS_HT813\r\n'), 'an SSH identification');
      s.sock.destroy();
    } finally {
      await svc.stop('shutdown');
    }
    assert.equal(fx.clock.timerCount, 0);
  });
});
