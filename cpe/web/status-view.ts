/**
 * What the STATUS page shows (user guide "Register a SIP Account", figure 10 "Accounts Status";
 * table 4 "HT813 LEDs Pattern"), gathered from the identity, the device and the StatusBoard keys
 * other services provide. Every reading is defensive: a key no service provides yet, or a value of
 * an unexpected shape, shows as "—" rather than failing the page.
 */
import type { DeviceControl, DeviceIdentity, NetworkFacts } from '../service';
import type { StatusBoard } from '../status';

export const NONE = '—';

export type LedLook = 'off' | 'on' | 'slowBlink' | 'fastBlink';
export const LED_NAMES = ['power', 'wan', 'lan', 'fxs', 'fxo'] as const;
export type LedId = (typeof LED_NAMES)[number];

export interface PortStatus {
  readonly port: 'FXS' | 'FXO';
  readonly hook: string;
  readonly userId: string;
  readonly registration: string;
  readonly callState: string;
}

export interface StatusView {
  readonly wanMac: string;
  readonly lanMac: string;
  readonly address: string;
  readonly model: string;
  readonly hardware: string;
  readonly firmware: string;
  readonly serial: string;
  readonly uptime: string;
  readonly bootCount: string;
  readonly ports: readonly PortStatus[];
  readonly provisioning: string;
  readonly firmwareUpgrade: string;
  /** Remote syslog (P207): where, how, and what got through. */
  readonly syslog: string;
  /** The SNMP agent (P21896). */
  readonly snmp: string;
  /** When the unit reboots by itself (P21929), in UTC. */
  readonly nextReboot: string;
  /** The SSH and Telnet consoles (P276, P28120). */
  readonly ssh: string;
  readonly telnet: string;
  readonly leds: Readonly<Record<LedId, LedLook>>;
}

export interface StatusSources {
  readonly identity: DeviceIdentity;
  readonly network: NetworkFacts;
  readonly device: DeviceControl;
  readonly status: StatusBoard;
  readonly now: number;
  /** The accounts' configured SIP user IDs (P35, P735), shown when the SIP service says nothing. */
  readonly userIds?: readonly [string, string];
}

/**
 * The StatusBoard keys read here, by meaning. Providers declare them in their own files
 * (hw/service.ts, voice/accounts/sip-service.ts, voice/calls/calls-service.ts,
 * provision/provision-status.ts); they are read through an untyped view so the page neither
 * depends on those services running nor breaks when a shape changes.
 */
export const STATUS_KEYS = {
  accounts: 'sip.accounts',
  leds: 'hw.leds',
  fxsHook: 'hw.fxs.hook',
  fxoState: 'hw.fxo.state',
  calls: 'voice.calls',
  fxoCalls: 'voice.fxo',
  provisioning: 'provision.lastConfig',
  firmware: 'provision.lastFirmware',
  syslog: 'syslog',
  snmp: 'snmp',
  nextReboot: 'maintenance.nextReboot',
  consoles: 'mgmt',
} as const;

type Loose = { get(key: string): unknown };

export function collectStatus(src: StatusSources): StatusView {
  const board = src.status as unknown as Loose;
  const read = (key: string): unknown => {
    try {
      return board.get(key);
    } catch {
      return undefined;
    }
  };
  const accounts = read(STATUS_KEYS.accounts);
  const calls = read(STATUS_KEYS.calls);
  const ports: PortStatus[] = (['FXS', 'FXO'] as const).map((port, i) => {
    const acc = accountFor(accounts, i + 1);
    const hookRaw = port === 'FXS' ? read(STATUS_KEYS.fxsHook) : read(STATUS_KEYS.fxoState);
    return {
      port,
      hook: hookText(hookRaw),
      userId: text(field(acc, 'userId') ?? field(acc, 'user') ?? src.userIds?.[i]),
      registration: registrationText(acc),
      callState: port === 'FXO' ? gatewayText(read(STATUS_KEYS.fxoCalls)) ?? callText(accountFor(calls, 2) ?? field(calls, 'fxo')) : callText(accountFor(calls, i + 1) ?? field(calls, 'fxs')),
    };
  });
  const registered = ports.map((p) => p.registration === 'Registered');
  return {
    wanMac: colonMac(src.identity.mac),
    lanMac: colonMac(src.identity.lanMac),
    address: src.network.address,
    model: src.identity.model,
    hardware: src.identity.hardwareVersion,
    firmware: src.identity.firmwareVersion,
    serial: src.identity.serialNumber,
    uptime: uptimeText(src.now - src.device.bootTime()),
    bootCount: String(src.device.bootCount()),
    ports,
    provisioning: attemptText(read(STATUS_KEYS.provisioning)),
    firmwareUpgrade: attemptText(read(STATUS_KEYS.firmware)),
    syslog: syslogText(read(STATUS_KEYS.syslog)),
    snmp: snmpText(read(STATUS_KEYS.snmp)),
    nextReboot: rebootText(read(STATUS_KEYS.nextReboot)),
    ssh: listenerText(field(read(STATUS_KEYS.consoles), 'ssh')),
    telnet: listenerText(field(read(STATUS_KEYS.consoles), 'telnet')),
    leds: ledsFrom(read(STATUS_KEYS.leds), registered),
  };
}

