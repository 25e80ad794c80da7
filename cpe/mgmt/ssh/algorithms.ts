/**
 * The algorithms the unit offers, in its order of preference, and the negotiation of RFC 4253
 * §7.1: for each category, the first algorithm on the client's list that the server also has.
 *
 *   kex          curve25519-sha256 (RFC 8731), curve25519-sha256@libssh.org (same method, its
 *                older name), ecdh-sha2-nistp256 (RFC 5656); plus the strict-KEX marker
 *                kex-strict-s-v00@openssh.com (OpenSSH PROTOCOL §1.10, the Terrapin fix)
 *   host key     ssh-ed25519 (RFC 8709)
 *   ciphers      aes256-gcm@openssh.com (RFC 5647 as OpenSSH PROTOCOL §1.6 names it),
 *                aes128-ctr, aes256-ctr (RFC 4344)
 *   MACs         hmac-sha2-256 (RFC 6668), not used with GCM (its tag is the MAC)
 *   compression  none
 */
import { SshError } from './ssh-errors';

export type KexName = 'curve25519-sha256' | 'curve25519-sha256@libssh.org' | 'ecdh-sha2-nistp256';
export type HostKeyName = 'ssh-ed25519';
export type CipherName = 'aes256-gcm@openssh.com' | 'aes128-ctr' | 'aes256-ctr';
export type MacName = 'hmac-sha2-256';

export const KEX_ALGORITHMS: readonly KexName[] = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256'];
export const STRICT_KEX_SERVER = 'kex-strict-s-v00@openssh.com';
export const STRICT_KEX_CLIENT = 'kex-strict-c-v00@openssh.com';
export const HOST_KEY_ALGORITHMS: readonly HostKeyName[] = ['ssh-ed25519'];
export const CIPHERS: readonly CipherName[] = ['aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr'];
export const MACS: readonly MacName[] = ['hmac-sha2-256'];
export const COMPRESSION: readonly string[] = ['none'];

export interface CipherSpec {
  readonly keyLength: number;
  readonly ivLength: number;
  /** AEAD: the tag replaces the MAC, and the length field stays in the clear. */
  readonly aead: boolean;
  /** node:crypto name. */
  readonly nodeName: string;
}

export const CIPHER_SPECS: Readonly<Record<CipherName, CipherSpec>> = {
  // RFC 5647 §7.1: 12-byte nonce = 4-byte fixed field + 8-byte invocation counter
  'aes256-gcm@openssh.com': { keyLength: 32, ivLength: 12, aead: true, nodeName: 'aes-256-gcm' },
  'aes128-ctr': { keyLength: 16, ivLength: 16, aead: false, nodeName: 'aes-128-ctr' },
  'aes256-ctr': { keyLength: 32, ivLength: 16, aead: false, nodeName: 'aes-256-ctr' },
};

/** RFC 6668 §2: HMAC-SHA-256, key and digest 32 bytes. */
export const MAC_KEY_LENGTH = 32;
export const MAC_LENGTH = 32;

/** What both ends use, per direction (c2s: client to server). */
export interface Negotiated {
  readonly kex: KexName;
  readonly hostKey: HostKeyName;
  readonly c2s: { readonly cipher: CipherName; readonly mac: MacName | undefined };
  readonly s2c: { readonly cipher: CipherName; readonly mac: MacName | undefined };
}

/** The client's lists, as its KEXINIT gives them. */
export interface ClientLists {
  readonly kex: readonly string[];
  readonly hostKey: readonly string[];
  readonly cipherC2s: readonly string[];
  readonly cipherS2c: readonly string[];
  readonly macC2s: readonly string[];
  readonly macS2c: readonly string[];
  readonly compressionC2s: readonly string[];
  readonly compressionS2c: readonly string[];
}

/** RFC 4253 §7.1; throws SshError('kex') naming the category with no common algorithm. */
export function negotiate(client: ClientLists): Negotiated {
  const kex = pick(client.kex, KEX_ALGORITHMS, 'key exchange');
  const hostKey = pick(client.hostKey, HOST_KEY_ALGORITHMS, 'host key');
  const cipherC2s = pick(client.cipherC2s, CIPHERS, 'cipher client to server');
  const cipherS2c = pick(client.cipherS2c, CIPHERS, 'cipher server to client');
  // an AEAD cipher has no separate MAC: its list is not negotiated (as OpenSSH does)
  const macC2s = CIPHER_SPECS[cipherC2s].aead ? undefined : pick(client.macC2s, MACS, 'MAC client to server');
  const macS2c = CIPHER_SPECS[cipherS2c].aead ? undefined : pick(client.macS2c, MACS, 'MAC server to client');
  pick(client.compressionC2s, COMPRESSION, 'compression client to server');
  pick(client.compressionS2c, COMPRESSION, 'compression server to client');
  return { kex, hostKey, c2s: { cipher: cipherC2s, mac: macC2s }, s2c: { cipher: cipherS2c, mac: macS2c } };
}

function pick<T extends string>(theirs: readonly string[], ours: readonly T[], what: string): T {
  for (const name of theirs) if ((ours as readonly string[]).includes(name)) return name as T;
  throw new SshError('kex', `no common ${what} algorithm (client offers ${theirs.slice(0, 8).join(',') || 'none'})`);
}

/** RFC 4253 §7: a guessed first KEX packet is right when both ends prefer the same kex and host key algorithms. */
export function guessRight(client: ClientLists): boolean {
  return client.kex[0] === KEX_ALGORITHMS[0] && client.hostKey[0] === HOST_KEY_ALGORITHMS[0];
}
