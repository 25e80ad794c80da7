/**
 * The FXO gateway's P-values (reference §1.8, profile 2 of §1.7), read when used: PINs P794/P795,
 * forwards P796 and P3305–P3307, rings before answering P798, stage method P3304, wait for dial
 * tone P3303 and the delay before dialing P3206, PSTN→VoIP digit timeouts P840/P292, the INVITE
 * ring-no-answer timeout P848, and profile 2's vocoders, frames per packet and DTMF payload type.
 */
import { num, str, type ParamReader } from '../fxs/fxs-settings';

export interface FxoGatewaySettings {
  readonly pinVoipToPstn: string;
  readonly pinPstnToVoip: string;
  /** P796: every VoIP call goes on to this PSTN number ('' = none). */
  readonly forwardToPstn: string;
  /** P3305–P3307: every PSTN call goes on to this VoIP user (undefined = collect digits). */
  readonly forwardToVoip: { readonly user: string; readonly server: string; readonly port: number } | undefined;
  readonly ringsBeforeAnswer: number;
  /** P3304: 1 one-stage (the INVITE's Request-URI holds the PSTN number), 2 two-stage. */
  readonly stage: 1 | 2;
  readonly waitForDialTone: boolean;
  readonly dialDelayMs: number;
  readonly firstDigitMs: number;
  readonly interDigitMs: number;
  readonly ringNoAnswerMs: number;
  readonly tones: { readonly dial: string; readonly ringback: string; readonly busy: string; readonly reorder: string };
  readonly vocoders: readonly string[];
  readonly framesPerTx: number;
  readonly dtmfPayloadType: number;
  /** P837: a hook flash on the phone is sent on to the PSTN line (P838 ms). */
  readonly sendFlash: boolean;
  /** P4356: after a call the line rests this long before it is seized for an outgoing call. */
  readonly idleWaitMs: number;
  /** P839: how the PSTN caller's ID goes to VoIP. */
  readonly callerIdTransport: 'from' | 'pai' | 'anonymous' | 'off' | 'ppi';
  /** P842/P843: PSTN calls ring the FXS phone, starting this long after the first ring. */
  readonly ringThrough: boolean;
  readonly ringThroughDelayMs: number;
}

/**
 * The "special continuous tone" that asks for the PIN (user guide "VoIP-to-PSTN Calls"): its
 * frequency is not given [?]; ours is a steady 440 Hz, distinct from the dual-tone dial tone.
 */
export const PIN_PROMPT_TONE = 'f1=440@-13,c=0/0;';

export function readFxoGatewaySettings(p: ParamReader): FxoGatewaySettings {
  const user = str(p, 3305, '').trim();
  return {
    pinVoipToPstn: str(p, 794, ''),
    pinPstnToVoip: str(p, 795, ''),
    forwardToPstn: str(p, 796, '').trim(),
    forwardToVoip: user === '' ? undefined : { user, server: str(p, 3306, '').trim(), port: num(p, 3307, 5060) },
    ringsBeforeAnswer: Math.max(1, num(p, 798, 4)),
    stage: num(p, 3304, 2) === 1 ? 1 : 2,
    waitForDialTone: num(p, 3303, 1) === 1,
    dialDelayMs: num(p, 3206, 500),
    firstDigitMs: num(p, 840, 10) * 1000,
    interDigitMs: num(p, 292, 4) * 1000,
    ringNoAnswerMs: num(p, 848, 40) * 1000,
    tones: {
      dial: str(p, 4000, 'f1=350@-17,f2=440@-17,c=0/0;'),
      ringback: str(p, 4001, 'f1=440@-17,f2=480@-17,c=2000/4000;'),
      busy: str(p, 4002, 'f1=480@-21,f2=620@-21,c=500/500;'),
      reorder: str(p, 4003, 'f1=480@-21,f2=620@-21,c=250/250;'),
    },
    vocoders: [757, 758, 759, 760, 761, 762, 814].map((id, i) => str(p, id, ['0', '8', '4', '18', '2', '97', '123'][i] as string)),
    framesPerTx: num(p, 737, 2),
    dtmfPayloadType: num(p, 779, 101),
    sendFlash: num(p, 837, 0) === 1,
    idleWaitMs: num(p, 4356, 4) * 1000,
    callerIdTransport: (['from', 'pai', 'anonymous', 'off', 'ppi'] as const)[num(p, 839, 0)] ?? 'from',
    ringThrough: num(p, 842, 1) === 1,
    ringThroughDelayMs: num(p, 843, 4) * 1000,
  };
}
