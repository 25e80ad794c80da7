/**
 * The server side of the ECDH key exchanges: curve25519-sha256 (RFC 8731) and ecdh-sha2-nistp256
 * (RFC 5656 §4), both with SHA-256 as HASH. The ephemeral key comes from the injected Random; the
 * arithmetic is node:crypto's (X25519 and P-256 ECDH).
 */
import { createECDH, createHash, createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { Random } from '../../shared/random';
import type { KexName } from './algorithms';
import type { HostKey } from './host-key';
import { MSG } from './messages';
import { SshError } from './ssh-errors';
import { SshReader, SshWriter } from './wire';

/** DER prefixes of X25519 keys (RFC 8410 §7 PKCS#8, §4 SPKI). */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export interface EphemeralKey {
  /** Q_S as sent (32 bytes for X25519, an uncompressed point for P-256). */
  readonly publicKey: Buffer;
  /** The shared secret K as an unsigned big-endian integer's bytes; throws SshError('kex') on a bad Q_C. */
  agree(peer: Buffer): Buffer;
}

export function ephemeralKey(kex: KexName, random: Random): EphemeralKey {
  return kex === 'ecdh-sha2-nistp256' ? p256Key(random) : x25519Key(random.bytes(32));
}

/** X25519 from a 32-byte private value (tests pass RFC 7748 §6.1's). */
export function x25519Key(privateBytes: Buffer): EphemeralKey {
  const priv = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, privateBytes]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  return {
    publicKey: spki.subarray(spki.length - 32),
    agree(peer) {
      // RFC 8731 §3: Q_C must be 32 bytes; an all-zero result must abort
      if (peer.length !== 32) throw new SshError('kex', `curve25519 public key of ${peer.length} bytes, not 32`);
      let k: Buffer;
      try {
        k = diffieHellman({ privateKey: priv, publicKey: createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, peer]), format: 'der', type: 'spki' }) });
      } catch (e) {
        throw new SshError('kex', 'curve25519 public key refused', { cause: e });
      }
      if (k.every((b) => b === 0)) throw new SshError('kex', 'curve25519 shared secret is all zero');
      // RFC 8731 §3.1: the 32 bytes read as an unsigned big-endian integer
      return k;
    },
  };
}

function p256Key(random: Random): EphemeralKey {
  const ecdh = createECDH('prime256v1');
  for (let tries = 0; ; tries++) {
    try {
      ecdh.setPrivateKey(random.bytes(32)); // refused when 0 or ≥ the group order: draw again
      break;
    } catch (e) {
      if (tries >= 8) throw e;
    }
  }
  return {
    publicKey: ecdh.getPublicKey(),
    agree(peer) {
      // RFC 5656 §4: an uncompressed point (SEC1 2.3.3), checked to lie on the curve
      if (peer.length !== 65 || peer[0] !== 0x04) throw new SshError('kex', 'nistp256 public key is not an uncompressed point');
      try {
        return ecdh.computeSecret(peer);
      } catch (e) {
        throw new SshError('kex', 'nistp256 public key refused', { cause: e });
      }
    },
  };
}

/** SSH_MSG_KEX_ECDH_INIT: string Q_C. */
export function decodeEcdhInit(payload: Buffer): Buffer {
  const r = new SshReader(payload);
  r.byte();
  return r.string('Q_C');
}

export interface ExchangeHashInput {
  /** Identification strings without CR LF. */
  readonly vC: Buffer;
  readonly vS: Buffer;
  /** KEXINIT payloads, message byte included. */
  readonly iC: Buffer;
  readonly iS: Buffer;
  /** The host key blob. */
  readonly kS: Buffer;
  readonly qC: Buffer;
  readonly qS: Buffer;
  /** The shared secret, unsigned big-endian. */
  readonly k: Buffer;
}

/** RFC 5656 §4 / RFC 8731 §3: H = SHA-256(V_C || V_S || I_C || I_S || K_S || Q_C || Q_S || K). */
export function exchangeHash(x: ExchangeHashInput): Buffer {
  const data = new SshWriter().string(x.vC).string(x.vS).string(x.iC).string(x.iS).string(x.kS).string(x.qC).string(x.qS).mpint(x.k).toBuffer();
  return createHash('sha256').update(data).digest();
}

/** SSH_MSG_KEX_ECDH_REPLY: string K_S, string Q_S, string the signature of H. */
export function encodeEcdhReply(hostKey: HostKey, qS: Buffer, h: Buffer): Buffer {
  return new SshWriter().byte(MSG.KEX_ECDH_REPLY).string(hostKey.blob).string(qS).string(hostKey.signBlob(h)).toBuffer();
}
