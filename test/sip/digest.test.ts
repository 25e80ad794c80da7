/** Digest client against the RFC 2617 §3.5 and RFC 7616 §3.9.1 vectors, and its SIP behaviour. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SeededRandom } from '../../cpe/shared/random';
import { DigestClient, digestResponse, type DigestInput } from '../../cpe/voice/sip/auth/digest-client';
import { decodeChallenge, encodeCredentials } from '../../cpe/voice/sip/syntax';

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
