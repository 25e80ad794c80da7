/**
 * The codec's fast paths (plain quoted strings sliced in one go, quote() without escapes, URIs
 * cloned field by field, header lines split without a regex, the header end found line end by line
 * end, single values not split, ports read without a regex) give what the general paths give.
 */
import assert from 'node:assert/strict';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';
import { Cursor, splitCommas } from '../../cpe/voice/sip/syntax/cursor';
import { decodeMessage, encodeMessage, findHeaderEnd } from '../../cpe/voice/sip/syntax';
import { quote } from '../../cpe/voice/sip/syntax/params';
import { cloneUri, decodeUri, encodeUri, sipUri, type SipUri } from '../../cpe/voice/sip/syntax/uri';

describe('sip syntax fast paths', () => {
  it('a quoted string without quoted-pairs is its content; with them, the pairs are resolved', () => {
    const plain = new Cursor('"abc def\tghi";x');
    assert.equal(plain.quoted(), 'abc def\tghi');
    assert.equal(plain.i, 13);
    const escaped = new Cursor('"a\\"b\\\\c" rest');
    assert.equal(escaped.quoted(), 'a"b\\c');
    assert.equal(escaped.i, 9);
    assert.throws(() => new Cursor('"abc').quoted(), DecodeError);
    assert.throws(() => new Cursor('"a\x01b"').quoted(), DecodeError);
    assert.throws(() => new Cursor('"a\\\nb"').quoted(), DecodeError);
  });

  it('quote() escapes only what must be escaped, drops CR and LF, keeps HT', () => {
    assert.equal(quote('plain text'), '"plain text"');
    assert.equal(quote('tab\there'), '"tab\there"');
    assert.equal(quote('say "hi"'), '"say \\"hi\\""');
    assert.equal(quote('back\\slash'), '"back\\\\slash"');
    assert.equal(quote('two\r\nlines'), '"twolines"');
    assert.equal(quote('nul\x00'), '"nul\\\x00"');
    assert.equal(quote('del\x7f'), '"del\\\x7f"');
  });

  it('cloneUri copies every field, shares nothing, and gives decoded and built URIs one shape', () => {
    const u = decodeUri('sips:alice:pw@[2001:db8::1]:5061;transport=tcp;lr?subject=hi&x=1') as SipUri;
    const c = cloneUri(u);
    assert.deepEqual(c, u);
    assert.equal(encodeUri(c), encodeUri(u));
    c.params.set('transport', 'udp');
    (c.headers[0] as [string, string])[1] = 'changed';
    assert.equal(u.params.get('transport'), 'tcp');
    assert.equal(u.headers[0]?.[1], 'hi');
    const bare = cloneUri(sipUri('example.com'));
    assert.deepEqual(Object.keys(bare), ['kind', 'scheme', 'host', 'params', 'headers']);
    assert.equal('user' in bare || 'port' in bare || 'password' in bare, false);
    assert.deepEqual(Object.keys(cloneUri(sipUri('h', { user: 'u', port: 5060 }))), ['kind', 'scheme', 'host', 'params', 'headers', 'user', 'port']);
  });

  it('header lines end at LF or CRLF alike; a lone CR stays in the value', () => {
    const lines = ['OPTIONS sip:b@example.com SIP/2.0', 'Via: SIP/2.0/UDP h.example.com;branch=z9hG4bKx', 'From: <sip:a@example.com>;tag=1',
      'To: <sip:b@example.com>', 'Call-ID: c1', 'CSeq: 1 OPTIONS', 'Subject: a\rb', 'Max-Forwards: 70', 'Content-Length: 0'];
    const crlf = decodeMessage(lines.join('\r\n') + '\r\n\r\n');
    const lf = decodeMessage(lines.join('\n') + '\n\n');
    const mixed = decodeMessage(lines.map((l, i) => l + (i % 2 === 1 ? '\n' : '\r\n')).join('') + '\r\n');
    assert.deepEqual(lf, crlf);
    assert.deepEqual(mixed, crlf);
    assert.equal(crlf.headers.get('Subject'), 'a\rb');
    assert.equal(crlf.callId, 'c1');
    assert.ok(encodeMessage(crlf).toString().includes('\r\nCSeq: 1 OPTIONS\r\n'));
  });

  it('header names with whitespace before the colon, and compact or lower-case names, are canonical', () => {
    const m = decodeMessage('OPTIONS sip:b@example.com SIP/2.0\r\nv \t: SIP/2.0/UDP h;branch=z9hG4bKx\r\nf: <sip:a@e>;tag=1\r\nTO: <sip:b@e>\r\ni: c2\r\ncseq: 2 OPTIONS\r\nuser-agent: x\r\nl: 0\r\n\r\n');
    assert.equal(m.via[0]?.host, 'h');
    assert.equal(m.callId, 'c2');
    assert.equal(m.headers.fields[0]?.name, 'User-Agent');
  });

  it('findHeaderEnd finds the first CRLFCRLF or LFLF, as two searches would (random CR/LF soups)', () => {
    const reference = (b: Buffer, from: number): { end: number; bodyStart: number } | undefined => {
      const crlf = b.indexOf('\r\n\r\n', from, 'latin1');
      const lf = b.indexOf('\n\n', from, 'latin1');
      if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
      if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
      return undefined;
    };
    const random = new SeededRandom(4475);
    const alphabet = ['\r', '\n', 'x', ':'];
    for (let n = 0; n < 20_000; n++) {
      const len = random.int(24);
      let text = '';
      for (let k = 0; k < len; k++) text += alphabet[random.int(alphabet.length)];
      const b = Buffer.from(text, 'latin1');
      const from = random.int(len + 1);
      assert.deepEqual(findHeaderEnd(b, from), reference(b, from), JSON.stringify({ text, from }));
    }
  });

  it('splitCommas: one unquoted value is taken whole; quotes and commas take the full scan', () => {
    assert.deepEqual(splitCommas('SIP/2.0/UDP h:5060;branch=z9hG4bK1 '), ['SIP/2.0/UDP h:5060;branch=z9hG4bK1']);
    assert.deepEqual(splitCommas('<sip:a@b>;q=1, <sip:c@d>'), ['<sip:a@b>;q=1', '<sip:c@d>']);
    assert.deepEqual(splitCommas('"a, b" <sip:a@b>'), ['"a, b" <sip:a@b>']);
    assert.throws(() => splitCommas('<sip:a@b>;x="open'), DecodeError);
  });

  it('ports: 1 to 5 digits up to 65535, anything else is a DecodeError', () => {
    assert.equal((decodeUri('sip:a@h:0') as SipUri).port, 0);
    assert.equal((decodeUri('sip:a@h:65535') as SipUri).port, 65535);
    assert.equal((decodeUri('sip:a@h:05060') as SipUri).port, 5060);
    assert.equal((decodeUri('sip:a@h') as SipUri).port, undefined);
    for (const bad of ['sip:a@h:', 'sip:a@h:65536', 'sip:a@h:123456', 'sip:a@h:12a', 'sip:a@h:-1', 'sip:a@[::1]:x']) {
      assert.throws(() => decodeUri(bad), DecodeError, bad);
    }
  });
});
