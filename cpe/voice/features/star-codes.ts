/**
 * The local star codes of one line (reference §1.9 defaults; user guide "CALL FEATURES" table 6),
 * active only while P191 "Enable Call Features" is set (codes configurable in P24000+, HT81x). A pure classifier over the digits dialed
 * so far: it says whether the digits are a feature code, whether it is complete, and what it
 * carries. Codes not listed here (server feature codes like *98) are dialed as numbers.
 */

export type StarCodeKind =
  | 'cidBlockOn' // *30 block caller ID for all subsequent calls
  | 'cidBlockOff' // *31
  | 'directIp' // *47 + encoded address
  | 'cwOff' // *50
  | 'cwOn' // *51
  | 'cidBlockCall' // *67 + number
  | 'callReturn' // *69
  | 'cwOffCall' // *70 + number
  | 'cwOnCall' // *71 + number
  | 'forwardAllOn' // *72 + number #
  | 'forwardAllOff' // *73
  | 'dndOn' // *78
  | 'dndOff' // *79
  | 'cidSendCall' // *82 + number
  | 'blindTransfer' // *87 + number
  | 'forwardBusyOn' // *90 + number #
  | 'forwardBusyOff' // *91
  | 'forwardNoAnswerOn' // *92 + number #
  | 'forwardNoAnswerOff' // *93
  | 'forcedCodec' // *02 + codec suffix + number
  | 'lecOffCall' // *03 + number
  | 'pagingCall' // *74 + number
  | 'srtpOn' // *16 SRTP for all subsequent calls
  | 'srtpOff' // *17
  | 'srtpOnCall' // *18 + number
  | 'srtpOffCall' // *19 + number
  | 'conferenceCall'; // *23 + number: 3-way conference with the held call once it answers

/** How the digits after the code are used. */
export type ArgKind = 'none' | 'number' | 'address';

export const ARG_OF: Readonly<Record<StarCodeKind, ArgKind>> = {
  cidBlockOn: 'none',
  cidBlockOff: 'none',
  directIp: 'address',
  cwOff: 'none',
  cwOn: 'none',
  cidBlockCall: 'number',
  callReturn: 'none',
  cwOffCall: 'number',
  cwOnCall: 'number',
  forwardAllOn: 'number',
  forwardAllOff: 'none',
  dndOn: 'none',
  dndOff: 'none',
  cidSendCall: 'number',
  blindTransfer: 'number',
  forwardBusyOn: 'number',
  forwardBusyOff: 'none',
  forwardNoAnswerOn: 'number',
  forwardNoAnswerOff: 'none',
  forcedCodec: 'number',
  lecOffCall: 'number',
  pagingCall: 'number',
  srtpOn: 'none',
  srtpOff: 'none',
  srtpOnCall: 'number',
  srtpOffCall: 'number',
  conferenceCall: 'number',
};

/** Reference §1.9 default codes (digits after the `*`). */
export const DEFAULT_STAR_CODES: Readonly<Record<StarCodeKind, string>> = {
  cidBlockOn: '30',
  cidBlockOff: '31',
  directIp: '47',
  cwOff: '50',
  cwOn: '51',
  cidBlockCall: '67',
  callReturn: '69',
  cwOffCall: '70',
  cwOnCall: '71',
  forwardAllOn: '72',
  forwardAllOff: '73',
  dndOn: '78',
  dndOff: '79',
  cidSendCall: '82',
  blindTransfer: '87',
  forwardBusyOn: '90',
  forwardBusyOff: '91',
  forwardNoAnswerOn: '92',
  forwardNoAnswerOff: '93',
  forcedCodec: '02',
  lecOffCall: '03',
  pagingCall: '74',
  srtpOn: '16',
  srtpOff: '17',
  srtpOnCall: '18',
  srtpOffCall: '19',
  conferenceCall: '23',
};

/** User guide table 6 *02 suffixes (reference §1.9 defaults): digits → SDP encoding name. */
export const DEFAULT_CODEC_SUFFIXES: ReadonlyMap<string, string> = new Map([
  ['7110', 'PCMU'], ['7111', 'PCMA'], ['723', 'G723'], ['729', 'G729'], ['7201', 'iLBC'], ['722', 'G722'],
]);

export type CodecSuffixMatch =
  | { readonly status: 'prefix' }
  | { readonly status: 'none' }
  | { readonly status: 'found'; readonly encoding: string; readonly number: string };

