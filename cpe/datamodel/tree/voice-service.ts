import { bool, enumMap, hostPart, portPart, readOnly, scaled } from '../bindings';
import type { DataModel, ParamReader } from '../model';
import type { TreeContext } from './context';
import { callState, lineStatus } from './live-status';

/** P-values of one profile (reference §1.7 / §5): index 0 = profile 1 (FXS), 1 = profile 2 (FXO). */
const P = {
  enable: [271, 401],
  name: [3, 703],
  digitMap: [4200, 4201],
  dtmf1: [850, 860],
  server: [47, 747],
  proxy: [48, 748],
  transport: [130, 830],
  expires: [32, 732],
  retry: [138, 471],
  sipPort: [40, 740],
  t1: [209, 440],
  t2: [250, 441],
  failover: [967, 987],
  dnsMode: [103, 702],
  rtpPort: [39, 739],
  dscpRtp: [5050, 5051],
  dtmfPt: [79, 779],
  srtp: [183, 443],
  rtcp: [2392, 2492],
  fax: [228, 710],
  userId: [35, 735],
  authId: [36, 736],
  authPassword: [34, 734],
  anonBlock: [129, 446],
  mwi: [99, 709],
  slic: [854, 864],
  cidScheme: [853, 863],
  vocoders: [[57, 58, 59, 60, 61, 62, 46], [757, 758, 759, 760, 761, 762, 814]],
} as const;

const TRANSPORT: ReadonlyArray<readonly [string, string]> = [['0', 'UDP'], ['1', 'TCP'], ['2', 'TLS']];
const DTMF: ReadonlyArray<readonly [string, string]> = [['100', 'InBand'], ['101', 'RFC2833'], ['102', 'SIPInfo']];
const ENABLE: ReadonlyArray<readonly [string, string]> = [['0', 'Disabled'], ['1', 'Enabled']];
/** Vocoder payload numbers (reference §1.7) as TR-104 codec names. */
const CODEC_NAMES = new Map([
  ['0', 'G.711MuLaw'],
  ['8', 'G.711ALaw'],
  ['4', 'G.723.1'],
  ['18', 'G.729'],
  ['2', 'G.726'],
  ['97', 'iLBC'],
  ['123', 'X_GRANDSTREAM_OPUS'],
  ['9', 'G.722'],
]);
/** P853/P863 values as the HT8xx data model's strings (reference §5). */
const CID_SCHEMES: ReadonlyArray<readonly [string, string]> = [
  ['0', 'BellcoreOrTelcordia'],
  ['1', 'ETSI-FSKDuringRinging'],
  ['2', 'ETSI-FSKPriorRingingWithDTAS'],
  ['3', 'ETSI-FSKPriorRingingWithLRAndDTAS'],
  ['4', 'ETSI-FSKPriorRingingWithRP'],
  ['5', 'ETSI-DTMFDuringRinging'],
  ['6', 'ETSI-DTMFPriorRingingWithDTAS'],
  ['7', 'ETSI-DTMFPriorRingingWithLRAndDTAS'],
  ['8', 'ETSI-DTMFPriorRingingWithRP'],
  ['9', 'SIN227-BT'],
  ['10', 'NTTJapan'],
  ['11', 'DTMFDenmarkPriorRingingNoDTASNoLR'],
  ['12', 'DTMFDenmarkPriorRingingWithLR'],
  ['13', 'DTMFSwedenFinlandPriorRingingWithLR'],
  ['14', 'DTMFBrazil'],
  ['15', 'DTMF-FSKBrazil'],
];

// Device.Services.VoiceService.1. (TR-104 v1, VoiceProfile.1 = FXS, VoiceProfile.2 = FXO)
export function registerVoiceService(dm: DataModel, ctx: TreeContext, store: ParamReader): void {
  const vs = 'Device.Services.VoiceService.1.';
  dm.registerConst(`${vs}VoiceProfileNumberOfEntries`, { type: 'unsignedInt', value: '2' });
  dm.registerConst(`${vs}Capabilities.MaxProfileCount`, { type: 'unsignedInt', value: '2' });
  dm.registerConst(`${vs}Capabilities.MaxLineCount`, { type: 'unsignedInt', value: '2' });
  dm.registerConst(`${vs}Capabilities.SignalingProtocols`, { type: 'string', value: 'SIP' });
  dm.registerConst(`${vs}Capabilities.DigitMap`, { type: 'boolean', value: 'true' });
  for (const profile of [1, 2] as const) registerProfile(dm, ctx, store, `${vs}VoiceProfile.${profile}.`, profile);
}

