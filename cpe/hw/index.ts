/**
 * cpe/hw — the line hardware behind interfaces: the FXS port (SLIC + DSP toward the phone), the
 * FXO port (DAA toward the PSTN line), the LEDs, the lifeline relay; simulated implementations,
 * plus a simulated analog phone and a simulated PSTN central office. Knows nothing of SIP: it
 * emits hook, flash and digit events and accepts ring, tone, caller-ID and audio commands.
 * All timing through ctx.clock; audio is media's format (Int16Array, 8 kHz, 20 ms = 160 samples).
 *
 * API overview (for cpe/voice — the SIP accounts and the FXS/FXO telephony applications):
 *
 * The service — service.ts, name 'hw' (first in cpe/services.ts):
 *   const hw = ctx.services.get<HwService>('hw')!;
 *   hw.fxs: FxsPort        hw.fxo: FxoPort        hw.leds: LedBoard       hw.lifeline: LifelineRelay
 *   hw.fxsJack / hw.fxoJack: the two RJ11 jacks (Loop). Plug simulated equipment in:
 *     hw.plugPhone(phone)   (a SimulatedPhone on the FXS jack)   hw.plugLine(co)  (a CentralOffice on the FXO jack)
 *   hw.registrationChanged()   the SIP service calls this whenever an account's state changes; hw reads
 *     'sip.accounts' from the StatusBoard (FXS/FXO LEDs, and the lifeline relay in Auto mode P891)
 *   hw.setCallActive(port: 'fxs'|'fxo', busy)  LED fast blink while a port is busy (the voice layer's call state)
 *   hw.powerFail() / hw.powerRestore()  simulate a power cut (lifeline engages whatever P891 says)
 *   Reconfigures from store change events (cadences, timings, caller-ID scheme...) without restart.
 *   A reboot creates a new HwService with new jacks: plug simulated equipment in again after it.
 *   StatusBoard keys: 'hw.leds' (LedPanel), 'hw.fxs.hook' ('onHook'|'offHook'), 'hw.fxo.state' (FxoState),
 *     'hw.lifeline' ({ engaged, mode, reason }).
 *
 * FxsPort — types.ts (SimFxsPort in fxs-port.ts):
 *   fxs.hook: 'onHook'|'offHook'        fxs.ringing: boolean
 *   fxs.on(e => ...) → unsubscribe; e: {type:'offHook'} | {type:'onHook'} | {type:'flash'}
 *     | {type:'digit', digit:'0'-'9'|'*'|'#'|'A'-'D', method:'dtmf'|'pulse'}
 *     | {type:'ringStopped', reason:'answered'|'stopped'}   (answered = ring trip by going off-hook)
 *     Flash vs hang-up by P4424/P251/P252/P833; pulse digits when P20521 (P28165 standard);
 *     DTMF digits detected in the phone's audio (media DtmfDetector) — also during a call.
 *   fxs.ring({ callerId?: {number, name, dateTime?, numberAbsent?: 'O'|'P', nameAbsent?}, cadence?: string|1..10 })
 *     cadence omitted → distinctive ring P870-P875 when the number matches, else P4040.
 *     Caller ID as audio per P853 (Bellcore FSK, ETSI FSK/DTMF before or during ringing, LR, DT-AS, RP-AS).
 *   fxs.stopRing()
 *   fxs.playTone('f1=350@-17,f2=440@-17,c=0/0;' | ToneDefinition, {durationMs?}) / fxs.stopTone()
 *     (mixed over call audio: use it for dial, ringback, busy, reorder, stutter, call-waiting tones)
 *   await fxs.sendCallWaitingId(callerId) → boolean   GR-30 type 2: SAS + CAS, phone's DTMF ack, FSK
 *     (the caller decides by P714 whether to call it; P186 whether to play the CW tone)
 *   fxs.setCallConnected(true|false)   polarity reversal on answer / back on release when P205 is on
 *   fxs.setMessageWaiting(on)          visual MWI (FSK VMWI or NEON per P855/P4371) + FXS LED slow blink
 *   fxs.signalDisconnect()             far end hung up: loop-current denial P892/P856 (busy first if P21925)
 *   fxs.audio.write(frame) toward the phone; fxs.audio.onFrame(frame => ...) from the phone (while off-hook)
 *
 * FxoPort — types.ts (SimFxoPort in fxo-port.ts):
 *   fxo.state: 'idle'|'ringing'|'seized'|'dialing'|'connected'|'disconnected'; fxo.ringCount; fxo.callerId
 *   fxo.on(e => ...): {type:'ring', count} (a burst counts after 350 ms; bursts < 1 s apart are one ring)
 *     | {type:'ringStopped'} (no ring for P3630 s) | {type:'callerId', callerId} (decoded on-hook, per P863)
 *     | {type:'dialTone'} | {type:'disconnect', cause:'busyTone'|'polarity'|'loopCurrent'} (P712/P841, P28101, P893/P764)
 *     | {type:'polarity', reversed} | {type:'state', state}
 *   fxo.seize()   off-hook (answer, or take the line to dial)    fxo.release()   on-hook
 *   await fxo.dial('5551234')   DTMF with P3300 digit length, P3302 pause (',' = 1 s pause)
 *   fxo.setConnected()          the voice layer declares the call connected (with P28101 on, the port
 *                               does it itself on the answer reversal: a later reversal is the disconnect)
 *   await fxo.flash()           hook flash of P838 ms (the caller checks P837)
 *   fxo.audio.write / onFrame   as for the FXS port
 *
 * LEDs — leds.ts: LedBoard.panel() (Power blinks while StatusBoard 'device.state' is 'booting', if provided) → { power, wan, lan, fxs, fxo: 'off'|'on'|'slowBlink'|'fastBlink' } (table 4)
 * Lifeline — lifeline.ts: LifelineRelay { engaged, mode } (P891: auto / always disconnected / always connected)
 *
 * Simulated equipment (tests, `ht813 phone`) — sim/:
 *   const phone = new SimulatedPhone({ clock }); hw.plugPhone(phone);
 *   phone.offHook(); await phone.hears('dial'); await phone.dial('123') (DTMF) or dial('123', {method:'pulse'});
 *   await phone.flash(); phone.onHook(); await phone.waitRings(2); await phone.waitCallerId(); phone.callerId;
 *   phone.hearing (current label), phone.heard (history), phone.heardDigits, phone.messageWaiting,
 *   phone.audio.write(frame) (speak) / phone.audio.onFrame(fn) (listen), phone.speak(samples),
 *   phone.until(() => cond, 'what', ms), phone.polarityReversed / polarityReversals / batteryDrops /
 *   loopCurrent / ringHz / rings / ringing, phone.onChange(fn).
 *   With a FakeClock: start the wait, advance the clock, then await (timers resolve inside advance).
 *   Labels: 'dial' 'ringback' 'busy' 'reorder' 'confirmation' 'callWaiting' (the P4000-P4005 defaults, or
 *   new SimulatedPhone({clock, tones: [{label, tone: 'f1=...'}]})), 'silence', 'audio' (anything else),
 *   'fsk', 'cas', 'dtmf'; 'stutter' is an alias of 'confirmation' (the same 350+440 100/100 signal).
 *   A run of known frequencies longer than their cadences allow is 'audio' (a far end's 440 Hz tone).
 *   const co = new CentralOffice({ clock }); hw.plugLine(co);  co.call({number, name}) rings the line with
 *   caller ID; co.behaviour(number, 'answer'|'busy'|'noAnswer'|'reorder'); co.farEndHangUp(); co.dialed; co.audio.
 */
export * from './types';
export { Loop, type LoopExchangeEnd, type LoopTerminalEnd } from './loop';
export { HookDetector, DEFAULT_HOOK_TIMINGS, decodePulseCount, pulsesForDigit, type HookTimings, type PulseStandard } from './hook-detector';
export { ExchangeLine, FrameFifo } from './exchange-line';
export { SimFxsPort } from './fxs-port';
export { ToneClassifier, DEFAULT_TONES, type ToneLabelSpec, type HeardEvent } from './tone-classifier';
export { SimFxoPort } from './fxo-port';
export { LedBoard, type LedSources } from './leds';
export { LifelineRelay, LifelineBridge, type LifelineReason } from './lifeline';
export { HwService, createHwService, type LifelineStatus } from './service';
export { SimulatedPhone, type SimulatedPhoneOptions } from './sim/simulated-phone';
export { CentralOffice, type CentralOfficeOptions, type CoState, type NumberBehaviour } from './sim/central-office';
export * from './config';
