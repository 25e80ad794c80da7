/**
 * The P-value catalogue's vocabulary. Every setting of the unit is a P-value (`P47` FXS primary
 * SIP server, ...): numbered, typed, with the HT813 default and the metadata the web UI, the
 * reset types and the access levels need. The catalogue is data (catalogue/*.ts), not code.
 */

/** Who writes a batch (ARCHITECTURE.md "The one rule"). `factory` is the device itself: defaults, identity, firmware version. */
export type Source = 'provision' | 'cwmp' | 'web' | 'ivr' | 'cli' | 'factory';
export const SOURCES: readonly Source[] = ['provision', 'cwmp', 'web', 'ivr', 'cli', 'factory'];

/**
 * Web access levels (user guide "Web UI Access Level Management"). The level a parameter carries
 * is the lowest level that may change it: `user` = the end user's Basic Settings, `admin` =
 * everything else. The viewer level may change nothing.
 */
export type AccessLevel = 'admin' | 'user' | 'viewer';

/** The three reset types of the user guide ("Reset from Web Interface"); `other` is reset only by Full. */
export type ResetGroup = 'isp' | 'voip' | 'other';
export type ResetType = 'full' | 'isp' | 'voip';

/** The five tabs of the web UI. */
export type WebPage = 'status' | 'basic' | 'advanced' | 'fxs' | 'fxo';

export type ParamType =
  /** `list`: a comma-separated list of at most that many items, each in the charset (spaces around items allowed). */
  | { kind: 'string'; maxLength: number; charset?: 'printable' | 'digits' | 'dialable' | 'hex'; list?: number }
  | { kind: 'password'; maxLength: number }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'enum'; values: readonly EnumValue[] }
  | { kind: 'bool' }
  /** One octet of an IPv4 address stored in its own P-value (P9-P28). */
  | { kind: 'octet' }
  /** A dotted IPv4 address, or empty when allowed. */
  | { kind: 'ipv4' }
  /** host, host:port, [v6]:port, or a URL when `url` is set; empty allowed. */
  | { kind: 'host'; url?: boolean; maxLength: number }
  /** A call-progress tone string (reference §7): f1=..@..,f2=..@..,c=on/off-...; */
  | { kind: 'tone' }
  /** A ring cadence: c=on/off[-on/off...]; */
  | { kind: 'cadence' }
  /** A Grandstream dial plan `{ x+ | \+x+ | ... }` (reference §6). */
  | { kind: 'dialplan' }
  /** A MAC address, 12 hex digits. */
  | { kind: 'mac' }
  /** Free text over several lines (certificates, keys, lists). */
  | { kind: 'text'; maxLength: number };

export interface EnumValue {
  readonly value: string;
  readonly label: string;
}

export interface WebPlacement {
  readonly page: WebPage;
  readonly section: string;
  readonly label: string;
}

export interface ParamDef {
  /** The P-number. */
  readonly id: number;
  /** A stable identifier in camelCase, e.g. `fxs.primarySipServer`. */
  readonly name: string;
  readonly type: ParamType;
  /** The HT813 default, as the string the unit stores. */
  readonly default: string;
  /** Lowest web level allowed to change it (`user` = Basic Settings). */
  readonly level: 'admin' | 'user';
  /** Passwords, PINs, private keys: never shown, masked in audit and export. */
  readonly secret?: boolean;
  /** Status entry (firmware version, model, MACs): only the device itself (source `factory`) writes it. */
  readonly readOnly?: boolean;
  /** Takes effect only after a reboot (web UI offers the reboot button; CWMP SetParameterValues Status 1). */
  readonly reboot?: boolean;
  readonly reset: ResetGroup;
  /** Where the web UI shows it; absent = not on any page (internal or status-only). */
  readonly web?: WebPlacement;
  /** SIP profile / port it belongs to: 1 = FXS, 2 = FXO. */
  readonly profile?: 1 | 2;
  /** Why a default or rule was chosen where the reference marks it [?]. */
  readonly note?: string;
}

export interface Change {
  readonly id: number;
  readonly old: string;
  readonly new: string;
}

/** Emitted once per committed batch that changed something. */
export interface ChangeEvent {
  readonly source: Source;
  readonly changes: readonly Change[];
}

export type ParamErrorKind =
  | 'unknown' // no such P-number
  | 'type' // not of the parameter's type (not a number, not a tone string...)
  | 'range' // number outside min..max
  | 'enum' // not one of the allowed values
  | 'length' // longer than maxLength
  | 'charset' // characters the parameter does not accept
  | 'locked' // a write guard refuses this writer (TR-069 AccessList without "Subscriber")
  | 'access' // the writer's level may not change it
  | 'read-only' // a status entry
  | 'duplicate'; // the same P-number twice in one batch with different values

export interface BatchEntryError {
  readonly id: number | string;
  readonly value: string;
  readonly kind: ParamErrorKind;
  /** Names the P-number, the value and the rule, e.g. `P28116=99: must be an integer from 1 to 60`. */
  readonly message: string;
}

/**
 * A check a service adds to every write: the reason `source` may not change P-value `id` now, or
 * undefined. The CWMP service uses it for AccessList (TR-069 A.3.2.4).
 */
export type WriteGuard = (id: number, source: Source) => string | undefined;

/** A batch: ordered [P-number, value] pairs. P-numbers may come as 47, '47' or 'P47'. */
export type BatchInput = ReadonlyArray<readonly [number | string, string]> | Readonly<Record<string, string>>;

export interface ApplyOptions {
  /** The writer's level; default `admin` for every source but `web`, which must say. */
  readonly level?: AccessLevel;
  /**
   * Unknown P-numbers are skipped instead of failing the batch (config files written for other
   * firmware carry them); the skipped numbers are returned in `skipped`.
   */
  readonly skipUnknown?: boolean;
}

export interface ApplyResult {
  readonly ok: boolean;
  readonly errors: readonly BatchEntryError[];
  /** What actually changed (empty when ok is false, or when every value was already set). */
  readonly changes: readonly Change[];
  /** Some changed parameter takes effect only after a reboot. */
  readonly rebootRequired: boolean;
  readonly skipped: readonly string[];
}

export interface AuditRecord {
  readonly seq: number;
  /** ms since epoch */
  readonly time: number;
  readonly source: Source;
  readonly id: number;
  /** Secrets are stored masked (`********`). */
  readonly old: string;
  readonly new: string;
}

export type ChangeListener = (event: ChangeEvent) => void;
