/**
 * The FXS line's handler map: what each state does on entry, hook, flash, digits and timers
 * (user guide "CALL OPERATIONS": hold, call waiting, blind/attended transfer, Bellcore 3-way
 * conference, flash digit control P28080; reference §1.6).
 */
import { dialDigit, evaluate, placeCall } from './fxs-dialing';
import { callerIdOf } from './fxs-incoming';
import type { FxsLine, LineHandlers, LineState } from './fxs-line';
import { bool, stutterTone } from './fxs-settings';
import type { Leg } from './leg';

/** Stutter length before the steady dial tone when a message waits (user guide "VM Notification": "first few seconds"). */
export const STUTTER_MS = 2000;

/** Total length of one pass of a tone string's cadence (`c=on/off-on/off...`), ms. */
export function cadenceMs(tone: string): number {
  const c = /c=([0-9/\-]+)/.exec(tone)?.[1];
  if (!c) return 0;
  return c.split(/[/-]/).reduce((sum, n) => sum + (Number(n) || 0), 0);
}

function playDialTone(line: FxsLine): void {
  const s = line.settings();
  if (line.messageWaiting) {
    line.tone(stutterTone(s.tones.dial));
    line.arm('stutter', STUTTER_MS);
  } else line.tone(s.tones.dial);
}

function resumeOther(line: FxsLine): void {
  const leg = line.other;
  if (!leg) return;
  line.other = undefined;
  line.active = leg;
  leg.resume();
  line.transition('talking');
}

/** Answers an incoming leg with our SDP; false when its offer cannot be answered (rejected). */
function answerLeg(line: FxsLine, leg: Leg): boolean {
  const r = leg.answer(leg.incomingOffer);
  if ('status' in r) {
    line.hangup(leg, r.status);
    return false;
  }
  leg.call.accept(r.sdp);
  return true;
}

/** The phone went on-hook with no call connected: ring back for a held call, else idle. */
function hookDown(line: FxsLine): void {
  if (line.other && !line.other.transferring) line.transition('recall');
  else if (line.waiting) {
    line.active = line.waiting;
    line.waiting = undefined;
    line.disarm('waitingTimeout');
    line.opts.line.stopCallWaiting();
    line.transition('ringing');
  } else line.transition('idle');
}

function swap(line: FxsLine): void {
  const a = line.active;
  const b = line.other;
  if (!a || !b) return;
  a.hold();
  b.resume();
  line.active = b;
  line.other = a;
  line.transition('talking');
}

function answerWaiting(line: FxsLine, dropCurrent: boolean): void {
  const w = line.waiting;
  if (!w) return;
  line.waiting = undefined;
  line.disarm('waitingTimeout');
  line.opts.line.stopCallWaiting();
  if (dropCurrent) line.hangup(line.active);
  else if (line.active) {
    line.active.hold();
    line.other = line.active;
  }
  line.active = w;
  if (!answerLeg(line, w)) {
    line.active = undefined;
    if (line.other) resumeOther(line);
    else line.transition('dialTone');
    return;
  }
  line.transition('talking');
}

/** RFC 3515 + RFC 3891: REFER `target` to the consult leg's party, replacing our dialog with it. */
function attendedTransfer(line: FxsLine, target: Leg, consult: Leg): void {
  target.transferring = true;
  consult.replacedBy = target;
  line.transferring.add(target);
  line.active = undefined;
  line.other = undefined;
  target.call.refer(consult.call.remote.uri, consult.call);
}

function talkingHangup(line: FxsLine): void {
  const a = line.active;
  const b = line.other;
  if (a && b && a.consult && a.state === 'confirmed') {
    attendedTransfer(line, b, a);
    line.transition('idle');
    return;
  }
  line.hangup(a);
  hookDown(line);
}

function talkingFlash(line: FxsLine): void {
  const s = line.settings();
  if (s.flashDigitControl && (line.other || line.waiting)) {
    line.transition('flashDigit');
    return;
  }
  if (line.waiting) return answerWaiting(line, false);
  const a = line.active;
  if (line.other && a) {
    if (a.consult && !s.conferenceDisabled) {
      line.other.resume();
      line.transition('conference');
    } else swap(line);
    return;
  }
  if (!a) return;
  // Hold and a second dial tone (user guide "Call Hold", first step of transfer and conference).
  a.hold();
  line.other = a;
  line.active = undefined;
  line.transition('dialTone');
}

