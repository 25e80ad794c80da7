/*
 * Test plan: the RADIUS client over an in-memory network with a FakeClock.
 *   - the Access-Request as sent: Message-Authenticator first and valid, User-Name, User-Password
 *     hidden, NAS-IP-Address of the socket, the caller's attributes; Identifier / Request
 *     Authenticator from the seeded Random;
 *   - retransmission of the same datagram at exactly IRT_MS and IRT_MS + 2·IRT_MS, give-up at MRD_MS
 *     (RFC 5080 §2.2.1), an answer to a retransmission;
 *   - answers dropped: wrong address, wrong port, wrong Identifier, wrong Response Authenticator,
 *     Accept without / with a wrong Message-Authenticator, garbage, an echoed request;
 *     an unsigned Access-Reject accepted;
 *   - ECONNREFUSED at once, an unresolvable name, a socket that cannot open, close() mid-exchange;
 *   - after every case: no timer and no socket left.
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../cpe/shared/random';
import { IRT_MS, MRC, MRD_MS, MRT_MS, RadiusClient, nextRetransmissionTime, type AccessRequestInput } from '../../cpe/web/radius/radius-client';
import { checkMessageAuthenticator, encodeResponse, revealUserPassword } from '../../cpe/web/radius/radius-crypto';
import { RadiusError } from '../../cpe/web/radius/radius-error';
import { ATTR, encodeRadius, type RadiusAttribute } from '../../cpe/web/radius/radius-packet';
import { FakeClock } from '../support/fake-clock';
import { MemoryRadius, NAS_LOCAL, RADIUS_SERVER, levelAttribute, settle } from './radius-fakes';

const SECRET = Buffer.from('s3cret-shared');

function setup(seed = 1): { clock: FakeClock; net: MemoryRadius; client: RadiusClient } {
  const clock = new FakeClock();
  const net = new MemoryRadius();
  const client = new RadiusClient({ clock, random: new SeededRandom(seed), sockets: net.factory, resolve: async (h) => (h === 'radius.test' ? RADIUS_SERVER.address : Promise.reject(new Error('ENOTFOUND'))) });
  return { clock, net, client };
}

const REQUEST: AccessRequestInput = {
  server: { host: RADIUS_SERVER.address, port: RADIUS_SERVER.port },
  secret: SECRET,
  userName: 'alice',
  password: 'wonderland',
  attributes: [{ type: ATTR.nasIdentifier, value: Buffer.from('000b82a1b2c3') }],
};

/** A response to the last request sent, signed as a server would (or tampered with). */
function reply(net: MemoryRadius, code: 'Access-Accept' | 'Access-Reject' | 'Access-Challenge', o: { attributes?: RadiusAttribute[]; secret?: Buffer; ma?: boolean; id?: number } = {}): Buffer {
  const req = net.last().packet;
  return encodeResponse({ code, identifier: o.id ?? req.identifier, attributes: o.attributes ?? [] }, req.authenticator, o.secret ?? SECRET, { messageAuthenticator: o.ma ?? true });
}

async function rejection(p: Promise<unknown>): Promise<RadiusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof RadiusError, String(e));
    return e;
  }
  assert.fail('expected a RadiusError');
}

function assertIdle(clock: FakeClock, net: MemoryRadius, client: RadiusClient): void {
  assert.equal(clock.timerCount, 0, 'no timer left');
  assert.equal(net.open, 0, 'no socket left');
  assert.equal(client.pending, 0);
}

