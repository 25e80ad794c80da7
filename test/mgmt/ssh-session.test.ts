/*
 * Test plan: an SshSession driven by the in-memory test client (ssh-client.ts), FakeClock.
 * - Handshake with each kex and cipher; the host key signs H; strict KEX sequence reset.
 * - Password authentication: success per level; "none"/"publickey" get the method list without
 *   counting; three wrong passwords → DISCONNECT 14; the lockout shared with Telnet (one
 *   ConsoleLogin); passwords never logged.
 * - Channels: exec (exit-status = the CLI's exit code, reply before output), shell with pty
 *   (banner, prompt, echo) and without (plain lines), the client's window honoured, a client
 *   re-exchange mid-session, non-session channels refused, reboot run after the channel closes.
 * - Limits on the clock: the 60 s login grace time, the P28116 idle timeout; hostile input: an
 *   oversized packet, a bad identification line, strict-KEX violations, a message before
 *   authentication: each ends with DISCONNECT and one log line, never an exception.
 */
import assert from 'node:assert/strict';
import { MSG } from '../../cpe/mgmt/ssh/messages';
import { hostKeyFromSeed } from '../../cpe/mgmt/ssh/host-key';
import { MAX_AUTH_TRIES, SshSession } from '../../cpe/mgmt/ssh/ssh-session';
import { SshWriter } from '../../cpe/mgmt/ssh/wire';
import { TelnetSession } from '../../cpe/mgmt/telnet/telnet-session';
import { MemoryConn, makeFixture, type Fixture } from './fixture';
import { TestSshClient, type ClientOptions } from './ssh-client';

const HOST_KEY = hostKeyFromSeed(Buffer.alloc(32, 0x2a));

