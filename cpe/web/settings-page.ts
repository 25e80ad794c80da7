/**
 * BASIC SETTINGS, ADVANCED SETTINGS, FXS PORT, FXO PORT: generated from the catalogue's web
 * placement (page, section, label), in catalogue order. Nothing here names a P-value: a new
 * catalogue entry with a placement appears on its page by itself.
 */
import { levelMayWrite } from '../params/batch';
import type { Catalogue } from '../params/catalogue';
import type { ParamDef, WebPage } from '../params/types';
import { html, type SafeHtml } from './html';
import type { FormErrors } from './form';
import type { WebLevel } from './sessions';
import { CONFIRMED_PASSWORDS, confirmName, fieldId, joinOctets, octetGroupLabel, renderConfirm, renderWidget } from './widgets';

export interface SettingsView {
  readonly page: WebPage;
  readonly level: WebLevel;
  readonly csrf: string;
  /** Value to show for a P-value: what Update staged, else the current one. */
  readonly valueOf: (id: number) => string;
  readonly errors?: FormErrors;
  /** Values just posted (shown again with the errors so nothing typed is lost). */
  readonly posted?: ReadonlyMap<string, string>;
  /** How many staged entries wait for Apply. */
  readonly stagedCount: number;
  /** Extra cards after the form (reset, firmware, config files). */
  readonly extra?: SafeHtml;
  /** Rendered rows by (P-number, disabled, value), owned by the unit's WebUi; rows with errors are never cached. */
  readonly rowCache?: RowCache;
}

/** A bounded memo of rendered rows: a page re-rendered with the same values costs a lookup per row. */
export class RowCache {
  private readonly rows = new Map<string, SafeHtml>();
  constructor(private readonly limit = 2048) {}

  get(key: string, make: () => SafeHtml): SafeHtml {
    let r = this.rows.get(key);
    if (r === undefined) {
      if (this.rows.size >= this.limit) this.rows.clear();
      r = make();
      this.rows.set(key, r);
    }
    return r;
  }

  clear(): void {
    this.rows.clear();
  }
}

interface Section {
  readonly title: string;
  readonly defs: ParamDef[];
}

/** Sections the guide's screenshots put first (figure 9: the account block opens the FXS/FXO pages). */
const FIRST_SECTIONS: readonly string[] = ['Account'];

/** The entries of one page grouped by section, in catalogue order (FIRST_SECTIONS leading). */
export function sectionsOf(catalogue: Catalogue, page: WebPage): Section[] {
  const out = new Map<string, Section>();
  for (const d of catalogue.entries) {
    if (d.web?.page !== page) continue;
    let s = out.get(d.web.section);
    if (!s) out.set(d.web.section, (s = { title: d.web.section, defs: [] }));
    s.defs.push(d);
  }
  const rank = (s: Section) => {
    const i = FIRST_SECTIONS.indexOf(s.title);
    return i < 0 ? FIRST_SECTIONS.length : i;
  };
  return [...out.values()].map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map((x) => x.s);
}

