/**
 * Digit collection on the FXS line (user guide "Placing a Phone Call"): local star codes first
 * (P191), then the dial plan P4200; `#` ends dialing when P72 says so (and redials as the first
 * key), the no-key-entry timeout P85 ends it otherwise; the prefix P66 goes in front of the
 * number. Feature codes that take a number (*72, *87, *47...) end on `#` or the timeout.
 */
import { decodeDirectIp, matchCodecSuffix, matchStarCode, type StarCodeKind } from '../features/star-codes';
import type { FxsLine } from './fxs-line';
import type { LineSettings } from './fxs-settings';
import type { Leg } from './leg';

interface CallModifiers {
  /** *67 / *82: caller ID for this call only. */
  readonly anonymous?: boolean;
  /** *70 / *71: call waiting for this call only. */
  readonly callWaiting?: boolean;
  /** RFC 3891 Replaces of a call we were referred to make. */
  readonly replaces?: string;
  /** *02: offer only this codec (SDP encoding name). */
  readonly codec?: string;
  /** *74: a paging call (the far end is asked to answer at once). */
  readonly paging?: boolean;
  /** *18 / *19: SRTP on or off for this call. */
  readonly srtp?: boolean;
  /** *23: join this call and the held one in a 3-way conference as soon as it answers. */
  readonly conference?: boolean;
}

const PER_CALL: ReadonlyMap<StarCodeKind, CallModifiers> = new Map<StarCodeKind, CallModifiers>([
  ['cidBlockCall', { anonymous: true }],
  ['cidSendCall', { anonymous: false }],
  ['cwOffCall', { callWaiting: false }],
  ['cwOnCall', { callWaiting: true }],
  ['pagingCall', { paging: true }],
  ['srtpOnCall', { srtp: true }],
  ['srtpOffCall', { srtp: false }],
  ['conferenceCall', { conference: true }],
  // *03 "disable LEC for this call": the unit has no line echo canceller to disable, so the code
  // only dials the number (stated in the closing note rather than pretending to act on it).
  ['lecOffCall', {}],
]);

export function dialDigit(line: FxsLine, d: string): void {
  const s = line.settings();
  if (d === '#' && s.poundIsDialKey) {
    if (line.digits === '') {
      // User guide table 6: `#` serves as the re-dial key.
      const last = line.opts.features.get().lastDialed;
      if (last) placeCall(line, last, {});
      else line.transition('failed', 'reorder');
      return;
    }
    evaluate(line, true);
    return;
  }
  line.digits += d;
  evaluate(line, false);
}

/** Dialed from a fresh dial tone, opens the voice menu (user guide "Accessing VM" step 2). */
export const IVR_CODE = '***';

/** Decides what the digits so far mean; `final` on `#` or the no-key-entry timeout. */
export function evaluate(line: FxsLine, final: boolean): void {
  const s = line.settings();
  const digits = line.digits;
  if (!line.other && line.ivrEnabled()) {
    if (digits === IVR_CODE) return line.transition('ivr');
    // `*` and `**` may still become `***` (no star code nor dial plan takes `**`)
    if (!final && IVR_CODE.startsWith(digits)) return line.arm('digit', s.noKeyEntryMs);
  }
  const sc = matchStarCode(digits, s.starCodes, final);
  switch (sc.status) {
    case 'prefix':
      if (final) dialPlan(line, s, digits, true, {});
      else line.arm('digit', s.noKeyEntryMs);
      return;
    case 'complete':
      runFeature(line, sc.kind, '');
      return;
    case 'collecting': {
      if (sc.kind === 'forcedCodec') return forcedCodec(line, s, sc.arg, final);
      const mods = PER_CALL.get(sc.kind);
      if (mods) {
        // "No dial tone is played in the middle": the number follows the code and meets the dial plan.
        if (sc.arg === '') {
          if (final) line.transition('failed', 'reorder');
          else line.arm('digit', s.noKeyEntryMs);
        } else dialPlan(line, s, sc.arg, final, mods);
        return;
      }
      if (final) runFeature(line, sc.kind, sc.arg);
      else line.arm('digit', s.noKeyEntryMs);
      return;
    }
    case 'none':
      dialPlan(line, s, digits, final, {});
      return;
  }
}

