/*
 * Test plan: Telnet without sockets (FakeClock, in-memory Conn).
 * - TelnetDecoder: IAC sequences out of the data (RFC 854), IAC IAC as 255, commands, a sequence
 *   split across reads, subnegotiations skipped and bounded.
 * - TelnetOptions (RFC 857/858, RFC 1143's no-loop rule): the offer, acknowledgements, refusals.
 * - TelnetSession: banner and negotiation; login (admin/user/viewer with P2/P196/P28113) with the
 *   password unechoed; IAC stripped from typed input; wrong logins: three per connection, and the
 *   P28117/P1683 lockout across connections; disabled levels (P28158); the login grace time and
 *   the P28116 idle timeout, exactly, on the FakeClock; exit, reboot via the action port;
 *   passwords never in the log.
 */
import assert from 'node:assert/strict';
import {
  AYT,
  DO,
  DONT,
  IAC,
  IP,
  MAX_SUBNEGOTIATION,
  NOP,
  OPT_ECHO,
  OPT_SGA,
  SB,
  SE,
  TelnetDecoder,
  WILL,
  WONT,
  encodeNegotiation,
  escapeData,
} from '../../cpe/mgmt/telnet/telnet-codec';
import { TelnetOptions } from '../../cpe/mgmt/telnet/telnet-options';
import { MAX_LOGIN_TRIES, TelnetSession } from '../../cpe/mgmt/telnet/telnet-session';
import { DecodeError } from '../../cpe/shared/errors';
import { MemoryConn, makeFixture, type Fixture } from './fixture';

const OPT_NAWS = 31;
const OPT_TTYPE = 24;

describe('telnet codec (RFC 854)', () => {
  it('takes IAC sequences out of the data, in order', () => {
    const d = new TelnetDecoder();
    const ev = d.push(Buffer.from([0x61, IAC, WILL, OPT_ECHO, 0x62, IAC, IAC, IAC, NOP, IAC, DO, OPT_SGA, 0x63]));
    assert.deepEqual(ev, [
      { kind: 'data', bytes: Buffer.from('a') },
      { kind: 'negotiate', verb: 'WILL', option: OPT_ECHO },
      { kind: 'data', bytes: Buffer.from([0x62, 0xff]) },
      { kind: 'command', code: NOP },
      { kind: 'negotiate', verb: 'DO', option: OPT_SGA },
      { kind: 'data', bytes: Buffer.from('c') },
    ]);
  });

  it('keeps its place when a sequence is split across reads', () => {
    const d = new TelnetDecoder();
    assert.deepEqual(d.push(Buffer.from([0x61, IAC])), [{ kind: 'data', bytes: Buffer.from('a') }]);
    assert.deepEqual(d.push(Buffer.from([DONT])), []);
    assert.deepEqual(d.push(Buffer.from([OPT_ECHO, 0x62])), [
      { kind: 'negotiate', verb: 'DONT', option: OPT_ECHO },
      { kind: 'data', bytes: Buffer.from('b') },
    ]);
  });

  it('skips subnegotiations (RFC 855), IAC IAC inside them included', () => {
    const d = new TelnetDecoder();
    const ev = d.push(Buffer.from([IAC, SB, OPT_NAWS, 0, 80, IAC, IAC, 24, IAC, SE, 0x78]));
    assert.deepEqual(ev, [{ kind: 'data', bytes: Buffer.from('x') }]);
  });

  it('refuses a subnegotiation longer than its bound', () => {
    const d = new TelnetDecoder();
    d.push(Buffer.from([IAC, SB, OPT_TTYPE]));
    assert.throws(() => d.push(Buffer.alloc(MAX_SUBNEGOTIATION + 1, 0x41)), DecodeError);
  });

  it('escapes 255 in data and encodes negotiations', () => {
    assert.deepEqual(escapeData(Buffer.from([1, 255, 2])), Buffer.from([1, 255, 255, 2]));
    assert.deepEqual(encodeNegotiation('WONT', OPT_NAWS), Buffer.from([IAC, WONT, OPT_NAWS]));
  });
});