/** 'syslog': `{ state, server, protocol, sent, dropped, lastError }` → "Up · udp 10.0.0.9:514 · 12 sent, 0 dropped". */
function syslogText(v: unknown): string {
  const state = field(v, 'state');
  if (typeof state !== 'string') return NONE;
  if (state === 'off') return 'Off';
  const server = field(v, 'server');
  const protocol = field(v, 'protocol');
  const where = typeof server === 'string' ? ` · ${typeof protocol === 'string' ? `${protocol.toUpperCase()} ` : ''}${server}` : '';
  const error = field(v, 'lastError');
  return `${state}${where} · ${text(field(v, 'sent'))} sent, ${text(field(v, 'dropped'))} dropped${typeof error === 'string' && error !== '' ? ` (${error})` : ''}`;
}

/** 'snmp': `{ state, port, version, traps }` → "Listening on 161 (v2c) · traps to 10.0.0.9:162". */
function snmpText(v: unknown): string {
  const state = field(v, 'state');
  if (typeof state !== 'string') return NONE;
  if (state === 'off') return 'Off';
  const error = field(v, 'lastError');
  if (state !== 'listening') return `${state}${typeof error === 'string' ? ` (${error})` : ''}`;
  const version = field(v, 'version');
  const traps = field(field(v, 'traps'), 'destination');
  return `Listening on ${text(field(v, 'port'))}${typeof version === 'string' ? ` (${version})` : ''}${typeof traps === 'string' ? ` · traps to ${traps}` : ''}`;
}

/** A console listener (`{ state, port, sessions, lastError }`) → "Listening on 22 · 1 session". */
function listenerText(v: unknown): string {
  const state = field(v, 'state');
  if (typeof state !== 'string') return NONE;
  if (state === 'off') return 'Off';
  const error = field(v, 'lastError');
  if (state !== 'listening') return `${state}${typeof error === 'string' ? ` (${error})` : ''}`;
  const n = field(v, 'sessions');
  return `Listening on ${text(field(v, 'port'))}${typeof n === 'number' && n > 0 ? ` · ${n} session${n === 1 ? '' : 's'}` : ''}`;
}

function rebootText(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? new Date(v).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC') : 'Off';
}

