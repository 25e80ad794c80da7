/**
 * installFirmware: the one path every firmware upgrade takes (provisioner, web upload, TR-069
 * Download FileType 1): decode, check model, trusted signature and payload hash, then write the
 * image into the inactive slot on trial. The caller reboots (ctx.device.reboot) when `ok` and
 * `installed`; the unit then runs the new version, or falls back if it fails to boot.
 */
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../../shared/logger';
import { DecodeError } from '../../shared/errors';
import { decodeFirmwareImage, verifyFirmwareImage, type VerifyFailure } from './image';
import { installIntoInactiveSlot, type SlotName } from './slots';
import { trustedFirmwareKeys } from './trusted-keys';

export interface FirmwareContext {
  readonly dataDir: string;
  /** The unit's model ('HT813'). */
  readonly model: string;
  /** The version running now (ctx.identity.firmwareVersion). */
  readonly runningVersion: string;
  readonly log: Logger;
  /** Default: trustedFirmwareKeys(). */
  readonly trustedKeys?: readonly KeyObject[];
  /** Install even when the image has the running version (TR-069 Download, web upload). */
  readonly force?: boolean;
  /** Where the image came from, for logs. */
  readonly url?: string;
}

export type FirmwareFailure = 'decode' | VerifyFailure | 'io';

export interface InstallResult {
  readonly ok: boolean;
  /** True when a new image was written and a reboot will run it. False for up-to-date and failures. */
  readonly installed: boolean;
  readonly version?: string;
  readonly slot?: SlotName;
  readonly failure?: FirmwareFailure;
  readonly reason?: string;
}

export function installFirmware(bytes: Uint8Array, ctx: FirmwareContext): InstallResult {
  const log = ctx.log;
  let img;
  try {
    img = decodeFirmwareImage(bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    log.error({ url: ctx.url, reason: e.message }, 'firmware image rejected');
    return { ok: false, installed: false, failure: 'decode', reason: e.message };
  }
  const version = img.header.version;
  const v = verifyFirmwareImage(img, ctx.model, ctx.trustedKeys ?? trustedFirmwareKeys());
  if (!v.ok) {
    log.error({ url: ctx.url, version, reason: v.reason }, 'firmware image rejected');
    return { ok: false, installed: false, version, failure: v.failure!, reason: v.reason! };
  }
  if (version === ctx.runningVersion && !ctx.force) {
    log.info({ url: ctx.url, version }, 'firmware up to date');
    return { ok: true, installed: false, version, reason: 'already running this version' };
  }
  let slot: SlotName;
  try {
    slot = installIntoInactiveSlot(ctx.dataDir, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (e) {
    const reason = `cannot write the firmware slot: ${(e as Error).message}`;
    log.error({ url: ctx.url, version, reason }, 'firmware install failed');
    return { ok: false, installed: false, version, failure: 'io', reason };
  }
  log.warn({ url: ctx.url, from: ctx.runningVersion, to: version, slot }, 'firmware installed on trial; reboot to run it');
  return { ok: true, installed: true, version, slot };
}
