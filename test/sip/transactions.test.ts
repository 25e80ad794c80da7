/**
 * Transactions under a FakeClock over the in-memory network.
 * Test plan: NICT retransmission schedule (Timer E doubling to T2) and Timer F expiry exactly at
 * 64*T1; ICT Timer A schedule and Timer B exactly; ACK for non-2xx and Timer D; RFC 6026 Accepted
 * (Timer M, 2xx retransmissions reach the TU); IST 100 Trying at 200 ms, Timer G and Timer H
 * exactly, ACK → Confirmed → Timer I; NIST absorbs retransmissions (Timer J); reliable transports
 * never retransmit; T1/T2 from P-values (units of 10 ms); a completed NICT lets its request and
 * user go.
 */
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { FakeClock } from '../support/fake-clock';
import { silentLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { HeaderList, Params, decodeNameAddr, sipUri, type SipRequest, type SipResponse } from '../../cpe/voice/sip/syntax';
import { InMemoryNetwork, type InMemoryTransport } from '../../cpe/voice/sip/transport/in-memory-network';
import type { IncomingMessage, TransportProtocol } from '../../cpe/voice/sip/transport/transport';
import { TransactionLayer } from '../../cpe/voice/sip/transaction/transaction-layer';
import { makeResponse } from '../../cpe/voice/sip/transaction/make-response';
import { sipTimers, timersFromPValues } from '../../cpe/voice/sip/transaction/timers';
import type { ServerTransaction } from '../../cpe/voice/sip/transaction/server-transactions';

function request(method: string, seq = 1): SipRequest {
  return {
    type: 'request', method, uri: sipUri('127.0.0.2', { user: 'bob', port: 5060 }), via: [],
    from: decodeNameAddr('<sip:alice@127.0.0.1>;tag=a1'), to: decodeNameAddr('<sip:bob@127.0.0.2>'),
    callId: 'c1@test', cseq: { seq, method }, maxForwards: 70, contact: [], route: [], recordRoute: [],
    headers: new HeaderList(), body: Buffer.alloc(0),
  };
}

interface Rig {
  clock: FakeClock;
  net: InMemoryNetwork;
  layer: TransactionLayer;
  peer: InMemoryTransport;
  atPeer: IncomingMessage[];
  events: string[];
}

function rig(t1Ms = 500, t2Ms = 4000): Rig {
  const clock = new FakeClock();
  const net = new InMemoryNetwork(clock);
  const ours = net.endpoint('127.0.0.1', 5060);
  const peer = net.endpoint('127.0.0.2', 5060);
  const atPeer: IncomingMessage[] = [];
  peer.setUser({ onMessage: (m) => atPeer.push(m) });
  const events: string[] = [];
  const layer = new TransactionLayer(ours, { clock, random: new SeededRandom(7), log: silentLogger, timers: sipTimers({ t1Ms, t2Ms }) }, {
    onRequest: (r, tx) => events.push(`request ${r.method} ${tx ? tx.kind : 'none'}`),
  });
  return { clock, net, layer, peer, atPeer, events };
}

function user(events: string[]) {
  return {
    onResponse: (r: SipResponse) => events.push(`response ${r.status}`),
    onTimeout: (e: { timer: string }) => events.push(`timeout ${e.timer}`),
    onTransportError: () => events.push('transport error'),
  };
}

function sendTimes(r: Rig, method: string): number[] {
  const start = Date.UTC(2026, 0, 1);
  return r.net.log.filter((w) => w.message.type === 'request' && w.message.method === method).map((w) => w.at - start);
}

function answer(r: Rig, status: number, toTag = 'b1'): void {
  const req = r.atPeer.find((m) => m.message.type === 'request' && m.message.method !== 'ACK')?.message as SipRequest;
  void r.peer.send(makeResponse(req, status, { toTag }), { protocol: 'udp', address: '127.0.0.1', port: 5060 });
  r.clock.advance(0);
}

describe('sip transactions: non-INVITE client (§17.1.2)', () => {
  it('retransmits on Timer E (T1 doubling to T2) and times out on Timer F at exactly 64*T1', () => {
    const r = rig();
    r.layer.sendRequest(request('OPTIONS'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(31_999);
    assert.deepEqual(r.events, []);
    r.clock.advance(1);
    assert.deepEqual(r.events, ['timeout F']);
    assert.deepEqual(sendTimes(r, 'OPTIONS'), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    assert.equal(r.layer.size, 0);
    assert.equal(r.clock.timerCount, 0);
  });

  it('T1/T2 from P209/P250 in units of 10 ms: P209=100 → Timer F at 64 s', () => {
    const t = timersFromPValues(100, 400);
    assert.equal(t.T1, 1000);
    assert.equal(t.T2, 4000);
    const r = rig(t.T1, t.T2);
    r.layer.sendRequest(request('REGISTER'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(63_999);
    assert.deepEqual(r.events, []);
    r.clock.advance(1);
    assert.deepEqual(r.events, ['timeout F']);
  });

  it('a provisional moves to Proceeding (retransmit every T2), a final to Completed, Timer K ends it', () => {
    const r = rig();
    r.layer.sendRequest(request('REGISTER'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(0);
    answer(r, 100);
    r.clock.advance(600);
    answer(r, 200);
    answer(r, 200); // retransmission absorbed
    assert.deepEqual(r.events, ['response 100', 'response 200']);
    assert.equal(r.layer.size, 1);
    r.clock.advance(5000); // Timer K = T4
    assert.equal(r.layer.size, 0);
    assert.equal(r.clock.timerCount, 0);
  });

  it('Completed holds neither the request nor its user: Timer K runs on with nothing to copy (fleet memory)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const r = rig();
    let u: ReturnType<typeof user> | undefined = user(r.events);
    const weak = new WeakRef(u);
    r.layer.sendRequest(request('REGISTER'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, u);
    u = undefined;
    r.clock.advance(0);
    answer(r, 200);
    assert.deepEqual(r.events, ['response 200']);
    await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets stay alive until the job ends
    gc();
    assert.equal(weak.deref(), undefined, 'the completed transaction still holds its user');
    assert.equal(r.layer.size, 1, 'still in Timer K');
    answer(r, 200); // a retransmitted final is still absorbed
    assert.deepEqual(r.events, ['response 200']);
    r.clock.advance(5000);
    assert.equal(r.layer.size, 0);
  });

  it('over TCP: no retransmission, Timer F still bounds it, Timer K is 0', () => {
    const r = rig();
    r.layer.sendRequest(request('OPTIONS'), { protocol: 'tcp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(31_999);
    assert.deepEqual(sendTimes(r, 'OPTIONS'), [0]);
    r.clock.advance(1);
    assert.deepEqual(r.events, ['timeout F']);
  });
});

describe('sip transactions: INVITE client (§17.1.1, RFC 6026)', () => {
  it('retransmits on Timer A and times out on Timer B at exactly 64*T1', () => {
    const r = rig();
    r.layer.sendRequest(request('INVITE'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(31_999);
    assert.deepEqual(r.events, []);
    r.clock.advance(1);
    assert.deepEqual(r.events, ['timeout B']);
    assert.deepEqual(sendTimes(r, 'INVITE'), [0, 500, 1500, 3500, 7500, 15500, 31500]);
  });

  it('ACKs a non-2xx itself (same branch), re-ACKs retransmissions, Timer D ends it', () => {
    const r = rig();
    r.layer.sendRequest(request('INVITE'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(0);
    answer(r, 486);
    answer(r, 486);
    const acks = r.atPeer.filter((m) => m.message.type === 'request' && m.message.method === 'ACK').map((m) => m.message as SipRequest);
    assert.equal(acks.length, 2);
    const invite = r.atPeer[0]?.message as SipRequest;
    assert.equal(acks[0]?.via[0]?.params.get('branch'), invite.via[0]?.params.get('branch'));
    assert.equal(acks[0]?.to.params.get('tag'), 'b1');
    assert.deepEqual(acks[0]?.cseq, { seq: 1, method: 'ACK' });
    assert.deepEqual(r.events, ['response 486']);
    r.clock.advance(31_999);
    assert.equal(r.layer.size, 1);
    r.clock.advance(1);
    assert.equal(r.layer.size, 0);
  });

  it('a 2xx goes to Accepted: retransmitted 2xx reach the TU until Timer M', () => {
    const r = rig();
    r.layer.sendRequest(request('INVITE'), { protocol: 'udp', address: '127.0.0.2', port: 5060 }, user(r.events));
    r.clock.advance(0);
    answer(r, 180);
    answer(r, 200);
    answer(r, 200);
    assert.deepEqual(r.events, ['response 180', 'response 200', 'response 200']);
    assert.equal(r.atPeer.filter((m) => m.message.type === 'request' && m.message.method === 'ACK').length, 0);
    r.clock.advance(32_000);
    assert.equal(r.layer.size, 0);
  });
});

describe('sip transactions: server (§17.2, RFC 6026)', () => {
  function serverRig(protocol: TransportProtocol = 'udp') {
    const r = rig();
    const txs: ServerTransaction[] = [];
    const acked: string[] = [];
    const layer = new TransactionLayer(r.net.endpoint('127.0.0.3', 5060), { clock: r.clock, random: new SeededRandom(1), log: silentLogger, timers: sipTimers() }, {
      onRequest: (req, tx) => (tx ? txs.push(tx) : acked.push(req.method)),
    });
    const send = (req: SipRequest): void => {
      void r.peer.send(req, { protocol, address: '127.0.0.3', port: 5060 });
      r.clock.advance(0);
    };
    return { ...r, layer, txs, acked, send };
  }

  function fromPeer(method: string): SipRequest {
    const q = request(method);
    q.via = [{ protocol: 'SIP/2.0', transport: 'UDP', host: '127.0.0.2', port: 5060, params: new Params([{ name: 'branch', value: 'z9hG4bKpeer1' }]) }];
    return q;
  }

  it('INVITE: 100 Trying at 200 ms when the TU is silent', () => {
    const s = serverRig();
    s.send(fromPeer('INVITE'));
    assert.equal(s.txs.length, 1);
    s.clock.advance(199);
    assert.equal(s.atPeer.length, 0);
    s.clock.advance(1);
    assert.equal((s.atPeer[0]?.message as SipResponse).status, 100);
  });

  it('INVITE answered 480: Timer G retransmits, Timer H fires at exactly 64*T1 without ACK', () => {
    const s = serverRig();
    s.send(fromPeer('INVITE'));
    const tx = s.txs[0] as ServerTransaction & { user: { onAckTimeout?: () => void } };
    let timedOut = 0;
    tx.user = { onAckTimeout: () => timedOut++ };
    tx.respond(makeResponse(tx.request, 480, { toTag: 'x' }));
    s.clock.advance(31_999);
    assert.equal(timedOut, 0);
    s.clock.advance(1);
    assert.equal(timedOut, 1);
    const sent = s.net.log.filter((w) => w.message.type === 'response').map((w) => w.at - Date.UTC(2026, 0, 1));
    assert.deepEqual(sent, [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    assert.equal(s.layer.size, 0);
  });

  it('INVITE answered 486 then ACKed: Confirmed, retransmissions stop, Timer I ends it; the ACK is absorbed', () => {
    const s = serverRig();
    const inv = fromPeer('INVITE');
    s.send(inv);
    const tx = s.txs[0] as ServerTransaction;
    tx.respond(makeResponse(tx.request, 486, { toTag: 'x' }));
    s.clock.advance(600);
    const ack = fromPeer('ACK');
    ack.cseq = { seq: 1, method: 'ACK' };
    s.send(ack);
    assert.equal(tx.state, 'confirmed');
    assert.deepEqual(s.acked, []);
    const before = s.net.log.length;
    s.clock.advance(4999);
    assert.equal(s.net.log.length, before);
    assert.equal(s.layer.size, 1);
    s.clock.advance(1);
    assert.equal(s.layer.size, 0);
  });

  it('INVITE answered 200: Accepted absorbs INVITE retransmissions and passes the ACK up (RFC 6026)', () => {
    const s = serverRig();
    s.send(fromPeer('INVITE'));
    const tx = s.txs[0] as ServerTransaction;
    tx.respond(makeResponse(tx.request, 200, { toTag: 'x' }));
    s.send(fromPeer('INVITE'));
    assert.equal(s.txs.length, 1);
    const ack = fromPeer('ACK');
    ack.cseq = { seq: 1, method: 'ACK' };
    s.send(ack);
    assert.deepEqual(s.acked, ['ACK']);
    s.clock.advance(32_000);
    assert.equal(s.layer.size, 0);
  });

  it('a TU screen refuses statelessly (§8.2.7): one response, no transaction, the ACK dropped; a throwing screen answers 500', () => {
    const r = rig();
    const seen: string[] = [];
    let mode: 'refuse' | 'drop' | 'throw' = 'refuse';
    const layer = new TransactionLayer(r.net.endpoint('127.0.0.3', 5060), { clock: r.clock, random: new SeededRandom(1), log: silentLogger, timers: sipTimers() }, {
      onRequest: (req) => seen.push(req.method),
      screen: (req) => {
        if (mode === 'throw') throw new Error('bug');
        return mode === 'drop' ? 'drop' : makeResponse(req, 403, { toTag: 's' });
      },
    });
    const send = (req: SipRequest): void => {
      void r.peer.send(req, { protocol: 'udp', address: '127.0.0.3', port: 5060 });
      r.clock.advance(0);
    };
    const inv = request('INVITE');
    inv.via = [{ protocol: 'SIP/2.0', transport: 'UDP', host: '127.0.0.2', port: 5060, params: new Params([{ name: 'branch', value: 'z9hG4bKscr' }]) }];
    send(inv);
    assert.deepEqual(r.atPeer.map((m) => (m.message as SipResponse).status), [403]);
    assert.equal(layer.size, 0);
    const ack = request('ACK');
    ack.via = inv.via;
    send(ack);
    r.clock.advance(40_000);
    assert.equal(r.atPeer.length, 1, 'no retransmission, no answer to the ACK');
    const options = (branch: string): SipRequest => {
      const q = request('OPTIONS');
      q.via = [{ protocol: 'SIP/2.0', transport: 'UDP', host: '127.0.0.2', port: 5060, params: new Params([{ name: 'branch', value: branch }]) }];
      return q;
    };
    mode = 'drop';
    send(options('z9hG4bKo1'));
    assert.equal(r.atPeer.length, 1);
    mode = 'throw';
    send(options('z9hG4bKo2'));
    assert.deepEqual(r.atPeer.map((m) => (m.message as SipResponse).status), [403, 500]);
    assert.deepEqual(seen, []);
  });

  it('non-INVITE: a retransmitted request gets the last response again; Timer J ends it', () => {
    const s = serverRig();
    s.send(fromPeer('OPTIONS'));
    const tx = s.txs[0] as ServerTransaction;
    tx.respond(makeResponse(tx.request, 200, { toTag: 'x' }));
    s.send(fromPeer('OPTIONS'));
    assert.equal(s.txs.length, 1);
    assert.equal(s.atPeer.filter((m) => m.message.type === 'response').length, 2);
    s.clock.advance(31_999);
    assert.equal(s.layer.size, 1);
    s.clock.advance(1);
    assert.equal(s.layer.size, 0);
  });
});
