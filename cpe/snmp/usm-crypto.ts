/**
 * USM authentication and privacy through node:crypto: HMAC-MD5-96 (RFC 3414 §6), HMAC-SHA-96
 * (RFC 3414 §7), DES-CBC (RFC 3414 §8) and AES-128-CFB (RFC 3826 §3). Pure.
 *
 * OpenSSL 3 keeps single DES in its legacy provider, which Node does not load; DES-CBC is run as
 * DES-EDE3-CBC with K1 = K2 = K3, which is single DES exactly (FIPS 46-3 keying option 3).
 * desCbcAvailable() tells whether even that is missing; then DES configurations are refused.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { HtError } from '../shared/errors';

export type AuthProtocol = 'md5' | 'sha';
export type PrivProtocol = 'des' | 'aes';

/** Both HMAC-*-96 put 12 octets in msgAuthenticationParameters (RFC 3414 §6.3.1, §7.3.1). */
export const AUTH_PARAMS_LENGTH = 12;
/** Both privacy protocols send an 8-octet salt (RFC 3414 §8.1.1.1, RFC 3826 §3.1.2.1). */
export const PRIV_PARAMS_LENGTH = 8;

/** The encrypted PDU cannot be decrypted (usmStatsDecryptionErrors, RFC 3414 §3.2 step 8). */
export class DecryptionError extends HtError {
  constructor(reason: string) {
    super('ERR_SNMP_DECRYPTION', reason);
  }
}

const HMAC: Readonly<Record<AuthProtocol, string>> = { md5: 'md5', sha: 'sha1' };

/** HMAC-*-96 over the message with msgAuthenticationParameters zeroed (RFC 3414 §6.3.1 / §7.3.1). */
export function authDigest(protocol: AuthProtocol, key: Buffer, message: Buffer, authAt: number): Buffer {
  const m = Buffer.from(message);
  m.fill(0, authAt, authAt + AUTH_PARAMS_LENGTH);
  return createHmac(HMAC[protocol], key).update(m).digest().subarray(0, AUTH_PARAMS_LENGTH);
}

/** Writes the digest into the 12 zero octets at authAt (outgoing messages). */
export function signInPlace(protocol: AuthProtocol, key: Buffer, message: Buffer, authAt: number): void {
  authDigest(protocol, key, message, authAt).copy(message, authAt);
}

/** RFC 3414 §6.3.2 / §7.3.2: the received digest must be 12 octets and match. */
export function verifyDigest(protocol: AuthProtocol, key: Buffer, message: Buffer, authAt: number, received: Buffer): boolean {
  if (received.length !== AUTH_PARAMS_LENGTH || authAt < 0 || authAt + AUTH_PARAMS_LENGTH > message.length) return false;
  return timingSafeEqual(authDigest(protocol, key, message, authAt), received);
}

/** Whether this OpenSSL can run DES-CBC (see the file comment). */
export function desCbcAvailable(): boolean {
  try {
    createCipheriv('des-ede3-cbc', Buffer.alloc(24, 1), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

function desCipher(privKey: Buffer, iv: Buffer, decrypt: boolean) {
  const k = privKey.subarray(0, 8);
  const key = Buffer.concat([k, k, k]);
  const c = decrypt ? createDecipheriv('des-ede3-cbc', key, iv) : createCipheriv('des-ede3-cbc', key, iv);
  c.setAutoPadding(false);
  return c;
}

/** RFC 3414 §8.1.1.1: IV = pre-IV (the last 8 octets of the 16-octet key) XOR salt. */
function desIv(privKey: Buffer, salt: Buffer): Buffer {
  const pre = privKey.subarray(8, 16);
  return Buffer.from(salt.map((b, i) => b ^ pre[i]!));
}

/** RFC 3826 §3.1.2.1: IV = engineBoots ‖ engineTime ‖ salt. */
function aesIv(boots: number, time: number, salt: Buffer): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(boots >>> 0, 0);
  iv.writeUInt32BE(time >>> 0, 4);
  salt.copy(iv, 8);
  return iv;
}

/**
 * Encrypts a ScopedPDU. `salt` is 8 octets: for DES the sender's engineBoots then a local
 * integer (RFC 3414 §8.1.1.1), for AES a 64-bit local integer (RFC 3826 §3.1.2.1). The salt goes
 * out as msgPrivacyParameters.
 */
export function encryptScoped(protocol: PrivProtocol, privKey: Buffer, boots: number, time: number, salt: Buffer, plain: Buffer): Buffer {
  if (salt.length !== PRIV_PARAMS_LENGTH) throw new TypeError('the salt is 8 octets');
  if (protocol === 'des') {
    const padded = Buffer.alloc(Math.ceil(plain.length / 8) * 8); // RFC 3414 §8.1.1.2: pad to a multiple of 8
    plain.copy(padded);
    const c = desCipher(privKey, desIv(privKey, salt), false);
    return Buffer.concat([c.update(padded), c.final()]);
  }
  const c = createCipheriv('aes-128-cfb', privKey.subarray(0, 16), aesIv(boots, time, salt));
  return Buffer.concat([c.update(plain), c.final()]);
}

/** Decrypts an encryptedPDU; throws DecryptionError when its form is wrong (RFC 3414 §8.3.2, RFC 3826 §3.2.4). */
export function decryptScoped(protocol: PrivProtocol, privKey: Buffer, boots: number, time: number, privParams: Buffer, encrypted: Buffer): Buffer {
  if (privParams.length !== PRIV_PARAMS_LENGTH) throw new DecryptionError('msgPrivacyParameters is not 8 octets');
  if (protocol === 'des') {
    if (encrypted.length === 0 || encrypted.length % 8 !== 0) throw new DecryptionError('DES ciphertext is not a multiple of 8 octets');
    const c = desCipher(privKey, desIv(privKey, privParams), true);
    return Buffer.concat([c.update(encrypted), c.final()]);
  }
  const c = createDecipheriv('aes-128-cfb', privKey.subarray(0, 16), aesIv(boots, time, privParams));
  return Buffer.concat([c.update(encrypted), c.final()]);
}
