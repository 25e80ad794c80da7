/** Small HTTP helpers of the web UI: cookies, security headers, sending pages. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import type { SafeHtml } from './html';
import type { Session } from './sessions';

/** Cookie header → map (RFC 6265 §5.2, first value of a name wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  readonly secure: boolean;
  /** Seconds; 0 deletes the cookie. Omitted: a session cookie. */
  readonly maxAge?: number;
}

/** HttpOnly, SameSite=Strict, Path=/ always; Secure on HTTPS. Values here are base64url only. */
export function setCookie(res: Response, name: string, value: string, o: CookieOptions): void {
  let c = `${name}=${value}; Path=/; HttpOnly; SameSite=Strict`;
  if (o.secure) c += '; Secure';
  if (o.maxAge !== undefined) c += `; Max-Age=${o.maxAge}`;
  res.append('Set-Cookie', c);
}

/** Headers every answer carries: no framing, no sniffing, scripts and styles only from the unit itself. */
export function securityHeaders(res: Response): void {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

export function sendPage(res: Response, status: number, page: SafeHtml): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.send(page.text);
}

/** Constant-time string comparison (through fixed-length digests, so lengths leak nothing). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

export function csrfValid(session: Session | undefined, token: unknown): boolean {
  return session !== undefined && typeof token === 'string' && token !== '' && sameSecret(token, session.csrf);
}

export const SESSION_COOKIE = (mac: string) => `HT813SID_${mac}`;
export const LOGIN_COOKIE = (mac: string) => `HT813LT_${mac}`;
