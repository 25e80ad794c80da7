import type { FirmwareSlots } from './device';

/**
 * The firmware slots the device boots from. Provided by the provisioning subsystem's firmware
 * installer once it exists; until then the built-in firmware always runs.
 */
export function firmwareSlots(): FirmwareSlots | undefined {
  return undefined;
}
