/**
 * The incoming-request rules of both accounts under a FakeClock on the in-memory network, with a
 * scripted registrar at 10.0.0.1 (P47/P747). Test plan: every rule off (the defaults) changes
 * nothing; P243/P743 refuse requests whose source is not a server or proxy (OPTIONS and NOTIFY
 * too), once and statelessly, and the failover server, outbound and backup proxies (names
 * resolved) count as sources; P4340/P4341 refuse what RFC 3261 says a request must carry (400
 * naming it, 415 for a body); P258/P449 refuse an INVITE to another user (404) but not a request
 * inside a dialog; P28127 declines blacklisted callers by From or P-Asserted-Identity (603) on
 * both accounts; P2346/P2446 challenge (401, qop=auth), accept the account's credentials, refuse
 * a wrong password (403), re-challenge a replayed or expired nonce (stale=true). A change of any
 * of them counts from the next request without a re-REGISTER. Each refusal is logged with its
 * rule and source, never with the password; hostile input leaves the accounts registered.
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../cpe/shared/random';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { DigestClient } from '../../cpe/voice/sip/auth/digest-client';
import { decodeChallenge, decodeMessage, encodeCredentials, type SipResponse } from '../../cpe/voice/sip/syntax';
import type { DnsResolver } from '../../cpe/voice/sip/transport/locator';
import { InMemoryNetwork } from '../../cpe/voice/sip/transport/in-memory-network';
import { FakeClock } from '../support/fake-clock';
import { FakeRegistrar } from './support/fake-registrar';
import { advance, settle, sipContext, type SipTestContext } from './support/sip-context';

const DNS: DnsResolver = {
  resolve4: async (h) => ({ 'sip.example.test': ['10.0.0.1'], 'proxy.example.test': ['10.0.0.3', '10.0.0.13'] } as Record<string, string[]>)[h] ?? Promise.reject(new Error('NXDOMAIN')),
  resolveSrv: async () => [],
  resolveNaptr: async () => [],
};

const BASE: Record<string, string> = {
  P271: '1', P47: '10.0.0.1', P35: '1001', P36: '1001', P34: 'secret1001', P32: '60',
  P401: '1', P747: '10.0.0.1', P735: '1002', P736: '1002', P734: 'secret1002',
};

interface Rig {
  clock: FakeClock;
  net: InMemoryNetwork;
  registrar: FakeRegistrar;
  t: SipTestContext;
  sip: SipService;
}

async function rig(params: Record<string, string> = {}): Promise<Rig> {
  const clock = new FakeClock();
  const net = new InMemoryNetwork(clock);
  const registrar = new FakeRegistrar(net, '10.0.0.1');
  const t = sipContext(clock, { ...BASE, ...params });
  const sip = new SipService(t.ctx, { dns: DNS, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
  await sip.start();
  await settle(clock);
  return { clock, net, registrar, t, sip };
}

async function done(r: Rig): Promise<void> {
  await r.sip.stop('shutdown');
  r.t.cleanup();
}

interface Req {
  method?: string;
  user?: string;
  fromUser?: string;
  /** Extra header lines, each ending in CRLF. */
  extra?: string;
  body?: string;
  maxForwards?: boolean;
  toTag?: boolean;
  contact?: boolean;
  callId?: string;
  cseq?: number;
}

let seq = 0;

