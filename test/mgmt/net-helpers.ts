/** Small helpers for the mgmt tests that use real sockets on 127.0.0.1. */
import net from 'node:net';

/** Waits until `cond` holds (the service applies settings asynchronously: binds take a turn of the loop). */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A raw TCP client that collects what it receives. */
export function rawClient(port: number): Promise<{ sock: net.Socket; text: () => string; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let closed = false;
    const sock = net.connect(port, '127.0.0.1', () => resolve({ sock, text: () => buf.toString('latin1'), closed: () => closed }));
    sock.on('data', (d: Buffer) => (buf = Buffer.concat([buf, d])));
    sock.on('close', () => (closed = true));
    sock.on('error', reject);
  });
}
