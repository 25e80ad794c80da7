import fs from 'node:fs';
import path from 'node:path';
import type { Random } from './shared/random';
import type { DeviceIdentity } from './service';
import { UsageError } from './shared/errors';

/** The firmware this build is, when no installed image says otherwise (the HT813 template's generation). */
export const BUILTIN_FIRMWARE_VERSION = '1.0.7.1';
export const HARDWARE_VERSION = 'V1.0A';
const GRANDSTREAM_OUI = '000b82';

/**
 * What the unit keeps like a hardware ROM: survives every factory reset, so it lives beside the
 * database rather than in it.
 */
export interface IdentityFile {
  readonly mac: string;
  readonly bootCount: number;
  readonly createdAt: number;
}

const FILE = 'identity.json';

/** Accepts `000B82123456`, `00:0b:82:12:34:56` or `00-0B-82-12-34-56`; returns lower-case hex or throws UsageError. */
export function normaliseMac(input: string): string {
  const hex = input.trim().replace(/[:\-.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) throw new UsageError(`not a MAC address: ${JSON.stringify(input)} (12 hex digits expected)`);
  if ((parseInt(hex.slice(0, 2), 16) & 1) === 1) throw new UsageError(`not a unicast MAC address: ${input}`);
  return hex;
}

/** MAC + 1, wrapping within the 24-bit device part (the LAN port's MAC, user guide status page). */
export function nextMac(mac: string): string {
  const nic = (parseInt(mac.slice(6), 16) + 1) & 0xffffff;
  return mac.slice(0, 6) + nic.toString(16).padStart(6, '0');
}

/** A MAC in Grandstream's OUI 00:0B:82 with a random device part (never the last one, so LAN = WAN + 1 stays in range). */
export function generateMac(random: Random): string {
  const b = random.bytes(3);
  const nic = ((b[0]! << 16) | (b[1]! << 8) | b[2]!) % 0xfffffe;
  return GRANDSTREAM_OUI + nic.toString(16).padStart(6, '0');
}

/**
 * Reads the identity file, creating it on first boot. A MAC given on the command line must match
 * the stored one: a data folder belongs to one unit.
 */
export function loadIdentityFile(dataDir: string, requestedMac: string | undefined, random: Random, now: number): IdentityFile {
  const file = path.join(dataDir, FILE);
  const wanted = requestedMac === undefined ? undefined : normaliseMac(requestedMac);
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<IdentityFile>;
    if (typeof parsed.mac !== 'string' || !/^[0-9a-f]{12}$/.test(parsed.mac)) {
      throw new Error(`${file}: no valid mac`);
    }
    if (wanted !== undefined && wanted !== parsed.mac) {
      throw new UsageError(`data folder ${dataDir} belongs to unit ${parsed.mac}, not ${wanted}`);
    }
    return { mac: parsed.mac, bootCount: Number(parsed.bootCount ?? 0), createdAt: Number(parsed.createdAt ?? now) };
  }
  const created: IdentityFile = { mac: wanted ?? generateMac(random), bootCount: 0, createdAt: now };
  writeIdentityFile(dataDir, created);
  return created;
}

export function writeIdentityFile(dataDir: string, id: IdentityFile): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(id, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/**
 * The unit's identity. The serial number is the MAC in upper case: Grandstream's TR-069 agent
 * reports the MAC as SerialNumber [? per FW802 DeviceId; chosen here so OUI-ProductClass-Serial is unique].
 */
export function makeIdentity(mac: string, firmwareVersion: string): DeviceIdentity {
  return {
    mac,
    lanMac: nextMac(mac),
    serialNumber: mac.toUpperCase(),
    model: 'HT813',
    hardwareVersion: HARDWARE_VERSION,
    firmwareVersion,
    manufacturer: 'Grandstream',
    oui: '000B82',
  };
}

/** `00:0B:82:12:34:56` for pages and logs. */
export function formatMac(mac: string): string {
  return mac.toUpperCase().match(/../g)!.join(':');
}