/** A request as a peer would write it (valid for the strict checks unless told otherwise). */
function request(o: Req = {}, port = 5060): string {
  const method = o.method ?? 'INVITE';
  const user = o.user ?? (port === 5062 ? '1002' : '1001');
  const body = o.body ?? '';
  return [
    `${method} sip:${user}@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 0.0.0.0:5060;branch=z9hG4bK${method}${++seq}`,
    `From: "Caller" <sip:${o.fromUser ?? '6265551234'}@10.0.0.9>;tag=f${seq}`,
    `To: <sip:${user}@127.0.0.1>${o.toTag ? ';tag=t1' : ''}`,
    `Call-ID: ${o.callId ?? `call${seq}@10.0.0.9`}`,
    `CSeq: ${o.cseq ?? 1} ${method}`,
    ...(o.maxForwards === false ? [] : ['Max-Forwards: 70']),
    ...(o.contact === false || method !== 'INVITE' ? [] : [`Contact: <sip:${o.fromUser ?? '6265551234'}@10.0.0.9:5060>`]),
  ].join('\r\n') + `\r\n${o.extra ?? ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Sends raw text from address:port to the account (5060 = FXS, 5062 = FXO); the responses that came back within 400 ms. */
async function send(r: Rig, raw: string, from = '10.0.0.9', fromPort = 5060, to = 5060): Promise<SipResponse[]> {
  const peer = r.net.endpoint(from, fromPort);
  const got: SipResponse[] = [];
  const sent = decodeMessage(raw);
  peer.setUser({ onMessage: (m) => void (m.message.type === 'response' && m.message.callId === sent.callId && got.push(m.message)) });
  await peer.send(sent, { protocol: 'udp', address: '127.0.0.1', port: to });
  await advance(r.clock, 400, 100);
  r.net.remove(peer);
  return got;
}

const statuses = (rs: SipResponse[]): number[] => rs.map((x) => x.status);

/** Log records of refusals. */
function refusals(r: Rig): Array<Record<string, unknown>> {
  return r.t.log.records.filter((x) => x.msg === 'sip: incoming request refused').map((x) => ({ ...x.bindings, ...(x.obj as object) }));
}

/** The INVITE again with credentials answering `challenge` (a new branch and CSeq, as a UAC retries, §22.2). */
function answered(raw: string, challenge: SipResponse, password: string, username = '1001', client = new DigestClient(new SeededRandom(3))): string {
  const ch = decodeChallenge(challenge.headers.get('WWW-Authenticate') ?? '');
  const uri = /^INVITE (\S+) /.exec(raw)?.[1] ?? '';
  const cred = client.answer(ch, { method: 'INVITE', uri }, { username, password });
  return raw
    .replace(/branch=z9hG4bK\w+/, `branch=z9hG4bKauth${++seq}`)
    .replace('CSeq: 1 INVITE', 'CSeq: 2 INVITE')
    .replace('Content-Length:', `Authorization: ${encodeCredentials(cred)}\r\nContent-Length:`);
}

describe('sip accounts: incoming request rules', () => {
  it('every rule off (the defaults): any source, any user, no credentials, no Max-Forwards, any caller: served as before', async () => {
    const r = await rig({ P28127: '' });
    try {
      assert.deepEqual(statuses(await send(r, request({ user: '9999' }))), [100, 480]);
      assert.deepEqual(statuses(await send(r, request({ method: 'OPTIONS', maxForwards: false }))), [200]);
      assert.deepEqual(statuses(await send(r, request({ user: '1', contact: false }), '10.0.0.9', 5060, 5062)), [100, 480]);
      assert.deepEqual(refusals(r), []);
    } finally {
      await done(r);
    }
  });

  it('P243: a request from an address that is not the server or proxy gets one 403, statelessly; OPTIONS and NOTIFY too; the server\'s address (any port) is served', async () => {
    const r = await rig({ P243: '1', P401: '0' });
    try {
      const layer = r.sip.account(1).layer;
      const before = layer?.size ?? 0;
      const invite = await send(r, request());
      assert.deepEqual(statuses(invite), [403]);
      assert.equal(invite[0]?.reason, 'Forbidden - Not From Proxy');
      assert.equal(layer?.size, before, 'no transaction kept for a refused request');
      await advance(r.clock, 40_000, 1000);
      assert.equal(r.net.messages((w) => w.message.type === 'response' && w.message.status === 403).length, 1, 'a stateless 403 is never retransmitted');
      assert.deepEqual(statuses(await send(r, request({ method: 'OPTIONS' }))), [403]);
      assert.deepEqual(statuses(await send(r, request({ method: 'NOTIFY', extra: 'Event: check-sync\r\n' }))), [403]);
      // the registrar's address, from another port (a proxy's TCP or a second UDP socket)
      assert.deepEqual(statuses(await send(r, request(), '10.0.0.1', 5999)), [100, 480]);
      assert.deepEqual(statuses(await send(r, request({ method: 'OPTIONS' }), '10.0.0.1', 5999)), [200]);
      const logged = refusals(r);
      assert.equal(logged.length, 3);
      assert.deepEqual([logged[0]?.rule, logged[0]?.source, logged[0]?.method, logged[0]?.status, logged[0]?.account], ['P243 accept SIP from proxy only', 'udp:10.0.0.9:5060', 'INVITE', 403, 1]);
    } finally {
      await done(r);
    }
  });

  it('P743 guards the FXO account alone; P243 off leaves the FXS account open', async () => {
    const r = await rig({ P743: '1' });
    try {
      assert.deepEqual(statuses(await send(r, request({}, 5062), '10.0.0.9', 5060, 5062)), [403]);
      assert.deepEqual(statuses(await send(r, request())), [100, 480]);
      assert.equal(refusals(r)[0]?.rule, 'P743 accept SIP from proxy only');
      assert.equal(refusals(r)[0]?.account, 2);
    } finally {
      await done(r);
    }
  });

  it('P243 trusts every address of the primary and failover servers and of the outbound and backup proxies (names resolved)', async () => {
    const r = await rig({ P243: '1', P401: '0', P47: 'sip.example.test', P967: '10.0.0.2', P48: 'proxy.example.test', P2333: '10.0.0.4' });
    try {
      assert.deepEqual(r.sip.account(1).trustedAddresses().sort(), ['10.0.0.1', '10.0.0.13', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
      for (const source of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.13', '10.0.0.4']) {
        assert.deepEqual(statuses(await send(r, request({ method: 'OPTIONS' }), source, 5090)), [200], source);
      }
      assert.deepEqual(statuses(await send(r, request({ method: 'OPTIONS' }), '10.0.0.5', 5090)), [403]);
    } finally {
      await done(r);
    }
  });

  it('a change of P243 counts from the next request, without re-registering', async () => {
    const r = await rig({ P401: '0' });
    try {
      const registers = r.registrar.registers().length;
      assert.deepEqual(statuses(await send(r, request())), [100, 480]);
      r.t.store.applyOrThrow({ P243: '1' }, 'cli');
      await settle(r.clock);
      assert.deepEqual(statuses(await send(r, request())), [403]);
      r.t.store.applyOrThrow({ P243: '0' }, 'cli');
      await settle(r.clock);
      assert.deepEqual(statuses(await send(r, request())), [100, 480]);
      assert.equal(r.registrar.registers().length, registers, 'no REGISTER for a change of P243');
    } finally {
      await done(r);
    }
  });

  it('P4340: a request missing what RFC 3261 requires gets 400 naming it (415 for a body we cannot take); P4341 for the FXO account', async () => {
    const r = await rig({ P4340: '1', P4341: '1' });
    try {
      const noMf = await send(r, request({ method: 'OPTIONS', maxForwards: false }));
      assert.deepEqual(statuses(noMf), [400]);
      assert.equal(noMf[0]?.reason, 'Bad Request - Missing Max-Forwards header field');
      assert.equal((await send(r, request({ contact: false })))[0]?.reason, 'Bad Request - INVITE needs exactly one Contact');
      assert.equal((await send(r, request({ method: 'NOTIFY' })))[0]?.reason, 'Bad Request - Missing Event header field');
      const text = await send(r, request({ body: 'hello', extra: 'Content-Type: text/plain\r\n' }));
      assert.deepEqual(statuses(text), [415]);
      assert.equal(text[0]?.headers.get('Accept'), 'application/sdp');
      assert.equal((await send(r, request({ method: 'OPTIONS', body: 'x' })))[0]?.reason, 'Bad Request - Missing Content-Type for the message body');
      const fxo = await send(r, request({ method: 'OPTIONS', maxForwards: false }, 5062), '10.0.0.9', 5060, 5062);
      assert.deepEqual(statuses(fxo), [400]);
      // a well-formed INVITE is served
      assert.deepEqual(statuses(await send(r, request())), [100, 480]);
      const logged = refusals(r);
      assert.equal(logged[0]?.rule, 'P4340 validate incoming SIP');
      assert.equal(logged[0]?.problem, 'Missing Max-Forwards header field');
      assert.equal(logged.at(-1)?.rule, 'P4341 validate incoming SIP');
    } finally {
      await done(r);
    }
  });

  it('P258: an INVITE to another user gets 404 (%-escapes and user parameters aside); a request inside a dialog is not checked; P449 with P735 on the FXO account', async () => {
    const r = await rig({ P258: '1', P449: '1' });
    try {
      const wrong = await send(r, request({ user: '9999' }));
      assert.deepEqual(statuses(wrong), [404]);
      assert.deepEqual(statuses(await send(r, request({ user: '%31001' }))), [100, 480]);
      assert.deepEqual(statuses(await send(r, request({ user: '1001;npdi' }))), [100, 480]);
      // a To tag: the in-dialog path (no dialog here: 481), not the user check
      assert.deepEqual(statuses(await send(r, request({ user: '9999', toTag: true }))), [481]);
      assert.deepEqual(statuses(await send(r, request({ user: '1001' }, 5062), '10.0.0.9', 5060, 5062)), [404]);
      assert.deepEqual(statuses(await send(r, request({ user: '1002' }, 5062), '10.0.0.9', 5060, 5062)), [100, 480]);
      assert.deepEqual(refusals(r).map((x) => [x.rule, x.user]), [['P258 check SIP user ID', '9999'], ['P449 check SIP user ID', '1001']]);
      // an empty user ID (P735) accepts only a Request-URI without a user part
      r.t.store.applyOrThrow({ P735: '' }, 'cli');
      await settle(r.clock, 40);
      const bare = request({}, 5062).replace('INVITE sip:1002@127.0.0.1:5062', 'INVITE sip:127.0.0.1:5062');
      assert.deepEqual(statuses(await send(r, bare, '10.0.0.9', 5060, 5062)), [100, 480]);
      assert.deepEqual(statuses(await send(r, request({ user: '1002' }, 5062), '10.0.0.9', 5060, 5062)), [404]);
    } finally {
      await done(r);
    }
  });

  it('P28127: a blacklisted caller (From, or P-Asserted-Identity) is declined 603 on both accounts; others and anonymous callers ring', async () => {
    const r = await rig({ P28127: '6265551234, 5550000' });
    try {
      assert.deepEqual(statuses(await send(r, request({ fromUser: '6265551234' }))), [603]);
      assert.deepEqual(statuses(await send(r, request({ fromUser: '6265551234' }, 5062), '10.0.0.9', 5060, 5062)), [603]);
      const pai = await send(r, request({ fromUser: 'anonymous', extra: 'P-Asserted-Identity: <sip:555-0000@10.0.0.1>, <tel:+1999>\r\n' }));
      assert.deepEqual(statuses(pai), [603]);
      assert.deepEqual(statuses(await send(r, request({ fromUser: '6265550000' }))), [100, 480]);
      assert.deepEqual(statuses(await send(r, request({ fromUser: 'anonymous' }))), [100, 480]);
      assert.deepEqual(refusals(r).map((x) => [x.rule, x.caller, x.account]), [
        ['P28127 incoming blacklist', '6265551234', 1], ['P28127 incoming blacklist', '6265551234', 2], ['P28127 incoming blacklist', '5550000', 1],
      ]);
      // emptied: the next call rings
      r.t.store.applyOrThrow({ P28127: '' }, 'cli');
      assert.deepEqual(statuses(await send(r, request({ fromUser: '6265551234' }))), [100, 480]);
    } finally {
      await done(r);
    }
  });

  it('P2346: 401 with a digest challenge (qop=auth), the right credentials are served, a wrong password gets 403; the password is never logged', async () => {
    const r = await rig({ P2346: '1', P401: '0' });
    try {
      const invite = request();
      const first = await send(r, invite);
      assert.deepEqual(statuses(first), [401]);
      const ch = decodeChallenge(first[0]?.headers.get('WWW-Authenticate') ?? '');
      assert.equal(ch.scheme, 'Digest');
      assert.equal(ch.params.get('realm'), '10.0.0.1');
      assert.equal(ch.params.get('qop'), 'auth');
      assert.match(ch.params.get('nonce') ?? '', /^[0-9a-f]{32}$/);
      assert.deepEqual(statuses(await send(r, answered(invite, first[0] as SipResponse, 'secret1001'))), [100, 480]);
      const again = request();
      const ch2 = await send(r, again);
      assert.notEqual(decodeChallenge(ch2[0]?.headers.get('WWW-Authenticate') ?? '').params.get('nonce'), ch.params.get('nonce'), 'a fresh nonce per challenge');
      const wrong = await send(r, answered(again, ch2[0] as SipResponse, 'guess'));
      assert.deepEqual(statuses(wrong), [403]);
      assert.equal(wrong[0]?.reason, 'Forbidden - Wrong Credentials');
      // other methods are not challenged
      assert.deepEqual(statuses(await send(r, request({ method: 'OPTIONS' }))), [200]);
      assert.deepEqual(refusals(r).map((x) => [x.rule, x.status, x.auth]), [
        ['P2346 authenticate incoming INVITE', 401, 'missing'], ['P2346 authenticate incoming INVITE', 401, 'missing'], ['P2346 authenticate incoming INVITE', 403, 'wrong'],
      ]);
      assert.equal(r.t.log.text().includes('secret1001'), false);
    } finally {
      await done(r);
    }
  });

  it('P2346: a replayed nonce-count or an expired nonce (60 s) is challenged again with stale=true; P2446 uses the FXO account\'s P736/P734', async () => {
    const r = await rig({ P2346: '1', P2446: '1' });
    try {
      const invite = request();
      const challenge = (await send(r, invite))[0] as SipResponse;
      const withAuth = answered(invite, challenge, 'secret1001');
      assert.deepEqual(statuses(await send(r, withAuth)), [100, 480]);
      // the same Authorization (same nc) in a new INVITE transaction: a replay
      const replay = await send(r, withAuth.replace(/branch=z9hG4bK\w+/, 'branch=z9hG4bKreplay').replace(/Call-ID: \S+/, 'Call-ID: replay@10.0.0.9'));
      assert.deepEqual(statuses(replay), [401]);
      assert.equal(decodeChallenge(replay[0]?.headers.get('WWW-Authenticate') ?? '').params.get('stale'), 'true');
      // a nonce answered after its 60 s
      const late = request();
      const lateCh = (await send(r, late))[0] as SipResponse;
      await advance(r.clock, 61_000, 1000);
      const expired = await send(r, answered(late, lateCh, 'secret1001'));
      assert.deepEqual(statuses(expired), [401]);
      assert.equal(decodeChallenge(expired[0]?.headers.get('WWW-Authenticate') ?? '').params.get('stale'), 'true');
      // the FXO account
      const fxo = request({}, 5062);
      const fxoCh = (await send(r, fxo, '10.0.0.9', 5060, 5062))[0] as SipResponse;
      assert.equal(fxoCh.status, 401);
      assert.deepEqual(statuses(await send(r, answered(fxo, fxoCh, 'secret1001'), '10.0.0.9', 5060, 5062)), [403], 'the FXS password is wrong here');
      const fxo2 = request({}, 5062);
      const fxoCh2 = (await send(r, fxo2, '10.0.0.9', 5060, 5062))[0] as SipResponse;
      assert.deepEqual(statuses(await send(r, answered(fxo2, fxoCh2, 'secret1002', '1002'), '10.0.0.9', 5060, 5062)), [100, 480]);
    } finally {
      await done(r);
    }
  });

  it('P2346 with no password set (P34 empty): nothing authenticates, not even an empty password', async () => {
    const r = await rig({ P2346: '1', P34: '', P401: '0' });
    try {
      const invite = request();
      const ch = (await send(r, invite))[0] as SipResponse;
      assert.equal(ch.status, 401);
      assert.deepEqual(statuses(await send(r, answered(invite, ch, ''))), [403]);
      assert.equal(refusals(r).at(-1)?.why, 'no password set (P34/P734)');
    } finally {
      await done(r);
    }
  });

  it('rules apply in order: the source first (403), then validation, user ID, blacklist, authentication', async () => {
    const r = await rig({ P243: '1', P4340: '1', P258: '1', P28127: '6265551234', P2346: '1' });
    try {
      assert.deepEqual(statuses(await send(r, request({ user: '9', fromUser: '6265551234', maxForwards: false }))), [403]);
      const proxy = (raw: string): Promise<SipResponse[]> => send(r, raw, '10.0.0.1', 5999);
      assert.deepEqual(statuses(await proxy(request({ user: '9', fromUser: '6265551234', maxForwards: false }))), [400]);
      assert.deepEqual(statuses(await proxy(request({ user: '9', fromUser: '6265551234' }))), [404]);
      assert.deepEqual(statuses(await proxy(request({ fromUser: '6265551234' }))), [603]);
      assert.deepEqual(statuses(await proxy(request({ fromUser: '7' }))), [401]);
    } finally {
      await done(r);
    }
  });

  it('hostile input with every rule on: garbage, broken credentials, mutated requests; no crash, the accounts stay registered', async () => {
    const r = await rig({ P243: '1', P743: '1', P4340: '1', P4341: '1', P258: '1', P449: '1', P2346: '1', P2446: '1', P28127: '1,2,3' });
    try {
      const rnd = new SeededRandom(7);
      const base = Buffer.from(request());
      const peer = r.net.endpoint('10.0.0.1', 5999);
      peer.setUser({ onMessage: () => {} });
      for (let i = 0; i < 300; i++) {
        const m = Buffer.from(base);
        for (let k = 0; k < 1 + rnd.int(6); k++) m[rnd.int(m.length)] = rnd.int(256);
        r.net.deliver(peer, { protocol: 'udp', address: '127.0.0.1', port: rnd.int(2) === 0 ? 5060 : 5062 }, m, decodeMessage(base));
      }
      await settle(r.clock);
      assert.ok(refusals(r).length > 0, 'mutated requests that still parse are judged');
      assert.deepEqual(r.t.log.records.filter((x) => x.level === 'error').map((x) => x.msg), []);
      for (const auth of ['Digest', 'Digest realm="10.0.0.1", nonce=', 'Digest realm="10.0.0.1", nonce="x", username="1001", response="0", algorithm=SHA-999', 'Basic Zm9vOmJhcg==', 'Digest nc=zzzz, qop=auth, realm="10.0.0.1", nonce="n", username="1001", response="a"']) {
        const res = await send(r, request({ extra: `Authorization: ${auth}\r\n` }), '10.0.0.1', 5999);
        assert.ok([401, 403].includes(res[0]?.status ?? 0), `${auth}: ${statuses(res).join(',')}`);
      }
      await settle(r.clock);
      assert.deepEqual(r.sip.statuses().map((s) => s.state), ['registered', 'registered']);
    } finally {
      await done(r);
    }
  });
});
