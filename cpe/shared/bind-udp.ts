/**
 * dgram bind as a promise that never leaks: a socket whose bind fails (port taken, address not
 * local) is closed before the error is passed on; otherwise its handle stays open for good.
 */
import type dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

export function bindSocket(s: dgram.Socket, opts: dgram.BindOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (e: Error): void => {
      try {
        s.close();
      } catch {
        // already closed
      }
      reject(e);
    };
    s.once('error', fail);
    s.bind(opts, () => {
      s.off('error', fail);
      resolve();
    });
  });
}

type LookupCallback = (err: Error | null, address: string, family: number) => void;

/**
 * A dgram `lookup` that takes IP literals as they are, synchronously. node:dgram resolves every
 * send's address with dns.lookup, which for a literal still costs a deferred callback per datagram;
 * SIP and RTP peers are already resolved (RFC 3263 locator, SDP). Names still go to dns.lookup.
 */
export function literalLookup(family: 4 | 6): (host: string, options: unknown, cb: LookupCallback) => void {
  return (host, _options, cb) => {
    const v = net.isIP(host);
    if (v) cb(null, host, v);
    else dns.lookup(host, { family }, (e, a, f) => cb(e, a, f));
  };
}
