/**
 * One form widget per catalogue entry, chosen from its type: text, password (never prefilled),
 * radio or select for enums and booleans, number with its range, a textarea for multi-line text.
 * Field names are the P-numbers (`name="P47"`), as on the real unit (reference §8), so installers
 * can script the pages.
 */
import type { ParamDef } from '../params/types';
import { attrs, html, join, type SafeHtml } from './html';

/** The web login passwords get a confirm field (user guide "Changing Admin Level Password"). */
export const CONFIRMED_PASSWORDS: ReadonlySet<number> = new Set([2, 196, 28113]);

export function confirmName(id: number): string {
  return `confirm_P${id}`;
}

export interface WidgetState {
  /** The value to show (staged, current, or what was just posted); ignored for secrets. */
  readonly value: string;
  /** Read-only view: the viewer level, or an entry this level may not change. */
  readonly disabled: boolean;
  readonly error?: string;
}

/** Enums with at most this many short choices render as radio buttons, like the guide's screenshots. */
const RADIO_MAX = 4;

export function fieldId(id: number): string {
  return `f-P${id}`;
}

export function renderWidget(def: ParamDef, st: WidgetState): SafeHtml {
  const name = `P${def.id}`;
  const common = { id: fieldId(def.id), name, disabled: st.disabled, 'aria-invalid': st.error ? 'true' : undefined };
  const t = def.type;
  if (def.readOnly) return html`<span class="ro" id="${fieldId(def.id)}">${st.value || '—'}</span>`;
  switch (t.kind) {
    case 'password': {
      const box = html`<input${attrs({ ...common, type: 'password', value: '', maxlength: t.maxLength, autocomplete: 'new-password' })}>`;
      const note = html`<span class="hint">(purposely not displayed for security protection)</span>`;
      return html`${box} ${note}`;
    }
    case 'bool':
      return radios(def, st, [
        { value: '0', label: 'No' },
        { value: '1', label: 'Yes' },
      ]);
    case 'enum':
      if (t.values.length <= RADIO_MAX && t.values.every((v) => v.label.length <= 24)) return radios(def, st, t.values);
      return html`<select${attrs(common)}>${t.values.map(
        (v) => html`<option${attrs({ value: v.value, selected: v.value === st.value })}>${v.label}</option>`,
      )}</select>`;
    case 'int':
      return html`<input${attrs({ ...common, type: 'number', inputmode: 'numeric', min: t.min, max: t.max, value: st.value })}> <span class="hint">(${t.min}–${t.max})</span>`;
    case 'octet':
      return html`<input${attrs({ ...common, class: 'octet', type: 'number', inputmode: 'numeric', min: 0, max: 255, value: st.value })}>`;
    case 'text':
      return html`<textarea${attrs({ ...common, rows: 4, maxlength: t.maxLength })}>${st.value}</textarea>`;
    case 'string':
    case 'host':
      return html`<input${attrs({ ...common, type: 'text', maxlength: t.maxLength, value: st.value, spellcheck: 'false' })}>`;
    case 'ipv4':
      return html`<input${attrs({ ...common, type: 'text', maxlength: 15, value: st.value, inputmode: 'decimal' })}>`;
    case 'mac':
      return html`<input${attrs({ ...common, type: 'text', maxlength: 17, value: st.value })}>`;
    case 'tone':
    case 'cadence':
    case 'dialplan':
      return html`<input${attrs({ ...common, class: 'wide', type: 'text', maxlength: 1024, value: st.value, spellcheck: 'false' })}>`;
  }
}

function radios(def: ParamDef, st: WidgetState, values: ReadonlyArray<{ value: string; label: string }>): SafeHtml {
  const name = `P${def.id}`;
  return html`<span class="radios" role="radiogroup" id="${fieldId(def.id)}">${values.map(
    (v) =>
      html`<label><input${attrs({
        type: 'radio',
        name,
        value: v.value,
        checked: v.value === st.value,
        disabled: st.disabled,
      })}> ${v.label}</label>`,
  )}</span>`;
}

/** The confirm box that follows a web login password. */
export function renderConfirm(def: ParamDef, st: WidgetState): SafeHtml {
  return html`<input${attrs({
    id: `f-${confirmName(def.id)}`,
    name: confirmName(def.id),
    type: 'password',
    value: '',
    maxlength: def.type.kind === 'password' ? def.type.maxLength : 64,
    autocomplete: 'new-password',
    disabled: st.disabled,
    'data-confirms': `P${def.id}`,
  })}>`;
}

/** `Static IP Address (octet 1)` … `(octet 4)` → one row `Static IP Address` with four boxes. */
export function octetGroupLabel(def: ParamDef): string | undefined {
  if (def.type.kind !== 'octet' || !def.web) return undefined;
  const m = /^(.*) \(octet [1-4]\)$/.exec(def.web.label);
  return m ? m[1] : undefined;
}

export function joinOctets(boxes: readonly SafeHtml[]): SafeHtml {
  return join(boxes, html`<span class="dot">.</span>`);
}