/**
 * User guide table 6 *02: a codec suffix (*027110 PCMU, *027111 PCMA...), then the number, no
 * dial tone between. A codec this unit does not implement cannot be forced: reorder.
 */
function forcedCodec(line: FxsLine, s: LineSettings, arg: string, final: boolean): void {
  const m = matchCodecSuffix(arg, s.codecSuffixes);
  if (m.status === 'found') {
    const implemented = line.opts.media.implementedCodecs().some((c) => c.toLowerCase() === m.encoding.toLowerCase());
    if (!implemented) {
      line.log.info({ codec: m.encoding }, '*02: this codec is not implemented here; it cannot be forced');
      line.transition('failed', 'reorder');
      return;
    }
    if (m.number !== '') return dialPlan(line, s, m.number, final, { codec: m.encoding });
  }
  if (final || m.status === 'none') line.transition('failed', 'reorder');
  else line.arm('digit', s.noKeyEntryMs);
}

function dialPlan(line: FxsLine, s: LineSettings, digits: string, final: boolean, mods: CallModifiers): void {
  // P195 alone: the phone is put on the PSTN line and dials there itself
  if (s.pstnAccessCode !== '' && digits === s.pstnAccessCode && Object.keys(mods).length === 0) return pstnCall(line, '');
  const v = line.opts.dialPlan.match(s.dialPlan, digits);
  if (v.status === 'complete' || (v.status === 'match-more' && final)) {
    // user guide "Route Calls to PSTN": `L:` rules go out on the FXO line
    if (v.pstn) return pstnCall(line, v.number);
    placeCall(line, s.prefix + v.number, mods);
    return;
  }
  if (v.status === 'no-match' || final) {
    line.log.info({ digits }, 'dialed number does not match the dial plan');
    line.transition('failed', 'reorder');
    return;
  }
  line.arm('digit', s.noKeyEntryMs);
}

/** Puts the phone on the PSTN line, dialing `number` there ('' = the phone dials); reorder when the line is busy or absent. */
function pstnCall(line: FxsLine, number: string): void {
  const c = line.opts.pstn?.call(number, { ended: (reason) => line.pstnEnded(reason) });
  if (!c) {
    line.log.info({ number }, 'the PSTN line is busy or absent');
    line.transition('failed', 'reorder');
    return;
  }
  line.pstnCall = c;
  line.transition('pstn');
}

/** Places an outgoing call on a fresh leg: a number for the account's server, or a sip: URI. */
export function placeCall(line: FxsLine, target: string, mods: CallModifiers, redirects = 0): Leg | undefined {
  const s = line.settings();
  const f = line.opts.features.get();
  if (!line.opts.signalling.canCall()) {
    line.log.info({ target }, 'cannot call: account not registered and P109 forbids unregistered calls');
    line.transition('failed', 'reorder');
    return undefined;
  }
  const leg = line.newLeg(mods.codec, mods.srtp);
  let offer: string;
  try {
    offer = leg.offer();
  } catch (e) {
    line.log.warn({ err: (e as Error).message }, 'cannot build an SDP offer');
    leg.end();
    line.forget(leg);
    line.transition('failed', 'reorder');
    return undefined;
  }
  const anonymous = mods.anonymous ?? f.cidBlock ?? s.sendAnonymous;
  let call;
  try {
    call = line.opts.signalling.invite({ target, offer, anonymous, ...(mods.replaces ? { replaces: mods.replaces } : {}), ...(mods.paging ? { paging: true } : {}) });
  } catch (e) {
    // no route to the target (SIP server unresolved, account not running): reorder, nothing left open
    line.log.warn({ target, err: (e as Error).message }, 'cannot send the INVITE');
    leg.end();
    line.forget(leg);
    line.transition('failed', 'reorder');
    return undefined;
  }
  leg.attach(call);
  leg.remoteNumber = target;
  leg.cwOverride = mods.callWaiting;
  leg.consult = line.other !== undefined;
  leg.autoConference = mods.conference === true && leg.consult;
  leg.redirects = redirects;
  line.bind(leg);
  line.active = leg;
  if (redirects === 0 && !mods.replaces) line.opts.features.update({ lastDialed: target });
  line.transition('calling');
  return leg;
}

