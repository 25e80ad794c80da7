/**
 * The file fetcher every download of the unit goes through: config files and firmware images from
 * the provisioner, and TR-069 Download (cwmp/). One module per protocol behind one interface;
 * `fetchUrl` (fetch-url.ts) picks the module by the URL's scheme.
 *
 *   const bytes = await fetchUrl(new URL('https://prov.example.com/cfg000b82123456.xml'), {
 *     timeoutMs: 30_000, maxBytes: 1 << 20, userAgent, credentials: { user, password }, ca: [pem],
 *   });
 *
 * Failures reject with FetchError, whose `kind` says what a log or a TR-069 fault needs to know.
 */
import type { Clock } from '../../shared/clock';
import type { Random } from '../../shared/random';
import { HtError } from '../../shared/errors';
import type { TlsVersions } from '../../shared/tls-versions';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export interface FetchOptions {
  /** Whole-transfer deadline (connect + auth + redirects + body). */
  readonly timeoutMs: number;
  /** Larger files are refused (announced size) or cut off (while receiving). */
  readonly maxBytes: number;
  /** HTTP(S) Basic/Digest and FTP(S) login (P1360/P1361); FTP is anonymous without it. */
  readonly credentials?: Credentials;
  /** HTTP User-Agent (reference §2: `Grandstream Model HW HT813 V<hw> SW <fw> DevId <mac>`). */
  readonly userAgent?: string;
  /** Extra trusted CA certificates (PEM), e.g. P2386/P2486. */
  readonly ca?: readonly string[];
  /** Use only `ca`, not the system's trusted CAs too (P8502 = 1 "custom"). */
  readonly caOnly?: boolean;
  /** Verify TLS server certificates (default true, P8463). Only an operator turns it off. */
  readonly verifyTls?: boolean;
  /** With verifyTls, also check that the certificate names the host (default true, P22030). */
  readonly verifyHost?: boolean;
  /** TLS versions (P22293/P22294, cpe/shared/tls-versions.ts); default Node's. */
  readonly tlsVersions?: TlsVersions;
  /** HTTP redirects followed at most (default 5). */
  readonly maxRedirects?: number;
  /** Local address to send from (the unit's bound address). */
  readonly localAddress?: string;
  /** Injected time for timers (TFTP retransmission, deadlines); default the system clock. */
  readonly clock?: Clock;
  /** Injected randomness (Digest cnonce); default node:crypto. */
  readonly random?: Random;
  /** Aborts the transfer (the unit stops): the fetch rejects with kind 'unreachable', message 'aborted ...'. */
  readonly signal?: AbortSignal;
}

/** One protocol's fetcher. */
export interface Fetcher {
  fetch(url: URL, opts: FetchOptions): Promise<Buffer>;
}

export type FetchErrorKind =
  | 'not-found' // 404, TFTP error 1, FTP 550
  | 'auth' // 401/403 after credentials, FTP 530
  | 'timeout'
  | 'too-large'
  | 'unreachable' // refused, reset, DNS failure
  | 'tls' // certificate not trusted, host name mismatch, handshake failure
  | 'server' // another HTTP status, a TFTP/FTP error reply
  | 'protocol' // a malformed reply, too many redirects
  | 'unsupported'; // a scheme we do not fetch

/** A failed download. `code` is stable per kind: ERR_FETCH_NOT_FOUND, ERR_FETCH_TIMEOUT, ... */
export class FetchError extends HtError {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(`ERR_FETCH_${kind.toUpperCase().replace(/-/g, '_')}`, message, options);
  }
}

/** Runs `onAbort` when the signal fires (at once if it already has); returns the detach function. */
export function onAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** The URL as logged: never the password of `user:password@`. */
export function safeUrl(url: URL): string {
  if (!url.password && !url.username) return url.href;
  const u = new URL(url.href);
  u.password = '';
  u.username = '';
  return u.href;
}
