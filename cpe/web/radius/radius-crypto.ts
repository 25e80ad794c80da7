/**
 * The shared-secret parts of RADIUS, pure (the hashes are node:crypto's MD5 and HMAC-MD5):
 *   User-Password hiding (RFC 2865 §5.2),
 *   Response Authenticator (RFC 2865 §3),
 *   Message-Authenticator (RFC 3579 §3.2), HMAC-MD5 over the packet with the attribute zeroed.
 * The Request Authenticator itself is random and comes from the caller (the injected Random).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DecodeError } from '../../shared/errors';
import { RadiusError } from './radius-error';
import { ATTR, AUTHENTICATOR_LENGTH, HEADER_LENGTH, encodeRadius, type RadiusAttribute, type RadiusCode, type RadiusPacket } from './radius-packet';

/** RFC 2865 §5.2: the password is at most 128 octets. */
export const MAX_PASSWORD_LENGTH = 128;
const BLOCK = 16;

function md5(...parts: Buffer[]): Buffer {
  return createHash('md5').update(Buffer.concat(parts)).digest();
}

/**
 * RFC 2865 §5.2: pad p with NULs to a multiple of 16; b1 = MD5(S + RA), c1 = p1 xor b1;
 * bi = MD5(S + c(i-1)), ci = pi xor bi.
 */
export function hideUserPassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (password.length > MAX_PASSWORD_LENGTH) throw new RadiusError('encode', `password of ${password.length} octets, at most ${MAX_PASSWORD_LENGTH}`);
  const padded = Buffer.alloc(Math.max(BLOCK, Math.ceil(password.length / BLOCK) * BLOCK));
  password.copy(padded);
  const out = Buffer.alloc(padded.length);
  let chain = requestAuthenticator;
  for (let i = 0; i < padded.length; i += BLOCK) {
    const b = md5(secret, chain);
    for (let j = 0; j < BLOCK; j++) out[i + j] = padded[i + j]! ^ b[j]!;
    chain = out.subarray(i, i + BLOCK);
  }
  return out;
}

/** The inverse of hideUserPassword (a server's side; used by tests), trailing NULs removed. */
export function revealUserPassword(hidden: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (hidden.length < BLOCK || hidden.length > MAX_PASSWORD_LENGTH || hidden.length % BLOCK !== 0) {
    throw new DecodeError(`User-Password of ${hidden.length} octets is not 16..128 in steps of 16`, 0);
  }
  const out = Buffer.alloc(hidden.length);
  let chain = requestAuthenticator;
  for (let i = 0; i < hidden.length; i += BLOCK) {
    const b = md5(secret, chain);
    for (let j = 0; j < BLOCK; j++) out[i + j] = hidden[i + j]! ^ b[j]!;
    chain = hidden.subarray(i, i + BLOCK);
  }
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  return out.subarray(0, end);
}

const ZERO_MA: RadiusAttribute = { type: ATTR.messageAuthenticator, value: Buffer.alloc(AUTHENTICATOR_LENGTH) };
/** Message-Authenticator goes first: its value then sits at a known offset (and RFC 3579 allows any place). */
const MA_VALUE_OFFSET = HEADER_LENGTH + 2;

function hmacInto(packet: Buffer, secret: Buffer): void {
  createHmac('md5', secret).update(packet).digest().copy(packet, MA_VALUE_OFFSET);
}

/**
 * An Access-Request with Message-Authenticator as its first attribute (RFC 3579 §3.2: HMAC-MD5
 * keyed by the secret over the whole packet, the attribute's value zeroed while computed).
 * `attributes` must not hold a Message-Authenticator of their own.
 */
export function encodeAccessRequest(p: { identifier: number; authenticator: Buffer; attributes: readonly RadiusAttribute[] }, secret: Buffer): Buffer {
  const bytes = encodeRadius({ code: 'Access-Request', identifier: p.identifier, authenticator: p.authenticator, attributes: [ZERO_MA, ...p.attributes] });
  hmacInto(bytes, secret);
  return bytes;
}

/**
 * A response (a server's side; used by tests): Message-Authenticator first when asked, computed
 * with the Request Authenticator in place (RFC 3579 §3.2), then the Response Authenticator
 * MD5(Code + ID + Length + RequestAuth + Attributes + Secret) (RFC 2865 §3).
 */
export function encodeResponse(
  p: { code: Exclude<RadiusCode, 'Access-Request'>; identifier: number; attributes: readonly RadiusAttribute[] },
  requestAuthenticator: Buffer,
  secret: Buffer,
  o: { messageAuthenticator: boolean },
): Buffer {
  const attributes = o.messageAuthenticator ? [ZERO_MA, ...p.attributes] : p.attributes;
  const bytes = encodeRadius({ code: p.code, identifier: p.identifier, authenticator: requestAuthenticator, attributes });
  if (o.messageAuthenticator) hmacInto(bytes, secret);
  md5(bytes, secret).copy(bytes, 4);
  return bytes;
}

/** RFC 2865 §3: the response's authenticator matches MD5 over it with our Request Authenticator, plus the secret. */
export function responseAuthentic(raw: Buffer, requestAuthenticator: Buffer, secret: Buffer): boolean {
  if (raw.length < HEADER_LENGTH) return false;
  const length = raw.readUInt16BE(2);
  if (length < HEADER_LENGTH || length > raw.length) return false;
  const copy = Buffer.from(raw.subarray(0, length));
  requestAuthenticator.copy(copy, 4);
  return timingSafeEqual(md5(copy, secret), raw.subarray(4, 20));
}

export type MessageAuthenticatorCheck = 'absent' | 'valid' | 'invalid';

/**
 * RFC 3579 §3.2 on a decoded packet: HMAC-MD5 over the packet re-encoded with the attribute zeroed
 * and `authenticator` in the header (a request's own Request Authenticator; for a response, the
 * Request Authenticator of the request it answers). More than one Message-Authenticator is invalid.
 */
export function checkMessageAuthenticator(p: RadiusPacket, authenticator: Buffer, secret: Buffer): MessageAuthenticatorCheck {
  const found = p.attributes.filter((a) => a.type === ATTR.messageAuthenticator);
  if (found.length === 0) return 'absent';
  const given = found[0]!.value;
  if (found.length > 1 || given.length !== AUTHENTICATOR_LENGTH) return 'invalid';
  const zeroed = encodeRadius({ ...p, authenticator, attributes: p.attributes.map((a) => (a.type === ATTR.messageAuthenticator ? ZERO_MA : a)) });
  const expected = createHmac('md5', secret).update(zeroed).digest();
  return timingSafeEqual(expected, given) ? 'valid' : 'invalid';
}
