/**
 * Profile 1 P-values for signalling and RTP (reference §1.7), read when used: P109 unregistered
 * calls, P272 100rel, P2395/P260/P261/P262/P263/P266/P267 session timers; P133/P132 jitter
 * buffer, P28173/P28177 RFC 2833 counts, P291 symmetric RTP, P2392 RTCP; P39 local RTP port;
 * the identity headers of either profile (P2338/P2339, P2438/P2439).
 */
import { jitterLengthFromP132, jitterModeFromP133 } from '../../media/jitter-buffer';
import { num, type ParamReader } from '../fxs/fxs-settings';
import type { RtpSettings } from './rtp-media-session';
import type { SessionTimerSettings } from './session-timer';
import { readIdentityHeaders } from './identity-headers';
import type { SignallingSettings } from './sip-signalling';

const refresher = (v: number): 0 | 1 | 2 => (v === 1 ? 1 : v === 2 ? 2 : 0);

export function readSessionTimer(p: ParamReader): SessionTimerSettings {
  return {
    enabled: num(p, 2395, 1) === 1,
    expiresS: num(p, 260, 180),
    minSeS: num(p, 261, 90),
    callerRequests: num(p, 262, 0) === 1,
    calleeRequests: num(p, 263, 0) === 1,
    uacRefresher: refresher(num(p, 266, 0)),
    uasRefresher: refresher(num(p, 267, 1)),
  };
}

/** `profile` picks the identity-header column (P2338/P2339 or P2438/P2439); the rest reads profile 1. */
export function readSignallingSettings(p: ParamReader, profile: 1 | 2 = 1): SignallingSettings {
  return {
    allowUnregistered: num(p, 109, 1) === 1, rel100: num(p, 272, 0) === 1, sessionTimer: readSessionTimer(p),
    identityHeaders: readIdentityHeaders(p, profile),
  };
}

export function readRtpSettings(p: ParamReader, cname: string): RtpSettings {
  return {
    jitter: { mode: jitterModeFromP133(num(p, 133, 1)), length: jitterLengthFromP132(num(p, 132, 1)) },
    eventCount: num(p, 28173, 8),
    endCount: num(p, 28177, 3),
    symmetric: num(p, 291, 0) === 1,
    rtcp: num(p, 2392, 1) === 1,
    cname,
  };
}

/** P39 local RTP port (default 5004), plus the fleet port offset. */
export function rtpBasePort(p: ParamReader, offset: number): number {
  const base = num(p, 39, 5004);
  return (base % 2 === 0 ? base : base + 1) + offset;
}

/** P739: the FXO account's local RTP port (default 5012), plus the fleet port offset. */
export function fxoRtpPort(p: ParamReader, offset: number): number {
  const base = num(p, 739, 5012);
  return (base % 2 === 0 ? base : base + 1) + offset;
}