describe('RADIUS client (RFC 2865, RFC 5080 retransmission)', () => {
  it('sends Message-Authenticator first, the hidden password, NAS-IP-Address, and resolves with the Accept', async () => {
    const { clock, net, client } = setup();
    const p = client.authenticate(REQUEST);
    await settle();
    assert.equal(net.sent.length, 1);
    const { to, packet } = net.last();
    assert.deepEqual(to, RADIUS_SERVER);
    assert.equal(packet.code, 'Access-Request');
    assert.deepEqual(packet.attributes.map((a) => a.type), [ATTR.messageAuthenticator, ATTR.userName, ATTR.userPassword, ATTR.nasIpAddress, ATTR.nasIdentifier]);
    assert.equal(checkMessageAuthenticator(packet, packet.authenticator, SECRET), 'valid');
    assert.equal(revealUserPassword(packet.attributes[2]!.value, SECRET, packet.authenticator).toString(), 'wonderland');
    assert.deepEqual([...packet.attributes[3]!.value], NAS_LOCAL.address.split('.').map(Number));
    net.deliver(reply(net, 'Access-Accept', { attributes: [levelAttribute('admin')] }));
    const a = await p;
    assert.equal(a.code, 'Access-Accept');
    assert.equal(a.transmissions, 1);
    assert.deepEqual(a.attributes.filter((x) => x.type === ATTR.vendorSpecific), [levelAttribute('admin')]);
    assertIdle(clock, net, client);
  });

  it('takes Identifier and Request Authenticator from the injected Random: same seed, same datagram', async () => {
    const bytes: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const { net, client } = setup(42);
      const p = client.authenticate(REQUEST);
      await settle();
      bytes.push(net.last().bytes);
      client.close();
      await rejection(p);
    }
    assert.deepEqual(bytes[0], bytes[1]);
  });

  it(`retransmits the same datagram at ${IRT_MS} and ${IRT_MS + 2 * IRT_MS} ms and gives up at ${MRD_MS} ms`, async () => {
    assert.deepEqual([IRT_MS, nextRetransmissionTime(IRT_MS), nextRetransmissionTime(nextRetransmissionTime(IRT_MS))], [2000, 4000, MRT_MS]);
    const { clock, net, client } = setup();
    const p = client.authenticate(REQUEST);
    const err = rejection(p);
    await settle();
    const at: number[] = [];
    const t0 = clock.now();
    for (let ms = 0; ms <= MRD_MS; ms += 100) {
      if (net.sent.length > at.length) at.push(clock.now() - t0);
      clock.advance(100);
      await settle();
    }
    assert.deepEqual(at, [0, 2000, 6000]);
    assert.equal(net.sent.length, 1 + MRC);
    assert.ok(net.sent.every((s) => s.bytes.equals(net.sent[0]!.bytes)), 'RFC 2865 §2.5: same Identifier and Request Authenticator');
    const e = await err;
    assert.equal(e.code, 'ERR_RADIUS_TIMEOUT');
    assert.match(e.message, /after 3 tries in 10000 ms/);
    assertIdle(clock, net, client);
  });

  it('the timeout falls exactly at MRD: not one millisecond before', async () => {
    const { clock, net, client } = setup();
    let failed = false;
    const p = client.authenticate(REQUEST).catch((e: unknown) => {
      failed = true;
      return e;
    });
    await settle();
    clock.advance(MRD_MS - 1);
    await settle();
    assert.equal(failed, false);
    clock.advance(1);
    await settle();
    assert.equal(failed, true);
    assert.ok((await p) instanceof RadiusError);
    assertIdle(clock, net, client);
  });

  it('takes an answer to a retransmission', async () => {
    const { clock, net, client } = setup();
    const p = client.authenticate(REQUEST);
    await settle();
    clock.advance(IRT_MS);
    await settle();
    assert.equal(net.sent.length, 2);
    net.deliver(reply(net, 'Access-Reject', { ma: false }));
    const a = await p;
    assert.equal(a.code, 'Access-Reject');
    assert.equal(a.transmissions, 2);
    assertIdle(clock, net, client);
  });

  it('drops answers from elsewhere, with another Identifier, a wrong authenticator, no or a wrong Message-Authenticator, garbage', async () => {
    const { clock, net, client } = setup();
    const p = client.authenticate(REQUEST);
    await settle();
    const good = reply(net, 'Access-Accept');
    net.deliver(good, { address: '10.9.8.6', port: RADIUS_SERVER.port });
    net.deliver(good, { address: RADIUS_SERVER.address, port: 1645 });
    net.deliver(reply(net, 'Access-Accept', { id: (net.last().packet.identifier + 1) % 256 }));
    net.deliver(reply(net, 'Access-Accept', { secret: Buffer.from('wrong-secret') }));
    net.deliver(reply(net, 'Access-Accept', { ma: false }));
    net.deliver(reply(net, 'Access-Challenge', { ma: false }));
    const badMa = Buffer.from(good);
    badMa[22]! ^= 0xff; // Message-Authenticator's value; the Response Authenticator is then wrong too
    net.deliver(badMa);
    net.deliver(Buffer.from('not radius at all'));
    net.deliver(net.last().bytes); // our own request echoed
    const forged = encodeRadius({ code: 'Access-Accept', identifier: net.last().packet.identifier, authenticator: Buffer.alloc(16), attributes: [] });
    net.deliver(forged);
    await settle();
    assert.equal(client.pending, 1, 'still waiting');
    net.deliver(good);
    assert.equal((await p).code, 'Access-Accept');
    assertIdle(clock, net, client);
  });

  it('says why the last answer was dropped when it times out (an unsigned Accept: CVE-2024-3596)', async () => {
    const { clock, net, client } = setup();
    const err = rejection(client.authenticate(REQUEST));
    await settle();
    net.deliver(reply(net, 'Access-Accept', { ma: false }));
    clock.advance(MRD_MS);
    const e = await err;
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /Access-Accept without Message-Authenticator/);
    assertIdle(clock, net, client);
  });

  it('gives up at once when the network says the server port is closed (ICMP → ECONNREFUSED)', async () => {
    const { clock, net, client } = setup();
    const err = rejection(client.authenticate(REQUEST));
    await settle();
    net.fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const e = await err;
    assert.equal(e.code, 'ERR_RADIUS_UNREACHABLE');
    assert.match(e.message, /ECONNREFUSED/);
    assertIdle(clock, net, client);
  });

  it('resolves a server name, and fails as unreachable for a name that does not resolve or a socket that cannot open', async () => {
    const { clock, net, client } = setup();
    const p = client.authenticate({ ...REQUEST, server: { host: 'radius.test', port: 1812 } });
    await settle();
    assert.deepEqual(net.last().to, RADIUS_SERVER);
    net.deliver(reply(net, 'Access-Reject'));
    assert.equal((await p).code, 'Access-Reject');
    assert.equal((await rejection(client.authenticate({ ...REQUEST, server: { host: 'nowhere.test', port: 1812 } }))).kind, 'unreachable');
    net.failOpen = Object.assign(new Error('bind EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
    assert.equal((await rejection(client.authenticate(REQUEST))).kind, 'unreachable');
    assertIdle(clock, net, client);
  });

  it('close() ends an exchange in flight with RadiusError("closed") and refuses new ones', async () => {
    const { clock, net, client } = setup();
    const err = rejection(client.authenticate(REQUEST));
    await settle();
    client.close();
    assert.equal((await err).code, 'ERR_RADIUS_CLOSED');
    assert.equal((await rejection(client.authenticate(REQUEST))).kind, 'closed');
    net.deliver(Buffer.alloc(20)); // late datagrams reach no one
    assertIdle(clock, net, client);
  });

  it('takes 5,000 hostile datagrams without throwing, then the real answer', async () => {
    const { clock, net, client } = setup();
    const p = client.authenticate(REQUEST);
    await settle();
    const r = new SeededRandom(5);
    const good = reply(net, 'Access-Accept');
    for (let i = 0; i < 5000; i++) {
      const b = Buffer.from(good);
      const n = 1 + r.int(4);
      for (let k = 0; k < n; k++) b[r.int(b.length)] = r.int(256);
      net.deliver(r.int(8) === 0 ? b.subarray(0, r.int(b.length)) : b);
    }
    assert.equal(client.pending, 1);
    net.deliver(good);
    assert.equal((await p).code, 'Access-Accept');
    assertIdle(clock, net, client);
  });
});
