/**
 * The web UI's only "template engine": a tagged template that HTML-escapes every interpolated
 * value unless it is already SafeHtml. Pages are built from these fragments, so a value taken from
 * the store, a status getter or a form can never become markup (OWASP XSS prevention, rule #1).
 */

/** A fragment of markup that is already safe to emit. Only html``, raw() and join() make one. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values. */
const SPECIAL = /[&<>"'`]/;

export function escapeHtml(value: string): string {
  return SPECIAL.test(value) ? value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c) : value;
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(v: Interpolation): string {
  if (typeof v === 'string') return escapeHtml(v);
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) {
    let out = '';
    for (const x of v as readonly Interpolation[]) out += render(x);
    return out;
  }
  return escapeHtml(String(v));
}

/**
 * html`<td>${value}</td>`: every ${} is escaped; SafeHtml fragments and arrays of them pass
 * through; null, undefined and false render as nothing (for conditional parts).
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Trusted markup written in this folder (never a value from outside). */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

export function join(parts: readonly Interpolation[], sep: SafeHtml | string = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(sep)));
}

/** `attrs({ name: 'P47', disabled: true, min: 1 })` → ` name="P47" disabled min="1"`; false/undefined omitted. */
const ATTR_NAME = /^[a-z][a-z0-9-]*$/;

export function attrs(map: Readonly<Record<string, string | number | boolean | undefined>>): SafeHtml {
  let out = '';
  for (const k in map) {
    const v = map[k];
    if (!ATTR_NAME.test(k)) throw new Error(`bad attribute name ${k}`);
    if (v === undefined || v === false) continue;
    out += v === true ? ` ${k}` : ` ${k}="${escapeHtml(String(v))}"`;
  }
  return new SafeHtml(out);
}