export function colonMac(mac: string): string {
  return (mac.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

export function uptimeText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${d > 0 ? `${d} day${d === 1 ? '' : 's'} ` : ''}${hh}:${mm}:${ss}`;
}

function field(obj: unknown, name: string): unknown {
  return obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>)[name] : undefined;
}

function text(v: unknown): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return NONE;
}

/**
 * An account's (or call's) status by profile (1 = FXS, 2 = FXO): from an array (by its `account`,
 * `profile` or `port` field, else by position) or a record keyed by profile.
 */
function accountFor(all: unknown, profile: number): unknown {
  if (Array.isArray(all)) {
    const port = profile === 1 ? 'FXS' : 'FXO';
    const byField = all.find(
      (a) => field(a, 'account') === profile || field(a, 'profile') === profile || field(a, 'line') === profile || field(a, 'port') === port,
    );
    return byField ?? all[profile - 1];
  }
  return field(all, String(profile));
}

function registrationText(acc: unknown): string {
  if (acc === undefined) return NONE;
  const state = field(acc, 'state');
  if (state === 'registered' || field(acc, 'registered') === true) return 'Registered';
  const reason = field(acc, 'reason');
  const detail = [state, reason].filter((x): x is string => typeof x === 'string' && x !== '');
  return detail.length > 0 ? `Not Registered (${detail.join(': ')})` : 'Not Registered';
}

const HOOK_WORDS: Readonly<Record<string, string>> = {
  onHook: 'On Hook',
  offHook: 'Off Hook',
  idle: 'Idle',
  ringing: 'Ringing',
  seized: 'In Use',
  dialing: 'Dialing',
  connected: 'In Use',
  disconnected: 'Not Connected',
};

function hookText(v: unknown): string {
  const s = typeof v === 'string' ? v : field(v, 'hook') ?? field(v, 'state');
  return typeof s === 'string' ? (HOOK_WORDS[s] ?? s) : NONE;
}

/** A line's call state (TR-104 CallState of 'voice.calls': Idle, Calling, InCall...), with the far end when known. */
function callText(v: unknown): string {
  if (typeof v === 'string') return v || 'Idle';
  const s = field(v, 'callState') ?? field(v, 'state');
  if (typeof s !== 'string') return NONE;
  const calls = field(v, 'calls');
  const first: unknown = Array.isArray(calls) ? calls[0] : undefined;
  const peer = field(first, 'remote') ?? field(v, 'remote');
  const secure = field(first, 'srtp') === true ? ' · SRTP' : '';
  const fax = field(first, 'fax') === true ? ' · Fax pass-through' : '';
  return (typeof peer === 'string' && peer !== '' ? `${s} (${peer})` : s) + secure + fax;
}

/** The FXO gateway's state ('voice.fxo': `{ state, direction, remote, srtp, fax }`) in TR-104 words; undefined when not provided. */
const GATEWAY_WORDS: Readonly<Record<string, string>> = {
  idle: 'Idle',
  voipPin: 'Connecting (PIN)',
  pstnPin: 'Connecting (PIN)',
  pstnDigits: 'Connecting (dialing)',
  pstnCalling: 'Calling',
  bridged: 'InCall',
  local: 'InCall',
  failing: 'Disconnecting',
};

function gatewayText(v: unknown): string | undefined {
  const s = field(v, 'state');
  if (typeof s !== 'string') return undefined;
  const words = GATEWAY_WORDS[s] ?? s;
  const dir = field(v, 'direction');
  const how = dir === 'voipToPstn' ? 'VoIP → PSTN' : dir === 'pstnToVoip' ? 'PSTN → VoIP' : dir === 'local' ? 'phone on the line' : '';
  const peer = field(v, 'remote');
  const parts = [how, typeof peer === 'string' && peer !== '' ? peer : ''].filter((x) => x !== '');
  return `${words}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}${field(v, 'srtp') === true ? ' · SRTP' : ''}${field(v, 'fax') === true ? ' · Fax pass-through' : ''}`;
}

/** The last provisioning or firmware attempt: `{ time, url, result, reason }` or a plain string. */
function attemptText(v: unknown): string {
  if (typeof v === 'string') return v || NONE;
  if (v === null || typeof v !== 'object') return NONE;
  const parts: string[] = [];
  const time = field(v, 'time');
  if (typeof time === 'number' && Number.isFinite(time)) parts.push(`${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
  const result = field(v, 'result') ?? field(v, 'outcome');
  if (typeof result === 'string') parts.push(result);
  const url = field(v, 'url');
  if (typeof url === 'string' && url !== '') parts.push(url);
  const reason = field(v, 'reason');
  if (typeof reason === 'string' && reason !== '') parts.push(reason);
  return parts.length > 0 ? parts.join(' · ') : NONE;
}

/**
 * The LED panel: what the line hardware reports (`hw.leds`), else what the guide's table 4 derives
 * from what is known here (power on while running, FXS/FXO lit when their account is registered).
 */
function ledsFrom(v: unknown, registered: readonly boolean[]): Record<LedId, LedLook> {
  const out: Record<LedId, LedLook> = { power: 'on', wan: 'on', lan: 'off', fxs: registered[0] ? 'on' : 'off', fxo: registered[1] ? 'on' : 'off' };
  for (const name of LED_NAMES) {
    const p = field(v, name);
    if (p === 'off' || p === 'on' || p === 'slowBlink' || p === 'fastBlink') out[name] = p;
  }
  return out;
}
