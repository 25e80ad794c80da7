import type { FirmwareSlots } from './device';
import { firmwareSlots as provisionSlots } from './provision/firmware/slots';

/** The firmware slots the device boots from: the provisioning subsystem's A/B slots in the data folder. */
export function firmwareSlots(): FirmwareSlots {
  return provisionSlots;
}