function registerProfile(dm: DataModel, ctx: TreeContext, store: ParamReader, p: string, profile: 1 | 2): void {
  const k = profile - 1;
  const id = (pair: readonly [number, number]): number => pair[k]!;
  dm.registerParam(`${p}Enable`, { type: 'string', writable: true, binding: enumMap(id(P.enable), ENABLE) });
  dm.registerParam(`${p}Name`, { type: 'string', writable: true, pvalue: id(P.name) });
  dm.registerConst(`${p}NumberOfLines`, { type: 'unsignedInt', value: '1' });
  dm.registerParam(`${p}DigitMap`, { type: 'string', writable: true, pvalue: id(P.digitMap) });
  dm.registerParam(`${p}DTMFMethod`, { type: 'string', writable: true, binding: enumMap(id(P.dtmf1), DTMF) });
  dm.registerConst(`${p}X_GRANDSTREAM_Port`, { type: 'string', value: profile === 1 ? 'FXS' : 'FXO' });
  dm.registerParam(`${p}X_GRANDSTREAM_SLICSetting`, { type: 'unsignedInt', writable: true, pvalue: id(P.slic) });
  dm.registerParam(`${p}X_GRANDSTREAM_CallerIDScheme`, { type: 'string', writable: true, binding: enumMap(id(P.cidScheme), CID_SCHEMES) });

  const sip = `${p}SIP.`;
  dm.registerParam(`${sip}ProxyServer`, { type: 'string', writable: true, binding: hostPart(id(P.server)) });
  dm.registerParam(`${sip}ProxyServerPort`, { type: 'unsignedInt', writable: true, binding: portPart(id(P.server), '5060') });
  dm.registerParam(`${sip}ProxyServerTransport`, { type: 'string', writable: true, binding: enumMap(id(P.transport), TRANSPORT) });
  dm.registerParam(`${sip}RegistrarServer`, { type: 'string', writable: true, binding: hostPart(id(P.server)) });
  dm.registerParam(`${sip}RegistrarServerPort`, { type: 'unsignedInt', writable: true, binding: portPart(id(P.server), '5060') });
  dm.registerParam(`${sip}RegistrarServerTransport`, { type: 'string', writable: true, binding: enumMap(id(P.transport), TRANSPORT) });
  dm.registerParam(`${sip}OutboundProxy`, { type: 'string', writable: true, binding: hostPart(id(P.proxy)) });
  dm.registerParam(`${sip}OutboundProxyPort`, { type: 'unsignedInt', writable: true, binding: portPart(id(P.proxy), '5060') });
  // P32/P732 are minutes; TR-104 RegisterExpires is seconds.
  dm.registerParam(`${sip}RegisterExpires`, { type: 'unsignedInt', writable: true, binding: scaled(id(P.expires), 60) });
  dm.registerParam(`${sip}RegisterRetryInterval`, { type: 'unsignedInt', writable: true, pvalue: id(P.retry) });
  dm.registerParam(`${sip}UserAgentPort`, { type: 'unsignedInt', writable: true, pvalue: id(P.sipPort) });
  // P209/P250 count 10 ms steps (50 = 0.5 s); TR-104 TimerT1/T2 are milliseconds.
  dm.registerParam(`${sip}TimerT1`, { type: 'unsignedInt', writable: true, binding: scaled(id(P.t1), 10) });
  dm.registerParam(`${sip}TimerT2`, { type: 'unsignedInt', writable: true, binding: scaled(id(P.t2), 10) });
  dm.registerParam(`${sip}X_GRANDSTREAM_FailoverServer`, { type: 'string', writable: true, pvalue: id(P.failover) });
  dm.registerParam(`${sip}X_GRANDSTREAM_DNSMode`, { type: 'unsignedInt', writable: true, pvalue: id(P.dnsMode) });

  const rtp = `${p}RTP.`;
  dm.registerParam(`${rtp}LocalPortMin`, { type: 'unsignedInt', writable: true, pvalue: id(P.rtpPort) });
  dm.registerParam(`${rtp}DSCPMark`, { type: 'unsignedInt', writable: true, pvalue: id(P.dscpRtp) });
  dm.registerParam(`${rtp}TelephoneEventPayloadType`, { type: 'unsignedInt', writable: true, pvalue: id(P.dtmfPt) });
  dm.registerParam(`${rtp}RTCP.Enable`, { type: 'boolean', writable: true, pvalue: id(P.rtcp) });
  // P183: 0 off, 1 optional, 2 forced. Enable=true keeps a forced setting, else turns it on as optional.
  dm.registerParam(`${rtp}SRTP.Enable`, {
    type: 'boolean',
    writable: true,
    binding: {
      ids: [id(P.srtp)],
      read: ([v]) => (v !== undefined && v !== '0' ? 'true' : 'false'),
      write: (v, [cur]) => [v === 'true' || v === '1' ? (cur === '2' ? '2' : '1') : '0'],
    },
  });
  dm.registerParam(`${rtp}SRTP.X_GRANDSTREAM_Mode`, { type: 'unsignedInt', writable: true, pvalue: id(P.srtp) });
  // P228/P710: 0 T.38 auto-detect, 1 pass-through.
  dm.registerParam(`${p}FaxT38.Enable`, { type: 'boolean', writable: true, binding: bool(id(P.fax), true) });

  const line = `${p}Line.1.`;
  dm.registerParam(`${line}Enable`, { type: 'string', writable: true, binding: enumMap(id(P.enable), ENABLE) });
  dm.registerParam(`${line}DirectoryNumber`, { type: 'string', writable: true, pvalue: id(P.userId) });
  dm.registerLive(`${line}Status`, { type: 'string', get: () => lineStatus(ctx.status, profile, store.get(id(P.enable)) === '1') });
  dm.registerLive(`${line}CallState`, { type: 'string', get: () => callState(ctx.status, profile) });
  dm.registerParam(`${line}SIP.AuthUserName`, { type: 'string', writable: true, pvalue: id(P.authId) });
  dm.registerParam(`${line}SIP.AuthPassword`, { type: 'string', writable: true, pvalue: id(P.authPassword), secret: true });
  dm.registerParam(`${line}SIP.URI`, { type: 'string', writable: true, pvalue: id(P.userId) });
  dm.registerParam(`${line}SIP.X_GRANDSTREAM_DisplayName`, { type: 'string', writable: true, pvalue: id(P.name) });

  const cf = `${line}CallingFeatures.`;
  if (profile === 1) {
    // P91 is "Disable Call-Waiting" (reference §0): CallWaitingEnable is its inverse.
    dm.registerParam(`${cf}CallWaitingEnable`, { type: 'boolean', writable: true, binding: bool(91, true) });
    // P65 "Send anonymous": TR-104 AnonymousCallEnable.
    dm.registerParam(`${cf}AnonymousCallEnable`, { type: 'boolean', writable: true, pvalue: 65 });
    dm.registerParam(`${cf}CallForwardOnNoAnswerRingCount`, { type: 'unsignedInt', writable: true, pvalue: 139 });
  }
  dm.registerParam(`${cf}AnonymousCallBlockEnable`, { type: 'boolean', writable: true, pvalue: id(P.anonBlock) });
  dm.registerParam(`${cf}MWIEnable`, { type: 'boolean', writable: true, pvalue: id(P.mwi) });

  const order = P.vocoders[k] ?? [];
  order.forEach((pid, j) => {
    const row = `${line}Codec.List.${j + 1}.`;
    dm.registerConst(`${row}EntryID`, { type: 'unsignedInt', value: String(j + 1) });
    dm.registerParam(`${row}Codec`, { type: 'string', writable: false, binding: readOnly(pid, (v) => CODEC_NAMES.get(v) ?? v) });
    dm.registerConst(`${row}Priority`, { type: 'unsignedInt', value: String(j + 1) });
    dm.registerParam(`${row}X_GRANDSTREAM_PayloadType`, { type: 'unsignedInt', writable: true, pvalue: pid });
  });
}