/** RFC 3261 §8.1.3.4: a 3xx target becomes a new call from the same line state. */
export function placeRedirect(line: FxsLine, contact: string, hops: number): void {
  const uri = /<([^>]+)>/.exec(contact)?.[1] ?? contact.trim();
  placeCall(line, uri, {}, hops);
}

function confirm(line: FxsLine): void {
  line.transition('dialTone', 'confirm');
}

/** Runs a complete local feature code (reference §1.9; user guide table 6). */
export function runFeature(line: FxsLine, kind: StarCodeKind, arg: string): void {
  const features = line.opts.features;
  line.log.info({ feature: kind }, 'star code');
  const needsArg = (fn: () => void): void => {
    if (arg === '') line.transition('failed', 'reorder');
    else fn();
  };
  switch (kind) {
    case 'cidBlockOn':
    case 'cidBlockOff':
      features.update({ cidBlock: kind === 'cidBlockOn' });
      return confirm(line);
    case 'cwOff':
    case 'cwOn':
      features.update({ cwDisabled: kind === 'cwOff' });
      return confirm(line);
    case 'dndOn':
    case 'dndOff':
      features.update({ dnd: kind === 'dndOn' });
      return confirm(line);
    case 'srtpOn':
    case 'srtpOff':
      features.update({ srtp: kind === 'srtpOn' });
      return confirm(line);
    case 'forwardAllOn':
      return needsArg(() => (features.update({ forwardAll: arg }), confirm(line)));
    case 'forwardBusyOn':
      return needsArg(() => (features.update({ forwardBusy: arg }), confirm(line)));
    case 'forwardNoAnswerOn':
      return needsArg(() => (features.update({ forwardNoAnswer: arg }), confirm(line)));
    case 'forwardAllOff':
      features.update({ forwardAll: undefined });
      return confirm(line);
    case 'forwardBusyOff':
      features.update({ forwardBusy: undefined });
      return confirm(line);
    case 'forwardNoAnswerOff':
      features.update({ forwardNoAnswer: undefined });
      return confirm(line);
    case 'callReturn': {
      const last = features.get().lastIncoming;
      if (last) placeCall(line, last, {});
      else line.transition('failed', 'reorder');
      return;
    }
    case 'directIp': {
      const t = decodeDirectIp(arg);
      if (t) placeCall(line, `sip:${t.host}:${t.port}`, {});
      else line.transition('failed', 'reorder');
      return;
    }
    case 'blindTransfer':
      return needsArg(() => blindTransfer(line, arg));
    case 'cidBlockCall':
    case 'cidSendCall':
    case 'cwOffCall':
    case 'cwOnCall':
    case 'forcedCodec':
    case 'lecOffCall':
    case 'pagingCall':
    case 'srtpOnCall':
    case 'srtpOffCall':
    case 'conferenceCall':
      // Only reached without a number: nothing to call.
      line.transition('failed', 'reorder');
      return;
  }
}

/** User guide "Blind Transfer": flash, *87 + number, dial tone; REFER to the held party (RFC 3515). */
function blindTransfer(line: FxsLine, number: string): void {
  const held = line.other;
  if (!held) {
    line.transition('failed', 'reorder');
    return;
  }
  const s = line.settings();
  const v = line.opts.dialPlan.match(s.dialPlan, number);
  const target = v.status === 'complete' || v.status === 'match-more' ? s.prefix + v.number : number;
  held.transferring = true;
  line.transferring.add(held);
  line.other = undefined;
  held.call.refer(target);
  line.transition('dialTone');
}
