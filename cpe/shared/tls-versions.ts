/**
 * The TLS versions the unit speaks (reference §1.2: P22293 minimum, P22294 maximum TLS version;
 * 99 unlimited, 10 TLS 1.0, 11 TLS 1.1, 12 TLS 1.2), for every TLS it opens or accepts: SIP over
 * TLS, HTTPS/FTPS provisioning, the ACS, syslog and the web UI.
 *
 * Our choices, secure by default:
 * - an "unlimited" minimum stays at TLS 1.2 (Node's floor); 10 or 11 lower it on the operator's
 *   word, and only then is OpenSSL's security level lowered so those versions can be negotiated;
 * - an "unlimited" maximum is TLS 1.3; 12 caps at TLS 1.2, 11/10 lower;
 * - a maximum below the minimum is raised to the minimum (the two are set apart; no batch rule
 *   ties them).
 * P8536 (weak cipher policy): Node's cipher list never holds RC4, DES, 3DES, SEED, MD5 nor SSLv2/3,
 * so its "disable" choices always hold and "allow weak cipher suites" (0) is not honoured.
 */
import tls from 'node:tls';

export interface TlsVersions {
  readonly minVersion: tls.SecureVersion;
  readonly maxVersion: tls.SecureVersion;
  /** Set only when the minimum is below TLS 1.2. */
  readonly ciphers?: string;
}

/** The P-values this policy reads: a change to either reconfigures the unit's TLS. */
export const TLS_VERSION_PVALUES: readonly number[] = [22293, 22294];

const BY_CODE: Readonly<Record<string, tls.SecureVersion>> = { '10': 'TLSv1', '11': 'TLSv1.1', '12': 'TLSv1.2' };
const ORDER: readonly tls.SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export function tlsVersions(get: (id: number) => string): TlsVersions {
  const min = BY_CODE[get(22293)] ?? 'TLSv1.2';
  const wantedMax = BY_CODE[get(22294)] ?? 'TLSv1.3';
  const maxVersion = ORDER.indexOf(wantedMax) < ORDER.indexOf(min) ? min : wantedMax;
  // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level (their handshakes use SHA-1)
  const low = ORDER.indexOf(min) < ORDER.indexOf('TLSv1.2');
  return { minVersion: min, maxVersion, ...(low ? { ciphers: `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0` } : {}) };
}

/** Node's own choice (what `tlsVersions` gives with both P-values unlimited). */
export const DEFAULT_TLS_VERSIONS: TlsVersions = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' };