describe('telnet options (RFC 857, RFC 858)', () => {
  it('offers WILL ECHO and WILL SGA, and takes the acknowledgements silently', () => {
    const o = new TelnetOptions();
    assert.deepEqual(o.offer(), [
      { verb: 'WILL', option: OPT_ECHO },
      { verb: 'WILL', option: OPT_SGA },
    ]);
    assert.equal(o.echoing, true);
    assert.equal(o.receive('DO', OPT_ECHO), undefined);
    assert.equal(o.receive('DO', OPT_SGA), undefined);
    assert.equal(o.receive('DO', OPT_ECHO), undefined, 'no answer to a mode already in force');
  });

  it('answers each request once and only a change of state (no loops)', () => {
    const o = new TelnetOptions();
    o.offer();
    // table: received → reply
    const steps: Array<[Parameters<TelnetOptions['receive']>, ReturnType<TelnetOptions['receive']>]> = [
      [['DONT', OPT_ECHO], undefined], // refuses our offer: no reply, echo off
      [['DO', OPT_ECHO], { verb: 'WILL', option: OPT_ECHO }], // later asks for it
      [['DONT', OPT_ECHO], { verb: 'WONT', option: OPT_ECHO }],
      [['DONT', OPT_ECHO], undefined],
      [['DO', OPT_NAWS], { verb: 'WONT', option: OPT_NAWS }], // we do not do NAWS
      [['WILL', OPT_TTYPE], { verb: 'DONT', option: OPT_TTYPE }], // nor let the client
      [['WILL', OPT_SGA], { verb: 'DO', option: OPT_SGA }], // client suppressing GA is fine
      [['WILL', OPT_SGA], undefined],
      [['WONT', OPT_SGA], { verb: 'DONT', option: OPT_SGA }],
      [['WONT', OPT_SGA], undefined],
    ];
    for (const [[verb, opt], reply] of steps) assert.deepEqual(o.receive(verb, opt), reply, `${verb} ${opt}`);
    assert.equal(o.echoing, false);
  });
});

