/**
 * Public keys whose firmware images this unit installs (Ed25519, RFC 8032).
 *
 * This build trusts the TEST signing key committed at test/golden/provision/firmware-test-key.pem
 * (used by the tests and by `ht813 firmware make`). A real vendor keeps its private signing key
 * off the repository (an HSM or an offline signing host) and ships only the public key here.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

const TEST_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAViHDUcfZIbMykM8LzD25TpglZtaAWzT8GDWozzs0vS8=
-----END PUBLIC KEY-----
`;

export function trustedFirmwareKeys(): KeyObject[] {
  return [createPublicKey(TEST_KEY_PEM)];
}
