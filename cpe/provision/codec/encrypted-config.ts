/**
 * Encrypted config XML (reference §4): the output of
 *   openssl enc -e -aes-256-cbc -md md5 -k <P1359> -in cfg.xml -out cfg<mac>.xml
 * = `Salted__` + 8-byte salt + AES-256-CBC ciphertext with PKCS#7 padding; key and IV from
 * OpenSSL's EVP_BytesToKey (one iteration) over MD5, the HT802 firmware's digest. OpenSSL 1.1 and
 * later default to SHA-256, so decryption tries MD5 and then SHA-256. Crypto from node:crypto.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { DecodeError } from '../../shared/errors';

export const SALTED_MAGIC = Buffer.from('Salted__', 'latin1');
export type KdfDigest = 'md5' | 'sha256';
const KEY_LEN = 32;
const IV_LEN = 16;

export function looksEncrypted(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(SALTED_MAGIC);
}

/** OpenSSL EVP_BytesToKey with count 1: D_i = H(D_{i-1} ‖ pass ‖ salt), key ‖ iv = D_1 ‖ D_2 ‖ ... */
export function evpBytesToKey(password: Buffer, salt: Buffer, digest: KdfDigest): { key: Buffer; iv: Buffer } {
  const out: Buffer[] = [];
  let len = 0;
  let prev = Buffer.alloc(0);
  while (len < KEY_LEN + IV_LEN) {
    prev = createHash(digest).update(prev).update(password).update(salt).digest();
    out.push(prev);
    len += prev.length;
  }
  const all = Buffer.concat(out);
  return { key: all.subarray(0, KEY_LEN), iv: all.subarray(KEY_LEN, KEY_LEN + IV_LEN) };
}

/** Encrypts as `openssl enc -aes-256-cbc -md <digest> -S <salt hex>` does. The salt comes from the caller (8 bytes). */
export function encryptConfig(plain: Uint8Array, password: string, salt: Buffer, digest: KdfDigest = 'md5'): Buffer {
  if (salt.length !== 8) throw new RangeError('salt must be 8 bytes');
  const { key, iv } = evpBytesToKey(Buffer.from(password, 'utf8'), salt, digest);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([SALTED_MAGIC, salt, c.update(plain), c.final()]);
}

export interface Decrypted {
  readonly plain: Buffer;
  readonly digest: KdfDigest;
}

/**
 * Decrypts a `Salted__` file with the password. A digest is accepted only when the padding is
 * valid and the plaintext looks like XML (so a wrong guess is never taken for the file).
 * Throws DecodeError when neither digest yields it: wrong password, or not such a file.
 */
export function decryptConfig(bytes: Uint8Array, password: string, isPlausible: (plain: Buffer) => boolean): Decrypted {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!looksEncrypted(buf)) throw new DecodeError('encrypted config: no Salted__ header', 0);
  if (buf.length < 16 + 16) throw new DecodeError(`encrypted config truncated: ${buf.length} bytes`, buf.length);
  if ((buf.length - 16) % 16 !== 0) throw new DecodeError(`encrypted config truncated: ciphertext of ${buf.length - 16} bytes is not whole AES blocks`, buf.length);
  if (password === '') throw new DecodeError('encrypted config but no XML config file password (P1359) is set', 0);
  const salt = buf.subarray(8, 16);
  const body = buf.subarray(16);
  for (const digest of ['md5', 'sha256'] as const) {
    const { key, iv } = evpBytesToKey(Buffer.from(password, 'utf8'), salt, digest);
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-cbc', key, iv);
      plain = Buffer.concat([d.update(body), d.final()]);
    } catch {
      continue; // bad padding: wrong key
    }
    if (isPlausible(plain)) return { plain, digest };
  }
  throw new DecodeError('encrypted config: decryption failed (wrong password P1359, or not AES-256-CBC)', 16);
}