describe('telnet session', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = makeFixture({ P196: 'user-pw-7', P28113: 'view-pw-8' });
  });
  afterEach(() => fx.close());

  function open(remote = '127.0.0.1'): { conn: MemoryConn; s: TelnetSession; type(text: string): string } {
    const conn = new MemoryConn(remote);
    const s = new TelnetSession(conn, fx.deps());
    s.start();
    return { conn, s, type: (text: string) => (s.receive(Buffer.from(text, 'latin1')), conn.take().toString('latin1')) };
  }

  function login(t: ReturnType<typeof open>, user: string, pw: string): string {
    t.type(`${user}\r\n`);
    return t.type(`${pw}\r\n`);
  }

  it('negotiates, greets, and logs in with the password unechoed', () => {
    const t = open();
    const first = t.conn.take();
    assert.deepEqual(first.subarray(0, 6), Buffer.from([IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA]));
    assert.equal(first.subarray(6).toString(), 'Grandstream HT813\r\n\r\nLogin: ');
    // the client's acknowledgements (DO ECHO, DO SGA) need no answer; a DO NAWS gets WONT
    assert.equal(t.type('\xff\xfd\x01\xff\xfd\x03'), '');
    assert.equal(t.type('\xff\xfd\x1f'), '\xff\xfc\x1f');
    assert.equal(t.type('admin\r\n'), 'admin\r\nPassword: ');
    assert.equal(t.type('admin\r\n'), '\r\n\r\nLogged in at the admin level. Type help for the commands.\r\nGS> ');
    assert.equal(t.s.state, 'shell');
    assert.equal(t.s.authenticated, true);
    assert.equal(t.type('get P2\r\n'), 'get P2\r\nP2=********\r\nGS> ');
    assert.ok(!fx.log.text().includes('"admin\\r'), 'no raw input in the log');
  });

  it('strips IAC sequences from typed input and answers AYT; IP cancels the line', () => {
    const t = open();
    login(t, 'admin', 'admin');
    // WILL TTYPE and a NOP inside the typed line: refused / dropped, the line is whole
    assert.equal(t.type('ge\xff\xfb\x18t P\xff\xf147\r\n'), 'ge\xff\xfe\x18t P47\r\nP47=\r\nGS> ');
    t.s.receive(Buffer.from([0x78, IAC, IP]));
    assert.match(t.conn.take().toString(), /x\^C\r\nGS> $/);
    t.s.receive(Buffer.from([IAC, AYT]));
    assert.equal(t.conn.take().toString(), '\r\n[yes]\r\n');
  });

  it('viewer and user levels get their own password; a disabled level is refused', () => {
    let t = open();
    assert.match(login(t, 'viewer', 'view-pw-8'), /viewer level/);
    assert.equal(t.type('set P146=x\r'), 'set P146=x\r\nset: not allowed at the viewer level\r\nGS> ');
    t = open();
    assert.match(login(t, 'user', 'user-pw-7'), /user level/);
    fx.store.applyOrThrow({ P28158: '1' }, 'cli');
    t = open();
    assert.match(login(t, 'user', 'user-pw-7'), /Login incorrect/);
    t = open();
    assert.match(login(t, 'USER', 'admin'), /Login incorrect/, 'the name picks the level: admin’s password does not open user');
  });

  it('closes after three wrong logins on one connection', () => {
    const t = open();
    for (let i = 1; i < MAX_LOGIN_TRIES; i++) assert.match(login(t, 'admin', `nope${i}`), /\r\nLogin incorrect\r\n\r\nLogin: $/);
    assert.match(login(t, 'admin', 'nope3'), /Login incorrect\r\n$/);
    assert.equal(t.conn.ended, true);
    assert.equal(t.s.state, 'closed');
    assert.ok(!fx.log.text().includes('nope'), 'wrong passwords are not logged');
  });

  it('locks the address out after P28117 failures for P1683 minutes, across connections', () => {
    fx.store.applyOrThrow({ P28117: '4', P1683: '2' }, 'cli');
    const a = open('192.0.2.7');
    for (let i = 0; i < 3; i++) login(a, 'admin', 'x');
    assert.equal(a.conn.ended, true);
    const b = open('192.0.2.7');
    assert.match(login(b, 'admin', 'y'), /Too many failed logins: locked out for 2 more minute\(s\)\.\r\n$/);
    assert.equal(b.conn.ended, true);
    const c = open('192.0.2.7');
    assert.equal(c.conn.take().toString(), 'Too many failed logins: locked out for 2 more minute(s).\r\n', 'refused at connect');
    assert.equal(c.conn.ended, true);
    // another address is not affected; the right password during the lockout does not help
    assert.match(login(open('192.0.2.8'), 'admin', 'admin'), /Logged in/);
    fx.clock.advance(2 * 60_000);
    assert.match(login(open('192.0.2.7'), 'admin', 'admin'), /Logged in/);
  });

  it('the login grace time closes a connection that never logs in, exactly at 60 s', () => {
    const t = open();
    t.type('adm');
    fx.clock.advance(59_999);
    assert.equal(t.conn.ended, false);
    t.type('in\r'); // typing does not extend the grace time
    fx.clock.advance(1);
    assert.match(t.conn.take().toString(), /Login timed out\.\r\n$/);
    assert.equal(t.conn.ended, true);
    assert.equal(fx.clock.timerCount, 0);
  });

  it('the idle timeout (P28116 minutes) closes a quiet session; activity pushes it back', () => {
    fx.store.applyOrThrow({ P28116: '2' }, 'cli');
    const t = open();
    login(t, 'admin', 'admin');
    fx.clock.advance(90_000);
    t.type('status\r');
    fx.clock.advance(119_999);
    assert.equal(t.conn.ended, false);
    fx.clock.advance(1);
    assert.match(t.conn.take().toString(), /Idle timeout: session closed\.\r\n$/);
    assert.equal(t.conn.ended, true);
    assert.equal(fx.clock.timerCount, 0);
  });

  it('exit says goodbye; reboot is handed to the device after the session ends', () => {
    let t = open();
    login(t, 'admin', 'admin');
    assert.equal(t.type('exit\r'), 'exit\r\nBye.\r\n');
    assert.equal(t.conn.ended, true);
    assert.deepEqual(fx.actions, []);
    t = open();
    login(t, 'admin', 'admin');
    assert.equal(t.type('reboot\r'), 'reboot\r\nRebooting...\r\nBye.\r\n');
    assert.deepEqual(fx.actions, [{ kind: 'reboot' }]);
    assert.equal(fx.clock.timerCount, 0);
  });

  it('^D at the login prompt closes; a peer close releases the timer; shutdown says why', () => {
    let t = open();
    t.type('\x04');
    assert.equal(t.conn.ended, true);
    t = open();
    t.s.closed();
    assert.equal(fx.clock.timerCount, 0);
    t = open();
    t.conn.take();
    t.s.shutdown('Telnet has been turned off.');
    assert.equal(t.conn.take().toString(), '\r\nTelnet has been turned off.\r\n');
    assert.equal(t.conn.ended, true);
    assert.equal(fx.clock.timerCount, 0);
  });

  it('passwords never reach the log', () => {
    const t = open();
    login(t, 'admin', 'wrong-secret-1');
    login(t, 'wrong-secret-2', 'x');
    login(open(), 'admin', 'admin');
    const text = fx.log.text();
    for (const secret of ['wrong-secret-1', 'wrong-secret-2']) assert.ok(!text.includes(secret), `${secret} logged`);
    assert.match(text, /"user":"\(other\)"/, 'an unknown user name (maybe a password typed there) is not logged as typed');
    assert.match(text, /"user":"admin","level":"admin"/);
  });
});
