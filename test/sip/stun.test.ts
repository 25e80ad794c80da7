/**
 * NAT traversal by STUN (P52 = 1, server P76, refresh P84) under a FakeClock on the in-memory
 * network: a fake STUN server answers Binding requests from the account's SIP socket with a
 * "public" address; Contact and Via sent-by carry it; the binding is refreshed exactly every P84 s;
 * a changed mapping re-registers at once; no STUN answer → registers with the local address and
 * learns the public one at the next refresh; P52 ≠ 1 sends no STUN and arms no STUN timer.
 * (The real-server test against coturn is in stun-coturn.test.ts.)
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { InMemoryNetwork } from '../../cpe/voice/sip/transport/in-memory-network';
import { encodeUri, type SipRequest } from '../../cpe/voice/sip/syntax';
import type { DnsResolver } from '../../cpe/voice/sip/transport/locator';
import { ATTR, BINDING_REQUEST, BINDING_SUCCESS, decodeStun, encodeStun, xorMappedAddressValue, type MappedAddress } from '../../cpe/shared/stun';
import { FakeRegistrar } from './support/fake-registrar';
import { advance, settle, sipContext, type SipTestContext } from './support/sip-context';

const DNS: DnsResolver = {
  resolve4: async (h) => (h === 'stun.example.test' ? ['10.0.0.9'] : Promise.reject(new Error('NXDOMAIN'))),
  resolveSrv: async () => [],
  resolveNaptr: async () => [],
};

const T0 = Date.UTC(2026, 0, 1);
const BASE: Record<string, string> = {
  P271: '1', P47: '10.0.0.1', P35: '1001', P36: '1001', P34: 'secret1001', P32: '60', P401: '0',
  P52: '1', P76: 'stun.example.test', P84: '30',
};

/** Answers every Binding request with `mapped` (a NAT in front of the unit); `silent` drops them. */
class FakeStunServer {
  mapped: MappedAddress = { address: '203.0.113.7', port: 40000 };
  silent = false;
  readonly requests: Array<{ at: number; from: string }> = [];
  constructor(net: InMemoryNetwork, address = '10.0.0.9', port = 3478) {
    const t = net.endpoint(address, port, ['udp']);
    t.setStunHandler((bytes, from) => {
      const m = decodeStun(bytes);
      if (m.type !== BINDING_REQUEST) return;
      this.requests.push({ at: net.clock.now(), from: `${from.address}:${from.port}` });
      if (this.silent) return;
      const res = encodeStun({ type: BINDING_SUCCESS, transactionId: m.transactionId, attributes: [{ type: ATTR.XOR_MAPPED_ADDRESS, value: xorMappedAddressValue(this.mapped) }] });
      void t.sendDatagram(res, from);
    });
  }
}

interface Rig {
  clock: FakeClock;
  net: InMemoryNetwork;
  registrar: FakeRegistrar;
  stun: FakeStunServer;
  t: SipTestContext;
  sip: SipService;
  /** sip.start() waits for the first STUN transaction, which moves with the FakeClock. */
  started: Promise<void>;
}

