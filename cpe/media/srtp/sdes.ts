/**
 * The SDP `a=crypto` attribute value of SDP Security Descriptions (RFC 4568 §4, §6.1, §9.2):
 *   tag 1*WSP crypto-suite 1*WSP key-params *(1*WSP session-param)
 *   key-params = key-param *(";" key-param); key-param = "inline:" key||salt ["|" lifetime] ["|" MKI ":" length]
 * decodeCryptoAttribute / encodeCryptoAttribute, pure. Suites we do not implement decode fine
 * (the offer/answer code skips them, RFC 4568 §7.1.1); isSupportedSuite() tells them apart.
 */
import { DecodeError } from '../../shared/errors';
import type { Random } from '../../shared/random';
import { srtpSuite, type SrtpSuiteName } from './srtp-suites';

export interface SrtpKeyParam {
  readonly method: 'inline';
  /** Master key. */
  readonly key: Buffer;
  /** Master salt. */
  readonly salt: Buffer;
  /** Master key lifetime in packets as written: `2^20` or a decimal number (RFC 4568 §6.1). */
  readonly lifetime?: string;
  /** Master key identifier and the length in octets of its field in each packet. */
  readonly mki?: { readonly value: number; readonly length: number };
}

export interface CryptoAttribute {
  readonly tag: number;
  readonly suite: string;
  readonly keyParams: readonly SrtpKeyParam[];
  /** Session parameters as written (KDR=, UNENCRYPTED_SRTP, FEC_ORDER=, WSH=, …; §6.3). */
  readonly sessionParams: readonly string[];
}

/**
 * Master key and salt lengths in octets of the SRTP suites registered for SDES (IANA "SRTP
 * Crypto Suite Registrations"), to split key||salt and reject a wrong length. A suite not
 * listed keeps all its octets as the key.
 */
const KEY_SALT_LENGTHS: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  AES_CM_128_HMAC_SHA1_80: [16, 14], // RFC 4568 §6.2
  AES_CM_128_HMAC_SHA1_32: [16, 14],
  F8_128_HMAC_SHA1_80: [16, 14],
  SEED_CTR_128_HMAC_SHA1_80: [16, 14], // RFC 5669
  SEED_128_CCM_80: [16, 14],
  SEED_128_GCM_96: [16, 14],
  AES_192_CM_HMAC_SHA1_80: [24, 14], // RFC 6188
  AES_192_CM_HMAC_SHA1_32: [24, 14],
  AES_256_CM_HMAC_SHA1_80: [32, 14],
  AES_256_CM_HMAC_SHA1_32: [32, 14],
  AEAD_AES_128_GCM: [16, 12], // RFC 7714 §12
  AEAD_AES_256_GCM: [32, 12],
});

const TAG = /^[0-9]{1,9}$/; // 1*9DIGIT
const SUITE = /^[A-Za-z0-9_]+$/; // 1*(ALPHA / DIGIT / "_")
const KEY_METHOD = /^[A-Za-z0-9_]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const LIFETIME = /^(?:2\^)?[0-9]+$/; // ["2^"] 1*DIGIT
const MKI = /^([0-9]+):([0-9]{1,3})$/; // mki-value ":" mki-length
const SESSION_PARAM = /^[\x21-\x7e]+$/; // 1*VCHAR
const WSP = /[ \t]+/;

export function decodeCryptoAttribute(value: string): CryptoAttribute {
  const fields = value.trim().split(WSP);
  if (fields.length < 3) throw new DecodeError('crypto: expected "tag suite key-params"', 0);
  const [tagText, suite, keyParamsText] = fields as [string, string, string];
  if (!TAG.test(tagText)) throw new DecodeError(`crypto: bad tag ${JSON.stringify(tagText)} (1 to 9 digits)`, 0);
  const tagEnd = value.indexOf(tagText) + tagText.length;
  if (!SUITE.test(suite)) throw new DecodeError(`crypto: bad crypto-suite ${JSON.stringify(suite)}`, tagEnd);
  const lengths = KEY_SALT_LENGTHS[suite];
  const keyParams = keyParamsText.split(';').map((kp) => decodeKeyParam(kp, lengths, value.indexOf(keyParamsText)));
  const sessionParams = fields.slice(3);
  for (const s of sessionParams) {
    if (!SESSION_PARAM.test(s)) throw new DecodeError(`crypto: bad session parameter ${JSON.stringify(s)}`, value.indexOf(s));
  }
  return { tag: Number(tagText), suite, keyParams, sessionParams };
}

