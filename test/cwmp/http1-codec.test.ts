/**
 * Test plan: the CWMP client's HTTP/1.1 codec (RFC 9112) alone — request heads (and header
 * injection refused), responses framed by Content-Length, chunked coding and connection close,
 * fed whole and byte by byte; 1xx skipped; keep-alive versus close; repeated headers; malformed
 * and oversized responses refused with DecodeError.
 */
import assert from 'node:assert/strict';
import { encodeRequestHead, ResponseParser, type HttpResponse } from '../../cpe/cwmp/http/http1-codec';
import { DecodeError } from '../../cpe/shared/errors';

const LIMIT = 1 << 20;

/** All of `raw`, then byte by byte: both must give the same responses. */
function parseAll(raw: string, closeAtEnd = false): HttpResponse[] {
  const runs = [[Buffer.from(raw, 'latin1')], [...Buffer.from(raw, 'latin1')].map((b) => Buffer.from([b]))];
  const results = runs.map((chunks) => {
    const p = new ResponseParser(LIMIT);
    const out: HttpResponse[] = [];
    for (const c of chunks) {
      for (let r = p.push(c); r; r = p.next()) out.push(r);
    }
    if (closeAtEnd) {
      const r = p.end();
      if (r) out.push(r);
    }
    return out;
  });
  assert.deepEqual(results[1]!.map(flat), results[0]!.map(flat));
  return results[0]!;
}
const flat = (r: HttpResponse) => ({ ...r, body: r.body.toString('latin1') });

describe('cwmp HTTP/1.1 codec', () => {
  it('request head: request line, headers in order, empty line; CR/LF in a value refused', () => {
    assert.equal(
      encodeRequestHead('POST', '/acs?x=1', [['Host', 'acs.example:7547'], ['Content-Length', '0']]),
      'POST /acs?x=1 HTTP/1.1\r\nHost: acs.example:7547\r\nContent-Length: 0\r\n\r\n',
    );
    assert.throws(() => encodeRequestHead('POST', '/', [['Cookie', 'a=1\r\nX-Evil: 1']]), /CR, LF or NUL/);
    assert.throws(() => encodeRequestHead('POST', '/a b', []), /bad request line/);
    assert.throws(() => encodeRequestHead('POST', '/', [['Bad Name', 'x']]), /bad header name/);
  });

  it('Content-Length bodies, two responses on one connection, keep-alive by default', () => {
    const r = parseAll('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 204 No Content\r\n\r\n');
    assert.equal(r.length, 2);
    assert.deepEqual(flat(r[0]!), { status: 200, headers: { 'content-type': 'text/xml', 'content-length': '5' }, body: 'hello', close: false });
    assert.equal(r[1]!.status, 204);
    assert.equal(r[1]!.body.length, 0);
  });

  it('chunked bodies with extensions and trailers', () => {
    const [r] = parseAll('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n');
    assert.equal(r!.body.toString(), 'Wikipedia in\r\n\r\nchunks.');
  });

  it('1xx interim responses are skipped; Connection: close and HTTP/1.0 mark the connection closing', () => {
    const [r] = parseAll('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
    assert.equal(r!.status, 200);
    assert.equal(r!.close, true);
    assert.equal(parseAll('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')[0]!.close, true);
    assert.equal(parseAll('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')[0]!.close, false);
  });

  it('a body without length runs to the close of the connection', () => {
    const [r] = parseAll('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n<a/>\n<b/>', true);
    assert.equal(r!.body.toString(), '<a/>\n<b/>');
    assert.equal(r!.close, true);
  });

  it('repeated headers: Set-Cookie and WWW-Authenticate as lists, others joined', () => {
    const [r] = parseAll(
      'HTTP/1.1 401 Unauthorized\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nWWW-Authenticate: Basic realm="x"\r\nWWW-Authenticate: Digest realm="x", nonce="n"\r\nVary: a\r\nVary: b\r\nContent-Length: 0\r\n\r\n',
    );
    assert.deepEqual(r!.headers['set-cookie'], ['a=1', 'b=2']);
    assert.deepEqual(r!.headers['www-authenticate'], ['Basic realm="x"', 'Digest realm="x", nonce="n"']);
    assert.equal(r!.headers.vary, 'a, b');
  });

  const bad: Array<[string, RegExp]> = [
    ['HTTP/2 200 OK\r\n\r\n', /bad status line/],
    ['HTTP/1.1 20 OK\r\n\r\n', /bad status line/],
    ['HTTP/1.1 200 OK\r\nNoColon\r\n\r\n', /bad header line/],
    ['HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n', /bad header line/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n', /bad Content-Length/],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /bad Content-Length/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n', /over the limit/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /unsupported transfer coding/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n', /not followed by CRLF/],
  ];
  for (const [raw, why] of bad) {
    it(`refuses ${JSON.stringify(raw.slice(0, 50))}`, () => {
      assert.throws(() => parseAll(raw), (e: unknown) => e instanceof DecodeError && why.test(e.message));
    });
  }

  it('limits: an endless head, an endless chunked body, a close in mid-response', () => {
    const p = new ResponseParser(LIMIT);
    assert.throws(() => p.push(Buffer.alloc(70 * 1024, 0x41)), /response head larger/);
    const q = new ResponseParser(1000);
    q.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
    assert.throws(() => {
      for (let i = 0; i < 100; i++) q.push(Buffer.from('10\r\n0123456789abcdef\r\n'));
    }, /over the limit/);
    const c = new ResponseParser(LIMIT);
    c.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    assert.throws(() => c.end(), /closed in the middle/);
    assert.equal(new ResponseParser(LIMIT).end(), undefined);
  });
});
