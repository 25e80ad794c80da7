/**
 * FTP and FTPS downloads through basic-ftp. `ftps://` is explicit TLS (AUTH TLS on the control
 * port, RFC 4217), as the HT813's "FTPS" upgrade method; the server certificate is verified unless
 * the operator turned it off. Anonymous login when no credentials are set.
 */
import tls from 'node:tls';
import net from 'node:net';
import { Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import { SystemClock } from '../../shared/clock';
import { FetchError, onAbort, safeUrl, type FetchOptions, type Fetcher } from './fetcher';
import { mapError } from './http-fetcher';

export class FtpFetcher implements Fetcher {
  async fetch(url: URL, opts: FetchOptions): Promise<Buffer> {
    const where = safeUrl(url);
    const secure = url.protocol === 'ftps:';
    if (!secure && url.protocol !== 'ftp:') throw new FetchError('unsupported', `not an ftp URL: ${where}`, where);
    const clock = opts.clock ?? new SystemClock();
    const client = new Client(opts.timeoutMs);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const creds = opts.credentials ?? (url.username ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: FetchError | undefined;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > opts.maxBytes) {
          failure = new FetchError('too-large', `file exceeds the limit of ${opts.maxBytes} bytes`, where);
          cb(failure);
          return;
        }
        chunks.push(chunk);
        cb();
      },
    });
    let timedOut = false;
    let aborted = false;
    const cancel = clock.setTimer(opts.timeoutMs, () => {
      timedOut = true;
      client.close();
    });
    const detach = onAbort(opts.signal, () => {
      aborted = true;
      client.close();
    });
    try {
      const secureOptions: tls.ConnectionOptions = { rejectUnauthorized: opts.verifyTls !== false };
      if (opts.verifyHost === false) secureOptions.checkServerIdentity = () => undefined; // P22030 off: chain only
      if (opts.ca && opts.ca.length > 0) secureOptions.ca = opts.caOnly ? [...opts.ca] : [...tls.rootCertificates, ...opts.ca];
      if (!net.isIP(host)) secureOptions.servername = host;
      Object.assign(secureOptions, opts.tlsVersions);
      await client.access({
        host,
        port: url.port ? Number(url.port) : 21,
        user: creds?.user ?? 'anonymous',
        password: creds?.password ?? 'anonymous@',
        secure,
        secureOptions,
      });
      let remote: string;
      try {
        remote = decodeURIComponent(url.pathname);
      } catch {
        throw new FetchError('protocol', `bad percent-encoding in ${where}`, where);
      }
      const announced = await client.size(remote).catch(() => undefined);
      if (announced !== undefined && announced > opts.maxBytes) {
        throw new FetchError('too-large', `file of ${announced} bytes exceeds the limit of ${opts.maxBytes}`, where);
      }
      await client.downloadTo(sink, remote);
      return Buffer.concat(chunks, size);
    } catch (e) {
      if (failure) throw failure;
      if (aborted) throw new FetchError('unreachable', 'aborted: the unit is stopping', where, { cause: e });
      if (timedOut) throw new FetchError('timeout', `FTP transfer not done after ${opts.timeoutMs} ms`, where, { cause: e });
      if (e instanceof FetchError) throw e;
      if (e instanceof FTPError) {
        if (e.code === 550) throw new FetchError('not-found', `FTP ${e.message}`, where, { cause: e });
        if (e.code === 530) throw new FetchError('auth', `FTP ${e.message}`, where, { cause: e });
        throw new FetchError('server', `FTP ${e.message}`, where, { cause: e });
      }
      if (e instanceof Error && /timeout/i.test(e.message)) throw new FetchError('timeout', e.message, where, { cause: e });
      throw mapError(e, where);
    } finally {
      cancel();
      detach();
      client.close();
    }
  }
}
