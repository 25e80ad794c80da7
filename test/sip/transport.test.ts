/**
 * Transports on real loopback sockets: a malformed request is answered 400 naming the problem
 * (RFC 3261 §21.4.1), one too broken to answer is dropped with a log line; TCP CRLF
 * ping gets its pong (RFC 5626 §4.4.1); a request over 1300 bytes switches from UDP to TCP
 * (RFC 3261 §18.1.1); rport/received stamped on incoming requests (RFC 3581). And the RFC 3263
 * locator with an injected resolver: NAPTR → SRV → A, SRV ordering, explicit ports, IP literals.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { SystemClock } from '../../cpe/shared/clock';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SipTransports } from '../../cpe/voice/sip/transport/sip-transports';
import { locate, type DnsResolver } from '../../cpe/voice/sip/transport/locator';
import { decodeMessage, type SipRequest } from '../../cpe/voice/sip/syntax';
import type { IncomingMessage } from '../../cpe/voice/sip/transport/transport';

const OPTIONS = (via: string, pad = '', callId = 't1'): string =>
  `OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP ${via};branch=z9hG4bK${callId};rport\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n${pad}Content-Length: 0\r\n\r\n`;

async function waitFor<T>(get: () => T | undefined, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sip transports: real sockets', () => {
  let a: SipTransports;
  let b: SipTransports;
  const log = new CapturingLogger();
  const gotB: IncomingMessage[] = [];
  before(async () => {
    a = new SipTransports({ address: '127.0.0.1', port: 0, clock: new SystemClock(), log });
    b = new SipTransports({ address: '127.0.0.1', port: 0, clock: new SystemClock(), log });
    await a.start();
    await b.start();
    a.setUser({ onMessage: () => {} });
    b.setUser({ onMessage: (m) => gotB.push(m) });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('stamps received/rport on an incoming request (RFC 3581)', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    try {
      s.send(OPTIONS('192.0.2.1:5060'), b.port, '127.0.0.1');
      const m = await waitFor(() => gotB.find((x) => x.message.callId === 't1'));
      const top = (m.message as SipRequest).via[0];
      assert.equal(top?.params.get('received'), '127.0.0.1');
      assert.equal(top?.params.get('rport'), String(s.address().port));
    } finally {
      s.close();
    }
  });

  it('drops a datagram too broken to answer, with a log line, and keeps working', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const answers: string[] = [];
    s.on('message', (m) => answers.push(m.toString('latin1')));
    s.send('INVITE <sip:bad> SIP/2.0\r\n\r\n', b.port, '127.0.0.1');
    await waitFor(() => (log.text().includes('malformed message') ? true : undefined));
    try {
      s.send(OPTIONS('127.0.0.1:1', '', 't2'), b.port, '127.0.0.1');
      await waitFor(() => gotB.find((x) => x.message.callId === 't2'));
      assert.deepEqual(answers, [], 'no Via/From/To/Call-ID/CSeq: nothing to answer with');
    } finally {
      s.close();
    }
  });

  it('answers a malformed request 400 with the problem as reason, to the sender (RFC 3261 §21.4.1)', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    try {
      const answer = new Promise<Buffer>((r) => s.once('message', r));
      // the Via names another host: the answer still comes back to the datagram's source
      s.send(OPTIONS('192.0.2.9:5060', '', 't4').replace('Max-Forwards: 70', 'Max-Forwards: seventy'), b.port, '127.0.0.1');
      const res = decodeMessage(await answer);
      assert.equal(res.type, 'response');
      if (res.type !== 'response') return;
      assert.equal(res.status, 400);
      assert.equal(res.reason, 'Bad Request - bad Max-Forwards');
      assert.equal(res.callId, 't4');
      assert.equal(res.via[0]?.params.get('branch'), 'z9hG4bKt4');
      assert.equal(res.cseq.method, 'OPTIONS');
      assert.equal(typeof res.to.params.get('tag'), 'string');
    } finally {
      s.close();
    }
  });

  it('sends a request over 1300 bytes by TCP, not UDP (§18.1.1)', async () => {
    const big = decodeMessage(OPTIONS('127.0.0.1:1', `X-Pad: ${'p'.repeat(1400)}\r\n`, 't3')) as SipRequest;
    const used = await a.send(big, { protocol: 'udp', address: '127.0.0.1', port: b.port });
    assert.equal(used.protocol, 'tcp');
    const m = await waitFor(() => gotB.find((x) => x.message.callId === 't3'));
    assert.equal(m.protocol, 'tcp');
    assert.equal((m.message as SipRequest).via[0]?.transport, 'TCP');
  });

  it('answers a CRLFCRLF ping with a CRLF pong, and its own pings get pongs (RFC 5626 §4.4.1)', async () => {
    const sock = net.connect(b.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const pong = new Promise<string>((r) => sock.once('data', (d) => r(d.toString('latin1'))));
    sock.write('\r\n\r\n');
    assert.equal(await pong, '\r\n');
    sock.destroy();
    assert.equal(await a.keepAlive({ protocol: 'tcp', address: '127.0.0.1', port: b.port }), true);
  });

  it('closes a stream that sends garbage, without crashing', async () => {
    const sock = net.connect(b.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const closed = new Promise((r) => sock.once('close', r));
    sock.write('GARBAGE\r\nno colon here\r\n\r\n');
    await closed;
  });
});

describe('sip locator (RFC 3263)', () => {
  const dns: DnsResolver = {
    resolve4: async (h) => ({ 'sip1.example.test': ['10.0.0.1'], 'sip2.example.test': ['10.0.0.2'], 'example.test': ['10.0.0.9'] } as Record<string, string[]>)[h] ?? Promise.reject(new Error('NXDOMAIN')),
    resolveSrv: async (n) => (n === '_sip._udp.example.test' || n === '_sip._tcp.example.test'
      ? [{ name: 'sip2.example.test', port: 5070, priority: 20, weight: 0 }, { name: 'sip1.example.test', port: 5080, priority: 10, weight: 0 }]
      : []),
    resolveNaptr: async (n) => (n === 'example.test'
      ? [{ flags: 'S', service: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.example.test', order: 10, preference: 0 }]
      : []),
  };

  it('IP literals and explicit ports need no SRV', async () => {
    assert.deepEqual(await locate('192.0.2.7', undefined, 'udp', 'srv', dns), [{ protocol: 'udp', address: '192.0.2.7', port: 5060, serverName: '192.0.2.7' }]);
    assert.deepEqual((await locate('example.test', 5099, 'udp', 'srv', dns)).map((t) => [t.address, t.port]), [['10.0.0.9', 5099]]);
  });

  it('SRV mode orders by priority; A mode uses the default port; TLS defaults to 5061', async () => {
    assert.deepEqual((await locate('example.test', undefined, 'udp', 'srv', dns)).map((t) => [t.address, t.port]), [['10.0.0.1', 5080], ['10.0.0.2', 5070]]);
    assert.deepEqual((await locate('example.test', undefined, 'udp', 'a', dns)).map((t) => [t.address, t.port]), [['10.0.0.9', 5060]]);
    assert.deepEqual((await locate('example.test', undefined, 'tls', 'a', dns)).map((t) => t.port), [5061]);
  });

  it('NAPTR mode follows the replacement to SRV; no NAPTR/SRV falls back to A', async () => {
    assert.deepEqual((await locate('example.test', undefined, 'tcp', 'naptr', dns)).map((t) => [t.address, t.port, t.serverName]), [
      ['10.0.0.1', 5080, 'example.test'], ['10.0.0.2', 5070, 'example.test'],
    ]);
    assert.deepEqual((await locate('sip1.example.test', undefined, 'udp', 'naptr', dns)).map((t) => t.address), ['10.0.0.1']);
    await assert.rejects(locate('nowhere.test', undefined, 'udp', 'a', dns), /cannot resolve/);
  });
});
