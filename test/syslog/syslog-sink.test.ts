/*
 * Test plan: the syslog sink under a FakeClock with in-memory channels.
 * - UDP: one message per datagram as is (RFC 5426 §3.1); TLS: octet-counted (RFC 5425 §4.3).
 * - Messages pushed before the channel is ready wait, and go in order once it is.
 * - The queue is bounded in messages and in octets: the oldest are dropped and counted.
 * - A full socket buffer holds messages back until it drains.
 * - A failure reconnects after 1 s, 2 s, 4 s ... capped at 30 s (fixed randomness: the lower
 *   bound of each window exactly), through a fresh lookup; success resets the count.
 * - A connect that never completes is abandoned after the timeout.
 * - A new destination closes the old channel at once; the same one changes nothing; none turns
 *   it off, clears the queue and leaves no timer. Late events of a closed channel are ignored.
 */
import assert from 'node:assert/strict';
import { CapturingLogger } from '../../cpe/shared/logger';
import { frameSyslog } from '../../cpe/syslog/octet-counting';
import { reconnectDelayMs, SyslogSink, type SyslogDestination } from '../../cpe/syslog/syslog-sink';
import { FakeClock } from '../support/fake-clock';
import { fixedRandom, flush, FakeConnector, tableResolver } from './fake-channels';

const UDP: SyslogDestination = { host: '192.0.2.10', port: 514, protocol: 'udp' };
const TLS: SyslogDestination = { host: 'logs.example', port: 6514, protocol: 'tls', ca: ['CA PEM'] };
const msg = (i: number): Buffer => Buffer.from(`<134>1 - - - - - - message ${i}`);

