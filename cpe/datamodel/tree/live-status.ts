/**
 * Live values other services publish on the StatusBoard, read defensively: a key nobody provides
 * yet (its service has not landed or is stopped) or a shape we do not expect gives a sensible
 * default instead of an error.
 *   'sip.accounts' — AccountStatus[] (cpe/voice/accounts): { account: 1 | 2, state, reason? }
 *   'voice.calls'  — LineStatus[] (cpe/voice/fxs): { line: 1 | 2, callState } (TR-104 names already)
 *   'voice.fxo'    — FxoGatewayStatus (cpe/voice/fxo): { state } of line 2's gateway calls
 * An entry is found by its account/line number, else by position (index 0 = profile 1).
 */
import type { LooseStatus } from './context';

function entry(status: LooseStatus, key: string, profile: 1 | 2, numberField: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = status.get(key);
  } catch {
    return undefined;
  }
  if (!Array.isArray(v)) return undefined;
  const objects = v.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object');
  const numbered = objects.find((e) => e[numberField] === profile);
  if (numbered) return numbered;
  if (objects.some((e) => typeof e[numberField] === 'number')) return undefined;
  return objects[profile - 1];
}

/** TR-104 Line.{i}.Status: Up, Initializing, Registering, Unregistering, Error, Testing, Quiescent, Disabled. */
export function lineStatus(status: LooseStatus, profile: 1 | 2, enabled: boolean): string {
  if (!enabled) return 'Disabled';
  const a = entry(status, 'sip.accounts', profile, 'account');
  const s = typeof a?.state === 'string' ? a.state.toLowerCase() : undefined;
  if (s === undefined) return 'Initializing';
  if (s === 'registered') return 'Up';
  if (s === 'not-registered') return typeof a?.reason === 'string' && /inactive|disabled/i.test(a.reason) ? 'Disabled' : 'Initializing';
  if (s === 'registering') return 'Registering';
  if (s === 'unregistering') return 'Unregistering';
  if (s === 'failed') return 'Error';
  if (s === 'disabled' || s === 'inactive') return 'Disabled';
  return 'Initializing';
}

const CALL_STATES = new Map([
  ['idle', 'Idle'],
  ['dialing', 'Calling'],
  ['calling', 'Calling'],
  ['ringing', 'Ringing'],
  ['alerting', 'Ringing'],
  ['connecting', 'Connecting'],
  ['talking', 'InCall'],
  ['incall', 'InCall'],
  ['connected', 'InCall'],
  ['hold', 'Hold'],
  ['held', 'Hold'],
  ['onhold', 'Hold'],
  ['disconnecting', 'Disconnecting'],
]);

/** TR-104 Line.{i}.CallState: Idle, Calling, Ringing, Connecting, InCall, Hold, Disconnecting. */
export function callState(status: LooseStatus, profile: 1 | 2): string {
  if (profile === 2) {
    const g = gatewayState(status);
    if (g !== undefined) return g;
  }
  const l = entry(status, 'voice.calls', profile, 'line');
  const s = typeof l?.callState === 'string' ? l.callState.toLowerCase().replace(/[\s_-]/g, '') : undefined;
  return (s && CALL_STATES.get(s)) ?? 'Idle';
}

/** Line 2 (FXO): the gateway's state in TR-104 words; undefined when the gateway publishes nothing. */
const GATEWAY_STATES = new Map([
  ['idle', 'Idle'],
  ['voippin', 'Connecting'],
  ['pstnpin', 'Connecting'],
  ['pstndigits', 'Connecting'],
  ['pstncalling', 'Calling'],
  ['bridged', 'InCall'],
  ['local', 'InCall'],
  ['failing', 'Disconnecting'],
]);

function gatewayState(status: LooseStatus): string | undefined {
  let v: unknown;
  try {
    v = status.get('voice.fxo');
  } catch {
    return undefined;
  }
  const s = v && typeof v === 'object' ? (v as Record<string, unknown>).state : undefined;
  return typeof s === 'string' ? (GATEWAY_STATES.get(s.toLowerCase()) ?? 'Idle') : undefined;
}