function decodeKeyParam(text: string, lengths: readonly [number, number] | undefined, at: number): SrtpKeyParam {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new DecodeError(`crypto: key-param ${JSON.stringify(text)} is not method:info`, at);
  const method = text.slice(0, colon);
  if (!KEY_METHOD.test(method)) throw new DecodeError(`crypto: bad key method ${JSON.stringify(method)}`, at);
  if (method !== 'inline') throw new DecodeError(`crypto: unknown key method ${JSON.stringify(method)} (only inline)`, at);
  const parts = text.slice(colon + 1).split('|');
  if (parts.length > 3) throw new DecodeError('crypto: too many "|" fields in the inline key', at);
  const keySalt = decodeBase64(parts[0]!, at);
  let key: Buffer;
  let salt: Buffer;
  if (lengths) {
    const [k, s] = lengths;
    if (keySalt.length !== k + s) throw new DecodeError(`crypto: key||salt is ${keySalt.length} octets, the suite needs ${k + s}`, at);
    key = keySalt.subarray(0, k);
    salt = keySalt.subarray(k);
  } else {
    key = keySalt;
    salt = Buffer.alloc(0);
  }
  let lifetime: string | undefined;
  let mki: { value: number; length: number } | undefined;
  const rest = parts.slice(1);
  // [ "|" lifetime ] [ "|" mki ]: a lone field is the MKI when it holds a colon (RFC 4568 §6.1)
  if (rest.length === 2 || (rest.length === 1 && !rest[0]!.includes(':'))) lifetime = rest.shift();
  if (rest.length === 1) mki = decodeMki(rest[0]!, at);
  if (lifetime !== undefined && !LIFETIME.test(lifetime)) throw new DecodeError(`crypto: bad key lifetime ${JSON.stringify(lifetime)}`, at);
  return { method: 'inline', key, salt, ...(lifetime !== undefined ? { lifetime } : {}), ...(mki ? { mki } : {}) };
}

function decodeMki(text: string, at: number): { value: number; length: number } {
  const m = MKI.exec(text);
  if (!m) throw new DecodeError(`crypto: bad MKI ${JSON.stringify(text)} (value:length)`, at);
  const value = Number(m[1]);
  const length = Number(m[2]);
  if (length < 1 || length > 128) throw new DecodeError(`crypto: MKI length ${length} outside 1..128`, at);
  if (!Number.isSafeInteger(value) || value >= 2 ** Math.min(8 * length, 53)) throw new DecodeError(`crypto: MKI value ${m[1]} does not fit ${length} octets`, at);
  return { value, length };
}

/** RFC 4648 §4 base64, padding optional; anything Buffer.from would silently skip is refused. */
function decodeBase64(text: string, at: number): Buffer {
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw new DecodeError('crypto: key||salt is not base64', at);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) throw new DecodeError('crypto: key||salt is not canonical base64', at);
  return bytes;
}

export function encodeCryptoAttribute(a: CryptoAttribute): string {
  if (!Number.isInteger(a.tag) || a.tag < 0 || a.tag > 999_999_999) throw new RangeError(`crypto tag ${a.tag}: 0 to 999999999`);
  if (!SUITE.test(a.suite)) throw new RangeError(`crypto-suite ${JSON.stringify(a.suite)}`);
  if (a.keyParams.length === 0) throw new RangeError('crypto attribute needs at least one key');
  const keys = a.keyParams.map((kp) => {
    if (kp.method !== 'inline') throw new RangeError(`key method ${String(kp.method)}`);
    let s = `inline:${Buffer.concat([kp.key, kp.salt]).toString('base64')}`;
    if (kp.lifetime !== undefined) {
      if (!LIFETIME.test(kp.lifetime)) throw new RangeError(`key lifetime ${JSON.stringify(kp.lifetime)}`);
      s += `|${kp.lifetime}`;
    }
    if (kp.mki) {
      const { value, length } = kp.mki;
      if (!Number.isSafeInteger(value) || value < 0 || !Number.isInteger(length) || length < 1 || length > 128) throw new RangeError(`MKI ${value}:${length}`);
      s += `|${value}:${length}`;
    }
    return s;
  });
  for (const p of a.sessionParams) if (!SESSION_PARAM.test(p)) throw new RangeError(`session parameter ${JSON.stringify(p)}`);
  return [String(a.tag), a.suite, keys.join(';'), ...a.sessionParams].join(' ');
}

/** A lifetime as a packet count: `2^20` → 1048576, `1066` → 1066. */
export function cryptoLifetimePackets(lifetime: string): number {
  if (!LIFETIME.test(lifetime)) throw new RangeError(`key lifetime ${JSON.stringify(lifetime)}`);
  return lifetime.startsWith('2^') ? 2 ** Number(lifetime.slice(2)) : Number(lifetime);
}

/** A fresh master key and salt for `suite` (30 octets for both suites we implement), from the injected Random. */
export function newMasterKey(random: Random, suite: SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80'): { key: Buffer; salt: Buffer } {
  const s = srtpSuite(suite);
  const b = random.bytes(s.keyLength + s.saltLength);
  // copies: the key outlives the Random's pool block it was drawn from
  return { key: Buffer.from(b.subarray(0, s.keyLength)), salt: Buffer.from(b.subarray(s.keyLength)) };
}
