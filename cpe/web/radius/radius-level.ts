/**
 * The web level an Access-Accept opens, from the vendor attribute P28111 / P28112 (RFC 2865 §5.26).
 * The reference marks the attribute's values uncertain; we accept, case-insensitively and trimmed,
 *   text  "admin" | "user" | "viewer"   or   "0" | "1" | "2"   (0 admin, 1 user, 2 viewer),
 *   or a 4-octet RFC 2865 §5 integer 0 | 1 | 2 (same order: the order of P2, P196, P28113).
 * No attribute: the lowest level, viewer (secure by default: the server has to grant more).
 * An attribute we cannot read also gives viewer; several give the lowest of them. Pure.
 */
import type { WebLevel } from '../sessions';
import { vendorAttributes, type RadiusAttribute } from './radius-packet';
import type { LevelAttribute } from './radius-settings';

export const DEFAULT_RADIUS_LEVEL: WebLevel = 'viewer';

const BY_NUMBER: readonly WebLevel[] = ['admin', 'user', 'viewer'];
const RANK: Readonly<Record<WebLevel, number>> = { admin: 0, user: 1, viewer: 2 };

export interface GrantedLevel {
  readonly level: WebLevel;
  /** attribute: read from the Access-Accept; default: none there (or none configured); unreadable: present but not a level. */
  readonly source: 'attribute' | 'default' | 'unreadable';
}

/** One attribute value → a level; undefined when it names none. */
export function levelOfValue(v: Buffer): WebLevel | undefined {
  const text = v.toString('latin1').trim().toLowerCase();
  if (text === 'admin' || text === 'user' || text === 'viewer') return text;
  if (/^[012]$/.test(text)) return BY_NUMBER[Number(text)];
  if (v.length === 4) return BY_NUMBER[v.readUInt32BE(0)];
  return undefined;
}

export function levelFromAccept(attributes: readonly RadiusAttribute[], attr: LevelAttribute | undefined): GrantedLevel {
  const values = attr ? vendorAttributes(attributes, attr.vendorId, attr.vendorType) : [];
  if (values.length === 0) return { level: DEFAULT_RADIUS_LEVEL, source: 'default' };
  const levels = values.map(levelOfValue);
  if (levels.some((l) => l === undefined)) return { level: DEFAULT_RADIUS_LEVEL, source: 'unreadable' };
  const lowest = (levels as WebLevel[]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
  return { level: lowest, source: 'attribute' };
}