/** Splits the digits after *02 into the codec suffix and the number to call. */
export function matchCodecSuffix(arg: string, suffixes: ReadonlyMap<string, string>): CodecSuffixMatch {
  let prefix = false;
  for (const [digits, encoding] of suffixes) {
    if (arg.startsWith(digits)) return { status: 'found', encoding, number: arg.slice(digits.length) };
    if (digits.startsWith(arg)) prefix = true;
  }
  return prefix ? { status: 'prefix' } : { status: 'none' };
}

/** The line's active codes: code digits (without `*`) → feature. Empty when P191 is off. */
export type StarCodeTable = ReadonlyMap<string, StarCodeKind>;

export function starCodeTable(codes: Partial<Record<StarCodeKind, string>> = DEFAULT_STAR_CODES): StarCodeTable {
  const out = new Map<string, StarCodeKind>();
  for (const [kind, code] of Object.entries(codes) as [StarCodeKind, string | undefined][]) {
    if (code && /^[0-9]+$/.test(code) && !out.has(code)) out.set(code, kind);
  }
  return out;
}

export type StarCodeMatch =
  /** Not a local feature code: dial the digits through the dial plan. */
  | { readonly status: 'none' }
  /** A prefix of a code (`*`, `*7`): wait for more. */
  | { readonly status: 'prefix' }
  /** A complete code without argument: act now. */
  | { readonly status: 'complete'; readonly kind: StarCodeKind }
  /** A code that takes an argument; `arg` holds the digits after it so far (may be empty). */
  | { readonly status: 'collecting'; readonly kind: StarCodeKind; readonly arg: string; readonly argKind: 'number' | 'address' };

/** Classifies dialed digits against the line's code table; `final` (on `#` or timeout) settles a code that is also a prefix of a longer one. */
export function matchStarCode(digits: string, table: StarCodeTable, final = false): StarCodeMatch {
  if (table.size === 0 || !digits.startsWith('*')) return { status: 'none' };
  const body = digits.slice(1);
  let best: { code: string; kind: StarCodeKind } | undefined;
  let longer = false;
  for (const [code, kind] of table) {
    if (body.startsWith(code) && (!best || code.length > best.code.length)) best = { code, kind };
    if (code.length > body.length && code.startsWith(body)) longer = true;
  }
  if (!best) return longer ? { status: 'prefix' } : { status: 'none' };
  const arg = ARG_OF[best.kind];
  const rest = body.slice(best.code.length);
  if (arg === 'none') {
    if (rest === '') return longer && !final ? { status: 'prefix' } : { status: 'complete', kind: best.kind };
    return { status: 'none' };
  }
  return { status: 'collecting', kind: best.kind, arg: rest, argKind: arg };
}

export interface DirectIpTarget {
  readonly host: string;
  readonly port: number;
}

const DEFAULT_SIP_PORT = 5060;

function octet(s: string): number | undefined {
  if (!/^\d{1,3}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 255 ? n : undefined;
}

function port(s: string): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Decodes a *47 address. Two keyings are accepted:
 *  - the user guide's: `*` for `.` and a fifth `*` for `:` — `192*168*0*160`, `192*168*1*20*5062`;
 *  - the IVR's (reference §6): twelve digits, three per octet, then `*4` + port — `192168001020*45062`.
 * undefined when the digits are neither.
 */
export function decodeDirectIp(arg: string): DirectIpTarget | undefined {
  const parts = arg.split('*');
  if (parts.length === 4 || parts.length === 5) {
    const octets = parts.slice(0, 4).map(octet);
    const p = parts.length === 5 ? port(parts[4] as string) : DEFAULT_SIP_PORT;
    if (octets.every((o) => o !== undefined) && p !== undefined) return { host: octets.join('.'), port: p };
  }
  const twelve = /^(\d{3})(\d{3})(\d{3})(\d{3})(?:\*4(\d{1,5}))?$/.exec(arg);
  if (twelve) {
    const octets = twelve.slice(1, 5).map((s) => octet(s as string));
    const p = twelve[5] === undefined ? DEFAULT_SIP_PORT : port(twelve[5]);
    if (octets.every((o) => o !== undefined) && p !== undefined) return { host: octets.join('.'), port: p };
  }
  return undefined;
}