async function rig(params: Record<string, string> = {}, setup?: (s: FakeStunServer) => void): Promise<Rig> {
  const clock = new FakeClock();
  const net = new InMemoryNetwork(clock);
  const registrar = new FakeRegistrar(net, '10.0.0.1');
  const stun = new FakeStunServer(net);
  setup?.(stun);
  const t = sipContext(clock, { ...BASE, ...params });
  const sip = new SipService(t.ctx, { dns: DNS, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
  const started = sip.start();
  await settle(clock);
  return { clock, net, registrar, stun, t, sip, started };
}

async function done(r: Rig): Promise<void> {
  await r.started;
  await r.sip.stop('shutdown');
  r.t.cleanup();
}

const contactOf = (q: SipRequest | undefined): string => (q?.contact[0] ? encodeUri(q.contact[0].uri) : '');
const sentBy = (q: SipRequest | undefined): string => `${q?.via[0]?.host}:${q?.via[0]?.port}`;

describe('sip accounts: NAT traversal by STUN (P52 = 1)', () => {
  it('learns the public address from the SIP socket and puts it in Contact and Via sent-by', async () => {
    const r = await rig();
    assert.deepEqual(r.stun.requests, [{ at: T0, from: '127.0.0.1:5060' }], 'one Binding request, from the SIP port');
    const regs = r.registrar.registers().map((x) => x.req);
    assert.ok(regs.length >= 2);
    for (const q of regs) {
      assert.equal(contactOf(q), 'sip:1001@203.0.113.7:40000');
      assert.equal(sentBy(q), '203.0.113.7:40000');
    }
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    assert.equal(r.sip.statuses()[0]?.contact, '<sip:1001@203.0.113.7:40000>');
    await done(r);
  });

  it('refreshes the binding exactly every P84 seconds', async () => {
    const r = await rig({ P84: '45' });
    await advance(r.clock, 45_000 * 3 + 50);
    assert.deepEqual(r.stun.requests.map((q) => q.at - T0), [0, 45_000, 90_000, 135_000]);
    await done(r);
  });

  it('a changed mapped address re-registers at once with the new Contact', async () => {
    const r = await rig();
    const before = r.registrar.registers().length;
    r.stun.mapped = { address: '198.51.100.20', port: 41234 };
    await advance(r.clock, 29_900);
    assert.equal(r.registrar.registers().length, before, 'nothing before the refresh');
    await advance(r.clock, 200);
    const after = r.registrar.registers().slice(before);
    assert.ok(after.length >= 1, 're-registered');
    assert.equal(after[0]?.at, T0 + 30_000, 'at the refresh that saw the change');
    assert.equal(contactOf(after.at(-1)?.req), 'sip:1001@198.51.100.20:41234');
    assert.equal(sentBy(after.at(-1)?.req), '198.51.100.20:41234');
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    // an unchanged mapping at the next refresh registers nothing more
    const n = r.registrar.registers().length;
    await advance(r.clock, 30_000);
    assert.equal(r.stun.requests.length, 3);
    assert.equal(r.registrar.registers().length, n);
    await done(r);
  });

  it('no STUN answer: registers with the local address after 3 tries, then the next refresh learns the public one', async () => {
    const r = await rig({}, (s) => (s.silent = true));
    assert.equal(r.registrar.registers().length, 0, 'waits for the STUN transaction first');
    await advance(r.clock, 3_400);
    assert.deepEqual(r.stun.requests.map((q) => q.at - T0), [0, 500, 1_500], 'RFC 5389 §7.2.1 RTO doubling');
    assert.equal(r.registrar.registers().length, 0);
    await advance(r.clock, 200);
    assert.equal(contactOf(r.registrar.registers().at(-1)?.req), 'sip:1001@127.0.0.1:5060');
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    r.stun.silent = false;
    await advance(r.clock, 30_000 - 3_600 + 100);
    assert.equal(contactOf(r.registrar.registers().at(-1)?.req), 'sip:1001@203.0.113.7:40000');
    await done(r);
  });

  it('P52 ≠ 1: no Binding request and no STUN timer; hostile STUN datagrams are ignored', async () => {
    const r = await rig({ P52: '0' });
    assert.equal(r.stun.requests.length, 0);
    assert.equal(contactOf(r.registrar.registers().at(-1)?.req), 'sip:1001@127.0.0.1:5060');
    const timers = r.clock.timerCount;
    const ep = r.net.endpoint('10.0.0.66', 9999, ['udp']);
    await ep.sendDatagram(encodeStun({ type: BINDING_SUCCESS, transactionId: Buffer.alloc(12, 1), attributes: [] }), { address: '127.0.0.1', port: 5060 });
    await settle(r.clock);
    assert.equal(r.clock.timerCount, timers);
    await advance(r.clock, 61_000);
    assert.equal(r.stun.requests.length, 0);
    await done(r);
  });

  it('a forged Binding response (wrong transaction ID) does not change the Contact', async () => {
    const r = await rig();
    const ep = r.net.endpoint('10.0.0.66', 9999, ['udp']);
    const forged = encodeStun({ type: BINDING_SUCCESS, transactionId: Buffer.alloc(12, 1), attributes: [{ type: ATTR.XOR_MAPPED_ADDRESS, value: xorMappedAddressValue({ address: '6.6.6.6', port: 666 }) }] });
    const n = r.registrar.registers().length;
    await ep.sendDatagram(forged, { address: '127.0.0.1', port: 5060 });
    await ep.sendDatagram(Buffer.concat([forged.subarray(0, 20), Buffer.from([0, 1])]), { address: '127.0.0.1', port: 5060 });
    await settle(r.clock);
    assert.equal(r.registrar.registers().length, n);
    assert.equal(r.sip.statuses()[0]?.contact, '<sip:1001@203.0.113.7:40000>');
    await done(r);
  });
});
