/**
 * SRTP session key derivation (RFC 3711 §4.3) with the AES-CM PRF (§4.3.3) and key derivation
 * rate 0, so every key is derived once, from index 0 (r = 0). Pure.
 */
import { AesCm } from './aes-cm';
import type { SrtpSuite } from './srtp-suites';

/** Key derivation labels (RFC 3711 §4.3.1 and §4.3.2). */
export const SRTP_LABEL = Object.freeze({
  rtpEncryption: 0x00,
  rtpAuthentication: 0x01,
  rtpSalt: 0x02,
  rtcpEncryption: 0x03,
  rtcpAuthentication: 0x04,
  rtcpSalt: 0x05,
});

export interface SessionKeys {
  /** k_e, the AES session key. */
  readonly encryptionKey: Buffer;
  /** k_s, the 112-bit session salt. */
  readonly salt: Buffer;
  /** k_a, the 160-bit HMAC-SHA1 key. */
  readonly authKey: Buffer;
}

/**
 * PRF_n(k_m, x) with x = key_id XOR k_s, key_id = label || r and r = 0 (kdr 0): the AES-CM
 * keystream under the master key from IV = x * 2^16 (RFC 3711 §4.3.1, §4.3.3).
 */
function prf(aes: AesCm, masterSalt: Uint8Array, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.set(masterSalt, 0);
  // key_id is 7 octets (label || 48-bit r) aligned to the salt's right end: the label meets octet 7
  iv[7] = iv[7]! ^ label;
  return Buffer.from(aes.keystream(iv, length));
}

function checkMaster(masterKey: Uint8Array, masterSalt: Uint8Array): void {
  if (masterKey.length !== 16) throw new RangeError(`SRTP master key must be 16 octets, got ${masterKey.length}`);
  if (masterSalt.length !== 14) throw new RangeError(`SRTP master salt must be 14 octets, got ${masterSalt.length}`);
}

/** One derived key of `length` octets for `label` (RFC 3711 §4.3.1, kdr 0). */
export function deriveKey(masterKey: Uint8Array, masterSalt: Uint8Array, label: number, length: number): Buffer {
  checkMaster(masterKey, masterSalt);
  return prf(new AesCm(masterKey), masterSalt, label, length);
}

/** The three session keys for SRTP (labels 0x00-0x02) or SRTCP (labels 0x03-0x05). */
export function deriveSessionKeys(suite: SrtpSuite, masterKey: Uint8Array, masterSalt: Uint8Array, kind: 'srtp' | 'srtcp'): SessionKeys {
  checkMaster(masterKey, masterSalt);
  const aes = new AesCm(masterKey);
  const base = kind === 'srtp' ? SRTP_LABEL.rtpEncryption : SRTP_LABEL.rtcpEncryption;
  return {
    encryptionKey: prf(aes, masterSalt, base, suite.keyLength),
    authKey: prf(aes, masterSalt, base + 1, suite.authKeyLength),
    salt: prf(aes, masterSalt, base + 2, suite.saltLength),
  };
}
