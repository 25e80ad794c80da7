/**
 * Small pure codecs the call usages need: the message-summary body (RFC 3842 §5), the sipfrag
 * status line of a REFER's NOTIFY (RFC 3420, RFC 3515 §2.4.5), Replaces (RFC 3891 §6.1) and
 * Session-Expires / Min-SE (RFC 4028 §4, §5).
 */
import { DecodeError } from '../../shared/errors';

export interface MessageSummary {
  readonly waiting: boolean;
  /** Voice-Message: new/old (urgent counts ignored). */
  readonly newMessages?: number;
  readonly oldMessages?: number;
  readonly account?: string;
}

/** RFC 3842 §5.2: `Messages-Waiting: yes|no` first, then optional Message-Account and counts. */
export function decodeMessageSummary(body: string): MessageSummary {
  let waiting: boolean | undefined;
  let account: string | undefined;
  let voice: { n: number; o: number } | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = (m[1] as string).toLowerCase();
    const value = (m[2] as string).trim();
    if (name === 'messages-waiting') {
      if (!/^(yes|no)$/i.test(value)) throw new DecodeError(`Messages-Waiting must be yes or no, got ${JSON.stringify(value)}`, 0);
      waiting = value.toLowerCase() === 'yes';
    } else if (name === 'message-account') account = value;
    else if (name === 'voice-message') {
      const v = /^(\d+)\/(\d+)/.exec(value);
      if (v) voice = { n: Number(v[1]), o: Number(v[2]) };
    }
  }
  if (waiting === undefined) throw new DecodeError('message-summary without Messages-Waiting', 0);
  return { waiting, ...(account !== undefined ? { account } : {}), ...(voice ? { newMessages: voice.n, oldMessages: voice.o } : {}) };
}

export function encodeMessageSummary(s: MessageSummary): string {
  const lines = [`Messages-Waiting: ${s.waiting ? 'yes' : 'no'}`];
  if (s.account) lines.push(`Message-Account: ${s.account}`);
  if (s.newMessages !== undefined) lines.push(`Voice-Message: ${s.newMessages}/${s.oldMessages ?? 0}`);
  return lines.join('\r\n') + '\r\n';
}

/** RFC 3420: the status code of a message/sipfrag body's status line (`SIP/2.0 200 OK`). */
export function decodeSipfragStatus(body: string): number {
  const m = /^SIP\/2\.0\s+(\d{3})(?:\s|$)/.exec(body.trimStart());
  if (!m) throw new DecodeError('sipfrag without a SIP/2.0 status line', 0);
  return Number(m[1]);
}

export function encodeSipfrag(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}

export interface ReplacesValue {
  readonly callId: string;
  readonly toTag: string;
  readonly fromTag: string;
}

/** RFC 3891 §6.1: `callid;to-tag=x;from-tag=y`. */
export function encodeReplaces(r: ReplacesValue): string {
  return `${r.callId};to-tag=${r.toTag};from-tag=${r.fromTag}`;
}

export function decodeReplaces(v: string): ReplacesValue {
  const parts = v.split(';').map((p) => p.trim());
  const callId = parts[0];
  let toTag: string | undefined;
  let fromTag: string | undefined;
  for (const p of parts.slice(1)) {
    const [k, val] = p.split('=');
    if (k?.toLowerCase() === 'to-tag') toTag = val;
    else if (k?.toLowerCase() === 'from-tag') fromTag = val;
  }
  if (!callId || toTag === undefined || fromTag === undefined) throw new DecodeError('Replaces needs call-id, to-tag and from-tag', 0);
  return { callId, toTag, fromTag };
}

/** RFC 3891 §6.1 + RFC 3261 §19.1.1: Refer-To URI carrying an escaped Replaces header. */
export function referToWithReplaces(targetUri: string, r: ReplacesValue): string {
  const bare = targetUri.replace(/^<|>$/g, '').split('?')[0] as string;
  return `<${bare}?Replaces=${encodeURIComponent(encodeReplaces(r))}>`;
}

export interface SessionExpires {
  readonly seconds: number;
  readonly refresher?: 'uac' | 'uas';
}

/** RFC 4028 §4: `Session-Expires: 1800;refresher=uac` (compact `x`). */
export function decodeSessionExpires(v: string): SessionExpires {
  const m = /^\s*(\d+)\s*((?:;[^;]*)*)$/.exec(v);
  if (!m) throw new DecodeError(`bad Session-Expires ${JSON.stringify(v)}`, 0);
  const r = /;\s*refresher\s*=\s*(uac|uas)/i.exec(m[2] ?? '')?.[1]?.toLowerCase();
  return { seconds: Number(m[1]), ...(r === 'uac' || r === 'uas' ? { refresher: r } : {}) };
}

export function encodeSessionExpires(s: SessionExpires): string {
  return s.refresher ? `${s.seconds};refresher=${s.refresher}` : String(s.seconds);
}
