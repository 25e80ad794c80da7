/**
 * A posted settings form → one batch for the store, or the reasons it is refused. Pure.
 * Rules (user guide "Saving the Configuration Changes", "Changing Admin Level Password"):
 * - fields are `P<n>`; besides them only the CSRF token, the button and `confirm_P<n>` may appear;
 * - an empty password field means "unchanged"; a web login password must match its confirm field;
 * - every entry is validated for the session's level as one batch: any error and nothing applies.
 */
import { parsePNumber, type Catalogue } from '../params/catalogue';
import { validateBatch } from '../params/batch';
import type { AccessLevel, BatchEntryError } from '../params/types';
import { CONFIRMED_PASSWORDS, confirmName } from './widgets';

/** What a body parser gives: strings, or arrays of strings for repeated names. */
export type PostedBody = Readonly<Record<string, unknown>>;

/** Form keys that are not settings. */
export const CONTROL_FIELDS: ReadonlySet<string> = new Set(['csrf', 'action']);

export interface FormErrors {
  /** By field name (`P47`, `confirm_P2`): shown next to the field. */
  readonly byField: Map<string, string>;
  /** Every message, for the summary at the top of the page. */
  readonly all: string[];
}

export interface ParsedForm {
  readonly batch: Array<[number, string]>;
  readonly errors: FormErrors;
  /** The posted values by field name, to show them again with the errors. */
  readonly posted: Map<string, string>;
}

export function newErrors(): FormErrors {
  return { byField: new Map(), all: [] };
}

export function addError(errors: FormErrors, field: string | undefined, message: string): void {
  if (field !== undefined && !errors.byField.has(field)) errors.byField.set(field, message);
  errors.all.push(message);
}

export function parseSettingsForm(catalogue: Catalogue, body: PostedBody, level: AccessLevel): ParsedForm {
  const errors = newErrors();
  const posted = new Map<string, string>();
  const batch: Array<[number, string]> = [];
  const confirms = new Map<number, string>();

  for (const [key, rawValue] of Object.entries(body)) {
    const value = single(rawValue);
    if (CONTROL_FIELDS.has(key)) continue;
    if (value === undefined) {
      addError(errors, key, `${shortKey(key)}: given more than once or not text`);
      continue;
    }
    const confirm = /^confirm_P(\d{1,6})$/.exec(key);
    if (confirm) {
      const id = Number(confirm[1]);
      if (CONFIRMED_PASSWORDS.has(id)) confirms.set(id, value);
      else addError(errors, undefined, `${shortKey(key)}: unknown field`);
      continue;
    }
    const id = /^P\d{1,6}$/.test(key) ? parsePNumber(key) : undefined;
    const def = id === undefined ? undefined : catalogue.get(id);
    if (id === undefined || !def) {
      addError(errors, undefined, `${shortKey(key)}: unknown field`);
      continue;
    }
    if (!def.web) {
      addError(errors, key, `${key}: not settable from the web interface`);
      continue;
    }
    if (!def.secret) posted.set(key, value);
    if (def.type.kind === 'password' && value === '') continue; // empty = keep the current password
    batch.push([id, value]);
  }

  for (const id of CONFIRMED_PASSWORDS) {
    const entry = batch.find(([p]) => p === id);
    const confirmValue = confirms.get(id) ?? '';
    if (entry && entry[1] !== confirmValue) {
      addError(errors, confirmName(id), `P${id}: the new password and its confirmation differ`);
    } else if (!entry && confirmValue !== '') {
      addError(errors, confirmName(id), `P${id}: the confirmation was given without a new password`);
    }
  }

  const checked = validateBatch(catalogue, batch, 'web', level, false);
  for (const e of checked.errors) addError(errors, typeof e.id === 'number' ? `P${e.id}` : undefined, shortMessage(e));
  return { batch, errors, posted };
}

/** The store's message with an over-long value cut, so the rule stays readable. */
export function shortMessage(e: BatchEntryError): string {
  const quoted = JSON.stringify(e.value);
  const prefix = `P${e.id}=${quoted}`;
  if (quoted.length <= 60 || !e.message.startsWith(prefix)) return e.message;
  return `P${e.id}=${JSON.stringify(e.value.slice(0, 40))}… (${e.value.length} characters)${e.message.slice(prefix.length)}`;
}

function single(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x === v[0])) return v[0] as string;
  return undefined;
}

/** A field name as shown in a message: never more than 40 characters of whatever was posted. */
function shortKey(key: string): string {
  const k = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  return JSON.stringify(k);
}
