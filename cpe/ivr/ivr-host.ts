/**
 * What the voice menu needs of the unit, as one small port (the FXS line passes it in; the calls
 * service builds it over the store and the device). The menu writes only through `apply`: one
 * batch per confirmed entry, source `ivr` (ARCHITECTURE.md "The one rule").
 */
export interface IvrNetwork {
  /** The WAN address in use. */
  readonly address: string;
  /** What DHCP gave besides, when known (options 1, 3, 6). */
  readonly subnet?: string;
  readonly gateway?: string;
  readonly dns?: string;
}

export interface IvrHost {
  /** A P-value as stored. */
  get(id: number): string;
  /** Commits one batch from the menu; undefined when committed, else why it was refused. */
  apply(batch: Readonly<Record<string, string>>): string | undefined;
  /** The unit's WAN MAC (on its label) and LAN MAC (what option 10 says), 12 hex digits. */
  readonly mac: string;
  readonly lanMac: string;
  readonly firmwareVersion: string;
  network(): IvrNetwork;
  /** Why a factory reset is refused now (P88), or undefined. */
  factoryResetRefusal(): string | undefined;
  /** Where option 86 calls: the voice mail system's address (RFC 3842 Message-Account), when known. */
  voicemail(): string | undefined;
  /** Option 99 then 9. */
  reboot(): void;
  /** Option 99 then the unit's MAC keyed in: a full factory reset, then a reboot. */
  factoryReset(): void;
}
