/**
 * FXS-only analog line and call-feature settings (reference §1.6). Settings that exist for both
 * ports (caller-ID scheme, gains, echo canceller, duration limit) are rows of sip-profiles.ts.
 */
import type { ParamDef } from '../types';
import { at, bool, enumOf, int, maker, str } from './builders';

const line = maker({ reset: 'other', profile: 1 });
const voip = maker({ reset: 'voip', profile: 1 });
const analog = at('fxs', 'Analog Line');
const feat = at('fxs', 'Call Features');

const FLASH_MS = int(40, 2000);

export const FXS_LINE: readonly ParamDef[] = [
  line(854, 'fxs.slicImpedance', enumOf([
    ['0', 'USA 1 (600 ohm)'],
    ['3', 'USA 2 (600 ohm + 2.16 uF)'],
    ['1', 'Standard 900 ohm'],
    ['2', 'Japan CO'],
    ['4', 'European CTR21'],
    ['5', 'China CO'],
    ['6', 'China PBX'],
    ['7', 'Japan PBX'],
    ['8', 'India / New Zealand'],
    ['9', 'Germany'],
    ['10', 'UK'],
    ['11', 'Australia'],
  ]), '0', { web: analog('SLIC Impedance') }),
  line(205, 'fxs.polarityReversal', bool(), '0', { web: analog('Polarity Reversal') }),
  line(892, 'fxs.loopCurrentDisconnect', bool(), '0', { web: analog('Loop Current Disconnect') }),
  line(856, 'fxs.loopCurrentDisconnectMs', int(100, 10000), '200', { web: analog('Loop Current Disconnect Duration (ms)') }),
  line(21925, 'fxs.busyBeforeLoopDisconnect', bool(), '0', { web: analog('Play Busy Tone Before Loop Disconnect') }),
  line(20521, 'fxs.pulseDialing', bool(), '0', { web: analog('Pulse Dialing') }),
  line(28165, 'fxs.pulseStandard', enumOf([['0', 'General'], ['1', 'Swedish'], ['2', 'New Zealand']]), '0', {
    web: analog('Pulse Dialing Standard'),
    note: 'New Zealand (2) comes from the HT81x template (reference §1.6).',
  }),
  line(4424, 'fxs.hookFlash', bool(), '1', { web: analog('Hook Flash') }),
  line(251, 'fxs.hookFlashMinMs', FLASH_MS, '300', { web: analog('Hook Flash Minimum (ms)') }),
  line(252, 'fxs.hookFlashMaxMs', FLASH_MS, '1100', { web: analog('Hook Flash Maximum (ms)') }),
  line(833, 'fxs.onHookMs', FLASH_MS, '400', { web: analog('On-Hook Time (ms)') }),
  line(4234, 'fxs.highRingPower', bool(), '0', { web: analog('High Ring Power') }),
  line(4429, 'fxs.ringFrequency', enumOf([['20', '20 Hz'], ['25', '25 Hz']]), '20', {
    web: analog('Ring Frequency'),
    note: 'From 1.0.19.x (reference §1.6); default 20 Hz per the HT81x template.',
  }),
  line(4371, 'fxs.visualMwiType', enumOf([['1', 'FSK'], ['2', 'NEON']]), '1', {
    web: analog('Visual MWI Type'),
    note: 'From 1.0.19.x (reference §1.6); default FSK per the HT81x template.',
  }),
  line(855, 'fxs.disableVisualMwi', bool(), '0', { web: analog('Disable Visual MWI') }),
  line(28173, 'fxs.rfc2833EventCount', int(2, 10), '8', { web: analog('RFC 2833 Event Packets') }),
  line(28177, 'fxs.rfc2833EndEventCount', int(2, 10), '3', { web: analog('RFC 2833 End Event Packets') }),
  line(74, 'fxs.sendHookFlashEvent', bool(), '0', { web: analog('Send Hook Flash Event') }),

  line(91, 'fxs.disableCallWaiting', bool(), '0', {
    web: feat('Disable Call Waiting'),
    note: 'P91 disables call waiting; it is not DND (reference §0).',
  }),
  line(714, 'fxs.disableCallWaitingCallerId', bool(), '0', { web: feat('Disable Call Waiting Caller ID') }),
  line(186, 'fxs.disableCallWaitingTone', bool(), '0', { web: feat('Disable Call Waiting Tone') }),
  line(20525, 'fxs.disableConnectedLineId', bool(), '0', { web: feat('Disable Connected Line ID') }),
  line(4793, 'fxs.disableOffHookWarning', bool(), '0', { web: feat('Disable Receiver Off-Hook Tone') }),
  line(4360, 'fxs.disableHoldReminder', bool(), '0', { web: feat('Disable Reminder Ring for a Held Call') }),
  voip(191, 'fxs.callFeatures', bool(), '1', {
    web: feat('Enable Call Features (star codes)'),
    note: 'Gates the local star codes (reference §1.9), hence VoIP data.',
  }),
  line(71, 'fxs.offHookAutoDial', str(64, 'dialable'), '', { web: feat('Off-Hook Auto-Dial Number') }),
  line(4045, 'fxs.offHookAutoDialDelay', int(0, 60), '0', { web: feat('Off-Hook Auto-Dial Delay (s)') }),
  line(65, 'fxs.sendAnonymous', bool(), '0', { web: feat('Send Anonymous (hide caller ID)') }),
  line(139, 'fxs.delayedForwardWait', int(1, 120), '20', { web: feat('No-Answer Forward Delay (s)') }),
  line(4830, 'fxs.disableBellcoreConference', bool(), '0', { web: feat('Disable Bellcore 3-Way Conference') }),
  line(4560, 'fxs.transferOnConferenceHangup', bool(), '0', { web: feat('Transfer When Leaving a Conference') }),
  line(26003, 'fxs.holdBeforeRefer', bool(), '0', { web: feat('Hold Target Before REFER') }),
  line(135, 'fxs.referToTargetContact', bool(), '0', { web: feat('Refer-To Uses Target Contact') }),
];
