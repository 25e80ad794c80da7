/**
 * The SRTP crypto suites we implement (RFC 4568 §6.2): AES in counter mode with a 128-bit master
 * key and 112-bit master salt, HMAC-SHA1 authentication truncated to 80 or 32 bits. Pure data.
 */

export type SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';

export interface SrtpSuite {
  readonly name: SrtpSuiteName;
  /** Master key and session encryption key, octets (RFC 3711 §8.2: 128 bits). */
  readonly keyLength: number;
  /** Master salt and session salt, octets (112 bits). */
  readonly saltLength: number;
  /** Session authentication key, octets (RFC 3711 §4.2.1: n_a = 160 bits). */
  readonly authKeyLength: number;
  /** Authentication tag appended to SRTP packets, octets. */
  readonly rtpTagLength: number;
  /** Authentication tag appended to SRTCP packets, octets: 80 bits for both (RFC 4568 §6.2.1). */
  readonly rtcpTagLength: number;
}

export const SRTP_SUITES: Readonly<Record<SrtpSuiteName, SrtpSuite>> = Object.freeze({
  // RFC 4568 §6.2.1
  AES_CM_128_HMAC_SHA1_80: Object.freeze({ name: 'AES_CM_128_HMAC_SHA1_80', keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 10, rtcpTagLength: 10 }),
  // RFC 4568 §6.2.2: only the SRTP tag is short; SRTCP keeps 80 bits
  AES_CM_128_HMAC_SHA1_32: Object.freeze({ name: 'AES_CM_128_HMAC_SHA1_32', keyLength: 16, saltLength: 14, authKeyLength: 20, rtpTagLength: 4, rtcpTagLength: 10 }),
});

/** True for a suite name this module can protect and unprotect with (case-sensitive, as RFC 4568 registers them). */
export function isSupportedSuite(name: string): name is SrtpSuiteName {
  return Object.prototype.hasOwnProperty.call(SRTP_SUITES, name);
}

/** The description of a supported suite; RangeError for any other name. */
export function srtpSuite(name: string): SrtpSuite {
  if (!isSupportedSuite(name)) throw new RangeError(`unsupported SRTP crypto suite ${JSON.stringify(name)}`);
  return SRTP_SUITES[name];
}
