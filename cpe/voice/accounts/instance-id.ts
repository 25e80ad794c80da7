/** The SIP instance ID of an account (RFC 5626 §4.1, RFC 5627; P288/P489): stable per unit and account. */
import { hash } from 'node:crypto';
import type { Profile } from './account-config';

/** RFC 4122 §4.3 name-based UUID (SHA-1) from the unit's MAC and the account number. */
export function instanceUuid(seed: string, profile: Profile): string {
  const b = hash('sha1', `ht813:${seed}:${profile}`, 'buffer').subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
