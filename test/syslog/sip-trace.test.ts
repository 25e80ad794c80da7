/**
 * The SIP trace hook of the real transports (syslog P1387): with a listener on the unit's tap,
 * every SIP message a transport sends or receives reaches it with its direction, peer and bytes,
 * named by the transport logger's bindings; without one the hook is undefined and nothing is
 * built. Loopback sockets.
 */
import assert from 'node:assert/strict';
import { SystemClock } from '../../cpe/shared/clock';
import { LogTap, TapLogger, type TappedWireMessage } from '../../cpe/shared/log-tap';
import { CapturingLogger } from '../../cpe/shared/logger';
import { decodeMessage } from '../../cpe/voice/sip/syntax';
import { SipTransports } from '../../cpe/voice/sip/transport/sip-transports';

const OPTIONS = 'OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKtrace1\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: trace1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';

async function until(what: string, ok: () => boolean): Promise<void> {
  const end = Date.now() + 2000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('sip transports: trace hook for syslog (P1387)', () => {
  const tap = new LogTap();
  const traced: TappedWireMessage[] = [];
  let a: SipTransports;
  let b: SipTransports;
  const got: string[] = [];

  before(async () => {
    const unitLog = new TapLogger(new CapturingLogger(), tap).child({ subsystem: 'sip' });
    a = new SipTransports({ address: '127.0.0.1', port: 0, listenTcp: false, clock: new SystemClock(), log: unitLog.child({ account: 1 }) });
    b = new SipTransports({ address: '127.0.0.1', port: 0, listenTcp: false, clock: new SystemClock(), log: unitLog.child({ account: 2 }) });
    await a.start();
    await b.start();
    a.setUser({ onMessage: () => {} });
    b.setUser({ onMessage: (m) => got.push(m.message.callId) });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('without a listener the hook is undefined: nothing is traced', async () => {
    await a.send(decodeMessage(Buffer.from(OPTIONS)), { protocol: 'udp', address: '127.0.0.1', port: b.port });
    await until('delivery', () => got.length === 1);
    assert.deepEqual(traced, []);
  });

  it('with one, each message sent and received, with peer and account', async () => {
    tap.listenSip((m) => traced.push(m));
    await a.send(decodeMessage(Buffer.from(OPTIONS)), { protocol: 'udp', address: '127.0.0.1', port: b.port });
    await until('delivery', () => got.length === 2);
    tap.listenSip(undefined);
    assert.equal(traced.length, 2);
    const [out, inn] = traced as [TappedWireMessage, TappedWireMessage];
    assert.deepEqual([out.message.direction, out.message.protocol, out.message.port, out.bindings], ['sent', 'udp', b.port, { subsystem: 'sip', account: 1 }]);
    assert.deepEqual([inn.message.direction, inn.message.port, inn.bindings], ['received', a.port, { subsystem: 'sip', account: 2 }]);
    assert.match(out.message.bytes.toString(), /^OPTIONS sip:x@127\.0\.0\.1 SIP\/2\.0\r\n/);
    assert.deepEqual(inn.message.bytes, out.message.bytes, 'the same bytes on both ends');
  });
});
