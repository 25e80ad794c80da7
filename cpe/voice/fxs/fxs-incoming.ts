/**
 * An incoming INVITE on the FXS account (user guide "Call Waiting", "CALL FEATURES"): anonymous
 * call rejection P129 (RFC 5079 433), DND *78 (486), unconditional forward *72 (302), ring when
 * idle, call waiting during a single call unless P91 / *50 / *70 say no or it is a fax, otherwise busy (busy
 * forward *90, else 486).
 */
import type { CallerIdInfo, IncomingCallInfo, RemoteParty } from './ports';
import type { FxsLine } from './fxs-line';

export function callerIdOf(remote: RemoteParty, now: number): CallerIdInfo {
  if (remote.anonymous) return { private: true, time: now };
  return { time: now, ...(remote.number ? { number: remote.number } : {}), ...(remote.displayName ? { name: remote.displayName } : {}) };
}

export function onIncoming(line: FxsLine, info: IncomingCallInfo): void {
  const s = line.settings();
  const features = line.opts.features;
  const f = features.get();
  const remote = info.call.remote;
  line.log.info({ from: remote.uri, anonymous: remote.anonymous, state: line.state }, 'incoming call');
  if (info.replaces) return replaceCall(line, info);
  if (s.anonymousRejection && remote.anonymous) {
    info.call.reject(433, 'Anonymity Disallowed');
    return;
  }
  if (!remote.anonymous) features.update({ lastIncoming: remote.number ?? remote.uri });
  if (f.dnd) {
    info.call.reject(486, 'Do Not Disturb');
    return;
  }
  if (f.forwardAll) {
    info.call.redirect(f.forwardAll);
    return;
  }
  const leg = line.acceptIncoming(info);
  leg.incomingOffer = info.offer;
  const unusable = leg.canAnswer(info.offer);
  if (unusable !== undefined) {
    line.hangup(leg, unusable);
    return;
  }
  if (line.state === 'idle' && !line.offHook) {
    line.active = leg;
    info.call.ringing();
    line.transition('ringing');
    return;
  }
  // a call-waiting tone would break a fax page: a call in fax pass-through is busy
  const cwAllowed = !line.active?.faxPassThrough && (line.active?.cwOverride ?? !(f.cwDisabled ?? s.callWaitingDisabled));
  if (line.state === 'talking' && line.active && !line.other && !line.waiting && cwAllowed) {
    line.waiting = leg;
    info.call.ringing();
    line.opts.line.alertCallWaiting(s.callWaitingToneDisabled ? undefined : s.tones.callWaiting, s.callWaitingCallerIdDisabled ? undefined : callerIdOf(remote, line.opts.clock.now()));
    if (s.ringTimeoutMs > 0) {
      line.arm('waitingTimeout', s.ringTimeoutMs, () => {
        if (line.waiting === leg) line.hangup(leg, 480);
      });
    }
    return;
  }
  // Busy (RFC 3261 §21.4.24 486), or busy forward.
  line.forget(leg);
  leg.end();
  if (f.forwardBusy) info.call.redirect(f.forwardBusy);
  else info.call.reject(486, 'Busy Here');
}

/** RFC 3891 §3: an INVITE with Replaces takes over one of our calls at once (no ringing); the old dialog gets BYE. */
function replaceCall(line: FxsLine, info: IncomingCallInfo): void {
  const old = line.allLegs().find((l) => l.hasCall && l.call === info.replaces);
  if (!old) {
    info.call.reject(481, 'Call/Transaction Does Not Exist');
    return;
  }
  const leg = line.acceptIncoming(info);
  leg.incomingOffer = info.offer;
  const r = leg.answer(info.offer);
  if ('status' in r) {
    line.hangup(leg, r.status);
    return;
  }
  leg.call.accept(r.sdp);
  if (line.active === old) line.active = leg;
  else if (line.other === old) line.other = leg;
  leg.consult = old.consult;
  line.log.info({ old: old.id, leg: leg.id }, 'call replaced (RFC 3891)');
  line.hangup(old);
  line.route();
}
