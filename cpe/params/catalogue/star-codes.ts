/**
 * Configurable star codes (reference §1.9): profile 1 codes P24000-P24036, feature switches
 * P24059-P24085, reset P24199; profile 2 the same at +200. Codes are digits without the `*`.
 * They apply when P191 (call features) is on.
 */
import type { ParamDef } from '../types';
import { bool, maker, str } from './builders';

const NOTE = 'HT81x 1.0.19.11 numbering; not in the HT813 1.0.7.1 template (reference §1.9 [?]).';

interface StarCode {
  readonly key: string;
  /** Offset of the code from P24000. */
  readonly at: number;
  readonly code: string;
  readonly label: string;
}

interface StarFeature {
  readonly key: string;
  /** Offset of the feature switch from P24000. */
  readonly enable: number;
  readonly label: string;
  readonly codes: readonly StarCode[];
}

const c = (key: string, at: number, code: string, label: string): StarCode => ({ key, at, code, label });

export const STAR_FEATURES: readonly StarFeature[] = [
  { key: 'forcedCodec', enable: 59, label: 'Forced Codec', codes: [c('forcedCodec', 0, '02', 'Force a Codec for the Call')] },
  { key: 'srtp', enable: 60, label: 'SRTP', codes: [c('srtpOn', 1, '16', 'Enable SRTP'), c('srtpOff', 2, '17', 'Disable SRTP')] },
  {
    key: 'srtpPerCall',
    enable: 61,
    label: 'SRTP per Call',
    codes: [c('srtpOnPerCall', 3, '18', 'Enable SRTP for One Call'), c('srtpOffPerCall', 4, '19', 'Disable SRTP for One Call')],
  },
  {
    key: 'callerId',
    enable: 62,
    label: 'Caller ID',
    codes: [c('callerIdBlock', 5, '30', 'Block Caller ID'), c('callerIdSend', 6, '31', 'Send Caller ID')],
  },
  { key: 'directIp', enable: 63, label: 'Direct IP Call', codes: [c('directIp', 7, '47', 'Direct IP Call')] },
  {
    key: 'callWaiting',
    enable: 64,
    label: 'Call Waiting',
    codes: [c('callWaitingOff', 8, '50', 'Disable Call Waiting'), c('callWaitingOn', 9, '51', 'Enable Call Waiting')],
  },
  {
    key: 'callerIdPerCall',
    enable: 65,
    label: 'Caller ID per Call',
    codes: [
      c('callerIdBlockPerCall', 10, '67', 'Block Caller ID for One Call'),
      c('callerIdSendPerCall', 19, '82', 'Send Caller ID for One Call'),
    ],
  },
  { key: 'callReturn', enable: 66, label: 'Call Return', codes: [c('callReturn', 11, '69', 'Call Return')] },
  {
    key: 'callWaitingPerCall',
    enable: 67,
    label: 'Call Waiting per Call',
    codes: [
      c('callWaitingOffPerCall', 12, '70', 'Disable Call Waiting for One Call'),
      c('callWaitingOnPerCall', 13, '71', 'Enable Call Waiting for One Call'),
    ],
  },
  {
    key: 'forwardAll',
    enable: 68,
    label: 'Unconditional Forward',
    codes: [c('forwardAllOn', 14, '72', 'Set Unconditional Forward'), c('forwardAllOff', 15, '73', 'Cancel Unconditional Forward')],
  },
  { key: 'paging', enable: 69, label: 'Paging', codes: [c('paging', 16, '74', 'Paging Call')] },
  { key: 'dnd', enable: 70, label: 'Do Not Disturb', codes: [c('dndOn', 17, '78', 'Enable DND'), c('dndOff', 18, '79', 'Disable DND')] },
  { key: 'blindTransfer', enable: 71, label: 'Blind Transfer', codes: [c('blindTransfer', 20, '87', 'Blind Transfer')] },
  {
    key: 'forwardBusy',
    enable: 72,
    label: 'Busy Forward',
    codes: [c('forwardBusyOn', 21, '90', 'Set Busy Forward'), c('forwardBusyOff', 22, '91', 'Cancel Busy Forward')],
  },
  {
    key: 'forwardNoAnswer',
    enable: 73,
    label: 'Delayed Forward',
    codes: [c('forwardNoAnswerOn', 23, '92', 'Set Delayed Forward'), c('forwardNoAnswerOff', 24, '93', 'Cancel Delayed Forward')],
  },
  { key: 'lecOffPerCall', enable: 74, label: 'Disable LEC per Call', codes: [c('lecOffPerCall', 25, '03', 'Disable LEC for One Call')] },
  { key: 'conference', enable: 75, label: '3-Way Conference', codes: [c('conference', 26, '23', '3-Way Conference')] },
  { key: 'codecPcmu', enable: 76, label: 'PCMU Suffix', codes: [c('codecPcmu', 27, '7110', 'Forced Codec Suffix: PCMU')] },
  { key: 'codecPcma', enable: 77, label: 'PCMA Suffix', codes: [c('codecPcma', 28, '7111', 'Forced Codec Suffix: PCMA')] },
  { key: 'codecG723', enable: 78, label: 'G.723 Suffix', codes: [c('codecG723', 29, '723', 'Forced Codec Suffix: G.723')] },
  { key: 'codecG729', enable: 79, label: 'G.729 Suffix', codes: [c('codecG729', 30, '729', 'Forced Codec Suffix: G.729')] },
  { key: 'codecIlbc', enable: 84, label: 'iLBC Suffix', codes: [c('codecIlbc', 35, '7201', 'Forced Codec Suffix: iLBC')] },
  { key: 'codecG722', enable: 85, label: 'G.722 Suffix', codes: [c('codecG722', 36, '722', 'Forced Codec Suffix: G.722')] },
];

/** Reset-call-features switch offset (P24199 / P24399). */
const RESET_AT = 199;
/** Profile 2 numbers are profile 1 + 200. */
export const STAR_PROFILE_OFFSET = 200;

const voip = maker({ reset: 'voip' });

function forProfile(p: 1 | 2): ParamDef[] {
  const base = 24000 + (p - 1) * STAR_PROFILE_OFFSET;
  const page = p === 1 ? 'fxs' : 'fxo';
  const area = `star${p}`;
  const web = (label: string) => ({ page, section: 'Star Codes', label }) as const;
  const opts = { profile: p, note: NOTE } as const;
  return [
    voip(base + RESET_AT, `${area}.resetToDefaults`, bool(), '0', { ...opts, web: web('Reset Star Codes to Defaults') }),
    ...STAR_FEATURES.flatMap((f) => [
      voip(base + f.enable, `${area}.${f.key}Enabled`, bool(), '1', { ...opts, web: web(`${f.label}: Enabled`) }),
      ...f.codes.map((code) => voip(base + code.at, `${area}.${code.key}`, str(8, 'digits'), code.code, { ...opts, web: web(code.label) })),
    ]),
  ];
}

export const STAR_CODES: readonly ParamDef[] = [...forProfile(1), ...forProfile(2)];