describe('syslog sink', () => {
  let clock: FakeClock;
  let net: FakeConnector;
  let log: CapturingLogger;
  let asked: string[];
  const make = (o: { maxQueue?: number; maxQueueBytes?: number } = {}): SyslogSink =>
    new SyslogSink({
      clock, random: fixedRandom(0), log, connect: net.connect,
      resolver: tableResolver({ 'logs.example': ['192.0.2.20'], 'other.example': ['192.0.2.30'] }, asked),
      ...o,
    });

  beforeEach(() => {
    clock = new FakeClock();
    net = new FakeConnector();
    log = new CapturingLogger();
    asked = [];
  });

  it('off: takes nothing, opens nothing, arms nothing', () => {
    const s = make();
    s.push(msg(1));
    assert.equal(s.state, 'off');
    assert.equal(net.channels.length, 0);
    assert.equal(clock.timerCount, 0);
    assert.deepEqual(s.counters, { sent: 0, dropped: 0, queued: 0 });
  });

  it('UDP: an IP literal needs no lookup; one message per datagram, unframed', async () => {
    const s = make();
    s.configure(UDP);
    assert.equal(s.state, 'resolving');
    await flush();
    assert.equal(s.state, 'connecting');
    assert.deepEqual(asked, []);
    assert.deepEqual(net.last.target, { address: '192.0.2.10', port: 514, protocol: 'udp', serverName: '192.0.2.10' });
    s.push(msg(1));
    assert.equal(s.counters.queued, 1, 'waits for the channel');
    net.last.ready();
    assert.equal(s.state, 'up');
    s.push(msg(2));
    assert.deepEqual(net.last.frames, [msg(1), msg(2)]);
    assert.deepEqual(s.counters, { sent: 2, dropped: 0, queued: 0 });
    assert.equal(clock.timerCount, 0, 'nothing armed while up');
  });

  it('TLS: the name is resolved through the injected resolver, checked as the server name, frames octet-counted', async () => {
    const s = make();
    s.configure(TLS);
    await flush();
    assert.deepEqual(asked, ['logs.example']);
    assert.deepEqual(net.last.target, { address: '192.0.2.20', port: 6514, protocol: 'tls', serverName: 'logs.example', ca: ['CA PEM'] });
    net.last.ready();
    s.push(msg(1));
    assert.deepEqual(net.last.frames, [frameSyslog(msg(1))]);
    assert.match(net.last.frames[0]!.toString(), /^28 <134>1/);
  });

  it('bounds the queue in messages: the oldest go, counted', async () => {
    const s = make({ maxQueue: 3 });
    s.configure(UDP);
    for (let i = 1; i <= 5; i++) s.push(msg(i));
    assert.deepEqual(s.counters, { sent: 0, dropped: 2, queued: 3 });
    await flush();
    net.last.ready();
    assert.deepEqual(net.last.frames, [msg(3), msg(4), msg(5)]);
    assert.deepEqual(s.counters, { sent: 3, dropped: 2, queued: 0 });
  });

  it('bounds the queue in octets too', () => {
    const s = make({ maxQueueBytes: msg(1).length * 2 });
    s.configure(UDP);
    for (let i = 1; i <= 4; i++) s.push(msg(i));
    assert.deepEqual(s.counters, { sent: 0, dropped: 2, queued: 2 });
  });

  it('holds messages back while the socket buffer is full, sends them on drain', async () => {
    const s = make();
    s.configure(TLS);
    await flush();
    net.last.ready();
    net.last.full = true;
    s.push(msg(1)); // taken, but the socket says "wait"
    s.push(msg(2));
    s.push(msg(3));
    assert.equal(net.last.frames.length, 1);
    assert.equal(s.counters.queued, 2);
    net.last.drain();
    assert.deepEqual(net.last.frames, [1, 2, 3].map((i) => frameSyslog(msg(i))));
  });

  it('reconnects after 1, 2, 4 ... 30 s on the clock, looking the name up again each time', async () => {
    const s = make();
    s.configure(TLS);
    await flush();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      net.last.fail('connection refused');
      assert.equal(s.state, 'waiting');
      assert.equal(clock.timerCount, 1);
      const wait = clock.nextDelay() as number;
      waits.push(wait);
      clock.advance(wait - 1);
      assert.equal(s.state, 'waiting', 'not a millisecond early');
      clock.advance(1);
      assert.equal(s.state, 'resolving');
      await flush();
      assert.equal(s.state, 'connecting');
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.equal(asked.length, 8);
    assert.equal(s.lastError, 'connection refused');
    assert.equal(log.records.filter((r) => r.level === 'warn').length, 1, 'the first failure is logged at warn, the retries at debug');
    // up again: the count starts over, the error is cleared, nothing is armed
    net.last.ready();
    assert.equal(s.lastError, undefined);
    assert.equal(clock.timerCount, 0);
    net.last.fail();
    assert.equal(clock.nextDelay(), 1000);
    assert.match(log.text(), /connected again/);
  });

  it('draws each wait from [b, 2b] (TR-069 §3.2.1.1 in spirit)', () => {
    const table: Array<[number, number, number]> = [
      [1, 0, 1000], [1, 0.5, 1500], [1, 0.9999, 2000], [2, 0, 2000], [3, 0.5, 6000], [6, 0, 30000], [60, 0.5, 45000],
    ];
    for (const [attempt, f, want] of table) assert.equal(reconnectDelayMs(attempt, fixedRandom(f)), want, `attempt ${attempt}, draw ${f}`);
  });

  it('gives up a connect after the timeout, and a lookup that fails is a failure too', async () => {
    const s = make();
    s.configure({ host: 'nowhere.example', port: 6514, protocol: 'tls' });
    await flush();
    assert.equal(s.state, 'waiting');
    assert.match(s.lastError ?? '', /cannot resolve nowhere\.example: queryA ENOTFOUND/);
    s.configure(TLS);
    await flush();
    assert.equal(s.state, 'connecting');
    clock.advance(9_999);
    assert.equal(s.state, 'connecting');
    clock.advance(1);
    assert.equal(s.state, 'waiting');
    assert.equal(net.last.closed, true);
    assert.match(s.lastError ?? '', /within 10000 ms/);
  });

  it('a new destination closes the old channel at once and keeps the queue for the new one', async () => {
    const s = make();
    s.configure(UDP);
    await flush();
    const old = net.last;
    old.ready();
    s.configure(UDP);
    assert.equal(net.channels.length, 1, 'the same destination changes nothing');
    s.configure({ ...UDP, port: 1514 });
    assert.equal(old.closed, true);
    s.push(msg(1));
    await flush();
    assert.equal(net.channels.length, 2);
    assert.equal(net.last.target.port, 1514);
    // the old channel's late events change nothing
    old.fail('late');
    assert.equal(s.state, 'connecting');
    net.last.ready();
    assert.deepEqual(net.last.frames, [msg(1)]);
  });

  it('off again: channel closed, queue gone, no timer, nothing taken', async () => {
    const s = make();
    s.configure(TLS);
    await flush();
    net.last.fail();
    s.push(msg(1));
    assert.equal(clock.timerCount, 1);
    s.configure(undefined);
    assert.equal(s.state, 'off');
    assert.equal(clock.timerCount, 0);
    assert.equal(s.counters.queued, 0);
    s.push(msg(2));
    assert.equal(s.counters.queued, 0);
    await flush();
    assert.equal(net.channels.length, 1);
  });
});
