/**
 * The two SIP profiles side by side (reference §1.7): profile 1 = FXS port, profile 2 = FXO port.
 * One row per meaning, expanded to two entries by `expand`. Profile 2 is mostly the P7xx block
 * plus irregular offsets, so every row names both numbers explicitly.
 */
import type { ParamDef, ParamType } from '../types';
import { bool, dialplan, enumOf, host, int, ipv4, maker, password, port, str } from './builders';

export interface ProfileRow {
  /** Name after the area prefix: `sip1.`/`sip2.`, or `fxs.`/`fxo.` for analog-line rows. */
  readonly key: string;
  /** [profile 1 (FXS), profile 2 (FXO)]. */
  readonly ids: readonly [number, number];
  readonly type: ParamType;
  /** Profile 2 type where it differs. */
  readonly type2?: ParamType;
  /** One default for both, or [FXS, FXO]. */
  readonly defaults: string | readonly [string, string];
  readonly section: string;
  readonly label: string;
  /** Analog-line setting: `fxs.`/`fxo.` names, reset group `other` instead of `voip`. */
  readonly line?: boolean;
  readonly secret?: boolean;
  readonly note?: string;
}

const ACCOUNT = 'Account';
const SIP = 'SIP Settings';
const NET = 'Network Settings';
const CODEC = 'Codec Settings';
const CALL = 'Call Features';
const TIMER = 'Session Timer';
const LINE = 'Analog Line';

const r = (
  key: string,
  fxs: number,
  fxo: number,
  type: ParamType,
  defaults: string | readonly [string, string],
  section: string,
  label: string,
  extra: Partial<Pick<ProfileRow, 'type2' | 'line' | 'secret' | 'note'>> = {},
): ProfileRow => ({ key, ids: [fxs, fxo], type, defaults, section, label, ...extra });

const DTMF = enumOf([['100', 'In-audio'], ['101', 'RFC 2833'], ['102', 'SIP INFO']]);
/** Payload numbers (reference §1.7); 9 G722 from 1.0.19.x. */
const VOCODER = enumOf([
  ['0', 'PCMU'],
  ['8', 'PCMA'],
  ['4', 'G.723'],
  ['18', 'G.729'],
  ['2', 'G.726-32'],
  ['97', 'iLBC'],
  ['123', 'OPUS'],
  ['9', 'G.722'],
]);
const HEADER_CHOICE = enumOf([['0', 'Default'], ['1', 'No'], ['2', 'Yes']]);
const SPECIAL_FEATURES: ReadonlyArray<readonly [string, string]> = [
  ['100', 'Standard'],
  ['102', 'BroadSoft'],
  ['108', 'CBCOM'],
  ['109', 'RNK'],
  ['111', 'Huawei'],
  ['114', 'ZTE IMS'],
  ['119', 'PhonePower'],
  ['120', 'Telkom SA'],
  ['121', 'Vonage'],
  ['122', 'Metaswitch'],
  ['124', 'CenturyLink'],
  ['126', 'MTS'],
];
const CID_SCHEME = enumOf([
  ['0', 'Bellcore/Telcordia'],
  ['1', 'ETSI-FSK during ringing'],
  ['2', 'ETSI-FSK before ringing with DTAS'],
  ['3', 'ETSI-FSK before ringing with LR and DTAS'],
  ['4', 'ETSI-FSK before ringing with RP'],
  ['5', 'ETSI-DTMF during ringing'],
  ['6', 'ETSI-DTMF before ringing with DTAS'],
  ['7', 'ETSI-DTMF before ringing with LR and DTAS'],
  ['8', 'ETSI-DTMF before ringing with RP'],
  ['9', 'SIN 227 (BT)'],
  ['10', 'NTT Japan'],
  ['11', 'DTMF Denmark, no DTAS, no LR'],
  ['12', 'DTMF Denmark with LR'],
  ['13', 'DTMF Sweden/Finland with LR'],
  ['14', 'DTMF Brazil'],
  ['15', 'DTMF-FSK Brazil'],
]);
const CID_TONE = enumOf([['0', 'Default'], ['1', 'A'], ['2', 'B'], ['3', 'C'], ['4', 'D'], ['5', '#']]);
const GAIN_STEPS: ReadonlyArray<readonly [string, string]> = [
  ['1', '+6 dB'],
  ['2', '+4 dB'],
  ['3', '+2 dB'],
  ['0', '0 dB'],
  ['4', '-2 dB'],
  ['5', '-4 dB'],
  ['6', '-6 dB'],
  ['7', '-8 dB'],
  ['8', '-10 dB'],
  ['9', '-12 dB'],
];
const GAIN = enumOf(GAIN_STEPS);
const GAIN_FXO_RX = enumOf(GAIN_STEPS.slice(0, 7));

