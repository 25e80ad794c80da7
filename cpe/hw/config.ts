/**
 * The line hardware's settings, read from the P-value store into plain objects (so the state
 * machines are tested without a store). P-values: reference §1.5 (tones, cadences), §1.6 (FXS),
 * §1.7 (caller-ID scheme per port), §1.8 (FXO), §1.2 (P891 lifeline).
 */
import type { ParamStore } from '../params/store';
import type { HookTimings, PulseStandard } from './hook-detector';
import type { LifelineMode } from './types';

export interface FxsConfig {
  readonly hook: HookTimings;
  /** P4040 system ring cadence. */
  readonly systemRing: string;
  /** P4010-P4019 ring tones 1-10. */
  readonly ringTones: readonly string[];
  /** P870/871, P872/873, P874/875: ring tone index 0-9 when the caller number equals the string. */
  readonly distinctive: readonly { readonly ringTone: number; readonly callerId: string }[];
  /** P853. */
  readonly cidScheme: number;
  /** P4661 / P4662 (0 default, 1 A, 2 B, 3 C, 4 D, 5 #). */
  readonly dtmfCidStart: number;
  readonly dtmfCidStop: number;
  /** P205. */
  readonly polarityReversal: boolean;
  /** P892 / P856 / P21925. */
  readonly loopCurrentDisconnect: boolean;
  readonly loopCurrentDisconnectMs: number;
  readonly busyBeforeDisconnect: boolean;
  /** P855 (disable) inverted; P4371 1 FSK, 2 NEON. */
  readonly visualMwi: boolean;
  readonly visualMwiType: 'fsk' | 'neon';
  /** P4429 ring frequency, Hz (20 or 25). */
  readonly ringHz: number;
  /** P4002, played before a loop-current disconnect when P21925 asks for it. */
  readonly busyTone: string;
  /** P247 / P249 gain step indexes: TX = phone → network, RX = network → phone (voice path only). */
  readonly txGain: number;
  readonly rxGain: number;
}

export interface FxoConfig {
  /** P863 caller-ID scheme expected on the PSTN line. */
  readonly cidScheme: number;
  /** P845 / P846 / P847. */
  readonly fskMinDbm0: number;
  readonly fskSeizureBits: number;
  readonly fskMarkBits: number;
  /** P3300 / P3302. */
  readonly dtmfDigitMs: number;
  readonly dtmfPauseMs: number;
  /** P712 / P841. */
  readonly disconnectToneDetection: boolean;
  readonly disconnectTone: string;
  /** P28101. */
  readonly polarityDetection: boolean;
  /** P893 / P764. */
  readonly currentDisconnect: boolean;
  readonly currentDisconnectMs: number;
  /** P838 (P837, whether to forward flash at all, is the voice layer's decision). */
  readonly flashMs: number;
  /** P3630 s. */
  readonly ringTimeoutS: number;
  /** P248 / P283 gain step indexes: TX = network → PSTN, RX = PSTN → network (voice path only). */
  readonly txGain: number;
  readonly rxGain: number;
  /** P4000: the dial tone the FXO port recognises on the line (our choice: the unit's own dial tone string). */
  readonly dialTone: string;
}

export const DEFAULT_FXS_CONFIG: FxsConfig = {
  hook: { flashEnabled: true, flashMinMs: 300, flashMaxMs: 1100, onHookMs: 400, pulseEnabled: false, pulseStandard: 'general' },
  systemRing: 'c=2000/4000;',
  ringTones: Array.from({ length: 10 }, () => 'c=2000/4000;'),
  distinctive: [0, 1, 2].map(() => ({ ringTone: 0, callerId: '' })),
  cidScheme: 0,
  dtmfCidStart: 0,
  dtmfCidStop: 0,
  polarityReversal: false,
  loopCurrentDisconnect: false,
  loopCurrentDisconnectMs: 200,
  busyBeforeDisconnect: false,
  visualMwi: true,
  visualMwiType: 'fsk',
  busyTone: 'f1=480@-21,f2=620@-21,c=500/500;',
  ringHz: 20,
  txGain: 0,
  rxGain: 6,
};

