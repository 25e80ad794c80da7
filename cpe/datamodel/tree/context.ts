/** What the tree's live getters read. The data model talks to no network: everything comes in here. */
import type { DeviceIdentity } from '../../service';

/** StatusBoard read by key without compile-time coupling to other services' declarations. */
export interface LooseStatus {
  get(key: string): unknown;
}

export interface TreeContext {
  readonly identity: DeviceIdentity;
  now(): number;
  bootTime(): number;
  /** The address the unit's services bind to (LAN.IPAddress). */
  readonly address: string;
  /** The ACS URL in use (P4503, or the DHCP option 43 URL when P4503 is empty). */
  acsUrl(): string;
  connectionRequestUrl(): string;
  udpConnectionRequestAddress(): string;
  /** The web UI's kick URL (TR-069 Kicked), '' while no web UI runs. */
  kickUrl(): string;
  readonly status: LooseStatus;
}

/** `000b82123456` → `00:0B:82:12:34:56`. */
export function colonMac(mac: string): string {
  return (mac.toUpperCase().match(/.{2}/g) ?? []).join(':');
}
