/**
 * FXO / PSTN settings (reference §1.8; user guide "PSTN Pass Through", "VoIP-to-PSTN Calls",
 * "PSTN-to-VoIP Calls"). Routing (access code, PINs, forwards, stage, rings) is VoIP data; the
 * line termination and detection settings reset with Full only.
 */
import type { ParamDef } from '../types';
import { at, bool, enumOf, host, int, maker, pin, port, str, tone } from './builders';

const route = maker({ reset: 'voip', profile: 2 });
const line = maker({ reset: 'other', profile: 2 });
const basicFwd = at('basic', 'PSTN and VoIP Forwarding');
const pstn = at('fxo', 'PSTN Settings');
const dial = at('fxo', 'Channel Dialing');
const term = at('fxo', 'FXO Termination');
const cid = at('fxo', 'Caller ID');

/** P864 AC termination by country (HT813 template); 30-43 are the impedance choices of P849. */
const COUNTRIES = enumOf([
  ['0', 'USA'],
  ['1', 'Austria'],
  ['2', 'Belgium'],
  ['3', 'Finland'],
  ['4', 'France'],
  ['5', 'Germany'],
  ['6', 'Greece'],
  ['7', 'Italy'],
  ['8', 'Japan'],
  ['9', 'Norway'],
  ['10', 'Spain'],
  ['11', 'Sweden'],
  ['12', 'UK'],
  ['13', 'Australia / New Zealand'],
  ['14', 'China'],
  ['15', 'Argentina'],
  ['16', 'Brazil'],
  ['17', 'Canada'],
  ['18', 'Denmark'],
  ['19', 'India'],
  ['20', 'Indonesia'],
  ['21', 'Malaysia'],
  ['22', 'Mexico'],
  ['23', 'Morocco'],
  ['24', 'Netherlands'],
  ['25', 'Peru'],
  ['26', 'Portugal'],
  ['27', 'Russia'],
  ['28', 'Singapore'],
  ['29', 'Switzerland'],
]);

const IMPEDANCES = enumOf([
  ['30', '600 ohm'],
  ['31', '600 ohm + 2.16 uF'],
  ['32', '900 ohm'],
  ['33', '900 ohm + 2.16 uF'],
  ['34', '220 + (820 || 115 nF)'],
  ['35', '270 + (750 || 150 nF)'],
  ['36', '370 + (620 || 310 nF)'],
  ['37', '600R, 270 + (750 || 150 nF)'],
  ['38', '320 + (1050 || 230 nF)'],
  ['39', '350 + (1000 || 210 nF)'],
  ['40', '200 + (680 || 100 nF)'],
  ['41', '370 + (820 || 110 nF)'],
  ['42', '275 + (780 || 115 nF)'],
  ['43', '120 + (820 || 110 nF)'],
]);