describe('ssh session', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = makeFixture({ P196: 'user-pw-7', P28113: 'view-pw-8' });
  });
  afterEach(() => fx.close());

  function open(opts: ClientOptions = {}, remote = '127.0.0.1'): TestSshClient {
    const conn = new MemoryConn(remote);
    const s = new SshSession(conn, { ...fx.deps(5), hostKey: HOST_KEY, serverVersion: 'SSH-2.0-GS_HT813' });
    s.start();
    return new TestSshClient(s, conn, opts);
  }

  function loggedIn(opts: ClientOptions = {}, user = 'admin', pw = 'admin'): TestSshClient {
    const c = open(opts);
    c.handshake();
    assert.deepEqual(c.login(user, pw), [Buffer.from([MSG.USERAUTH_SUCCESS])]);
    return c;
  }

  for (const kex of ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256'] as const) {
    for (const cipher of ['aes128-ctr', 'aes256-ctr', 'aes256-gcm@openssh.com'] as const) {
      it(`${kex} with ${cipher}: handshake, login, exec`, () => {
        const c = loggedIn({ kex, cipher });
        assert.deepEqual(c.hostKeyBlob, HOST_KEY.blob);
        assert.equal(c.session.state, 'connection');
        const r = c.exec('get P2 P28116');
        assert.equal(r.text, 'P2=********\nP28116=10\n');
        assert.equal(r.exit, 0);
      });
    }
  }

  it('without strict KEX the sequence numbers run on (and with it they reset)', () => {
    const c = loggedIn({ strict: false });
    assert.ok(c.enc.seq > 3, 'not reset');
    assert.equal(c.exec('status').exit, 0);
  });

  it('exec answers the request before the output, then exit-status, EOF, CLOSE', () => {
    const c = loggedIn();
    const ch = c.openSession();
    c.request(ch, 'exec', true, new SshWriter().string('set P3=Lobby P28116=99').toBuffer());
    const ev = c.channelEvents();
    assert.deepEqual(ev.msgs, [MSG.CHANNEL_SUCCESS, MSG.CHANNEL_DATA, MSG.CHANNEL_REQUEST, MSG.CHANNEL_EOF, MSG.CHANNEL_CLOSE]);
    assert.equal(ev.text, 'batch rejected, nothing changed\n  P28116="99": must be an integer from 1 to 60\n');
    assert.equal(ev.exit, 1);
    assert.equal(fx.store.get(3), '');
    assert.equal(c.exec('bogus').exit, 2);
  });

  it('levels: user and viewer by their passwords; the name picks the level', () => {
    assert.equal(loggedIn({}, 'viewer', 'view-pw-8').exec('set P146=x').text, 'set: not allowed at the viewer level\n');
    assert.equal(loggedIn({}, 'user', 'user-pw-7').exec('get P47').text, 'P47: the user level may not read sip1.primaryServer\n');
    const c = open();
    c.handshake();
    assert.equal(c.login('viewer', 'admin')[0]![0], MSG.USERAUTH_FAILURE);
  });

  it('"none" and other methods get the method list and do not count as wrong passwords', () => {
    const c = open();
    c.handshake();
    c.login('admin', 'x'); // accepts the service
    for (let i = 0; i < 5; i++) {
      c.send(new SshWriter().byte(MSG.USERAUTH_REQUEST).string('admin').string('ssh-connection').string(i % 2 ? 'none' : 'publickey').toBuffer());
      const [f] = c.packets();
      assert.deepEqual(f, new SshWriter().byte(MSG.USERAUTH_FAILURE).nameList(['password']).bool(false).toBuffer());
    }
    assert.deepEqual(c.login('admin', 'admin'), [Buffer.from([MSG.USERAUTH_SUCCESS])]);
  });

  it(`${MAX_AUTH_TRIES} wrong passwords end the connection with DISCONNECT 14`, () => {
    const c = open();
    c.handshake();
    for (let i = 1; i < MAX_AUTH_TRIES; i++) assert.equal(c.login('admin', `bad-${i}`)[0]![0], MSG.USERAUTH_FAILURE);
    c.login('admin', 'bad-last');
    assert.deepEqual(c.disconnect, { reason: 14, description: 'Too many authentication failures.' });
    assert.equal(c.conn.ended, true);
    assert.equal(c.session.state, 'closed');
    assert.equal(fx.clock.timerCount, 0);
    assert.ok(!/bad-/.test(fx.log.text()), 'no password in the log');
  });

  it('the lockout (P28117, P1683) counts SSH and Telnet failures of an address together', () => {
    fx.store.applyOrThrow({ P28117: '3', P1683: '5' }, 'cli');
    const addr = '198.51.100.4';
    const tconn = new MemoryConn(addr);
    const t = new TelnetSession(tconn, fx.deps());
    t.start();
    for (const line of ['admin\r', 'x\r', 'admin\r', 'y\r']) t.receive(Buffer.from(line));
    const c = open({}, addr);
    c.handshake();
    c.login('admin', 'z');
    assert.equal(c.disconnect?.reason, 14);
    assert.match(c.disconnect?.description ?? '', /locked out for 5 more minute/);
    const d = open({}, addr);
    d.handshake();
    d.login('admin', 'admin'); // right, but locked
    assert.match(d.disconnect?.description ?? '', /locked out/);
    fx.clock.advance(5 * 60_000);
    const e = open({}, addr);
    e.handshake();
    assert.deepEqual(e.login('admin', 'admin'), [Buffer.from([MSG.USERAUTH_SUCCESS])]);
  });

  it('shell with a pty: banner, prompt, echo, CR LF; exit closes with status 0', () => {
    const c = loggedIn();
    const ch = c.openSession();
    c.request(ch, 'pty-req', true, new SshWriter().string('xterm').uint32(80).uint32(24).uint32(0).uint32(0).string('').toBuffer());
    c.request(ch, 'env', true, new SshWriter().string('LANG').string('C').toBuffer());
    c.request(ch, 'shell', true);
    const start = c.channelEvents();
    assert.deepEqual(start.msgs.slice(0, 3), [MSG.CHANNEL_SUCCESS, MSG.CHANNEL_FAILURE, MSG.CHANNEL_SUCCESS]);
    assert.equal(start.text, 'Grandstream HT813\r\nLogged in at the admin level. Type help for the commands.\r\nGS> ');
    c.data(ch, 'get P2\r');
    assert.equal(c.channelEvents().text, 'get P2\r\nP2=********\r\nGS> ');
    c.data(ch, 'exit\r');
    const end = c.channelEvents();
    assert.equal(end.text, 'exit\r\n');
    assert.equal(end.exit, 0);
    assert.deepEqual(end.msgs.slice(-2), [MSG.CHANNEL_EOF, MSG.CHANNEL_CLOSE]);
  });

  it('shell without a pty: no banner, no prompt, no echo; EOF ends it with the last exit code', () => {
    const c = loggedIn();
    const ch = c.openSession();
    c.request(ch, 'shell', false);
    c.data(ch, 'get P28116\nset P28116=5\nget P9999');
    assert.equal(c.channelEvents().text, 'P28116=10\n1 changed\n');
    c.send(new SshWriter().byte(MSG.CHANNEL_EOF).uint32(ch).toBuffer());
    const end = c.channelEvents();
    assert.equal(end.text, 'P9999: no such parameter\n');
    assert.equal(end.exit, 1);
  });

  it('output waits for the client’s window and continues on WINDOW_ADJUST', () => {
    const c = loggedIn();
    const ch = c.openSession(10, 4);
    c.request(ch, 'exec', false, new SshWriter().string('get P28116 P2').toBuffer());
    let ev = c.channelEvents();
    assert.equal(ev.text, 'P28116=10\n'); // 10 bytes, in packets of 4 at most
    assert.deepEqual(ev.msgs, [MSG.CHANNEL_DATA, MSG.CHANNEL_DATA, MSG.CHANNEL_DATA]);
    c.send(new SshWriter().byte(MSG.CHANNEL_WINDOW_ADJUST).uint32(ch).uint32(1000).toBuffer());
    ev = c.channelEvents();
    assert.equal(ev.text, 'P2=********\n');
    assert.equal(ev.exit, 0);
  });

  it('a key re-exchange mid-session keeps the session going', () => {
    const c = loggedIn({ cipher: 'aes256-gcm@openssh.com' });
    assert.equal(c.exec('get P28116').text, 'P28116=10\n');
    c.rekey();
    assert.equal(c.exec('get P28116').text, 'P28116=10\n');
  });

  it('refuses non-session channels and answers unknown global requests', () => {
    const c = loggedIn();
    c.send(new SshWriter().byte(MSG.CHANNEL_OPEN).string('direct-tcpip').uint32(3).uint32(1000).uint32(1000).string('10.0.0.1').uint32(22).string('1.2.3.4').uint32(5).toBuffer());
    const [f] = c.packets();
    assert.equal(f?.[0], MSG.CHANNEL_OPEN_FAILURE);
    c.send(new SshWriter().byte(MSG.GLOBAL_REQUEST).string('tcpip-forward').bool(true).string('').uint32(80).toBuffer());
    assert.deepEqual(c.packets(), [Buffer.from([MSG.REQUEST_FAILURE])]);
    c.send(Buffer.from([MSG.CHANNEL_SUCCESS + 50]));
    assert.equal(c.packets()[0]?.[0], MSG.UNIMPLEMENTED);
  });

  it('reboot over exec: the output, exit-status and CLOSE first, then the device reboots', () => {
    const c = loggedIn();
    const r = c.exec('reboot');
    assert.equal(r.text, 'Rebooting...\n');
    assert.equal(r.exit, 0);
    assert.deepEqual(fx.actions, [{ kind: 'reboot' }]);
    assert.deepEqual(loggedIn({}, 'user', 'user-pw-7').exec('reboot').exit, 1);
    assert.equal(fx.actions.length, 1);
  });

  it('the login grace time ends a connection that does not authenticate, exactly at 60 s', () => {
    const c = open();
    c.handshake();
    fx.clock.advance(59_999);
    assert.equal(c.conn.ended, false);
    fx.clock.advance(1);
    c.packets();
    assert.deepEqual(c.disconnect, { reason: 11, description: 'login grace time over' });
    assert.equal(c.conn.ended, true);
    assert.equal(fx.clock.timerCount, 0);
  });

  it('the idle timeout (P28116 minutes) ends a quiet session; traffic pushes it back', () => {
    fx.store.applyOrThrow({ P28116: '1' }, 'cli');
    const c = loggedIn();
    fx.clock.advance(50_000);
    c.exec('status');
    fx.clock.advance(59_999);
    assert.equal(c.conn.ended, false);
    fx.clock.advance(1);
    c.packets();
    assert.deepEqual(c.disconnect, { reason: 11, description: 'idle timeout' });
    assert.equal(fx.clock.timerCount, 0);
  });

  const hostile: Array<[string, (c: TestSshClient) => void, number, RegExp]> = [
    ['a non-SSH identification line', (c) => c.raw(Buffer.from('GET / HTTP/1.1\r\n')), 8, /not an SSH-2.0 client/],
    ['255 bytes without a line end', (c) => c.raw(Buffer.alloc(300, 0x41)), 8, /no identification line/],
    [
      'a packet longer than the limit',
      (c) => {
        c.raw(Buffer.from('SSH-2.0-x\r\n'));
        c.raw(Buffer.from([0, 1, 0, 0, 4, 0, 0, 0])); // the first block says 65536 bytes follow
      },
      2,
      /packet length 65536 over/,
    ],
    [
      'IGNORE before KEXINIT under strict KEX',
      (c) => {
        c.raw(Buffer.from('SSH-2.0-x\r\n'));
        c.send(new SshWriter().byte(MSG.IGNORE).string('').toBuffer());
        c.send(c.kexInit());
      },
      2,
      /KEXINIT was not the first packet/,
    ],
    [
      'a service request before the key exchange',
      (c) => {
        c.raw(Buffer.from('SSH-2.0-x\r\n'));
        c.send(new SshWriter().byte(MSG.SERVICE_REQUEST).string('ssh-userauth').toBuffer());
      },
      2,
      /before the first key exchange/,
    ],
    [
      'a channel open before authentication',
      (c) => {
        c.handshake();
        c.send(new SshWriter().byte(MSG.SERVICE_REQUEST).string('ssh-userauth').toBuffer());
        c.send(new SshWriter().byte(MSG.CHANNEL_OPEN).string('session').uint32(0).uint32(1).uint32(1).toBuffer());
      },
      2,
      /message 90 before authentication/,
    ],
    ['no common cipher', (c) => ((c as unknown as { opts: ClientOptions }).opts = { cipher: '3des-cbc' as never }, c.handshake()), 3, /no common cipher/],
  ];
  for (const [name, act, reason, msg] of hostile) {
    it(`${name}: DISCONNECT ${reason}, one log line, no exception`, () => {
      const c = open();
      try {
        act(c);
      } catch {
        // the test client's own assertions may fail once the server hangs up
      }
      c.packets();
      assert.equal(c.disconnect?.reason, reason);
      assert.match(c.disconnect?.description ?? '', msg);
      assert.equal(c.conn.ended, true);
      const lines = fx.log.records.filter((r) => r.msg === 'ssh: bad input, connection closed');
      assert.equal(lines.length, 1);
      assert.equal(fx.clock.timerCount, 0);
    });
  }
});
