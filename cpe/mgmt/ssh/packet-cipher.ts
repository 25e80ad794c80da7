/**
 * Packet protection of one direction after NEWKEYS, every primitive from node:crypto:
 *   AES-CTR (RFC 4344 §4) as one keystream across packets, with HMAC-SHA-256 over
 *     uint32 sequence_number || unencrypted_packet (RFC 4253 §6.4, RFC 6668);
 *   AES-256-GCM (RFC 5647 §7) with the packet length as additional data, in the clear, and the
 *     nonce's 64-bit invocation counter stepped once per packet (§7.1).
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual, type Cipher, type Decipher } from 'node:crypto';
import { CIPHER_SPECS, MAC_LENGTH } from './algorithms';
import type { DirectionKeys } from './key-derivation';
import { SshError } from './ssh-errors';

export const GCM_TAG_LENGTH = 16;

export type OutboundCipher =
  | { readonly kind: 'none' }
  | { readonly kind: 'ctr'; readonly cipher: Cipher; readonly macKey: Buffer }
  | { readonly kind: 'gcm'; readonly key: Buffer; readonly iv: Buffer };

export type InboundCipher =
  | { readonly kind: 'none' }
  | { readonly kind: 'ctr'; readonly decipher: Decipher; readonly macKey: Buffer }
  | { readonly kind: 'gcm'; readonly key: Buffer; readonly iv: Buffer };

export const NO_CIPHER = { kind: 'none' } as const;

export function outboundCipher(k: DirectionKeys): OutboundCipher {
  const spec = CIPHER_SPECS[k.cipher];
  if (spec.aead) return { kind: 'gcm', key: k.key, iv: Buffer.from(k.iv) };
  return { kind: 'ctr', cipher: createCipheriv(spec.nodeName, k.key, k.iv), macKey: macKeyOf(k) };
}

export function inboundCipher(k: DirectionKeys): InboundCipher {
  const spec = CIPHER_SPECS[k.cipher];
  if (spec.aead) return { kind: 'gcm', key: k.key, iv: Buffer.from(k.iv) };
  return { kind: 'ctr', decipher: createDecipheriv(spec.nodeName, k.key, k.iv), macKey: macKeyOf(k) };
}

function macKeyOf(k: DirectionKeys): Buffer {
  if (!k.macKey) throw new SshError('kex', `${k.cipher} needs a MAC`);
  return k.macKey;
}

/** RFC 4253 §6.4 MAC = HMAC(key, uint32 seq || unencrypted packet). */
export function packetMac(macKey: Buffer, seq: number, plain: Buffer): Buffer {
  const s = Buffer.alloc(4);
  s.writeUInt32BE(seq >>> 0);
  return createHmac('sha256', macKey).update(s).update(plain).digest();
}

export function macMatches(macKey: Buffer, seq: number, plain: Buffer, mac: Buffer): boolean {
  return mac.length === MAC_LENGTH && timingSafeEqual(packetMac(macKey, seq, plain), mac);
}

/** Seals one GCM packet: length (clear, authenticated) || ciphertext || tag. */
export function gcmSeal(c: { key: Buffer; iv: Buffer }, lengthField: Buffer, rest: Buffer): Buffer {
  const enc = createCipheriv('aes-256-gcm', c.key, c.iv, { authTagLength: GCM_TAG_LENGTH });
  enc.setAAD(lengthField);
  const ct = Buffer.concat([enc.update(rest), enc.final()]);
  const tag = enc.getAuthTag();
  stepInvocationCounter(c.iv);
  return Buffer.concat([lengthField, ct, tag]);
}

/** Opens one GCM packet; SshError('mac') when the tag does not verify. */
export function gcmOpen(c: { key: Buffer; iv: Buffer }, lengthField: Buffer, ct: Buffer, tag: Buffer): Buffer {
  const dec = createDecipheriv('aes-256-gcm', c.key, c.iv, { authTagLength: GCM_TAG_LENGTH });
  dec.setAAD(lengthField);
  dec.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([dec.update(ct), dec.final()]);
  } catch (e) {
    throw new SshError('mac', 'AES-GCM tag check failed', { cause: e });
  }
  stepInvocationCounter(c.iv);
  return plain;
}

/** RFC 5647 §7.1: the last 8 bytes of the nonce are a big-endian counter, +1 per packet (the fixed field never changes). */
export function stepInvocationCounter(iv: Buffer): void {
  for (let i = iv.length - 1; i >= 4; i--) {
    iv[i] = (iv[i]! + 1) & 0xff;
    if (iv[i] !== 0) return;
  }
}
