/**
 * The last provisioning and firmware attempts, on the StatusBoard (web status page, TR-069) and
 * persisted in the store's service state so they survive a reboot.
 */
export type AttemptResult =
  | 'applied' // a config file was applied (changes may be empty: nothing new)
  | 'rejected' // a file was downloaded but refused (structure, MAC, decryption, invalid value, bad image)
  | 'fetch-failed' // no file could be downloaded (not found, auth, timeout, server down)
  | 'no-server' // no server path set, or an unusable one
  | 'up-to-date' // the firmware image has the running version
  | 'installed' // a new firmware image was installed; the unit reboots into it
  | 'fallback'; // the new firmware failed to boot; the unit went back to the previous one

export interface ProvisionAttempt {
  /** ms since epoch */
  readonly time: number;
  /** What started it: boot, schedule, redirect, request (SIP NOTIFY, operator). */
  readonly trigger: string;
  readonly url: string;
  readonly result: AttemptResult;
  readonly reason?: string;
  /** Config: how many P-values changed. */
  readonly changes?: number;
  /** Config: unknown P-numbers skipped. */
  readonly skipped?: readonly string[];
  /** Firmware: the image's version. */
  readonly version?: string;
}

declare module '../status' {
  interface StatusMap {
    'provision.lastConfig': ProvisionAttempt | undefined;
    'provision.lastFirmware': ProvisionAttempt | undefined;
    /** ms since epoch of the next automatic check; undefined when automatic checks are off. */
    'provision.nextCheck': number | undefined;
  }
}
