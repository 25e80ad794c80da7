/**
 * What every config-file codec decodes to and encodes from: the ordered [P-number, value] pairs
 * of one file. The store validates values; the codecs only check the file's structure.
 */
import { DecodeError } from '../../shared/errors';

/** One `Pn=value` of a config file, in file order. */
export type ConfigEntry = readonly [id: number, value: string];
export type ConfigEntries = readonly ConfigEntry[];

/** A P-number as written in a file: `P` followed by 1 to 5 digits (reference §1.1). */
const P_NAME = /^[Pp](\d{1,5})$/;

/** `P47` → 47; undefined when the name is not a P-number. */
export function pNumber(name: string): number | undefined {
  const m = P_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Operator input of `ht813 cfg encode` and output of `cfg decode`: one `Pn=value` a line; blank
 * lines and lines starting with `#` are ignored. The value is everything after the first `=`.
 */
export function decodePValueLines(text: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  const lines = text.split(/\r?\n/);
  let pos = 0;
  for (const line of lines) {
    const here = pos;
    pos += line.length + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    const id = eq > 0 ? pNumber(line.slice(0, eq).trim()) : undefined;
    if (eq <= 0 || id === undefined) throw new DecodeError(`not a Pn=value line: ${JSON.stringify(line.slice(0, 60))}`, here);
    out.push([id, line.slice(eq + 1)]);
  }
  return out;
}

export function encodePValueLines(entries: ConfigEntries): string {
  return entries.map(([id, v]) => `P${id}=${v}\n`).join('');
}

/** Normalises a MAC given as 000B82123456 / 00:0b:82:12:34:56 to 12 lower-case hex digits, or throws DecodeError. */
export function macHex(mac: string): string {
  const hex = mac.trim().replace(/[:\-.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) throw new DecodeError(`not a MAC address: ${JSON.stringify(mac)}`);
  return hex;
}
