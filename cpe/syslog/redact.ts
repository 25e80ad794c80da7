/**
 * What must never reach a syslog server: passwords, PINs, keys. Three nets, each cheap:
 * 1. a record field whose name says secret (password, pin, secret, token, authorization,
 *    privateKey, ...);
 * 2. the password of a URL's userinfo (`ftp://user:pw@host`, RFC 3986 §3.2.1 deprecates it);
 * 3. the value of any secret P-value of the unit (catalogue `secret`), wherever it appears, once
 *    it differs from its factory default (the defaults are printed in the user guide) and is at
 *    least 4 characters long (shorter ones would mask digits in port numbers).
 */
import { MASK } from '../params/store';

export { MASK };

/** Field names treated as secret, matched at the end of the name (`authPassword`, `sipTlsPrivateKey`). */
const SECRET_FIELD = /(pass(word|wd|phrase)?|secret|pin|token|authorization|credentials?|cnonce|psk|(private|auth|privacy|master|api|aes|srtp)key)$/i;
/** scheme://user:password@ → scheme://user:********@ */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"]*):[^\s/@"]*@/gi;
const MIN_SCRUBBED = 4;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** The unit's current secret values; rebuilt by the service when a secret P-value changes. */
export class SecretValues {
  private values: string[] = [];

  /** `secrets`: [value, factory default] of every secret P-value. */
  set(secrets: ReadonlyArray<readonly [string, string]>): void {
    const kept = secrets.filter(([v, dflt]) => v.length >= MIN_SCRUBBED && v !== dflt).map(([v]) => v);
    // longest first, so a secret holding another is masked whole
    this.values = [...new Set(kept)].sort((a, b) => b.length - a.length);
  }

  /** text with URL passwords and secret values masked. */
  mask(text: string): string {
    let out = text.includes('://') ? text.replace(URL_PASSWORD, `$1:${MASK}@`) : text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }
}

/**
 * A log record's fields as JSON, secret-named fields masked; Errors become their message and
 * bigints strings. Never throws (a cycle gives a marker).
 */
export function fieldsJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, function (this: Record<string, unknown>, key: string, value: unknown) {
      if (key !== '' && isSecretField(key) && value !== undefined && value !== null && typeof value !== 'object') return MASK;
      const raw = this[key]; // before toJSON: a Buffer is its length, not its bytes
      if (Buffer.isBuffer(raw)) return `<${raw.length} bytes>`;
      if (value instanceof Error) return value.message;
      if (typeof value === 'bigint') return value.toString();
      return value;
    });
  } catch {
    return '"[fields not serialisable]"';
  }
}
