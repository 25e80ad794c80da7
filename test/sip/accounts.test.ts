/**
 * Accounts under a FakeClock against a scripted registrar on the in-memory network.
 * Test plan: digest registration of both accounts on their own ports; refresh before expiry with
 * the same Call-ID; P101 NAT address in Contact; P2359 credentials on the first REGISTER and P197 Proxy-Require; 403 → retry after P26002 exactly; other failures → retry after P138; no answer
 * → Timer F → failover server; 503 → failover at once; SRV targets tried in order before the
 * failover server (RFC 3263 §4.3); prefer-primary returns at refresh; OPTIONS
 * keep-alive lost P2399 times → failover; a P-value change re-registers at once; inactive account
 * keeps no timers; server side (OPTIONS, INVITE 100+480, 405/501, NOTIFY check-sync/reset with
 * digest); garbage datagrams leave the registration alone; the status board shows the state.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { InMemoryNetwork } from '../../cpe/voice/sip/transport/in-memory-network';
import { decodeChallenge, decodeMessage, encodeCredentials, encodeUri, type SipRequest, type SipResponse } from '../../cpe/voice/sip/syntax';
import { DigestClient } from '../../cpe/voice/sip/auth/digest-client';
import { SeededRandom } from '../../cpe/shared/random';
import { FakeRegistrar } from './support/fake-registrar';
import { advance, settle, sipContext, type SipTestContext } from './support/sip-context';
import type { DnsResolver } from '../../cpe/voice/sip/transport/locator';

const NO_DNS: DnsResolver = {
  resolve4: async (h) => (h === 'sip.example.test' ? ['10.0.0.1'] : Promise.reject(new Error('NXDOMAIN'))),
  resolveSrv: async () => [],
  resolveNaptr: async () => [],
};

const BASE: Record<string, string> = {
  P271: '1', P47: '10.0.0.1', P35: '1001', P36: '1001', P34: 'secret1001', P3: 'Alice', P32: '60',
  P401: '1', P747: '10.0.0.1', P735: '1002', P736: '1002', P734: 'secret1002',
};

interface Rig {
  clock: FakeClock;
  net: InMemoryNetwork;
  primary: FakeRegistrar;
  failover: FakeRegistrar;
  t: SipTestContext;
  sip: SipService;
}

async function rig(params: Record<string, string> = {}, dhcpOptions?: Map<number, string>): Promise<Rig> {
  const clock = new FakeClock();
  const net = new InMemoryNetwork(clock);
  const primary = new FakeRegistrar(net, '10.0.0.1');
  const failover = new FakeRegistrar(net, '10.0.0.2');
  const t = sipContext(clock, { ...BASE, ...params }, dhcpOptions ? { dhcpOptions } : {});
  const sip = new SipService(t.ctx, { dns: NO_DNS, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
  await sip.start();
  await settle(clock);
  return { clock, net, primary, failover, t, sip };
}

async function done(r: Rig): Promise<void> {
  await r.sip.stop('shutdown');
  r.t.cleanup();
}

describe('sip accounts: registration', () => {
  it('P1411: DHCP option 120 names the FXS account\'s SIP server; the FXO account keeps P747; P1411 = 0 ignores it', async () => {
    const r = await rig({ P1411: '1' }, new Map([[120, '10.0.0.2, 10.0.0.9']]));
    try {
      assert.deepEqual(r.sip.statuses().map((s) => [s.state, s.server]), [['registered', '10.0.0.2'], ['registered', '10.0.0.1']]);
      assert.ok(r.failover.bindings.has('1001'), 'FXS bound at the option-120 server');
      // turning P1411 off re-registers the FXS account at P47 at once
      r.t.store.applyOrThrow({ P1411: '0' }, 'cli');
      await settle(r.clock);
      assert.deepEqual(r.sip.statuses().map((s) => [s.state, s.server]), [['registered', '10.0.0.1'], ['registered', '10.0.0.1']]);
    } finally {
      await done(r);
    }
  });

  it('both accounts register with digest auth on their own local ports (P40/P740)', async () => {
    const r = await rig();
    const st = r.t.ctx.status.get('sip.accounts');
    assert.deepEqual(st?.map((s) => [s.account, s.port, s.userId, s.state]), [[1, 'FXS', '1001', 'registered'], [2, 'FXO', '1002', 'registered']]);
    const regs = r.primary.registers().map((x) => x.req);
    assert.deepEqual(regs.map((q) => [q.from.uri.kind === 'sip' && q.from.uri.user, q.headers.has('Authorization')]), [
      ['1001', false], ['1002', false], ['1001', true], ['1002', true],
    ]);
    const first = regs[2] as SipRequest;
    assert.equal(first.headers.get('Expires'), '3600');
    assert.equal(first.headers.get('User-Agent'), 'Grandstream HT813 1.0.0.1');
    assert.equal(first.from.displayName, 'Alice');
    assert.match(encodeUri(first.contact[0]!.uri), /^sip:1001@127\.0\.0\.1:5060$/);
    assert.match(first.contact[0]!.params.get('+sip.instance') ?? '', /^<urn:uuid:[0-9a-f-]{36}>$/);
    assert.match(encodeUri((regs[3] as SipRequest).contact[0]!.uri), /^sip:1002@127\.0\.0\.1:5062$/);
    assert.equal(r.t.log.text().includes('secret1001'), false, 'the password is never logged');
    await done(r);
  });

  it('P2359 puts an Authorization header (empty nonce) on the first REGISTER; P197 adds Proxy-Require', async () => {
    const r = await rig({ P401: '0', P2359: '1', P197: 'sec-agree' });
    const regs = r.primary.registers().map((x) => x.req);
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    const [first, second] = regs;
    assert.ok(first && second);
    const offered = decodeChallenge(first.headers.get('Authorization') ?? '');
    assert.equal(offered.params.get('username'), '1001');
    assert.equal(offered.params.get('nonce'), '');
    assert.equal(offered.params.get('response'), '');
    assert.equal(first.headers.get('Proxy-Require'), 'sec-agree');
    // the answer to the challenge replaces it: one Authorization, with the registrar's nonce
    assert.equal(second.headers.getAll('Authorization').length, 1);
    assert.notEqual(decodeChallenge(second.headers.get('Authorization') ?? '').params.get('nonce'), '');
    assert.equal(second.headers.get('Proxy-Require'), 'sec-agree');
    await done(r);
  });

  it('P101 (NAT address for SIP/SDP) is the Contact host of account 1; account 2 keeps its own (P866 empty)', async () => {
    const r = await rig({ P101: '203.0.113.7' });
    const regs = r.primary.registers().map((x) => x.req);
    const contacts = regs.map((q) => encodeUri(q.contact[0]!.uri));
    assert.ok(contacts.includes('sip:1001@203.0.113.7:5060'), contacts.join(' '));
    assert.ok(contacts.includes('sip:1002@127.0.0.1:5062'), contacts.join(' '));
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    await done(r);
  });

  it('refreshes before expiry with the same Call-ID and a higher CSeq', async () => {
    const r = await rig({ P401: '0', P32: '2' });
    const [, reg] = r.primary.registers();
    r.primary.requests.length = 0;
    await advance(r.clock, 120_000 - 32_000 - 100);
    assert.equal(r.primary.registers().length, 0);
    await advance(r.clock, 200);
    const again = r.primary.registers()[0]?.req;
    assert.ok(again);
    assert.equal(again.callId, reg?.req.callId);
    assert.ok(again.cseq.seq > (reg?.req.cseq.seq ?? 0));
    await done(r);
  });

  it('403 → failed, and the next attempt exactly P26002 seconds later', async () => {
    const clock = new FakeClock();
    const net = new InMemoryNetwork(clock);
    const primary = new FakeRegistrar(net, '10.0.0.1');
    primary.mode = '403';
    const t = sipContext(clock, { ...BASE, P401: '0', P26002: '90', P138: '20' });
    const sip = new SipService(t.ctx, { dns: NO_DNS, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
    await sip.start();
    await settle(clock);
    assert.equal(sip.statuses()[0]?.state, 'failed');
    assert.equal(sip.statuses()[0]?.reason, '403 Forbidden');
    await advance(clock, 89_900);
    assert.equal(primary.registers().length, 1);
    primary.mode = 'ok';
    await advance(clock, 200);
    assert.equal(primary.registers()[1]?.at, Date.UTC(2026, 0, 1) + 90_000);
    assert.equal(sip.statuses()[0]?.state, 'registered');
    await sip.stop('shutdown');
    t.cleanup();
  });

  it('no answer: Timer F (64*T1) then the failover server; prefer-primary goes back at refresh', async () => {
    const clock = new FakeClock();
    const net = new InMemoryNetwork(clock);
    const primary = new FakeRegistrar(net, '10.0.0.1');
    const failover = new FakeRegistrar(net, '10.0.0.2');
    primary.mode = 'silent';
    const t = sipContext(clock, { ...BASE, P401: '0', P967: '10.0.0.2', P4567: '1', P32: '2' });
    const sip = new SipService(t.ctx, { dns: NO_DNS, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
    await sip.start();
    await settle(clock);
    assert.equal(sip.statuses()[0]?.state, 'registering');
    await advance(clock, 31_900);
    assert.equal(failover.registers().length, 0);
    await advance(clock, 200);
    assert.equal(failover.registers()[0]?.at, Date.UTC(2026, 0, 1) + 32_000);
    assert.equal(sip.statuses()[0]?.state, 'registered');
    assert.equal(sip.statuses()[0]?.server, '10.0.0.2');
    primary.mode = 'ok';
    await advance(clock, 120_000);
    assert.equal(sip.statuses()[0]?.state, 'registered');
    assert.equal(sip.statuses()[0]?.server, '10.0.0.1');
    await sip.stop('shutdown');
    t.cleanup();
  });

  it('503 fails over at once; both servers failing → failed, retry after P138', async () => {
    const r = await rig({ P401: '0', P967: '10.0.0.2', P138: '40' });
    await r.sip.stop('shutdown');
    r.primary.mode = '503';
    r.failover.mode = '503';
    r.primary.requests.length = 0;
    await r.sip.start();
    await settle(r.clock);
    assert.equal(r.primary.registers().length, 1);
    assert.equal(r.failover.registers().length, 1);
    assert.equal(r.sip.statuses()[0]?.state, 'failed');
    assert.equal(r.sip.statuses()[0]?.reason, '503 Service Unavailable');
    r.primary.mode = 'ok';
    await advance(r.clock, 40_000);
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    await done(r);
  });

  it('SRV (P103 = 1): a target that answers 503 or not at all → the next SRV target of the same server (RFC 3263 §4.3), then the failover server', async () => {
    const clock = new FakeClock();
    const net = new InMemoryNetwork(clock);
    const first = new FakeRegistrar(net, '10.0.1.1', 5070);
    const second = new FakeRegistrar(net, '10.0.1.2', 5080);
    const failover = new FakeRegistrar(net, '10.0.0.2');
    first.mode = '503';
    const dns: DnsResolver = {
      resolve4: async (h) => ({ 'a.sip.test': ['10.0.1.1'], 'b.sip.test': ['10.0.1.2'] } as Record<string, string[]>)[h] ?? Promise.reject(new Error('NXDOMAIN')),
      resolveSrv: async (n) => (n === '_sip._udp.sip.test'
        ? [{ name: 'b.sip.test', port: 5080, priority: 20, weight: 0 }, { name: 'a.sip.test', port: 5070, priority: 10, weight: 0 }]
        : []),
      resolveNaptr: async () => [],
    };
    const t = sipContext(clock, { ...BASE, P401: '0', P47: 'sip.test', P103: '1', P967: '10.0.0.2' });
    const sip = new SipService(t.ctx, { dns, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
    await sip.start();
    await settle(clock);
    // priority 10 first: 503 → priority 20 target of the same server, not the failover server
    assert.equal(first.registers().length, 1);
    assert.equal(second.registers().length, 2, 'challenge, then the authenticated REGISTER');
    assert.equal(failover.registers().length, 0);
    assert.equal(sip.statuses()[0]?.state, 'registered');
    assert.equal(sip.statuses()[0]?.server, 'sip.test');
    assert.match(t.log.text(), /trying the next address of the server/);
    // both SRV targets silent → Timer F on each, then the failover server
    await sip.stop('shutdown');
    first.mode = 'silent';
    second.mode = 'silent';
    await sip.start();
    await settle(clock);
    await advance(clock, 32_000);
    assert.equal(failover.registers().length, 0, 'the second SRV target gets its own Timer F first');
    await advance(clock, 32_000);
    assert.equal(failover.registers().filter((x) => !x.req.headers.has('Authorization')).length, 1);
    assert.equal(sip.statuses()[0]?.state, 'registered');
    assert.equal(sip.statuses()[0]?.server, '10.0.0.2');
    await sip.stop('shutdown');
    t.cleanup();
  });

  it('OPTIONS keep-alive: P2399 lost in a row → failover', async () => {
    const r = await rig({ P401: '0', P967: '10.0.0.2', P2397: '1', P2398: '10', P2399: '3' });
    assert.equal(r.sip.statuses()[0]?.server, '10.0.0.1');
    r.primary.optionsMode = 'silent';
    r.primary.mode = 'silent';
    // OPTIONS at 10, 20 and 30 s, each times out after 32 s: the third loss is at 62 s
    await advance(r.clock, 61_000);
    assert.equal(r.sip.statuses()[0]?.server, '10.0.0.1');
    await advance(r.clock, 2_000);
    assert.equal(r.sip.statuses()[0]?.server, '10.0.0.2');
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    assert.ok(r.primary.requests.filter((x) => x.req.method === 'OPTIONS').length >= 2);
    await done(r);
  });

  it('a change of P47 re-registers at once: un-REGISTER at the old server, REGISTER at the new', async () => {
    const r = await rig({ P401: '0' });
    r.t.store.applyOrThrow({ P47: '10.0.0.2' }, 'cli');
    await settle(r.clock, 40);
    const last = r.primary.registers().at(-1)?.req;
    assert.equal(last?.headers.get('Expires'), '0');
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    assert.equal(r.sip.statuses()[0]?.server, '10.0.0.2');
    assert.equal(r.failover.bindings.has('1001'), true);
    assert.equal(r.primary.bindings.has('1001'), false);
    r.t.store.applyOrThrow({ P271: '0' }, 'cli');
    await settle(r.clock, 40);
    assert.equal(r.sip.statuses()[0]?.state, 'not-registered');
    assert.equal(r.sip.statuses()[0]?.reason, 'account inactive');
    assert.equal(r.failover.bindings.has('1001'), false);
    await done(r);
  });

  it('inactive accounts keep no timers (an idle unit sleeps)', async () => {
    const r = await rig({ P271: '0', P401: '0' });
    assert.equal(r.clock.timerCount, 0);
    assert.deepEqual(r.sip.statuses().map((s) => s.state), ['not-registered', 'not-registered']);
    await done(r);
  });
});

describe('sip accounts: server side', () => {
  function req(method: string, extra = '', via = '10.0.0.9:5060', branch = 'z9hG4bK' + method + Math.random().toString(16).slice(2)): string {
    return `${method} sip:1001@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP ${via};branch=${branch}\r\nFrom: <sip:srv@10.0.0.9>;tag=s1\r\nTo: <sip:1001@127.0.0.1>\r\nCall-ID: ${method}-1@10.0.0.9\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\n${extra}Content-Length: 0\r\n\r\n`;
  }

  async function send(r: Rig, raw: string): Promise<SipResponse[]> {
    const peer = r.net.endpoint('10.0.0.9', 5060);
    const got: SipResponse[] = [];
    const sent = decodeMessage(raw);
    peer.setUser({ onMessage: (m) => void (m.message.type === 'response' && m.message.callId === sent.callId && got.push(m.message)) });
    await peer.send(sent, { protocol: 'udp', address: '127.0.0.1', port: 5060 });
    await advance(r.clock, 400, 100);
    return got;
  }

  it('answers OPTIONS 200 with Allow; INVITE 100 then 480; MESSAGE 405; unknown 501', async () => {
    const r = await rig({ P401: '0' });
    const o = await send(r, req('OPTIONS'));
    assert.deepEqual(o.map((x) => x.status), [200]);
    assert.match(o[0]?.headers.get('Allow') ?? '', /INVITE/);
    assert.deepEqual((await send(r, req('INVITE'))).map((x) => x.status), [100, 480]);
    const m = await send(r, req('MESSAGE'));
    assert.deepEqual(m.map((x) => x.status), [405]);
    assert.deepEqual((await send(r, req('FOOBAR'))).map((x) => x.status), [501]);
    await done(r);
  });

  it('NOTIFY check-sync: 401 challenge, then with credentials 200 and a resync event', async () => {
    const r = await rig({ P401: '0' });
    const events: unknown[] = [];
    r.sip.events.on('resync', (p, e) => events.push([p, e]));
    const first = await send(r, req('NOTIFY', 'Event: check-sync\r\n'));
    assert.deepEqual(first.map((x) => x.status), [401]);
    const ch = decodeChallenge(first[0]?.headers.get('WWW-Authenticate') ?? '');
    const cred = new DigestClient(new SeededRandom(3)).answer(ch, { method: 'NOTIFY', uri: 'sip:1001@127.0.0.1:5060' }, { username: '1001', password: 'secret1001' });
    const second = await send(r, req('NOTIFY', `Event: check-sync\r\nAuthorization: ${encodeCredentials(cred)}\r\n`));
    assert.deepEqual(second.map((x) => x.status), [200]);
    assert.deepEqual(events, [[1, 'check-sync']]);
    await done(r);
  });

  it('NOTIFY resync calls the provisioner when it runs (provisionNow)', async () => {
    const r = await rig({ P401: '0', P4428: '1' });
    const calls: string[] = [];
    r.t.services.set('provision', { name: 'provision', start: async () => {}, stop: async () => {}, provisionNow: async (why: string) => void calls.push(why) } as never);
    assert.deepEqual((await send(r, req('NOTIFY', 'Event: resync\r\n'))).map((x) => x.status), [200]);
    assert.deepEqual(calls, ['SIP NOTIFY resync (account 1)']);
    await done(r);
  });

  it('NOTIFY reset: 403 unless P26015 allows it, then a full factory reset', async () => {
    const r = await rig({ P401: '0', P4428: '1' });
    assert.deepEqual((await send(r, req('NOTIFY', 'Event: reset\r\n'))).map((x) => x.status), [403]);
    assert.deepEqual(r.t.resets, []);
    r.t.store.applyOrThrow({ P26015: '1' }, 'cli');
    await settle(r.clock, 40);
    assert.deepEqual((await send(r, req('NOTIFY', 'Event: reset\r\n'))).map((x) => x.status), [200]);
    assert.deepEqual(r.t.resets, ['full']);
    await done(r);
  });

  it('garbage datagrams are dropped; the account stays registered', async () => {
    const r = await rig({ P401: '0' });
    const unit = r.net.endpoint('10.0.0.7', 5060);
    const rnd = new SeededRandom(5);
    for (let i = 0; i < 200; i++) unit['net'].deliver(unit, { protocol: 'udp', address: '127.0.0.1', port: 5060 }, rnd.bytes(1 + rnd.int(400)), undefined as never);
    await settle(r.clock);
    assert.equal(r.sip.statuses()[0]?.state, 'registered');
    await done(r);
  });
});
