/**
 * DTMF in SIP INFO bodies (no RFC; the de-facto forms every ATA and PBX uses):
 *   application/dtmf-relay   "Signal=5\r\nDuration=160" (Signal also as RFC 4733 event codes 10–15)
 *   application/dtmf         "5"
 * Any other INFO is not DTMF (undefined): it is acknowledged and ignored.
 */
const EVENT_CODES = '0123456789*#ABCD';
/** Duration when the body gives none (ms). */
export const DEFAULT_INFO_DTMF_MS = 250;
export const MAX_INFO_DTMF_MS = 5000;

export type InfoDigit = { readonly digit: string; readonly durationMs: number } | { readonly problem: string };

export function dtmfFromInfo(contentType: string | undefined, body: string): InfoDigit | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/dtmf') {
    const d = body.trim().toUpperCase();
    return EVENT_CODES.includes(d) && d.length === 1 ? { digit: d, durationMs: DEFAULT_INFO_DTMF_MS } : { problem: `"${d.slice(0, 10)}" is not a DTMF digit` };
  }
  if (type !== 'application/dtmf-relay') return undefined;
  const fields = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  const signal = fields.get('signal');
  if (signal === undefined || signal === '') return { problem: 'Signal missing' };
  const s = signal.toUpperCase();
  const digit = /^\d{2}$/.test(s) && Number(s) < 16 ? EVENT_CODES[Number(s)]! : s.length === 1 && EVENT_CODES.includes(s) ? s : undefined;
  if (!digit) return { problem: `Signal "${signal.slice(0, 10)}" is not a DTMF digit` };
  const dur = fields.get('duration');
  if (dur !== undefined && !/^\d{1,6}$/.test(dur)) return { problem: `Duration "${dur.slice(0, 10)}" is not a number of milliseconds` };
  const ms = dur === undefined ? DEFAULT_INFO_DTMF_MS : Math.min(Number(dur), MAX_INFO_DTMF_MS);
  return { digit, durationMs: ms };
}
