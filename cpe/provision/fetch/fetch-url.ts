/**
 * `fetchUrl(url, opts)`: the dispatcher by scheme over the protocol fetchers (tftp, http, https,
 * ftp, ftps). A `Fetchers` table can be injected (tests: a TFTP client over an in-memory network).
 */
import { FetchError, safeUrl, type FetchOptions, type Fetcher } from './fetcher';
import { FtpFetcher } from './ftp-fetcher';
import { HttpFetcher } from './http-fetcher';
import { TftpFetcher } from './tftp-client';

export type Scheme = 'tftp' | 'http' | 'https' | 'ftp' | 'ftps';
export type Fetchers = Readonly<Record<Scheme, Fetcher>>;

export function defaultFetchers(): Fetchers {
  const http = new HttpFetcher();
  const ftp = new FtpFetcher();
  return { tftp: new TftpFetcher(), http, https: http, ftp, ftps: ftp };
}

/** A function with fetchUrl's shape, for services that take the fetcher as a dependency. */
export type FetchFn = (url: URL, opts: FetchOptions) => Promise<Buffer>;

export function makeFetchUrl(fetchers: Fetchers = defaultFetchers()): FetchFn {
  return (url, opts) => {
    const scheme = url.protocol.replace(/:$/, '') as Scheme;
    const f = (fetchers as Record<string, Fetcher | undefined>)[scheme];
    if (!f) return Promise.reject(new FetchError('unsupported', `no fetcher for ${url.protocol} URLs`, safeUrl(url)));
    return f.fetch(url, opts);
  };
}

export const fetchUrl: FetchFn = makeFetchUrl();
