/** SSH message numbers (RFC 4250 §4.1.2) the unit sends or understands. */
export const MSG = {
  DISCONNECT: 1,
  IGNORE: 2,
  UNIMPLEMENTED: 3,
  DEBUG: 4,
  SERVICE_REQUEST: 5,
  SERVICE_ACCEPT: 6,
  KEXINIT: 20,
  NEWKEYS: 21,
  // RFC 5656 §7.1, used by curve25519-sha256 too (RFC 8731 §3)
  KEX_ECDH_INIT: 30,
  KEX_ECDH_REPLY: 31,
  USERAUTH_REQUEST: 50,
  USERAUTH_FAILURE: 51,
  USERAUTH_SUCCESS: 52,
  USERAUTH_BANNER: 53,
  GLOBAL_REQUEST: 80,
  REQUEST_SUCCESS: 81,
  REQUEST_FAILURE: 82,
  CHANNEL_OPEN: 90,
  CHANNEL_OPEN_CONFIRMATION: 91,
  CHANNEL_OPEN_FAILURE: 92,
  CHANNEL_WINDOW_ADJUST: 93,
  CHANNEL_DATA: 94,
  CHANNEL_EXTENDED_DATA: 95,
  CHANNEL_EOF: 96,
  CHANNEL_CLOSE: 97,
  CHANNEL_REQUEST: 98,
  CHANNEL_SUCCESS: 99,
  CHANNEL_FAILURE: 100,
} as const;

/**
 * RFC 4253 §7.1: between sending KEXINIT and NEWKEYS a party sends only transport messages 1-19
 * (but not SERVICE_REQUEST/ACCEPT), 20-29 and 30-49; everything else waits for the new keys.
 */
export function allowedDuringKex(msg: number): boolean {
  return msg >= 1 && msg <= 49 && msg !== MSG.SERVICE_REQUEST && msg !== MSG.SERVICE_ACCEPT;
}

/** The messages of a key exchange itself (strict KEX: nothing else during the first one). */
export function isKexMessage(msg: number): boolean {
  return msg === MSG.KEXINIT || msg === MSG.NEWKEYS || (msg >= 30 && msg <= 49);
}
