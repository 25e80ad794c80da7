/**
 * The pure parts of remote syslog, table-driven: P207/P208/P8402/P1387 as settings, what is
 * masked in SIP messages and in log fields, and the cut of an over-long message.
 */
import assert from 'node:assert/strict';
import { fieldsJson, isSecretField, SecretValues } from '../../cpe/syslog/redact';
import { maskSipText } from '../../cpe/syslog/sip-mask';
import { nextSequenceId, truncateUtf8 } from '../../cpe/syslog/syslog-records';
import { levelFromP208, parseSyslogServer, syslogSettings } from '../../cpe/syslog/syslog-settings';

describe('syslog settings (P207, P208, P8402, P1387)', () => {
  it('reads P207 with the default port of each protocol (RFC 5426 §3.3, RFC 5425 §4.1)', () => {
    const table: Array<[string, 'udp' | 'tls', string, number]> = [
      ['logs.example', 'udp', 'logs.example', 514],
      ['logs.example', 'tls', 'logs.example', 6514],
      ['192.0.2.1:1514', 'udp', '192.0.2.1', 1514],
      [' 192.0.2.1 ', 'tls', '192.0.2.1', 6514],
      ['[2001:db8::1]:5514', 'tls', '2001:db8::1', 5514],
      ['[2001:db8::1]', 'udp', '2001:db8::1', 514],
      ['2001:db8::1', 'udp', '2001:db8::1', 514],
    ];
    for (const [v, protocol, host, port] of table) assert.deepEqual(parseSyslogServer(v, protocol), { host, port, protocol }, v);
    for (const bad of ['logs.example:0', 'logs.example:65536', 'a b', 'host/path', 'h:1:2x']) assert.throws(() => parseSyslogServer(bad, 'udp'), TypeError, bad);
  });

  it('maps P208 to the lowest level sent', () => {
    assert.deepEqual(['0', '1', '2', '3', '4', '5', '9'].map(levelFromP208), [undefined, 'debug', 'info', 'warn', 'error', 'trace', undefined]);
  });

  it('is on only with a server and a level; P1387 only then', () => {
    const get = (p: Record<number, string>) => (id: number): string => p[id] ?? '';
    assert.deepEqual(syslogSettings(get({ 207: '', 208: '2', 1387: '1' })), { server: undefined, level: undefined, sip: false });
    assert.deepEqual(syslogSettings(get({ 207: 'h', 208: '0', 1387: '1' })), { server: undefined, level: undefined, sip: false });
    assert.deepEqual(syslogSettings(get({ 207: 'h', 208: '3', 8402: '1', 1387: '1' })), { server: { host: 'h', port: 6514, protocol: 'tls' }, level: 'warn', sip: true });
    assert.match(syslogSettings(get({ 207: 'h:99999', 208: '3' })).problem ?? '', /port out of range/);
  });
});

describe('syslog masking', () => {
  it('masks digest proofs and SRTP keys in SIP text, keeps what debugging needs', () => {
    const table: Array<[string, string]> = [
      [
        'Authorization: Digest username="1001", realm="r", nonce="n", uri="sip:r", response="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b", nc=00000001, qop=auth',
        'Authorization: Digest username="1001", realm="r", nonce="n", uri="sip:r", response="********", cnonce="0a4f113b", nc=00000001, qop=auth',
      ],
      ['Proxy-Authorization: Digest username="u",response=abc123,realm="r"', 'Proxy-Authorization: Digest username="u",response=********,realm="r"'],
      ['Authentication-Info: qop=auth, rspauth="6629fae4", cnonce="c", nc=00000001', 'Authentication-Info: qop=auth, rspauth="********", cnonce="c", nc=00000001'],
      ['a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:********|2^20|1:32'],
      ['a=crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5', 'a=crypto:2 F8_128_HMAC_SHA1_80 inline:********;inline:********'],
      ['a=key-mgmt:mikey AQAFgM0XflABAAAAAAAAAAAAAAsAyO', 'a=key-mgmt:mikey ********'],
      ['WWW-Authenticate: Digest realm="r", nonce="n", qop="auth"', 'WWW-Authenticate: Digest realm="r", nonce="n", qop="auth"'],
    ];
    for (const [input, want] of table) assert.equal(maskSipText(`X\r\n${input}\r\n`), `X\r\n${want}\r\n`, input);
  });

  it('masks fields named as secrets, at any depth, and nothing else', () => {
    const json = fieldsJson({ user: 'bob', password: 'p1', sip: { authPassword: 'p2', pin: 1234 }, commandKey: 'ck', privateKey: 'k', list: [{ token: 't' }] });
    assert.equal(json, '{"user":"bob","password":"********","sip":{"authPassword":"********","pin":"********"},"commandKey":"ck","privateKey":"********","list":[{"token":"********"}]}');
    for (const n of ['password', 'Password', 'sipPassword', 'passwd', 'secret', 'pin', 'authorization', 'srtpKey', 'credentials']) assert.ok(isSecretField(n), n);
    for (const n of ['user', 'commandKey', 'key', 'flow', 'response', 'expires']) assert.ok(!isSecretField(n), n);
  });

  it('writes Errors, Buffers and bigints readably, and never throws', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.equal(fieldsJson({ err: new Error('boom'), data: Buffer.alloc(3), n: 10n }), '{"err":"boom","data":"<3 bytes>","n":"10"}');
    assert.equal(fieldsJson(cycle), '"[fields not serialisable]"');
  });

  it('masks URL passwords and the values of secret P-values, not their public defaults', () => {
    const s = new SecretValues();
    s.set([['Tr0ub4dor', ''], ['admin', 'admin'], ['123', '123'], ['987', ''], ['Tr0ub4dor&3', '']]);
    assert.equal(s.mask('a Tr0ub4dor&3 b Tr0ub4dor c admin d 987'), 'a ******** b ******** c admin d 987');
    assert.equal(s.mask('fetch https://u:pw@h.example/x and ftp://anon@h/'), 'fetch https://u:********@h.example/x and ftp://anon@h/');
  });
});

describe('syslog message bounds', () => {
  it('cuts an over-long message on a UTF-8 character boundary (RFC 5424 §6.1, §8.3)', () => {
    const b = Buffer.from('abc€€', 'utf8'); // € is 3 octets
    assert.equal(truncateUtf8(b, 100), b);
    assert.equal(truncateUtf8(b, 6).toString(), 'abc€');
    assert.equal(truncateUtf8(b, 5).toString(), 'abc');
    assert.equal(truncateUtf8(b, 4).toString(), 'abc');
  });

  it('wraps sequenceId from 2147483647 to 1 (RFC 5424 §7.3.1)', () => {
    assert.deepEqual([0, 1, 2_147_483_646, 2_147_483_647].map(nextSequenceId), [1, 2, 2_147_483_647, 1]);
  });
});
