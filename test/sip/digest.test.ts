/** Digest client against the RFC 2617 §3.5 and RFC 7616 §3.9.1 vectors, and its SIP behaviour; the digest server's verdicts, nonce table, replay and expiry rules. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SeededRandom } from '../../cpe/shared/random';
import { DigestClient, digestResponse, type DigestInput } from '../../cpe/voice/sip/auth/digest-client';
import { DigestServer } from '../../cpe/voice/sip/auth/digest-server';
import { decodeChallenge, decodeNameAddr, decodeUri, encodeCredentials, HeaderList } from '../../cpe/voice/sip/syntax';
import { FakeClock } from '../support/fake-clock';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

const RFC7616 = {
  username: 'Mufasa', password: 'Circle of Life', realm: 'http-auth@example.org', method: 'GET', uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001', qop: 'auth' as const,
};

const VECTORS: Array<{ name: string; input: DigestInput; expected: string }> = [
  {
    name: 'RFC 2617 §3.5 (MD5, qop=auth)',
    input: {
      algorithm: 'MD5', username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', method: 'GET',
      uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', cnonce: '0a4f113b', nc: '00000001', qop: 'auth',
    },
    expected: '6629fae49393a05397450978507c4ef1',
  },
  { name: 'RFC 7616 §3.9.1 MD5', input: { algorithm: 'MD5', ...RFC7616 }, expected: '8ca523f5e9506fed4657c9700eebdbec' },
  { name: 'RFC 7616 §3.9.1 SHA-256', input: { algorithm: 'SHA-256', ...RFC7616 }, expected: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1' },
];

describe('sip digest: RFC vectors', () => {
  for (const v of VECTORS) {
    it(v.name, () => assert.equal(digestResponse(v.input), v.expected));
  }

  it('RFC 2069 style (no qop) and MD5-sess and auth-int follow the RFC 2617 formulas', () => {
    const base = { username: 'u', password: 'p', realm: 'r', nonce: 'n', method: 'REGISTER', uri: 'sip:r' };
    const ha1 = md5('u:r:p');
    const ha2 = md5('REGISTER:sip:r');
    assert.equal(digestResponse({ algorithm: 'MD5', ...base }), md5(`${ha1}:n:${ha2}`));
    const sess = md5(`${ha1}:n:c`);
    assert.equal(digestResponse({ algorithm: 'MD5-sess', ...base, cnonce: 'c', nc: '00000002', qop: 'auth' }), md5(`${sess}:n:00000002:c:auth:${ha2}`));
    const body = Buffer.from('v=0\r\n');
    const ha2int = md5(`REGISTER:sip:r:${md5('v=0\r\n')}`);
    assert.equal(digestResponse({ algorithm: 'MD5', ...base, cnonce: 'c', nc: '00000001', qop: 'auth-int', body }), md5(`${ha1}:n:00000001:c:auth-int:${ha2int}`));
  });
});

describe('sip digest: client', () => {
  it('answers a challenge, counts nonces, echoes opaque, and quotes per RFC 7616', () => {
    const c = new DigestClient(new SeededRandom(1));
    const ch = decodeChallenge('Digest realm="peers.test", nonce="abc", opaque="xyz", qop="auth,auth-int", algorithm=MD5');
    const a1 = c.answer(ch, { method: 'REGISTER', uri: 'sip:peers.test' }, { username: '1001', password: 'secret1001' });
    const a2 = c.answer(ch, { method: 'REGISTER', uri: 'sip:peers.test' }, { username: '1001', password: 'secret1001' });
    assert.equal(a1.params.get('nc'), '00000001');
    assert.equal(a2.params.get('nc'), '00000002');
    assert.equal(a1.params.get('qop'), 'auth');
    assert.equal(a1.params.get('opaque'), 'xyz');
    const expected = digestResponse({
      algorithm: 'MD5', username: '1001', password: 'secret1001', realm: 'peers.test', nonce: 'abc', method: 'REGISTER',
      uri: 'sip:peers.test', qop: 'auth', nc: '00000001', cnonce: a1.params.get('cnonce') as string,
    });
    assert.equal(a1.params.get('response'), expected);
    const text = encodeCredentials(a1);
    assert.match(text, /^Digest username="1001", realm="peers.test", nonce="abc", uri="sip:peers.test", response="[0-9a-f]{32}", algorithm=MD5, cnonce="[0-9a-f]+", opaque="xyz", qop=auth, nc=00000001$/);
    const back = decodeChallenge(text);
    assert.equal(back.params.get('response'), expected);
  });

  it('without qop sends no nc/cnonce; SHA-256 challenge answered with SHA-256', () => {
    const c = new DigestClient(new SeededRandom(2));
    const a = c.answer(decodeChallenge('Digest realm="r", nonce="n"'), { method: 'INVITE', uri: 'sip:x@r' }, { username: 'u', password: 'p' });
    assert.equal(a.params.has('nc'), false);
    assert.equal(a.params.has('cnonce'), false);
    const s = c.answer(decodeChallenge('Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth"'), { method: 'INVITE', uri: 'sip:x@r' }, { username: 'u', password: 'p' });
    assert.equal(s.params.get('algorithm'), 'SHA-256');
    assert.equal(s.params.get('response')?.length, 64);
  });

  it('refuses schemes and algorithms it cannot do', () => {
    assert.equal(DigestClient.supports(decodeChallenge('Basic realm="r"')), false);
    assert.equal(DigestClient.supports(decodeChallenge('Digest realm="r", nonce="n", algorithm=AKAv1-MD5')), false);
  });
});

describe('sip digest: server', () => {
  function req(auth: string[], method = 'INVITE') {
    const headers = new HeaderList();
    for (const a of auth) headers.add('Authorization', a);
    return { type: 'request' as const, method, uri: decodeUri('sip:1001@127.0.0.1'), via: [], from: decodeNameAddr('<sip:a@h>;tag=1'), to: decodeNameAddr('<sip:1001@h>'), callId: 'c', cseq: { seq: 1, method }, contact: [], route: [], recordRoute: [], headers, body: Buffer.alloc(0) };
  }
  const creds = { username: '1001', password: 'secret' };
  const answer = (client: DigestClient, challenge: string): string => encodeCredentials(client.answer(decodeChallenge(challenge), { method: 'INVITE', uri: 'sip:1001@127.0.0.1' }, creds));

  it('plain (NOTIFY): any of the last 8 nonces, reusable; a 9th challenge forgets the first', () => {
    const s = new DigestServer(new SeededRandom(1), 'HT813');
    const c = new DigestClient(new SeededRandom(2));
    const first = s.challenge();
    const a = answer(c, first);
    assert.equal(s.check(req([a]), '1001', 'secret'), 'ok');
    assert.equal(s.verify(req([a]), '1001', 'secret'), true, 'no replay protection unless asked');
    for (let i = 0; i < 8; i++) s.challenge();
    assert.equal(s.check(req([a]), '1001', 'secret'), 'stale');
    assert.equal(s.verify(req([a]), '1001', 'secret'), false);
  });

  it('verdicts: missing (none, other realm, other scheme), wrong (user or password), ok; stale=true in the challenge when asked', () => {
    const s = new DigestServer(new SeededRandom(1), 'r1', { replayProtection: true });
    const c = new DigestClient(new SeededRandom(2));
    const ch = s.challenge({ stale: true });
    assert.equal(decodeChallenge(ch).params.get('stale'), 'true');
    assert.equal(decodeChallenge(ch).params.get('qop'), 'auth');
    assert.equal(s.check(req([]), '1001', 'secret'), 'missing');
    assert.equal(s.check(req(['Basic Zm9v']), '1001', 'secret'), 'missing');
    assert.equal(s.check(req([answer(c, ch.replace('r1', 'other'))]), '1001', 'secret'), 'missing');
    assert.equal(s.check(req([answer(c, ch)]), '1001', 'other'), 'wrong');
    assert.equal(s.check(req([answer(c, ch)]), '1002', 'secret'), 'wrong');
    assert.equal(s.check(req(['Digest realm="r1", nonce=', answer(c, ch)]), '1001', 'secret'), 'ok');
  });

  it('replay protection: nc must grow (RFC 7616 §3.4); without qop a nonce serves once; expiry by the clock (stale)', () => {
    const clock = new FakeClock();
    const s = new DigestServer(new SeededRandom(1), 'r1', { replayProtection: true, clock, lifetimeMs: 60_000 });
    const c = new DigestClient(new SeededRandom(2));
    const ch = s.challenge();
    const nc1 = answer(c, ch);
    assert.equal(s.check(req([nc1]), '1001', 'secret'), 'ok');
    assert.equal(s.check(req([nc1]), '1001', 'secret'), 'stale', 'the same nc again');
    assert.equal(s.check(req([answer(c, ch)]), '1001', 'secret'), 'ok', 'nc 2');
    const noQop = decodeChallenge(s.challenge());
    noQop.params.delete('qop');
    const once = encodeCredentials(c.answer(noQop, { method: 'INVITE', uri: 'sip:1001@127.0.0.1' }, creds));
    assert.equal(s.check(req([once]), '1001', 'secret'), 'ok');
    assert.equal(s.check(req([once]), '1001', 'secret'), 'stale');
    const later = s.challenge();
    clock.advance(60_001);
    assert.equal(s.check(req([answer(c, later)]), '1001', 'secret'), 'stale');
  });
});
