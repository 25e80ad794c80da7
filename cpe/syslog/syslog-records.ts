/**
 * A unit's log record, or a SIP message it sent or received, as an RFC 5424 message. The header
 * choices, where RFC 5424 leaves them to the sender and the HT813 guide says nothing:
 * - HOSTNAME (§6.2.4): the unit's WAN MAC, 12 lower-case hex digits. A software unit has no FQDN,
 *   and its address may be a loopback one (fleets on 127.1.x.y); the MAC names the unit in every
 *   other place (cfg<mac>, DevId, the JSON logs). The address goes in [origin ip] (§7.2.1).
 * - APP-NAME (§6.2.5): `HT813`. PROCID (§6.2.6): NILVALUE (one process holds many units).
 * - MSGID (§6.2.7): the subsystem that logged (`sip`, `provision`, `cwmp`, `syslog`, ...);
 *   `sip-message` for the SIP messages of P1387.
 * - FACILITY (§6.2.1): local0. SEVERITY from the level: error 3, warn 4, info 6, debug/trace 7.
 * - STRUCTURED-DATA: [meta sequenceId] (§7.3.1) counts every message the unit made, so a gap at
 *   the server shows a loss (UDP, or the queue's drop-oldest); [origin ip software swVersion] (§7.2).
 * - TIMESTAMP (§6.2.3): UTC with milliseconds, from the unit's clock.
 * - MSG: the record's text, then its other fields as JSON; secrets masked (redact.ts, sip-mask.ts).
 */
import type { LogLevel, TappedRecord, TappedWireMessage } from '../shared/log-tap';
import { fieldsJson, type SecretValues } from './redact';
import { maskSipText } from './sip-mask';
import { FACILITY, SEVERITY, syslogTimestamp, type SdElement, type SyslogMessage } from './syslog-message';

export const APP_NAME = 'HT813';
export const SIP_MSGID = 'sip-message';

/** Who the messages come from. */
export interface Origin {
  readonly mac: string;
  readonly ip: string;
  readonly swVersion: string;
}

const LEVEL_SEVERITY: Readonly<Record<LogLevel, number>> = {
  error: SEVERITY.error,
  warn: SEVERITY.warning,
  info: SEVERITY.informational,
  debug: SEVERITY.debug,
  trace: SEVERITY.debug,
};

export function recordMessage(r: TappedRecord, o: Origin, sequenceId: number, now: number, secrets: SecretValues): SyslogMessage {
  const { subsystem, ...bound } = r.bindings;
  let text: string;
  let fields: Record<string, unknown>;
  if (typeof r.obj === 'string') {
    text = r.obj;
    fields = bound;
  } else if (r.obj instanceof Error) {
    // log.error(err) as pino takes it
    text = r.msg ?? r.obj.message;
    fields = { ...bound, err: r.obj.message };
  } else {
    text = r.msg ?? '';
    fields = { ...bound, ...(r.obj as Record<string, unknown>) };
  }
  const json = Object.keys(fields).length > 0 ? fieldsJson(fields) : '';
  return {
    facility: FACILITY.local0,
    severity: LEVEL_SEVERITY[r.level],
    timestamp: syslogTimestamp(now),
    hostname: o.mac,
    appName: APP_NAME,
    msgId: msgIdOf(subsystem),
    structuredData: structuredData(o, sequenceId),
    msg: secrets.mask(json === '' ? text : text === '' ? json : `${text} ${json}`),
  };
}

/** `sent udp 192.0.2.1:5060 {"account":1}` and the message on the next lines, masked. */
export function sipMessage(w: TappedWireMessage, o: Origin, sequenceId: number, now: number, secrets: SecretValues): SyslogMessage {
  const m = w.message;
  const { subsystem, ...bound } = w.bindings;
  const peer = m.address.includes(':') ? `[${m.address}]:${m.port}` : `${m.address}:${m.port}`;
  const context = fieldsJson({ subsystem, ...bound });
  const head = `${m.direction} ${m.protocol} ${peer} ${context}`;
  return {
    facility: FACILITY.local0,
    severity: SEVERITY.debug,
    timestamp: syslogTimestamp(now),
    hostname: o.mac,
    appName: APP_NAME,
    msgId: SIP_MSGID,
    structuredData: structuredData(o, sequenceId),
    msg: secrets.mask(`${head}\n${maskSipText(m.bytes.toString('utf8'))}`),
  };
}

function structuredData(o: Origin, sequenceId: number): SdElement[] {
  return [
    { id: 'meta', params: [['sequenceId', String(sequenceId)]] },
    { id: 'origin', params: [['ip', o.ip], ['software', APP_NAME], ['swVersion', o.swVersion]] },
  ];
}

/** §6.2.7: 1..32 printable US-ASCII; anything else becomes `_`. */
function msgIdOf(subsystem: unknown): string | undefined {
  if (typeof subsystem !== 'string' || subsystem === '') return undefined;
  return subsystem.replace(/[^\x21-\x7e]/g, '_').slice(0, 32);
}

/** §7.3.1: sequenceId runs 1..2147483647, then starts again at 1. */
export function nextSequenceId(id: number): number {
  return id >= 2_147_483_647 ? 1 : id + 1;
}

/**
 * Cuts an encoded message to `max` octets without splitting a UTF-8 character (RFC 5424 §6.1
 * lets the transport bound the length; §8.3: truncation loses the end, never the header).
 */
export function truncateUtf8(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
