/**
 * When the next automatic check falls (user guide "Managing Firmware and Configuration File
 * Download"; reference §1.3): P22296 0 no, 1 every P193 minutes, 2 daily in the hour window
 * P285..P8459, 3 weekly on day P286 (0 = Sunday) at hour P285. P8458 randomises the time: the
 * first interval check after a boot or a settings change falls anywhere within the interval,
 * daily and weekly checks anywhere within the hour window. Calendar math through node-schedule's
 * RecurrenceRule on the unit's wall clock: the POSIX zone P64/P246 with its daylight-saving rules
 * (cpe/shared/posix-tz.ts), so "01:00" stays 01:00 local across DST changes. A pure function of
 * now, the settings and one random number.
 */
import { RecurrenceRule } from 'node-schedule';
import { offsetAt, parsePosixTz, wallToUtc, type PosixTz } from '../shared/posix-tz';

export interface ScheduleSettings {
  /** P22296 */
  readonly mode: string;
  /** P193, minutes */
  readonly intervalMin: number;
  /** P285 / P8459 */
  readonly startHour: number;
  readonly endHour: number;
  /** P286 */
  readonly weekDay: number;
  /** P8458 */
  readonly randomized: boolean;
  /** East of UTC, minutes: the standard offset of P64 / P246 (used alone when `zone` is absent). */
  readonly utcOffsetMin: number;
  /** The zone with its DST rules, when P64 / P246 is a complete POSIX TZ. */
  readonly zone?: PosixTz;
}

/** The P-values the schedule depends on: a change to any of them re-arms it at once. */
export const SCHEDULE_PVALUES: ReadonlySet<number> = new Set([22296, 194, 193, 285, 8459, 286, 8458, 64, 246]);

const MIN = 60_000;
const HOUR = 60 * MIN;

export function scheduleSettings(get: (id: number) => string): ScheduleSettings {
  const tz = get(64) === 'customize' ? get(246) : get(64);
  const zone = parsePosixTz(tz);
  return {
    mode: get(22296),
    intervalMin: Number(get(193)),
    startHour: Number(get(285)),
    endHour: Number(get(8459)),
    weekDay: Number(get(286)),
    randomized: get(8458) === '1',
    utcOffsetMin: posixTzOffsetMin(tz),
    ...(zone ? { zone } : {}),
  };
}

/**
 * The standard-time offset of a POSIX TZ string, east of UTC in minutes: `EST5EDT` → -300,
 * `TZO-1` → 60, `NST+3:30NDT...` → -210, `<+0545>-5:45` → 345. 0 when there is none.
 */
export function posixTzOffsetMin(tz: string): number {
  const z = parsePosixTz(tz);
  if (z) return z.stdOffsetMin;
  // Not a complete TZ (e.g. one DST rule only): its standard offset still counts.
  const m = /^(?:<[^>]*>|[A-Za-z]{3,})([+-]?)(\d{1,2})(?::(\d{2}))?/.exec(tz.trim());
  if (!m) return 0;
  const min = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? min : -min;
}

/**
 * The time (ms) of the next check after `now`, or undefined when automatic checks are off.
 * `spread` is a random number in [0, 1), used only when P8458 randomises. `first` is true for the
 * first arming after a boot or a change of these settings.
 */
export function nextCheckTime(now: number, s: ScheduleSettings, spread: number, first: boolean): number | undefined {
  switch (s.mode) {
    case '1': {
      const interval = Math.max(1, s.intervalMin) * MIN;
      return first && s.randomized ? now + Math.max(MIN, Math.floor(spread * interval)) : now + interval;
    }
    case '2':
    case '3': {
      const rule = new RecurrenceRule();
      rule.tz = 'Etc/UTC';
      rule.hour = s.startHour;
      rule.minute = 0;
      rule.second = 0;
      if (s.mode === '3') rule.dayOfWeek = s.weekDay;
      const zone: PosixTz = s.zone ?? { stdOffsetMin: s.utcOffsetMin };
      // On the wall-clock axis: now as the local clock reads it, the next occurrence there, back to UTC.
      let from = now;
      for (let i = 0; i < 3; i++) {
        const next = rule.nextInvocationDate(new Date(from + offsetAt(zone, from) * MIN));
        if (!next) return undefined;
        const at = wallToUtc(zone, next.getTime());
        // A fall-back hour can give an instant not after now: look again from just after it.
        if (at > now) return s.randomized ? at + Math.floor(spread * windowLength(s)) : at;
        from = at + MIN;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Daily window from P285 to P8459 (wrapping midnight; equal hours = the whole day). */
function windowLength(s: ScheduleSettings): number {
  const h = (s.endHour - s.startHour + 24) % 24;
  return (h === 0 ? 24 : h) * HOUR;
}