const dialToneCommon: LineHandlers = {
  onHook: hookDown,
  flash(line) {
    if (line.other) resumeOther(line);
    else line.transition('dialTone');
  },
  digit(line, d) {
    if (line.state === 'dialTone') line.transition('dialing');
    dialDigit(line, d);
  },
};

export const HANDLERS: Readonly<Record<LineState, LineHandlers>> = {
  idle: {
    enter(line) {
      line.tone(undefined);
      line.route();
      line.digits = '';
    },
    offHook(line) {
      // table 5: "Device not registered" right after off hook when unregistered calls are not allowed (P109)
      const say = line.ivrEnabled() && !bool(line.opts.params, 109, true) && !line.opts.signalling.canCall();
      line.transition('dialTone', say ? 'notRegistered' : undefined);
    },
  },
  dialTone: {
    ...dialToneCommon,
    enter(line, arg) {
      line.digits = '';
      line.route();
      const s = line.settings();
      if (arg === 'notRegistered') {
        line.prompts.play(['notRegistered'], () => playDialTone(line));
        return;
      }
      if (arg === 'confirm') {
        line.tone(s.tones.confirmation);
        line.arm('confirm', Math.max(cadenceMs(s.tones.confirmation), 100));
        return;
      }
      playDialTone(line);
      if (s.offHookAutoDial && !line.other) line.arm('autoDial', s.offHookAutoDialDelayMs);
    },
    timeout(line, timer) {
      if (timer === 'stutter') line.tone(line.settings().tones.dial);
      else if (timer === 'confirm') playDialTone(line);
      else if (timer === 'autoDial') placeCall(line, line.settings().offHookAutoDial, {});
    },
  },
  dialing: {
    ...dialToneCommon,
    enter(line) {
      line.tone(undefined);
    },
    timeout(line, timer) {
      if (timer === 'digit') evaluate(line, true);
    },
  },
  calling: {
    enter(line) {
      line.tone(undefined);
      line.route();
    },
    onHook(line) {
      line.hangup(line.active);
      hookDown(line);
    },
    flash(line) {
      line.hangup(line.active);
      if (line.other) resumeOther(line);
      else line.transition('dialTone');
    },
    digit(line, d) {
      if (line.active?.state === 'early') line.active.sendDigit(d, line.settings().dtmfMethods);
    },
  },
  talking: {
    enter(line) {
      line.tone(undefined);
      line.route();
    },
    digit(line, d) {
      line.active?.sendDigit(d, line.settings().dtmfMethods);
    },
    flash: talkingFlash,
    onHook: talkingHangup,
  },
  conference: {
    enter(line) {
      line.tone(undefined);
      line.route();
    },
    digit(line, d) {
      const methods = line.settings().dtmfMethods;
      line.active?.sendDigit(d, methods);
      line.other?.sendDigit(d, methods);
    },
    flash(line) {
      // User guide "3-Way conferencing" 5: flash drops C (the party A called last).
      const a = line.active;
      const b = line.other;
      const c = a?.consult ? a : b?.consult ? b : a;
      const keep = c === a ? b : a;
      line.hangup(c);
      line.active = keep;
      line.other = undefined;
      if (keep) keep.consult = false;
      line.transition(keep ? 'talking' : 'dialTone');
    },
    onHook(line) {
      const a = line.active;
      const b = line.other;
      // P4560: transfer B to C on hang-up, else the conference ends for all.
      if (line.settings().transferOnConferenceHangup && a && b) {
        const consult = a.consult ? a : b;
        attendedTransfer(line, consult === a ? b : a, consult);
      } else {
        line.hangup(a);
        line.hangup(b);
      }
      line.transition('idle');
    },
  },
  flashDigit: {
    enter(line) {
      line.opts.line.connect([]);
      line.tone(line.settings().tones.dial);
      line.arm('flashDigit', line.settings().noKeyEntryMs);
    },
    digit(line, d) {
      // User guide "Flash Digit Control": 1 hang up current + resume held, 2 hold current + resume held, 3 conference, 4 transfer.
      const s = line.settings();
      if (d === '1') {
        if (line.waiting) return answerWaiting(line, true);
        line.hangup(line.active);
        if (line.other) return resumeOther(line);
        return line.transition('dialTone');
      }
      if (d === '2') {
        if (line.waiting) return answerWaiting(line, false);
        return swap(line);
      }
      if (d === '3' && line.active && line.other && !line.waiting && !s.conferenceDisabled) {
        line.other.resume();
        return line.transition('conference');
      }
      if (d === '4' && line.active && line.other && line.active.state === 'confirmed') {
        attendedTransfer(line, line.other, line.active);
        return line.transition('dialTone');
      }
      line.transition('talking');
    },
    flash(line) {
      line.transition('talking');
    },
    timeout(line) {
      line.transition('talking');
    },
    onHook: talkingHangup,
  },
  failed: {
    enter(line, arg) {
      const s = line.settings();
      line.route();
      line.tone(arg === 'busy' ? s.tones.busy : s.tones.reorder);
    },
    onHook: hookDown,
    flash(line) {
      if (line.other) resumeOther(line);
      else line.transition('dialTone');
    },
  },
  ringing: {
    enter(line) {
      const s = line.settings();
      const leg = line.active;
      line.route();
      line.tone(undefined);
      line.opts.line.ring(s.ringCadence, leg ? callerIdOf(leg.call.remote, line.opts.clock.now()) : undefined);
      if (s.ringTimeoutMs > 0) line.arm('ringTimeout', s.ringTimeoutMs);
      const fwd = line.opts.features.get().forwardNoAnswer;
      if (fwd) line.arm('forwardNoAnswer', s.delayedForwardMs);
    },
    offHook(line) {
      const leg = line.active;
      if (!leg) return line.transition('idle');
      line.opts.line.stopRing();
      if (answerLeg(line, leg)) line.transition('talking');
      else line.transition('idle');
    },
    timeout(line, timer) {
      const leg = line.active;
      if (timer === 'ringTimeout') {
        // P185: stop ringing and decline (480 Temporarily Unavailable).
        line.hangup(leg, 480);
        line.transition('idle');
      } else if (timer === 'forwardNoAnswer' && leg) {
        const target = line.opts.features.get().forwardNoAnswer;
        line.forget(leg);
        leg.end();
        if (target) leg.call.redirect(target);
        else leg.call.reject(480);
        line.transition('idle');
      }
    },
  },
  pstnRinging: {
    enter(line) {
      const s = line.settings();
      line.route();
      line.tone(undefined);
      line.opts.line.ring(s.ringCadence, line.pstnCallerId);
    },
    offHook(line) {
      const c = line.opts.pstn?.answer({ ended: (reason) => line.pstnEnded(reason) });
      if (!c) return line.transition('dialTone'); // the PSTN caller gave up as the phone was lifted
      line.pstnCall = c;
      line.transition('pstn');
    },
  },
  pstn: {
    enter(line) {
      line.tone(undefined);
      line.route();
    },
    onHook(line) {
      const c = line.pstnCall;
      line.pstnCall = undefined;
      c?.hangup();
      hookDown(line);
    },
    flash(line) {
      line.pstnCall?.flash();
    },
    // digits pressed now reach the line as the phone's own tones, through the audio
  },
  ivr: {
    enter(line) {
      line.tone(undefined);
      line.route();
      line.log.info('voice menu');
      line.openVoiceMenu();
    },
    digit(line, d) {
      const session = line.voiceMenu;
      if (!session || session.menu.state === 'done') return;
      // a key interrupts the prompt (or the dial tone of option 47) and is taken at once
      line.tone(undefined);
      line.disarm('digit');
      session.digit(d);
      if (line.state === 'ivr' && session.menu.collecting) line.arm('digit', line.settings().noKeyEntryMs);
    },
    timeout(line, timer) {
      if (timer === 'digit') line.voiceMenu?.timeout();
    },
    onHook: hookDown,
    flash(line) {
      line.transition('dialTone');
    },
  },
  recall: {
    enter(line) {
      const s = line.settings();
      const held = line.other;
      line.route();
      line.tone(undefined);
      line.opts.line.ring(s.ringCadence, held ? callerIdOf(held.call.remote, line.opts.clock.now()) : undefined);
      if (s.ringTimeoutMs > 0) line.arm('ringTimeout', s.ringTimeoutMs);
    },
    offHook(line) {
      line.opts.line.stopRing();
      resumeOther(line);
    },
    timeout(line) {
      line.hangup(line.other);
      line.transition('idle');
    },
  },
};