export const DEFAULT_FXO_CONFIG: FxoConfig = {
  cidScheme: 0,
  fskMinDbm0: -40,
  fskSeizureBits: 70,
  fskMarkBits: 40,
  dtmfDigitMs: 100,
  dtmfPauseMs: 100,
  disconnectToneDetection: false,
  disconnectTone: 'f1=480@-32,f2=620@-32,c=500/500;',
  polarityDetection: false,
  currentDisconnect: true,
  currentDisconnectMs: 100,
  flashMs: 600,
  ringTimeoutS: 6,
  txGain: 0,
  rxGain: 0,
  dialTone: 'f1=350@-17,f2=440@-17,c=0/0;',
};

const PULSE: readonly PulseStandard[] = ['general', 'swedish', 'nz'];

export function readFxsConfig(store: ParamStore): FxsConfig {
  const int = (id: number): number => store.getInt(id);
  const bool = (id: number): boolean => store.getBool(id);
  return {
    hook: {
      flashEnabled: bool(4424),
      flashMinMs: int(251),
      flashMaxMs: int(252),
      onHookMs: int(833),
      pulseEnabled: bool(20521),
      pulseStandard: PULSE[int(28165)] ?? 'general',
    },
    systemRing: store.get(4040),
    ringTones: Array.from({ length: 10 }, (_, i) => store.get(4010 + i)),
    distinctive: [870, 872, 874].map((id) => ({ ringTone: int(id), callerId: store.get(id + 1) })),
    cidScheme: int(853),
    dtmfCidStart: int(4661),
    dtmfCidStop: int(4662),
    polarityReversal: bool(205),
    loopCurrentDisconnect: bool(892),
    loopCurrentDisconnectMs: int(856),
    busyBeforeDisconnect: bool(21925),
    visualMwi: !bool(855),
    visualMwiType: int(4371) === 2 ? 'neon' : 'fsk',
    busyTone: store.get(4002),
    ringHz: int(4429) === 25 ? 25 : 20,
    txGain: int(247),
    rxGain: int(249),
  };
}

export function readFxoConfig(store: ParamStore): FxoConfig {
  const int = (id: number): number => store.getInt(id);
  const bool = (id: number): boolean => store.getBool(id);
  return {
    cidScheme: int(863),
    fskMinDbm0: int(845),
    fskSeizureBits: int(846),
    fskMarkBits: int(847),
    dtmfDigitMs: int(3300),
    dtmfPauseMs: int(3302),
    disconnectToneDetection: bool(712),
    disconnectTone: store.get(841),
    polarityDetection: bool(28101),
    currentDisconnect: bool(893),
    currentDisconnectMs: int(764),
    flashMs: int(838),
    ringTimeoutS: int(3630),
    txGain: int(248),
    rxGain: int(283),
    dialTone: store.get(4000),
  };
}

export function readLifelineMode(store: ParamStore): LifelineMode {
  switch (store.get(891)) {
    case '1':
      return 'alwaysDisconnected';
    case '2':
      return 'alwaysConnected';
    default:
      return 'auto';
  }
}

/** P-values whose change reconfigures the FXS port / FXO port / relay. */
export const FXS_PARAMS: ReadonlySet<number> = new Set([
  4424, 251, 252, 833, 20521, 28165, 4040, 4010, 4011, 4012, 4013, 4014, 4015, 4016, 4017, 4018, 4019, 870, 871, 872, 873,
  874, 875, 853, 4661, 4662, 205, 892, 856, 21925, 855, 4371, 4002, 247, 249, 4429,
]);
export const FXO_PARAMS: ReadonlySet<number> = new Set([863, 845, 846, 847, 3300, 3302, 712, 841, 28101, 893, 764, 838, 3630, 4000, 248, 283]);
export const LIFELINE_PARAMS: ReadonlySet<number> = new Set([891]);