export const SIP_PROFILE_ROWS: readonly ProfileRow[] = [
  r('active', 271, 401, bool(), '1', ACCOUNT, 'Account Active'),
  r('primaryServer', 47, 747, host(), '', ACCOUNT, 'Primary SIP Server', {
    note: 'Template placeholder sip.mycompany.com not used; empty until provisioned.',
  }),
  r('failoverServer', 967, 987, host(), '', ACCOUNT, 'Failover SIP Server'),
  r('preferPrimaryServer', 4567, 4568, bool(), '0', ACCOUNT, 'Prefer Primary SIP Server'),
  r('outboundProxy', 48, 748, host(), '', ACCOUNT, 'Outbound Proxy', {
    note: 'Template placeholder proxy.mycompany.com not used; empty until provisioned.',
  }),
  r('backupOutboundProxy', 2333, 2433, host(), '', ACCOUNT, 'Backup Outbound Proxy'),
  r('preferPrimaryProxy', 28096, 28097, bool(), '0', ACCOUNT, 'Prefer Primary Outbound Proxy'),
  r('transport', 130, 830, enumOf([['0', 'UDP'], ['1', 'TCP'], ['2', 'TLS']]), '0', ACCOUNT, 'SIP Transport'),
  r('tlsUriScheme', 2329, 2429, enumOf([['0', 'sip'], ['1', 'sips']]), '1', ACCOUNT, 'URI Scheme over TLS', {
    note: 'Profile-2 number from the HT81x template; the HT813 1.0.7.1 template shows it for FXS only [?].',
  }),
  r('ephemeralPortInContact', 2331, 2431, bool(), '0', ACCOUNT, 'Actual Ephemeral Port in Contact (TCP/TLS)', {
    note: 'Profile-2 number from the HT81x template [?].',
  }),
  r('natTraversal', 52, 730, enumOf([['0', 'No'], ['1', 'STUN'], ['2', 'Keep-alive'], ['3', 'UPnP']]), '0', ACCOUNT, 'NAT Traversal'),
  r('userId', 35, 735, str(64), '', ACCOUNT, 'SIP User ID'),
  r('authId', 36, 736, str(64), '', ACCOUNT, 'Authenticate ID'),
  r('authPassword', 34, 734, password(64), '', ACCOUNT, 'Authenticate Password', {
    secret: true,
    note: 'No length in the reference; 64 chosen.',
  }),
  r('displayName', 3, 703, str(64), '', ACCOUNT, 'Name'),

  r('dnsMode', 103, 702, enumOf([['0', 'A record'], ['1', 'SRV'], ['2', 'NAPTR/SRV']]), '0', SIP, 'DNS Mode'),
  r('srvUseRegisteredIp', 28092, 28093, bool(), '0', SIP, 'SRV Calls Use the Registered Address'),
  r('telUri', 63, 763, enumOf([['0', 'Disabled'], ['1', 'user=phone'], ['2', 'Enabled']]), '0', SIP, 'Tel URI'),
  r('register', 31, 731, bool(), '1', SIP, 'SIP Registration'),
  r('unregisterOnReboot', 81, 752, bool(), '0', SIP, 'Unregister on Reboot'),
  r('callWithoutRegistration', 109, 813, bool(), '1', SIP, 'Outgoing Calls Without Registration'),
  r('registerExpiration', 32, 732, int(1, 64800), '60', SIP, 'Registration Expiry (minutes)'),
  r('reregisterBefore', 2330, 2430, int(0, 64800), '0', SIP, 'Re-register Before Expiry (s)'),
  r('registerRetryWait', 138, 471, int(1, 3600), '20', SIP, 'Retry After Registration Failure (s)'),
  r('registerRetryWait403', 26002, 26102, int(0, 3600), '1200', SIP, 'Retry After 403 Forbidden (s, 0 = stop)'),
  r('optionsKeepAlive', 2397, 2497, bool(), '0', SIP, 'SIP OPTIONS Keep-Alive'),
  r('optionsKeepAliveInterval', 2398, 2498, int(1, 64800), '30', SIP, 'OPTIONS Keep-Alive Interval (s)'),
  r('optionsKeepAliveMaxLost', 2399, 2499, int(3, 10), '3', SIP, 'OPTIONS Lost Before Re-register'),
  r('removeObpFromRoute', 4562, 4563, bool(), '0', SIP, 'Remove Outbound Proxy from Route'),
  r('sipInstanceId', 288, 489, bool(), '1', SIP, 'SIP Instance ID'),
  r('validateIncoming', 4340, 4341, bool(), '0', SIP, 'Validate Incoming SIP Messages'),
  r('checkUserIdOnInvite', 258, 449, bool(), '0', SIP, 'Check SIP User ID on Incoming INVITE'),
  r('authIncomingInvite', 2346, 2446, bool(), '0', SIP, 'Challenge Incoming INVITE'),
  // The HT813 ships both checks off (reference §1.7: 0). We ship them on: TLS peers are verified
  // unless an operator turns it off (secure by default); 0 still turns each check off.
  r('tlsCheckDomain', 2311, 2411, bool(), '1', SIP, 'Check Server Certificate Domain'),
  r('tlsCheckChain', 2367, 2467, bool(), '1', SIP, 'Check Server Certificate Chain'),
  r('onlyFromProxy', 243, 743, bool(), '0', SIP, 'Accept SIP from the Proxy Only'),
  r('privacyHeader', 2338, 2438, HEADER_CHOICE, '0', SIP, 'Privacy Header'),
  r('ppiHeader', 2339, 2439, HEADER_CHOICE, '0', SIP, 'P-Preferred-Identity Header'),
  r('paniHeader', 26058, 26158, bool(), '1', SIP, 'P-Access-Network-Info Header'),
  r('emergencyInfoHeader', 26059, 26159, bool(), '1', SIP, 'P-Emergency-Info Header'),
  r('contactAddress', 4437, 4438, enumOf([['0', 'LAN address'], ['1', 'WAN address']]), '0', SIP, 'REGISTER Contact Uses'),
  r('allowSipReset', 26015, 26115, bool(), '0', SIP, 'Allow Factory Reset by SIP NOTIFY', {
    note: 'Reference §1.3 (NOTIFY Event: reset).',
  }),
  r('timerT1', 209, 440, enumOf([['50', '0.5 s'], ['100', '1 s'], ['200', '2 s'], ['400', '4 s'], ['800', '8 s']]), '50', SIP, 'SIP T1'),
  r('timerT2', 250, 441, enumOf([['200', '2 s'], ['400', '4 s'], ['800', '8 s'], ['1600', '16 s'], ['3200', '32 s']]), '400', SIP, 'SIP T2'),
  r('timerD', 2387, 2487, int(0, 64), '0', SIP, 'SIP Timer D (s)'),
  r('proxyRequire', 197, 792, str(64), '', SIP, 'Proxy-Require'),
  r('userAgent', 29071, 29171, str(128), '', SIP, 'SIP User-Agent'),
  r('userAgentPostfix', 4834, 4835, str(64), '', SIP, 'User-Agent Postfix'),
  r('noEscapeHash', 1406, 4895, bool(), '0', SIP, 'Do Not Escape # as %23'),
  r('singleMLine', 137, 487, bool(), '0', SIP, 'Disable Multiple m Lines in SDP'),
  r('specialFeature', 198, 767, enumOf(SPECIAL_FEATURES), '100', SIP, 'Special Feature', {
    type2: enumOf([...SPECIAL_FEATURES, ['113', 'China Mobile']]),
    note: '113 China Mobile is documented for the FXO profile only.',
  }),

  r('sipDscp', 5046, 5047, int(0, 63), '26', NET, 'SIP DSCP', { note: '1.0.19.6 uses 24 (reference §9).' }),
  r('rtpDscp', 5050, 5051, int(0, 63), '46', NET, 'RTP DSCP'),
  r('localSipPort', 40, 740, port(), ['5060', '5062'], NET, 'Local SIP Port'),
  r('localRtpPort', 39, 739, int(1024, 65535), ['5004', '5012'], NET, 'Local RTP Port'),
  r('randomSipPort', 20501, 20502, bool(), '0', NET, 'Random SIP Port'),
  r('randomRtpPort', 20505, 20506, bool(), '0', NET, 'Random RTP Port'),
  r('rtcp', 2392, 2492, bool(), '1', NET, 'RTCP'),
  r('natIp', 101, 866, ipv4(), '', NET, 'NAT Address for SIP/SDP'),

  r('dtmfPayloadType', 79, 779, int(96, 127), '101', CODEC, 'DTMF Payload Type'),
  r('dtmfMethod1', 850, 860, DTMF, '101', CODEC, 'DTMF Method, Priority 1'),
  r('dtmfMethod2', 851, 861, DTMF, '102', CODEC, 'DTMF Method, Priority 2'),
  r('dtmfMethod3', 852, 862, DTMF, '100', CODEC, 'DTMF Method, Priority 3'),
  r('noDtmfNegotiation', 4825, 4826, bool(), '0', CODEC, 'Disable DTMF Negotiation'),
  r('continuousRfc2833', 4433, 4434, bool(), '0', CODEC, 'Continuous RFC 2833 Events'),
  r('firstMatchingVocoder', 4363, 4364, bool(), '0', CODEC, 'First Matching Vocoder in 200 OK'),
  r('vocoder1', 57, 757, VOCODER, '0', CODEC, 'Preferred Vocoder 1'),
  r('vocoder2', 58, 758, VOCODER, '8', CODEC, 'Preferred Vocoder 2'),
  r('vocoder3', 59, 759, VOCODER, '4', CODEC, 'Preferred Vocoder 3'),
  r('vocoder4', 60, 760, VOCODER, '18', CODEC, 'Preferred Vocoder 4'),
  r('vocoder5', 61, 761, VOCODER, '2', CODEC, 'Preferred Vocoder 5'),
  r('vocoder6', 62, 762, VOCODER, '97', CODEC, 'Preferred Vocoder 6'),
  r('vocoder7', 46, 814, VOCODER, '123', CODEC, 'Preferred Vocoder 7'),
  r('vocoder8', 98, 815, VOCODER, '9', CODEC, 'Preferred Vocoder 8', {
    note: 'Eighth choice appears in 1.0.19.x with G.722 (reference §1.7).',
  }),
  r('framesPerTx', 37, 737, int(1, 4), '2', CODEC, 'Voice Frames per Packet', {
    note: 'HT813 template range 1-4; HT81x 1.0.19 allows 1-9.',
  }),
  r('g723Rate', 49, 749, enumOf([['0', '6.3 kbps'], ['1', '5.3 kbps']]), '0', CODEC, 'G.723 Rate'),
  r('ilbcFrame', 97, 705, enumOf([['0', '20 ms'], ['1', '30 ms']]), '0', CODEC, 'iLBC Frame Size'),
  r('ilbcPayloadType', 96, 704, int(96, 127), '97', CODEC, 'iLBC Payload Type'),
  r('noOpusStereo', 20529, 20530, bool(), '0', CODEC, 'Disable OPUS Stereo in SDP'),
  r('vad', 50, 750, bool(), '0', CODEC, 'Voice Activity Detection'),
  r('symmetricRtp', 291, 460, bool(), '0', CODEC, 'Symmetric RTP'),
  r('faxMode', 228, 710, enumOf([['0', 'T.38 (auto detect)'], ['1', 'Pass-through']]), '0', CODEC, 'Fax Mode'),
  r('reinviteOnFaxTone', 4416, 4417, bool(), '1', CODEC, 'Re-INVITE When a Fax Tone Is Heard'),
  r('jitterType', 133, 831, enumOf([['0', 'Fixed'], ['1', 'Adaptive']]), '1', CODEC, 'Jitter Buffer Type'),
  r('jitterLength', 132, 832, enumOf([['0', 'Low'], ['1', 'Medium'], ['2', 'High']]), '1', CODEC, 'Jitter Buffer Length'),
  r('srtpMode', 183, 443, enumOf([['0', 'Disabled'], ['1', 'Enabled, not forced'], ['2', 'Enabled and forced']]), '0', CODEC, 'SRTP Mode'),
  r('cryptoLifetime', 2363, 2463, bool(), '1', CODEC, 'Crypto Lifetime'),

  r('ringTimeout', 185, 816, int(0, 300), '60', CALL, 'Ring Timeout (s)', { note: '1.0.19.6 allows 10-300.' }),
  r('earlyDial', 29, 729, bool(), '0', CALL, 'Early Dial'),
  r('dialPlanPrefix', 66, 766, str(32, 'dialable'), '', CALL, 'Dial Plan Prefix'),
  r('hashDials', 72, 772, bool(), '1', CALL, 'Use # as Dial Key'),
  r('dialPlan', 4200, 4201, dialplan(), '{ x+ | \\+x+ | *x+ | *xx*x+ }', CALL, 'Dial Plan'),
  r('mwiSubscribe', 99, 709, bool(), '0', CALL, 'SUBSCRIBE for MWI'),
  r('rejectAnonymous', 129, 446, bool(), '0', CALL, 'Reject Anonymous Calls'),
  r('flashDigitControl', 28080, 28081, bool(), '0', CALL, 'Flash Digit Control', {
    note: 'Profile-2 number from the HT813 template FXO section.',
  }),

  r('sessionExpiration', 260, 434, int(90, 64800), '180', TIMER, 'Session Expiration (s)'),
  r('minSe', 261, 427, int(90, 64800), '90', TIMER, 'Min-SE (s)'),
  r('callerRequestTimer', 262, 428, bool(), '0', TIMER, 'Request Timer When Calling'),
  r('calleeRequestTimer', 263, 429, bool(), '0', TIMER, 'Request Timer When Called'),
  r('forceTimer', 264, 430, bool(), '0', TIMER, 'Force Timer'),
  r('uacRefresher', 266, 432, enumOf([['0', 'Omit'], ['1', 'UAC'], ['2', 'UAS']]), '0', TIMER, 'Refresher as UAC'),
  r('uasRefresher', 267, 433, enumOf([['1', 'UAC'], ['2', 'UAS']]), '1', TIMER, 'Refresher as UAS'),
  r('forceInvite', 265, 431, bool(), '0', TIMER, 'Refresh with INVITE'),
  r('rel100', 272, 435, bool(), '0', TIMER, '100rel'),
  r('authOnFirstRegister', 2359, 2459, bool(), '0', TIMER, 'Authorization Header on First REGISTER'),

  r('callerIdScheme', 853, 863, CID_SCHEME, '0', LINE, 'Caller ID Scheme', { line: true }),
  r('dtmfCidStartTone', 4661, 4663, CID_TONE, '0', LINE, 'DTMF Caller ID Start Tone', { line: true }),
  r('dtmfCidStopTone', 4662, 4664, CID_TONE, '0', LINE, 'DTMF Caller ID Stop Tone', { line: true }),
  r('txGain', 247, 248, GAIN, '0', LINE, 'Transmit Gain', { line: true }),
  r('rxGain', 249, 283, GAIN, ['6', '0'], LINE, 'Receive Gain', {
    line: true,
    type2: GAIN_FXO_RX,
    note: 'FXO receive gain stops at -6 dB (reference §1.7).',
  }),
  r('disableLec', 824, 825, bool(), '0', LINE, 'Disable Line Echo Canceller', { line: true }),
  r('disableNes', 4441, 4442, bool(), '0', LINE, 'Disable Network Echo Suppressor', { line: true }),
  r('outgoingCallLimit', 4420, 4421, int(0, 180), '0', LINE, 'Outgoing Call Duration Limit (min, 0 = none)', { line: true }),
];

