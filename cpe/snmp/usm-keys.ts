/**
 * USM keys: password to key and key localisation (RFC 3414 §2.6 and Appendix A.2.1 MD5,
 * A.2.2 SHA-1). Pure; the hashing is node:crypto.
 */
import { createHash } from 'node:crypto';
import type { UsmUserConfig } from './snmp-settings';
import type { UsmUser } from './usm';
import type { AuthProtocol } from './usm-crypto';

/** RFC 3414 A.2: the password repeated over 1,048,576 octets is hashed. */
const EXPANSION = 1_048_576;

const HASH: Readonly<Record<AuthProtocol, string>> = { md5: 'md5', sha: 'sha1' };

/** Ku: the user's key from a password (RFC 3414 A.2). The password must not be empty. */
export function passwordToKey(protocol: AuthProtocol, password: string | Buffer): Buffer {
  const p = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (p.length === 0) throw new TypeError('a USM password must not be empty');
  return createHash(HASH[protocol]).update(Buffer.alloc(EXPANSION, p)).digest();
}

/** Kul = H(Ku || snmpEngineID || Ku) (RFC 3414 §2.6, A.2). */
export function localizeKey(protocol: AuthProtocol, ku: Buffer, engineId: Buffer): Buffer {
  return createHash(HASH[protocol]).update(ku).update(engineId).update(ku).digest();
}

/** The localised key of a password for one engine. */
export function localizedKey(protocol: AuthProtocol, password: string, engineId: Buffer): Buffer {
  return localizeKey(protocol, passwordToKey(protocol, password), engineId);
}

/**
 * A configured user with its keys localised to `engineId` (RFC 3414 §2.6). The privacy key is
 * derived with the authentication protocol's hash (RFC 3414 §11.2, RFC 3826 §1.2).
 */
export function localizeUser(cfg: UsmUserConfig, engineId: Buffer): UsmUser {
  const name = Buffer.from(cfg.name, 'utf8');
  if (!cfg.auth) return { name };
  const auth = { protocol: cfg.auth, key: localizedKey(cfg.auth, cfg.authKey, engineId) };
  if (!cfg.priv) return { name, auth };
  return { name, auth, priv: { protocol: cfg.priv, key: localizedKey(cfg.auth, cfg.privKey, engineId) } };
}
