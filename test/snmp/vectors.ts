/** The net-snmp datagrams of test/golden/snmp/net-snmp.json, and hex helpers. */
import fs from 'node:fs';
import path from 'node:path';

export interface Vector {
  readonly command: string;
  readonly hex: string;
  /** v3: the boots and time in the message (what the authoritative engine must be at). */
  readonly engineBoots?: number;
  readonly engineTime?: number;
}

const file = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/snmp/net-snmp.json'), 'utf8')) as Record<string, unknown>;

/** By name (the file's `comment` left out). */
export const NET_SNMP: Readonly<Record<string, Vector>> = Object.fromEntries(Object.entries(file).filter(([k]) => k !== 'comment')) as Record<string, Vector>;

/** Hex with spaces allowed. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
