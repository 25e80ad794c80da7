/**
 * The five tabs and the Update / Apply / Reboot actions (user guide "Saving the Configuration
 * Changes": Update saves without applying, Apply commits what was updated plus the page; a reboot
 * button appears when a committed value needs one).
 */
import type { Express, Request, Response } from 'express';
import type { WebPage } from '../params/types';
import { parseSettingsForm, shortMessage, type FormErrors, type PostedBody } from './form';
import { html, type SafeHtml } from './html';
import { sendPage } from './http-util';
import { TABS, messagePage, pageAllowed, shell } from './layout';
import { renderFilesCard, renderRebootCard, renderResetCard } from './maintenance';
import type { Session } from './sessions';
import { renderSettings } from './settings-page';
import { renderStatus } from './status-page';
import { collectStatus } from './status-view';
import { clientOf, requireLevel, type WebUi } from './web-ui';

const SETTINGS_PAGES: readonly WebPage[] = ['basic', 'advanced', 'fxs', 'fxo'];

export function registerPageRoutes(app: Express, ui: WebUi): void {
  app.get('/status', (req, res) => {
    const s = requireLevel(ui, req, res, ['admin', 'user', 'viewer']);
    if (!s) return;
    const c = ui.ctx;
    const userId = (name: string) => {
      const d = c.store.catalogue.byNameOf(name);
      return d ? c.store.get(d.id) : '';
    };
    const view = collectStatus({
      identity: c.identity,
      network: c.network,
      device: c.device,
      status: c.status,
      now: c.clock.now(),
      userIds: [userId('sip1.userId'), userId('sip2.userId')],
    });
    const extra = s.level === 'viewer' ? '' : renderRebootCard(s.csrf);
    sendPage(res, 200, page(ui, s, 'status', html`${renderStatus(view)}${extra}`));
  });
  for (const p of SETTINGS_PAGES) {
    app.get(`/${p}`, (req, res) => {
      const s = requireLevel(ui, req, res, ['admin', 'user', 'viewer']);
      if (!s) return;
      if (!pageAllowed(s.level, p)) return void requireLevel(ui, req, res, []);
      sendPage(res, 200, settingsPage(ui, s, p));
    });
    app.post(`/${p}`, (req, res) => postSettings(ui, req, res, p));
  }
  app.post('/discard', (req, res) => {
    const s = requireLevel(ui, req, res, ['admin', 'user']);
    if (!s) return;
    const staged = ui.ctx.store.staged().length;
    ui.ctx.store.discardStaged();
    ui.ctx.log.info({ client: clientOf(req), staged }, 'web updates discarded');
    s.flash = { kind: 'ok', text: `Discarded ${staged} updated value(s); nothing was applied.` };
    const from = (req.body as Record<string, unknown> | undefined)?.page;
    res.redirect(303, SETTINGS_PAGES.includes(from as WebPage) && pageAllowed(s.level, from as WebPage) ? `/${String(from)}` : '/status');
  });
  app.post('/reboot', (req, res) => {
    const s = requireLevel(ui, req, res, ['admin', 'user']);
    if (!s) return;
    ui.ctx.log.info({ client: clientOf(req), level: s.level }, 'reboot requested from the web UI');
    sendPage(res, 200, rebootingPage(ui.model, 'The unit is rebooting. Log in again in a few seconds.'));
    res.on('finish', () => {
      ui.ctx.device.reboot('web UI').catch((e: unknown) => ui.ctx.log.error({ err: String(e) }, 'reboot failed'));
    });
  });
}

/** "Rebooting": back to the login page by itself once the unit is up again (no script needed). */
export function rebootingPage(model: string, text: string): SafeHtml {
  return messagePage(model, 'Rebooting', 'ok', text, '/login', { seconds: 8, url: '/login' });
}

function page(ui: WebUi, s: Session, current: WebPage, body: SafeHtml): SafeHtml {
  const flash = s.flash;
  s.flash = undefined;
  return shell({
    title: TABS.find((t) => t.page === current)?.title ?? '',
    model: ui.model,
    current,
    level: s.level,
    csrf: s.csrf,
    flash,
    rebootPending: ui.rebootPending,
    body,
  });
}

function settingsPage(ui: WebUi, s: Session, p: WebPage, errors?: FormErrors, posted?: ReadonlyMap<string, string>): SafeHtml {
  const store = ui.ctx.store;
  const staged = new Map(store.staged());
  let extra = html``;
  if (s.level === 'admin' && p === 'basic') extra = renderResetCard(s.csrf, store.resetRefusal('full'));
  if (s.level === 'admin' && p === 'advanced') extra = renderFilesCard(s.csrf);
  const body = renderSettings(store.catalogue, {
    page: p,
    level: s.level,
    csrf: s.csrf,
    valueOf: (id) => staged.get(id) ?? store.get(id),
    errors,
    posted,
    stagedCount: staged.size,
    extra,
    rowCache: ui.rowCache,
  });
  return page(ui, s, p, body);
}

function postSettings(ui: WebUi, req: Request, res: Response, p: WebPage): void {
  const s = requireLevel(ui, req, res, ['admin', 'user']);
  if (!s) return;
  if (!pageAllowed(s.level, p)) return void requireLevel(ui, req, res, []);
  const store = ui.ctx.store;
  const body = (req.body ?? {}) as PostedBody;
  const action = body.action === 'update' ? 'update' : body.action === undefined || body.action === 'apply' ? 'apply' : undefined;
  const form = parseSettingsForm(store.catalogue, body, s.level);
  if (action === undefined) form.errors.all.push('Unknown action: use Update or Apply.');
  if (form.errors.all.length > 0) {
    ui.ctx.log.info({ client: clientOf(req), page: p, errors: form.errors.all.length }, 'web form refused');
    return void sendPage(res, 400, settingsPage(ui, s, p, form.errors, form.posted));
  }
  if (action === 'update') {
    // stage only what differs from what is shown now, so Apply never rewrites untouched values
    const staged = new Map(store.staged());
    const diff = form.batch.filter(([id, v]) => v !== (staged.get(id) ?? store.get(id)));
    const r = store.stage(diff, 'web', { level: s.level });
    if (!r.ok) return void refuse(ui, req, res, s, p, r.errors.map(shortMessage), form.posted);
    ui.ctx.log.info({ client: clientOf(req), page: p, staged: diff.map(([id]) => id) }, 'web update staged');
    s.flash = { kind: 'ok', text: diff.length > 0 ? `Updated ${diff.length} value(s): saved, not applied yet. Press Apply to apply.` : 'Nothing to update.' };
  } else {
    const r = store.applyStaged('web', form.batch, { level: s.level });
    if (!r.ok) return void refuse(ui, req, res, s, p, r.errors.map(shortMessage), form.posted);
    ui.ctx.log.info({ client: clientOf(req), page: p, changed: r.changes.map((c) => c.id) }, 'web apply');
    const reboot = r.rebootRequired ? ' Some of them take effect after a reboot.' : '';
    s.flash = { kind: 'ok', text: r.changes.length > 0 ? `Applied ${r.changes.length} change(s).${reboot}` : 'Applied: nothing changed.' };
  }
  res.redirect(303, `/${p}`);
}

function refuse(ui: WebUi, req: Request, res: Response, s: Session, p: WebPage, messages: string[], posted: ReadonlyMap<string, string>): void {
  const errors: FormErrors = { byField: new Map(), all: messages };
  ui.ctx.log.info({ client: clientOf(req), page: p, errors: messages.length }, 'web form refused by the store');
  sendPage(res, 400, settingsPage(ui, s, p, errors, posted));
}
