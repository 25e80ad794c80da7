/**
 * The MAC address as keyed on a phone (user guide table 7 "MAC Address Key Mapping"): digits as
 * themselves, A–C as 22, 222, 2222 and D–F as 33, 333, 3333 (000b8200e395 → 0002228200333395).
 * The mapping is not one-to-one ("22" is also two 2s), so an entry is checked by keying the
 * unit's own MAC and comparing, never decoded.
 */
const KEYS: Readonly<Record<string, string>> = { a: '22', b: '222', c: '2222', d: '33', e: '333', f: '3333' };

export function macKeys(mac: string): string {
  let out = '';
  for (const ch of mac.toLowerCase().replace(/[^0-9a-f]/g, '')) out += KEYS[ch] ?? ch;
  return out;
}
