/**
 * When the next automatic reboot falls (reference §1.2, HT813 template "Automatic Reboot"):
 * P21929 0 no, 1 every day at hour P21930, 2 every week on day P21931 (0 = Sunday, as P286) at
 * that hour, 3 every month on day P28118 at that hour. On the unit's wall clock: the POSIX zone
 * P64/P246 with its daylight-saving rules (cpe/shared/posix-tz.ts). A pure function of now and
 * the settings.
 *
 * [?] P28118 is "Day of the Month (0-30)" in the template; we read it 0-based like the week day
 * (0 = the 1st, 30 = the 31st), and a day the month does not have is its last day (day 30 in
 * February = 28th or 29th), so a monthly reboot never skips a month.
 */
import { offsetAt, parsePosixTz, wallToUtc, type PosixTz } from '../shared/posix-tz';
import { posixTzOffsetMin } from '../provision/schedule';

export type RebootMode = 'off' | 'daily' | 'weekly' | 'monthly';

export interface RebootSettings {
  readonly mode: RebootMode;
  /** P21930, 0–23 */
  readonly hour: number;
  /** P21931, 0–6 (0 = Sunday) */
  readonly weekDay: number;
  /** P28118, 0–30 (0 = the 1st) */
  readonly monthDay: number;
  readonly zone: PosixTz;
}

/** The P-values the schedule depends on: a change to any of them re-arms it at once. */
export const REBOOT_PVALUES: ReadonlySet<number> = new Set([21929, 21930, 21931, 28118, 64, 246]);

const MODES: Readonly<Record<string, RebootMode>> = { '1': 'daily', '2': 'weekly', '3': 'monthly' };
const MIN = 60_000;
const DAY = 86_400_000;

export function rebootSettings(get: (id: number) => string): RebootSettings {
  const tz = get(64) === 'customize' ? get(246) : get(64);
  return {
    mode: MODES[get(21929)] ?? 'off',
    hour: Number(get(21930)),
    weekDay: Number(get(21931)),
    monthDay: Number(get(28118)),
    zone: parsePosixTz(tz) ?? { stdOffsetMin: posixTzOffsetMin(tz) },
  };
}

/** The first instant after `now` (ms) at which the unit reboots, or undefined when automatic reboot is off. */
export function nextRebootTime(now: number, s: RebootSettings): number | undefined {
  if (s.mode === 'off') return undefined;
  // Walk the local calendar from today: the first matching day whose reboot hour is still ahead.
  const wallNow = now + offsetAt(s.zone, now) * MIN;
  const today = Math.floor(wallNow / DAY) * DAY;
  for (let d = 0; d <= 62; d++) {
    const day = today + d * DAY;
    if (!matches(day, s)) continue;
    const at = wallToUtc(s.zone, day + s.hour * 60 * MIN);
    if (at > now) return at;
  }
  return undefined;
}

/** Whether the local day starting at `dayMs` (ms "as if UTC", midnight) is a reboot day. */
function matches(dayMs: number, s: RebootSettings): boolean {
  const date = new Date(dayMs);
  switch (s.mode) {
    case 'daily':
      return true;
    case 'weekly':
      return date.getUTCDay() === s.weekDay;
    case 'monthly': {
      const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      return date.getUTCDate() === Math.min(s.monthDay + 1, last);
    }
    default:
      return false;
  }
}
