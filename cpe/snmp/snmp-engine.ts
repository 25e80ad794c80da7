/**
 * The SNMP engine's identity and clock (RFC 3411 §5 snmpEngineID, snmpEngineBoots,
 * snmpEngineTime, snmpEngineMaxMessageSize). Pure.
 */
import { INT32_MAX } from './ber';

/** IANA Private Enterprise Number of Grandstream Networks. */
export const GRANDSTREAM_ENTERPRISE = 42397;

/**
 * Largest message this engine sends or accepts in a reply: one Ethernet frame of UDP payload
 * (1500 - 20 - 8). A small spoofed request never draws a bigger answer than that.
 */
export const MAX_MESSAGE_SIZE = 1472;

/** RFC 3414 §2.2.3 / §3.2 step 7: 150 seconds either way. */
export const TIME_WINDOW_SECONDS = 150;

/** The authoritative engine as the USM sees it at one instant. */
export interface EngineState {
  readonly id: Buffer;
  readonly boots: number;
  readonly time: number;
}

/**
 * RFC 3411 §5 SnmpEngineID, RFC 3411 format: first bit 1, the enterprise number in the other 31
 * bits of four octets, format octet 3 (MAC address), then the six MAC octets.
 */
export function engineIdFromMac(mac: string): Buffer {
  if (!/^[0-9a-fA-F]{12}$/.test(mac)) throw new TypeError(`not a MAC: ${mac}`);
  const b = Buffer.alloc(11);
  b.writeUInt32BE((0x80000000 | GRANDSTREAM_ENTERPRISE) >>> 0, 0);
  b[4] = 3;
  Buffer.from(mac, 'hex').copy(b, 5);
  return b;
}

/** snmpEngineBoots (1..2147483647; RFC 3414 §2.2.2 latches at the top). */
export function engineBoots(bootCount: number): number {
  return Math.min(Math.max(1, Math.floor(bootCount)), INT32_MAX);
}

/** snmpEngineTime: whole seconds since the engine (the unit) booted. */
export function engineTime(nowMs: number, bootMs: number): number {
  return Math.min(Math.max(0, Math.floor((nowMs - bootMs) / 1000)), INT32_MAX);
}