const voip = maker({ reset: 'voip' });
const lineMaker = maker({ reset: 'other' });

/** One row → the profile-1 (FXS page) and profile-2 (FXO page) entries. */
export function expand(row: ProfileRow): [ParamDef, ParamDef] {
  const one = (p: 1 | 2): ParamDef => {
    const id = row.ids[p - 1] as number;
    const prefix = row.line ? (p === 1 ? 'fxs' : 'fxo') : `sip${p}`;
    const dflt = typeof row.defaults === 'string' ? row.defaults : (row.defaults[p - 1] as string);
    const type = p === 2 && row.type2 ? row.type2 : row.type;
    const make = row.line ? lineMaker : voip;
    const opts = {
      profile: p,
      web: { page: p === 1 ? 'fxs' : 'fxo', section: row.section, label: row.label },
      ...(row.secret ? { secret: true } : {}),
      ...(row.note ? { note: row.note } : {}),
    } as const;
    return make(id, `${prefix}.${row.key}`, type, dflt, opts);
  };
  return [one(1), one(2)];
}

/** Profile-1 settings with no profile-2 counterpart on the HT813 (reference §1.7 "—"). */
const FXS_ONLY: readonly ParamDef[] = [
  voip(2324, 'sip1.callerIdFetchOrder', enumOf([['0', 'Auto'], ['1', 'Disabled'], ['2', 'From header']]), '0', {
    profile: 1,
    web: { page: 'fxs', section: SIP, label: 'Caller ID Source' },
  }),
  voip(85, 'sip1.noKeyEntryTimeout', int(1, 15), '4', {
    profile: 1,
    web: { page: 'fxs', section: CALL, label: 'No Key Entry Timeout (s)' },
    note: 'The FXO port uses P840/P292 instead (reference §1.7).',
  }),
  voip(2318, 'sip1.conferenceUri', str(128), '', { profile: 1, web: { page: 'fxs', section: CALL, label: 'Conference URI' } }),
  voip(2395, 'sip1.sessionTimer', bool(), '1', { profile: 1, web: { page: 'fxs', section: TIMER, label: 'Enable Session Timer' } }),
  voip(2385, 'sip1.opusPayloadType', int(96, 127), '123', {
    profile: 1,
    web: { page: 'fxs', section: CODEC, label: 'OPUS Payload Type' },
    note: '1.0.19.6 uses 120 (reference §1.7); HT813 template 123 kept.',
  }),
];

export const SIP_PROFILES: readonly ParamDef[] = [...SIP_PROFILE_ROWS.flatMap((row) => expand(row)), ...FXS_ONLY];
