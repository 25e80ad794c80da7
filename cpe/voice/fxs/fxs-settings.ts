/**
 * The FXS line's P-values (profile 1, reference §1.5–§1.7), read at the moment they are used
 * (off-hook, incoming call, flash): never cached past a change notification.
 */

import { starCodeTable, type StarCodeKind, type StarCodeTable } from '../features/star-codes';
import type { SrtpMode } from '../sdp/srtp-negotiation';

/** Anything with the store's `get` (ParamStore satisfies it; tests pass a Map with defaults). */
export interface ParamReader {
  get(id: number): string;
}

export interface LineSettings {
  readonly tones: {
    readonly dial: string;
    readonly ringback: string;
    readonly busy: string;
    readonly reorder: string;
    readonly confirmation: string;
    readonly callWaiting: string;
  };
  readonly ringCadence: string;
  readonly dialPlan: string;
  readonly poundIsDialKey: boolean;
  readonly noKeyEntryMs: number;
  readonly prefix: string;
  readonly callFeatures: boolean;
  readonly callWaitingDisabled: boolean;
  readonly callWaitingToneDisabled: boolean;
  readonly callWaitingCallerIdDisabled: boolean;
  readonly anonymousRejection: boolean;
  readonly sendAnonymous: boolean;
  /** 0 = no limit. */
  readonly ringTimeoutMs: number;
  readonly delayedForwardMs: number;
  readonly conferenceDisabled: boolean;
  readonly transferOnConferenceHangup: boolean;
  readonly flashDigitControl: boolean;
  readonly vocoders: readonly string[];
  readonly framesPerTx: number;
  readonly dtmfPayloadType: number;
  readonly dtmfMethods: readonly number[];
  readonly ilbcPayloadType: number;
  readonly opusPayloadType: number;
  readonly ilbcFrame: 0 | 1;
  readonly singleCodecAnswer: boolean;
  /** P101: static-NAT address for SDP ('' none). */
  readonly natIp: string;
  /** P183: 0 disabled, 1 enabled but not forced, 2 enabled and forced. */
  readonly srtpMode: SrtpMode;
  /** P2363: the key lifetime goes in our crypto lines. */
  readonly srtpLifetime: boolean;
  /** P195: dialed alone, it connects the phone to the PSTN line (the phone then dials on it). */
  readonly pstnAccessCode: string;
  readonly offHookAutoDial: string;
  readonly offHookAutoDialDelayMs: number;
  /** The active star codes: empty when P191 is off. */
  readonly starCodes: StarCodeTable;
  /** *02 codec suffixes (digits → SDP encoding name). */
  readonly codecSuffixes: ReadonlyMap<string, string>;
}

/** HT81x configurable codes (reference §1.9): [feature, code offset, enable offset] from P24000. */
const STAR_LAYOUT: readonly [StarCodeKind, number, number][] = [
  ['cidBlockOn', 5, 62], ['cidBlockOff', 6, 62], ['directIp', 7, 63], ['cwOff', 8, 64], ['cwOn', 9, 64],
  ['cidBlockCall', 10, 65], ['cidSendCall', 19, 65], ['callReturn', 11, 66], ['cwOffCall', 12, 67], ['cwOnCall', 13, 67],
  ['forwardAllOn', 14, 68], ['forwardAllOff', 15, 68], ['dndOn', 17, 70], ['dndOff', 18, 70], ['blindTransfer', 20, 71],
  ['forwardBusyOn', 21, 72], ['forwardBusyOff', 22, 72], ['forwardNoAnswerOn', 23, 73], ['forwardNoAnswerOff', 24, 73],
  ['forcedCodec', 0, 59], ['pagingCall', 16, 69], ['lecOffCall', 25, 74],
  ['srtpOn', 1, 60], ['srtpOff', 2, 60], ['srtpOnCall', 3, 61], ['srtpOffCall', 4, 61], ['conferenceCall', 26, 75],
];

/** *02 codec suffixes: [code offset, enable offset, encoding] from P24000 (catalogue star-codes.ts). */
const SUFFIX_LAYOUT: readonly [number, number, string][] = [
  [27, 76, 'PCMU'], [28, 77, 'PCMA'], [29, 78, 'G723'], [30, 79, 'G729'], [35, 84, 'iLBC'], [36, 85, 'G722'],
];

const STAR_DEFAULTS: Readonly<Record<number, string>> = {
  5: '30', 6: '31', 7: '47', 8: '50', 9: '51', 10: '67', 19: '82', 11: '69', 12: '70', 13: '71',
  14: '72', 15: '73', 17: '78', 18: '79', 20: '87', 21: '90', 22: '91', 23: '92', 24: '93',
  0: '02', 16: '74', 25: '03', 1: '16', 2: '17', 3: '18', 4: '19', 26: '23', 27: '7110', 28: '7111', 29: '723', 30: '729', 35: '7201', 36: '722',
};

