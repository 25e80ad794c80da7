/**
 * The unit's SSH host key: Ed25519 (RFC 8709), made once from the injected Random and kept in
 * `${dataDir}/mgmt/` (as the web UI keeps its certificate in `${dataDir}/web/`), PKCS#8 PEM, 0600.
 * Every primitive is node:crypto's.
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Random } from '../../shared/random';
import { SshWriter } from './wire';

export const HOST_KEY_FILE = 'ssh_host_ed25519_key.pem';

/** DER prefixes of an Ed25519 PKCS#8 private key and SPKI public key (RFC 8410 §7, §4). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_LENGTH = 44;

export interface HostKey {
  /** RFC 8709 §4: string "ssh-ed25519", string key (32 bytes). */
  readonly blob: Buffer;
  /** OpenSSH's fingerprint form: SHA256:base64 of the blob, unpadded. */
  readonly fingerprint: string;
  /** RFC 8709 §6: string "ssh-ed25519", string signature (64 bytes). */
  signBlob(data: Buffer): Buffer;
}

export function hostKeyFromSeed(seed: Buffer): HostKey {
  return hostKeyOf(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed.subarray(0, 32)]), format: 'der', type: 'pkcs8' }));
}

function hostKeyOf(priv: KeyObject): HostKey {
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const raw = spki.subarray(spki.length - 32);
  const blob = new SshWriter().string('ssh-ed25519').string(raw).toBuffer();
  return {
    blob,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    signBlob: (data) => new SshWriter().string('ssh-ed25519').string(sign(null, data, priv)).toBuffer(),
  };
}

/** Loads the unit's key, or makes and stores one; `created` says which. A file that is not an Ed25519 key is replaced. */
export function loadOrCreateHostKey(dir: string, random: Random): { key: HostKey; created: boolean } {
  const file = path.join(dir, HOST_KEY_FILE);
  if (fs.existsSync(file)) {
    try {
      const priv = createPrivateKey(fs.readFileSync(file, 'utf8'));
      const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
      if (priv.asymmetricKeyType === 'ed25519' && spki.length === ED25519_SPKI_LENGTH) return { key: hostKeyOf(priv), created: false };
    } catch {
      // unreadable: made anew below
    }
  }
  const priv = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, random.bytes(32)]), format: 'der', type: 'pkcs8' });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, priv.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600 });
  return { key: hostKeyOf(priv), created: true };
}
