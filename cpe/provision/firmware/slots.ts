/**
 * Two firmware slots in `${dataDir}/firmware/` (slot-a.bin, slot-b.bin) and their state in
 * slots.json. An image is written to the inactive slot and becomes active on trial; the next boot
 * starts it, and the device confirms it once up. A trial slot that boots a second time without
 * having been confirmed has failed to boot: the unit falls back to the previous slot. No slot
 * installed = the built-in firmware (BUILTIN_FIRMWARE_VERSION).
 *
 * The device (cpe/device.ts FirmwareSlots) calls: recoverBoot before boot, activeFirmwareVersion
 * for its identity (P68), confirmBoot once up. Files only; no module state.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FirmwareSlots } from '../../device';
import { decodeFirmwareHeader, decodeFirmwareImage } from './image';
import { createHash } from 'node:crypto';

export type SlotName = 'a' | 'b';

export interface SlotsState {
  /** The slot the unit boots; null = built-in firmware. */
  readonly active: SlotName | null;
  /** What to fall back to when the active slot fails its trial. */
  readonly previous: SlotName | null;
  /** The active slot is on trial: installed, not yet confirmed by a completed boot. */
  readonly trial: boolean;
  /** The trial slot has been booted once already (a second boot without confirm = failed boot). */
  readonly trialBooted: boolean;
  /** The last fallback, for status and logs. */
  readonly lastFallback?: { readonly time: number; readonly from: string | null; readonly to: string | null; readonly reason: string };
}

const EMPTY: SlotsState = { active: null, previous: null, trial: false, trialBooted: false };

export function firmwareDir(dataDir: string): string {
  return path.join(dataDir, 'firmware');
}

function slotFile(dataDir: string, slot: SlotName): string {
  return path.join(firmwareDir(dataDir), `slot-${slot}.bin`);
}

export function readSlots(dataDir: string): SlotsState {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(firmwareDir(dataDir), 'slots.json'), 'utf8')) as Partial<SlotsState>;
    const slot = (v: unknown): SlotName | null => (v === 'a' || v === 'b' ? v : null);
    const out: SlotsState = { active: slot(s.active), previous: slot(s.previous), trial: s.trial === true, trialBooted: s.trialBooted === true };
    return s.lastFallback ? { ...out, lastFallback: s.lastFallback } : out;
  } catch {
    return EMPTY;
  }
}

function writeSlots(dataDir: string, s: SlotsState): void {
  writeAtomic(path.join(firmwareDir(dataDir), 'slots.json'), Buffer.from(JSON.stringify(s, null, 2) + '\n'));
}

function writeAtomic(file: string, data: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** The version in a slot's image header, or undefined when the slot is empty or unreadable. */
export function slotVersion(dataDir: string, slot: SlotName | null): string | undefined {
  if (slot === null) return undefined;
  try {
    const fd = fs.openSync(slotFile(dataDir, slot), 'r');
    try {
      const head = Buffer.alloc(256);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      return decodeFirmwareHeader(head.subarray(0, n)).version;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** The firmware version the unit runs: the active slot's, or undefined for the built-in firmware. */
export function activeFirmwareVersion(dataDir: string): string | undefined {
  return slotVersion(dataDir, readSlots(dataDir).active);
}

/** Whether a slot holds a whole image whose payload matches its header's hash (signature was checked at install). */
function slotIntact(dataDir: string, slot: SlotName): boolean {
  try {
    const img = decodeFirmwareImage(fs.readFileSync(slotFile(dataDir, slot)));
    return createHash('sha256').update(img.payload).digest().equals(img.header.payloadSha256);
  } catch {
    return false;
  }
}

/**
 * Writes a verified image into the inactive slot and makes it the active one, on trial. The caller
 * reboots. Returns the slot written.
 */
export function installIntoInactiveSlot(dataDir: string, image: Buffer): SlotName {
  const s = readSlots(dataDir);
  // On a trial that was never confirmed, the confirmed slot is `previous`; keep it, overwrite the other.
  const keep = s.trial ? s.previous : s.active;
  const target: SlotName = keep === 'a' ? 'b' : 'a';
  writeAtomic(slotFile(dataDir, target), image);
  writeSlots(dataDir, { ...s, active: target, previous: keep, trial: true, trialBooted: false });
  return target;
}

/**
 * Before boot: a trial slot booting for the second time without a confirm failed to boot, and a
 * damaged active slot cannot boot; both fall back to the previous slot. Returns the fallback, if any.
 */
export function recoverBoot(dataDir: string, now = Date.now()): SlotsState['lastFallback'] {
  const s = readSlots(dataDir);
  if (s.active === null) return undefined;
  let reason: string | undefined;
  if (!slotIntact(dataDir, s.active)) reason = `slot ${s.active} is damaged`;
  else if (s.trial && s.trialBooted) reason = `trial boot of slot ${s.active} never completed`;
  if (reason === undefined) {
    if (s.trial) writeSlots(dataDir, { ...s, trialBooted: true });
    return undefined;
  }
  const to = s.previous !== null && s.previous !== s.active && slotIntact(dataDir, s.previous) ? s.previous : null;
  const fallback = { time: now, from: slotVersion(dataDir, s.active) ?? null, to: slotVersion(dataDir, to) ?? null, reason };
  writeSlots(dataDir, { active: to, previous: null, trial: false, trialBooted: false, lastFallback: fallback });
  return fallback;
}

/** Once the unit is up: the trial slot becomes the confirmed one. */
export function confirmBoot(dataDir: string): void {
  const s = readSlots(dataDir);
  if (s.trial) writeSlots(dataDir, { ...s, trial: false, trialBooted: false });
}

/** The slots as cpe/device.ts wants them (DeviceOptions.firmware). */
export const firmwareSlots: FirmwareSlots = {
  activeVersion: activeFirmwareVersion,
  confirmBoot,
  recoverBoot: (dataDir) => {
    recoverBoot(dataDir);
  },
};
