/**
 * POSIX TZ strings (IEEE Std 1003.1, 8.3 "TZ"; the HT813's P64 list and P246 self-defined zone):
 *   std offset [dst [offset] [,start[/time],end[/time]]]
 * e.g. `EST5EDT,M3.2.0,M11.1.0`, `<+0545>-5:45`, `NZST-12NZDT,M9.5.0,M4.1.0/3`. Offsets in the
 * string are west of UTC; this module answers east of UTC in minutes, as clocks are read.
 * Rules: Mm.w.d (week 5 = last), Jn (1–365, no 29 Feb), n (0–365). Transition times default to
 * 02:00 and may be negative or beyond 24 h (RFC 8536 §3.3.1 extension).
 */
const MIN = 60_000;
const DAY = 86_400_000;

type Rule = { kind: 'M'; month: number; week: number; day: number; timeSec: number } | { kind: 'J' | 'n'; day: number; timeSec: number };

export interface PosixTz {
  /** Standard time, east of UTC, minutes. */
  readonly stdOffsetMin: number;
  /** Daylight time, east of UTC, minutes; undefined for a zone without DST. */
  readonly dstOffsetMin?: number;
  readonly start?: Rule;
  readonly end?: Rule;
}

/**
 * [chosen] A zone naming a DST abbreviation without rules (`EST5EDT`) follows the US rules in
 * force since 2007 (M3.2.0,M11.1.0), as glibc's fallback `posixrules` does; POSIX leaves it open.
 */
const DEFAULT_RULES = 'M3.2.0,M11.1.0';

const NAME = String.raw`(?:<[^>]+>|[A-Za-z]{3,})`;
const OFFSET = String.raw`([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?`;

function seconds(sign: string, h: string, m?: string, s?: string): number {
  const v = Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
  return sign === '-' ? -v : v;
}

function parseRule(r: string): Rule | undefined {
  const [date, time] = r.split('/');
  const t = time === undefined ? 7200 : /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(time);
  if (t === null) return undefined;
  const timeSec = typeof t === 'number' ? t : seconds(t[1]!, t[2]!, t[3], t[4]);
  let m: RegExpExecArray | null;
  if ((m = /^M(\d{1,2})\.([1-5])\.([0-6])$/.exec(date ?? ''))) {
    const month = Number(m[1]);
    return month >= 1 && month <= 12 ? { kind: 'M', month, week: Number(m[2]), day: Number(m[3]), timeSec } : undefined;
  }
  if ((m = /^J(\d{1,3})$/.exec(date ?? ''))) return Number(m[1]) >= 1 && Number(m[1]) <= 365 ? { kind: 'J', day: Number(m[1]), timeSec } : undefined;
  if ((m = /^(\d{1,3})$/.exec(date ?? ''))) return Number(m[1]) <= 365 ? { kind: 'n', day: Number(m[1]), timeSec } : undefined;
  return undefined;
}

/** undefined when the string is not a POSIX TZ. */
export function parsePosixTz(tz: string): PosixTz | undefined {
  const m = new RegExp(`^${NAME}${OFFSET}(?:(${NAME})(?:${OFFSET})?(?:,([^,]+),([^,]+))?)?$`).exec(tz.trim());
  if (!m) return undefined;
  const std = -seconds(m[1]!, m[2]!, m[3], m[4]) / 60;
  if (m[5] === undefined) return { stdOffsetMin: std };
  const dst = m[7] === undefined ? std + 60 : -seconds(m[6]!, m[7], m[8], m[9]) / 60;
  const [a, b] = m[10] === undefined ? DEFAULT_RULES.split(',') : [m[10], m[11]!];
  const start = parseRule(a!);
  const end = parseRule(b!);
  if (!start || !end) return undefined;
  return { stdOffsetMin: std, dstOffsetMin: dst, start, end };
}

/** ms since the epoch of a rule's transition in `year`, on the local clock of `offsetMin` (the time in force before it). */
function transition(r: Rule, year: number, offsetMin: number): number {
  let day: number; // ms of local midnight of the transition day, as if UTC
  if (r.kind === 'M') {
    const first = Date.UTC(year, r.month - 1, 1);
    const firstDow = new Date(first).getUTCDay();
    let d = 1 + ((r.day - firstDow + 7) % 7) + (r.week - 1) * 7;
    const inMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
    while (d > inMonth) d -= 7;
    day = Date.UTC(year, r.month - 1, d);
  } else if (r.kind === 'J') {
    // Jn counts 1..365 without 29 February: day 60 is always 1 March.
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
    day = Date.UTC(year, 0, 1) + (r.day - 1 + (leap && r.day >= 60 ? 1 : 0)) * DAY;
  } else {
    day = Date.UTC(year, 0, 1) + r.day * DAY;
  }
  return day + r.timeSec * 1000 - offsetMin * MIN;
}

/** The zone's offset east of UTC (minutes) at the instant `utcMs`. */
export function offsetAt(z: PosixTz, utcMs: number): number {
  if (z.dstOffsetMin === undefined || !z.start || !z.end) return z.stdOffsetMin;
  const year = new Date(utcMs + z.stdOffsetMin * MIN).getUTCFullYear();
  const start = transition(z.start, year, z.stdOffsetMin);
  const end = transition(z.end, year, z.dstOffsetMin);
  // Northern zones: DST between start and end; southern zones (start after end): outside them.
  const inDst = start < end ? utcMs >= start && utcMs < end : utcMs >= start || utcMs < end;
  return inDst ? z.dstOffsetMin : z.stdOffsetMin;
}

/** The UTC instant of a local wall-clock time (ms "as if UTC"); in a skipped hour, the instant after the jump. */
export function wallToUtc(z: PosixTz, wallMs: number): number {
  const std = wallMs - z.stdOffsetMin * MIN;
  if (z.dstOffsetMin === undefined) return std;
  const dst = wallMs - z.dstOffsetMin * MIN;
  // Prefer the reading whose offset is the one in force at that instant (ambiguous hour: the earlier).
  const okDst = offsetAt(z, dst) === z.dstOffsetMin;
  const okStd = offsetAt(z, std) === z.stdOffsetMin;
  if (okDst && okStd) return Math.min(dst, std);
  if (okDst) return dst;
  if (okStd) return std;
  return Math.max(dst, std);
}