function readCodecSuffixes(p: ParamReader): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const [at, enable, encoding] of SUFFIX_LAYOUT) {
    if (!bool(p, 24000 + enable, true)) continue;
    const digits = str(p, 24000 + at, STAR_DEFAULTS[at] ?? '');
    if (/^[0-9]+$/.test(digits) && !out.has(digits)) out.set(digits, encoding);
  }
  return out;
}

function readStarCodes(p: ParamReader, enabled: boolean): StarCodeTable {
  if (!enabled) return new Map();
  const codes: Partial<Record<StarCodeKind, string>> = {};
  for (const [kind, at, enable] of STAR_LAYOUT) {
    if (!bool(p, 24000 + enable, true)) continue;
    codes[kind] = str(p, 24000 + at, STAR_DEFAULTS[at] ?? '');
  }
  return starCodeTable(codes);
}

/** A numeric P-value; `fallback` (the HT813 default) when it is absent, empty or not a number. */
export function num(p: ParamReader, id: number, fallback: number): number {
  let v: string;
  try {
    v = p.get(id);
  } catch {
    return fallback; // not in the catalogue (yet): the HT813 default
  }
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : fallback;
}

/** A P-value as text; `fallback` when the reader does not have it. */
export function str(p: ParamReader, id: number, fallback: string): string {
  try {
    return p.get(id);
  } catch {
    return fallback;
  }
}

/** A 0/1 P-value. */
export const bool = (p: ParamReader, id: number, fallback: boolean): boolean => num(p, id, fallback ? 1 : 0) === 1;

/** HT813 defaults (reference §1.5–§1.7) stand in for P-values a catalogue lacks. */
export function readLineSettings(p: ParamReader): LineSettings {
  return {
    tones: {
      dial: str(p, 4000, 'f1=350@-17,f2=440@-17,c=0/0;'),
      ringback: str(p, 4001, 'f1=440@-17,f2=480@-17,c=2000/4000;'),
      busy: str(p, 4002, 'f1=480@-21,f2=620@-21,c=500/500;'),
      reorder: str(p, 4003, 'f1=480@-21,f2=620@-21,c=250/250;'),
      confirmation: str(p, 4004, 'f1=350@-11,f2=440@-11,c=100/100-100/100-100/100;'),
      callWaiting: str(p, 4005, 'f1=440@-13,c=300/10000;'),
    },
    ringCadence: str(p, 4040, 'c=2000/4000;'),
    dialPlan: str(p, 4200, '{ x+ | \\+x+ | *x+ | *xx*x+ }'),
    poundIsDialKey: bool(p, 72, true),
    noKeyEntryMs: num(p, 85, 4) * 1000,
    prefix: str(p, 66, ''),
    callFeatures: bool(p, 191, true),
    callWaitingDisabled: bool(p, 91, false),
    callWaitingToneDisabled: bool(p, 186, false),
    callWaitingCallerIdDisabled: bool(p, 714, false),
    anonymousRejection: bool(p, 129, false),
    sendAnonymous: bool(p, 65, false),
    ringTimeoutMs: num(p, 185, 60) * 1000,
    delayedForwardMs: num(p, 139, 20) * 1000,
    conferenceDisabled: bool(p, 4830, false),
    transferOnConferenceHangup: bool(p, 4560, false),
    flashDigitControl: bool(p, 28080, false),
    vocoders: [57, 58, 59, 60, 61, 62, 46].map((id, i) => str(p, id, ['0', '8', '4', '18', '2', '97', '123'][i] as string)),
    framesPerTx: num(p, 37, 2),
    dtmfPayloadType: num(p, 79, 101),
    dtmfMethods: [850, 851, 852].map((id, i) => num(p, id, [101, 102, 100][i] as number)),
    ilbcPayloadType: num(p, 96, 97),
    opusPayloadType: num(p, 2385, 123),
    ilbcFrame: num(p, 97, 0) === 1 ? 1 : 0,
    singleCodecAnswer: bool(p, 4363, false),
    natIp: str(p, 101, '').trim(),
    srtpMode: (['off', 'optional', 'forced'] as const)[num(p, 183, 0)] ?? 'off',
    srtpLifetime: bool(p, 2363, true),
    pstnAccessCode: str(p, 195, '*00').trim(),
    offHookAutoDial: str(p, 71, ''),
    offHookAutoDialDelayMs: num(p, 4045, 0) * 1000,
    starCodes: readStarCodes(p, bool(p, 191, true)),
    codecSuffixes: readCodecSuffixes(p),
  };
}

/** The stutter dial tone for message waiting: the dial tone's frequencies, interrupted 100/100 ms. */
export function stutterTone(dialTone: string): string {
  const freqs = dialTone.replace(/;\s*$/, '').split(',').filter((part) => !/^\s*c=/.test(part));
  return `${freqs.join(',')},c=100/100;`;
}