function sectionId(title: string): string {
  return `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

const MAX_SHOWN_MESSAGE = 300;

function clip(s: string): string {
  return s.length > MAX_SHOWN_MESSAGE ? `${s.slice(0, MAX_SHOWN_MESSAGE)}…` : s;
}

export function renderSettings(catalogue: Catalogue, v: SettingsView): SafeHtml {
  const canChange = v.level !== 'viewer';
  const state = (d: ParamDef) => ({
    value: v.posted?.get(`P${d.id}`) ?? v.valueOf(d.id),
    disabled: !canChange || !levelMayWrite(v.level, d),
    error: v.errors?.byField.get(`P${d.id}`),
  });
  const sections = sectionsOf(catalogue, v.page);
  const index =
    sections.length > 3
      ? html`<nav class="sections" aria-label="Sections">${sections.map((s) => html`<a href="#${sectionId(s.title)}">${s.title}</a>`)}</nav>`
      : '';
  // long values (certificates, lists) are rendered each time: the memo stays small
  const cached = (key: string, hasError: boolean, make: () => SafeHtml): SafeHtml =>
    v.rowCache && !hasError && key.length <= 300 ? v.rowCache.get(key, make) : make();
  const cards = sections.map((s) => {
    const rows: SafeHtml[] = [];
    for (let i = 0; i < s.defs.length; i++) {
      const d = s.defs[i]!;
      const group = octetGroupLabel(d);
      if (group !== undefined) {
        const members = [d];
        while (members.length < 4 && s.defs[i + 1] && octetGroupLabel(s.defs[i + 1]!) === group) members.push(s.defs[++i]!);
        const states = members.map(state);
        const errs = states.map((m) => m.error).filter((e): e is string => e !== undefined);
        const key = `${d.id}\u0000${states.map((m) => `${m.disabled ? 1 : 0}${m.value}`).join('\u0000')}`;
        rows.push(
          cached(key, errs.length > 0, () =>
            row(group, members.map((m) => `P${m.id}`).join(' '), fieldId(d.id), joinOctets(members.map((m, k) => renderWidget(m, states[k]!))), errs),
          ),
        );
        continue;
      }
      const st = state(d);
      // secrets render the same whatever their value: never key the cache by one
      const key = `${d.id}\u0000${st.disabled ? 1 : 0}${d.secret ? '' : st.value}`;
      rows.push(cached(key, st.error !== undefined, () => row(d.web!.label, `P${d.id}`, fieldId(d.id), renderWidget(d, st), st.error ? [st.error] : [])));
      if (CONFIRMED_PASSWORDS.has(d.id) && d.type.kind === 'password') {
        const err = v.errors?.byField.get(confirmName(d.id));
        rows.push(row(`Confirm ${d.web!.label.replace(/^New /, '')}`, '', `f-${confirmName(d.id)}`, renderConfirm(d, st), err ? [err] : []));
      }
    }
    return html`<section class="card" id="${sectionId(s.title)}"><h2>${s.title}</h2>${rows}</section>`;
  });
  const summary =
    v.errors && v.errors.all.length > 0
      ? html`<div class="msg error" id="errors" role="alert"><strong>Nothing was changed.</strong> Please correct:<ul>${v.errors.all.map(
          (e) => html`<li>${clip(e)}</li>`,
        )}</ul></div>`
      : '';
  const staged =
    v.stagedCount > 0 && canChange
      ? html`<div class="msg ok" id="staged">${v.stagedCount} updated value(s) are saved but not applied yet: press Apply.
<form method="post" action="/discard"><input type="hidden" name="csrf" value="${v.csrf}"><input type="hidden" name="page" value="${v.page}"><button type="submit" id="discard">Discard them</button></form></div>`
      : '';
  const buttons = canChange
    ? html`<div class="buttons"><button type="submit" name="action" value="update" id="update">Update</button><button class="primary" type="submit" name="action" value="apply" id="apply">Apply</button><a class="btn" href="">Cancel</a></div>`
    : '';
  const empty = cards.length === 0 ? html`<section class="card"><p class="hint">No settings on this page yet.</p></section>` : '';
  return html`${summary}${staged}${index}<form method="post" action="/${v.page}" id="settings" novalidate>
<input type="hidden" name="csrf" value="${v.csrf}">
${cards}${empty}${buttons}</form>${v.extra ?? ''}`;
}

function row(label: string, pn: string, forId: string, widget: SafeHtml, errors: readonly string[]): SafeHtml {
  return html`<div class="row${errors.length > 0 ? ' bad' : ''}"><label for="${forId}">${label}${pn ? html`<span class="pn">${pn}</span>` : ''}</label><div>${widget}</div>${errors.map(
    (e) => html`<div class="field-error">${clip(e)}</div>`,
  )}</div>`;
}
