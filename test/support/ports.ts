import net from 'node:net';
import dgram from 'node:dgram';

/**
 * Ports already handed out in this test process: the OS may give the same ephemeral port to two
 * callers that ask before either binds it (peers started in parallel), so we never repeat one.
 */
const handedOut = new Set<number>();

/** A TCP port free on 127.0.0.1 right now (and its UDP twin when `udp` is set), never one given out before. */
export async function freePort(udp = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    if (handedOut.has(port)) continue;
    if (!udp || (await udpFree(port))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port found');
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
