import assert from 'node:assert/strict';
import { digestResponse, parseChallenges, verifyDigest } from '../../cpe/cwmp/http/digest';
import { CookieJar } from '../../cpe/cwmp/http/cookies';
import { EventQueue } from '../../cpe/cwmp/events';
import { acsUrlFrom } from '../../cpe/cwmp/inform';
import { retryWindowSeconds, sessionRetryWaitMs } from '../../cpe/cwmp/retry';
import { nextPhasedTime } from '../../cpe/cwmp/schedules';
import { SeededRandom } from '../../cpe/shared/random';

describe('cwmp helpers', () => {
  it('retry windows per TR-069 §3.2.1.1 (m=5, k=2000), capped at the 10th retry', () => {
    const table: Array<[number, [number, number]]> = [
      [1, [5, 10]],
      [2, [10, 20]],
      [3, [20, 40]],
      [10, [2560, 5120]],
      [15, [2560, 5120]],
    ];
    for (const [n, w] of table) assert.deepEqual(retryWindowSeconds(n), w, `n=${n}`);
    assert.deepEqual(retryWindowSeconds(2, 30, 1500), [45, 67.5]);
    const r = new SeededRandom(1);
    for (let i = 0; i < 100; i++) {
      const ms = sessionRetryWaitMs(3, r);
      assert.ok(ms >= 20_000 && ms <= 40_000);
    }
  });

  it('digest responses match RFC 2617 §3.5 and RFC 7616 §3.9.1', () => {
    const rfc2617 = digestResponse({
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      params: { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth,auth-int' },
      cnonce: '0a4f113b',
      nc: 1,
    });
    assert.equal(rfc2617.response, '6629fae49393a05397450978507c4ef1');
    const base = {
      username: 'Mufasa',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    };
    const p = { realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', qop: 'auth' };
    assert.equal(digestResponse({ ...base, params: { ...p, algorithm: 'MD5' } }).response, '8ca523f5e9506fed4657c9700eebdbec');
    assert.equal(digestResponse({ ...base, params: { ...p, algorithm: 'SHA-256' } }).response, '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('parses several challenges in one header and verifies a digest server-side', () => {
    const ch = parseChallenges(['Basic realm="x", Digest realm="GenieACS", qop="auth,auth-int", nonce="abc"']);
    assert.deepEqual(ch.map((c) => c.scheme), ['Basic', 'Digest']);
    assert.equal(ch[1]?.params.nonce, 'abc');
    const r = digestResponse({ username: 'u', password: 'p', method: 'GET', uri: '/', params: { realm: 'HT813', nonce: 'n', qop: 'auth' }, cnonce: 'c', nc: 1 });
    const header = `Digest username="u", realm="HT813", nonce="n", uri="/", qop=auth, nc=00000001, cnonce="c", response="${r.response}"`;
    const ok = (pw: string, our = true): boolean =>
      verifyDigest(header, { username: 'u', password: pw, realm: 'HT813', method: 'GET', isOurNonce: () => our }).ok;
    assert.equal(ok('p'), true);
    assert.equal(ok('q'), false);
    assert.equal(ok('p', false), false);
  });

  it('phased schedules: next time strictly after now', () => {
    const table: Array<[number, number, number | undefined, number]> = [
      [1000, 100, undefined, 1100],
      [1000, 100, 950, 1050],
      [1000, 100, 1000, 1100],
      [1000, 100, 5020, 1020],
    ];
    for (const [now, iv, ph, want] of table) assert.equal(nextPhasedTime(now, iv, ph), want);
  });

  it('ACS URL from P4503, else DHCP option 43 (plain or sub-option 1)', () => {
    assert.equal(acsUrlFrom('http://a/', 'http://b/'), 'http://a/');
    assert.equal(acsUrlFrom('', 'http://b/'), 'http://b/');
    const hex = Buffer.concat([Buffer.from([2, 1, 0, 1, 9]), Buffer.from('http://c')]).toString('hex');
    assert.equal(acsUrlFrom('', hex.replace('0109', '0108')), 'http://c');
    assert.equal(acsUrlFrom('', 'garbage'), '');
    assert.equal(acsUrlFrom('', undefined), '');
  });

  it('event queue: single events merge, M events stack by key, transfer events wait for their acknowledgement', () => {
    const m = new Map<string, string>();
    const kv = { get: (k: string) => m.get(k), set: (k: string, v: string) => void m.set(k, v), delete: (k: string) => void m.delete(k) };
    const q = new EventQueue(kv);
    q.add('4 VALUE CHANGE');
    q.add('4 VALUE CHANGE');
    q.add('M Download', 'a');
    q.add('M Download', 'b');
    q.add('7 TRANSFER COMPLETE');
    assert.equal(q.pending().length, 4);
    q.delivered(q.pending());
    assert.deepEqual(q.pending().map((e) => e.code + e.commandKey), ['7 TRANSFER COMPLETE', 'M Downloada', 'M Downloadb']);
    q.transferAcknowledged('a', true);
    q.transferAcknowledged('b', false);
    assert.equal(q.pending().length, 0);
    q.add('6 CONNECTION REQUEST');
    q.add('M Reboot', 'r');
    const q2 = new EventQueue(kv);
    q2.boot();
    assert.deepEqual(q2.pending().map((e) => e.code), ['1 BOOT', 'M Reboot']);
    kv.set('events', '{not json');
    assert.equal(new EventQueue(kv).pending().length, 0, 'a corrupt queue is dropped, not thrown');
  });

  it('cookie jar keeps name=value pairs and drops expired ones', () => {
    const j = new CookieJar();
    j.store(['session=abc; Path=/; HttpOnly', 'x=1']);
    assert.equal(j.header(), 'session=abc; x=1');
    j.store('x=; Max-Age=0');
    assert.equal(j.header(), 'session=abc');
  });
});
