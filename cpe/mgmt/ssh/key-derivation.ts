/**
 * Keys from a key exchange (RFC 4253 §7.2): each is HASH(K || H || X || session_id) with X one of
 * 'A'..'F', extended by K_n+1 = HASH(K || H || K_1 || ... || K_n) until long enough. K is encoded
 * as an mpint, H as raw bytes. HASH is SHA-256 for every exchange the unit offers.
 */
import { createHash } from 'node:crypto';
import { CIPHER_SPECS, MAC_KEY_LENGTH, type CipherName, type MacName } from './algorithms';
import { encodeMpint } from './wire';

export type KeyLetter = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

export function deriveKey(k: Buffer, h: Buffer, letter: KeyLetter, sessionId: Buffer, length: number): Buffer {
  const kMpint = encodeMpint(k);
  const parts: Buffer[] = [createHash('sha256').update(kMpint).update(h).update(letter, 'latin1').update(sessionId).digest()];
  let have = parts[0]!.length;
  while (have < length) {
    const next = createHash('sha256').update(kMpint).update(h);
    for (const p of parts) next.update(p);
    const d = next.digest();
    parts.push(d);
    have += d.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

export interface DirectionKeys {
  readonly cipher: CipherName;
  readonly mac: MacName | undefined;
  readonly iv: Buffer;
  readonly key: Buffer;
  readonly macKey: Buffer | undefined;
}

/** Client to server: IV 'A', key 'C', MAC 'E'; server to client: 'B', 'D', 'F'. */
export function directionKeys(
  k: Buffer,
  h: Buffer,
  sessionId: Buffer,
  direction: 'c2s' | 's2c',
  algs: { readonly cipher: CipherName; readonly mac: MacName | undefined },
): DirectionKeys {
  const [ivL, keyL, macL]: [KeyLetter, KeyLetter, KeyLetter] = direction === 'c2s' ? ['A', 'C', 'E'] : ['B', 'D', 'F'];
  const spec = CIPHER_SPECS[algs.cipher];
  return {
    cipher: algs.cipher,
    mac: algs.mac,
    iv: deriveKey(k, h, ivL, sessionId, spec.ivLength),
    key: deriveKey(k, h, keyL, sessionId, spec.keyLength),
    macKey: algs.mac ? deriveKey(k, h, macL, sessionId, MAC_KEY_LENGTH) : undefined,
  };
}