export const FXO: readonly ParamDef[] = [
  maker({ reset: 'voip' })(195, 'fxo.pstnAccessCode', str(8, 'dialable'), '*00', {
    web: basicFwd('PSTN Access Code'),
    note: 'Dialled on the FXS phone to seize the PSTN line (reference §6), so it carries no profile.',
  }),
  route(794, 'fxo.pinVoipToPstn', pin(), '', { secret: true, web: basicFwd('PIN for VoIP-to-PSTN Calls') }),
  route(795, 'fxo.pinPstnToVoip', pin(), '', { secret: true, web: basicFwd('PIN for PSTN-to-VoIP Calls') }),
  route(796, 'fxo.forwardToPstn', str(32, 'dialable'), '', { web: basicFwd('Forward VoIP Calls to PSTN Number') }),
  route(3305, 'fxo.forwardToVoipUser', str(64), '', { web: basicFwd('Forward PSTN Calls to VoIP: User ID') }),
  route(3306, 'fxo.forwardToVoipServer', host(), '', { web: basicFwd('Forward PSTN Calls to VoIP: SIP Server') }),
  route(3307, 'fxo.forwardToVoipPort', port(), '5060', { web: basicFwd('Forward PSTN Calls to VoIP: Port') }),

  route(798, 'fxo.ringsBeforeAnswer', int(1, 50), '4', { web: pstn('Rings Before the FXO Port Answers') }),
  route(842, 'fxo.ringThroughFxs', bool(), '1', { web: pstn('Ring the FXS Phone on PSTN Calls') }),
  route(843, 'fxo.ringThroughDelay', int(1, 10), '4', { web: pstn('Ring-Through Delay (s)') }),
  line(3630, 'fxo.pstnRingTimeout', int(2, 10), '6', { web: pstn('PSTN Ring Timeout (s)') }),
  line(4356, 'fxo.idleWaitBetweenCalls', int(0, 10), '4', { web: pstn('Idle Wait Between Outgoing Calls (s)') }),
  route(848, 'fxo.inviteNoAnswerTimeout', int(5, 300), '40', { web: pstn('INVITE No-Answer Timeout (s)') }),
  line(837, 'fxo.sendFlashToPstn', bool(), '0', { web: pstn('Send Hook Flash to PSTN') }),
  line(838, 'fxo.flashDurationMs', int(300, 1500), '600', { web: pstn('Hook Flash Duration (ms)') }),

  line(3300, 'fxo.dtmfDigitMs', int(40, 127), '100', { web: dial('DTMF Digit Length (ms)') }),
  line(3302, 'fxo.dtmfPauseMs', int(40, 127), '100', { web: dial('DTMF Pause (ms)') }),
  route(840, 'fxo.firstDigitTimeout', int(1, 20), '10', { web: dial('First Digit Timeout (s)') }),
  route(292, 'fxo.interDigitTimeout', int(1, 15), '4', { web: dial('Inter-Digit Timeout (s)') }),
  line(3303, 'fxo.waitForDialTone', bool(), '1', { web: dial('Wait for Dial Tone') }),
  route(3304, 'fxo.stageMethod', enumOf([['1', 'One stage'], ['2', 'Two stage']]), '2', { web: dial('Stage Method') }),
  line(3206, 'fxo.minDelayBeforeDialMs', int(50, 65000), '500', { web: dial('Minimum Delay Before Dialing (ms)') }),

  line(893, 'fxo.currentDisconnect', bool(), '1', { web: term('Current Disconnect') }),
  line(764, 'fxo.currentDisconnectMs', int(50, 800), '100', { web: term('Current Disconnect Threshold (ms)') }),
  line(712, 'fxo.disconnectToneDetection', bool(), '0', { web: term('Detect PSTN Disconnect Tone') }),
  line(841, 'fxo.disconnectTone', tone(), 'f1=480@-32,f2=620@-32,c=500/500;', { web: term('PSTN Disconnect Tone') }),
  line(28101, 'fxo.polarityReversalDetection', bool(), '0', { web: term('Detect Polarity Reversal') }),
  line(899, 'fxo.acTermination', enumOf([['0', 'By country'], ['1', 'By impedance'], ['2', 'Auto-detect']]), '0', {
    web: term('AC Termination Model'),
  }),
  line(864, 'fxo.acTerminationCountry', COUNTRIES, '0', {
    web: term('AC Termination Country'),
    note: 'On the HT813 P864 is the FXO country, not a second SLIC (reference §1.7 caution). Template lists 0-29.',
  }),
  line(849, 'fxo.acTerminationImpedance', IMPEDANCES, '30', { web: term('AC Termination Impedance') }),

  line(845, 'fxo.fskMinLevelDb', int(-96, 0), '-40', { web: cid('FSK Caller ID Minimum Level (dB)') }),
  line(846, 'fxo.fskSeizureBits', int(0, 800), '70', { web: cid('FSK Caller ID Seizure Bits') }),
  line(847, 'fxo.fskMarkBits', int(1, 800), '40', { web: cid('FSK Caller ID Mark Bits') }),
  route(839, 'fxo.callerIdTransport', enumOf([
    ['0', 'SIP From'],
    ['1', 'P-Asserted-Identity'],
    ['2', 'Anonymous'],
    ['3', 'Disabled'],
    ['4', 'P-Preferred-Identity'],
  ]), '0', { web: cid('Caller ID Transport to VoIP') }),
];
