/**
 * The user authentication protocol's messages (RFC 4252): requests in, failure / success out.
 * The unit offers the "password" method only (§8); "none" (§5.2) and every other method get the
 * list of what can continue.
 */
import { MSG } from './messages';
import { SshReader, SshWriter } from './wire';

export type AuthRequest =
  | { readonly method: 'password'; readonly user: string; readonly service: string; readonly password: string; readonly change: boolean }
  | { readonly method: 'other'; readonly user: string; readonly service: string; readonly name: string };

/** Longest user name and password read (longer: refused as wrong, never stored). */
export const MAX_CREDENTIAL = 256;

/** RFC 4252 §5: byte 50, string user name, string service name, string method name, method fields. */
export function decodeAuthRequest(payload: Buffer): AuthRequest {
  const r = new SshReader(payload);
  r.byte();
  const user = r.utf8('user name').slice(0, MAX_CREDENTIAL);
  const service = r.utf8('service name').slice(0, 64);
  const method = r.string('method name').toString('latin1').slice(0, 64);
  if (method !== 'password') return { method: 'other', user, service, name: method };
  // RFC 4252 §8: boolean FALSE, string plaintext password (a TRUE asks to change it: refused)
  const change = r.bool();
  const password = r.utf8('password');
  return { method: 'password', user, service, password: password.length > MAX_CREDENTIAL ? '' : password, change };
}

/** RFC 4252 §5.1: name-list of methods that can continue, boolean partial success. */
export function encodeAuthFailure(methods: readonly string[]): Buffer {
  return new SshWriter().byte(MSG.USERAUTH_FAILURE).nameList(methods).bool(false).toBuffer();
}

export function encodeAuthSuccess(): Buffer {
  return Buffer.from([MSG.USERAUTH_SUCCESS]);
}

/** RFC 4253 §10: SSH_MSG_SERVICE_REQUEST carries the service name. */
export function decodeServiceRequest(payload: Buffer): string {
  const r = new SshReader(payload);
  r.byte();
  return r.string('service name').toString('latin1');
}

export function encodeServiceAccept(name: string): Buffer {
  return new SshWriter().byte(MSG.SERVICE_ACCEPT).string(name).toBuffer();
}
