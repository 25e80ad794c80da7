/**
 * The page shell: title bar, the five tabs across the top as in the guide's screenshots
 * (STATUS, BASIC SETTINGS, ADVANCED SETTINGS, FXS PORT, FXO PORT), messages, and the footer.
 */
import type { WebPage } from '../params/types';
import { html, type Interpolation, type SafeHtml } from './html';
import type { Flash, WebLevel } from './sessions';

export const TABS: ReadonlyArray<{ page: WebPage; title: string; path: string }> = [
  { page: 'status', title: 'STATUS', path: '/status' },
  { page: 'basic', title: 'BASIC SETTINGS', path: '/basic' },
  { page: 'advanced', title: 'ADVANCED SETTINGS', path: '/advanced' },
  { page: 'fxs', title: 'FXS PORT', path: '/fxs' },
  { page: 'fxo', title: 'FXO PORT', path: '/fxo' },
];

/** user guide "Web UI Access Level Management": the end user sees Status and Basic Settings only. */
export function pageAllowed(level: WebLevel, page: WebPage): boolean {
  if (level === 'user') return page === 'status' || page === 'basic';
  return true;
}

export const LEVEL_NAMES: Readonly<Record<WebLevel, string>> = {
  admin: 'Administrator',
  user: 'End User',
  viewer: 'Viewer',
};

export interface ShellOptions {
  readonly title: string;
  readonly model: string;
  readonly current?: WebPage;
  readonly level?: WebLevel;
  readonly csrf?: string;
  readonly flash?: Flash;
  readonly rebootPending?: boolean;
  /** Load this URL after some seconds, without script (the "rebooting" page). */
  readonly refresh?: { readonly seconds: number; readonly url: string };
  readonly body: Interpolation;
}

export function shell(o: ShellOptions): SafeHtml {
  const level = o.level;
  const tabs = level
    ? html`<nav class="tabs" aria-label="Pages">${TABS.map((t) =>
        pageAllowed(level, t.page)
          ? html`<a href="${t.path}" class="${t.page === o.current ? 'on' : ''}" data-tab="${t.page}">${t.title}</a>`
          : html`<span class="off" aria-disabled="true">${t.title}</span>`,
      )}</nav>`
    : '';
  const who =
    level && o.csrf
      ? html`<span class="who">${LEVEL_NAMES[level]}</span>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${o.csrf}"><button type="submit" id="logout">Logout</button></form>`
      : '';
  const reboot =
    o.rebootPending && level === 'admin' && o.csrf
      ? html`<div class="msg reboot" id="reboot-prompt">Some changes take effect only after a reboot.
<form method="post" action="/reboot" data-confirm="Reboot the unit now?"><input type="hidden" name="csrf" value="${o.csrf}"><button class="primary" type="submit" id="reboot-now">Reboot</button></form></div>`
      : '';
  const flash = o.flash ? html`<div class="msg ${o.flash.kind}" role="status" id="flash">${o.flash.text}</div>` : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.refresh ? html`<meta http-equiv="refresh" content="${o.refresh.seconds};url=${o.refresh.url}">` : ''}
<title>${o.title} · Grandstream ${o.model}</title>
<link rel="stylesheet" href="/static/web.css">
<script src="/static/web.js" defer></script>
</head><body>
<header class="top"><h1>Grandstream Device Configuration · ${o.model}</h1>${who}</header>
${tabs}
<main>${reboot}${flash}${o.body}</main>
<footer>Software ${o.model} · all settings are P-values; field names are their numbers</footer>
</body></html>`;
}

/** A one-message page (errors, refusals, "rebooting"). */
export function messagePage(
  model: string,
  title: string,
  kind: 'ok' | 'error',
  text: string,
  back?: string,
  refresh?: ShellOptions['refresh'],
): SafeHtml {
  return shell({
    title,
    model,
    refresh,
    body: html`<section class="card"><h2>${title}</h2><div class="msg ${kind}" id="message">${text}</div>${
      back ? html`<p><a class="btn" href="${back}">Back</a></p>` : ''
    }</section>`,
  });
}
