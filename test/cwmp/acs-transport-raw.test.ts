/**
 * Test plan: the ACS transport against a hand-written HTTP server on a raw socket, for framings
 * Node's own server never sends: a chunked answer with Connection: close (the next POST opens a
 * new connection), a close-delimited body, an HTTP/1.0 answer, garbage instead of HTTP (a clear
 * TransportError), and an ACS that resets the connection while the unit waits.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { HttpAcsTransport } from '../../cpe/cwmp/http/acs-transport';
import { TransportError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';

/** Answers the n-th request (over all connections) with answers[n]; records connections and requests. */
async function rawServer(answers: Array<string | 'reset' | 'hang'>): Promise<{ url: string; connections: number; requests: string[]; close(): Promise<void> }> {
  const st = { connections: 0, requests: [] as string[] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    st.connections++;
    sockets.add(sock);
    let buf = '';
    sock.on('error', () => undefined);
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const he = buf.indexOf('\r\n\r\n');
        if (he < 0) return;
        const len = Number(/content-length: *(\d+)/i.exec(buf.slice(0, he))?.[1] ?? 0);
        if (buf.length < he + 4 + len) return;
        st.requests.push(buf.slice(0, he + 4 + len));
        buf = buf.slice(he + 4 + len);
        const a = answers[st.requests.length - 1] ?? 'reset';
        if (a === 'reset') return void sock.resetAndDestroy();
        if (a === 'hang') continue;
        sock.write(a);
        if (/connection: close|^HTTP\/1\.0|^HTTP\/1\.1 200 OK\r\nContent-Type: text\/xml\r\n\r\n/i.test(a)) sock.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/acs`,
    get connections() {
      return st.connections;
    },
    requests: st.requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const transport = (url: string) => new HttpAcsTransport({ url, username: 'u', password: 'p', random: new SeededRandom(1), userAgent: 'test-ua' });

describe('cwmp ACS transport on a raw HTTP server', () => {
  it('chunked + Connection: close, then a new connection; a close-delimited body; HTTP/1.0', async () => {
    const srv = await rawServer([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\n<a>\r\n4\r\n</a>\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n<close-delimited/>',
      'HTTP/1.0 204 No Content\r\n\r\n',
    ]);
    const t = transport(srv.url);
    try {
      const a = await t.post('<inform/>');
      assert.equal(a.status, 200);
      assert.equal(a.body, '<a></a>');
      const b = await t.post('');
      assert.equal(b.body, '<close-delimited/>');
      const c = await t.post('');
      assert.equal(c.status, 204);
      assert.equal(srv.connections, 3);
      assert.match(srv.requests[0]!, /^POST \/acs HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nUser-Agent: test-ua\r\nContent-Length: 9\r\nContent-Type: text\/xml; charset="utf-8"\r\nSOAPAction: \r\n\r\n<inform\/>$/);
      assert.doesNotMatch(srv.requests[1]!, /Content-Type/);
    } finally {
      t.close();
      await srv.close();
    }
  });

  it('garbage for an answer and a reset both end in a TransportError, never a crash', async () => {
    const srv = await rawServer(['SIP/2.0 200 OK\r\n\r\n', 'reset']);
    const t1 = transport(srv.url);
    const t2 = transport(srv.url);
    try {
      await assert.rejects(t1.post('<x/>'), (e: unknown) => e instanceof TransportError && /bad status line/.test(e.message));
      await assert.rejects(t2.post('<x/>'), (e: unknown) => e instanceof TransportError);
    } finally {
      t1.close();
      t2.close();
      await srv.close();
    }
  });

  it('close() while waiting rejects the pending post', async () => {
    const srv = await rawServer(['hang']);
    const t = transport(srv.url);
    const p = t.post('<x/>');
    while (srv.requests.length === 0) await new Promise<void>((r) => setImmediate(r));
    t.close();
    await assert.rejects(p, /session closed/);
    await srv.close();
  });
});
