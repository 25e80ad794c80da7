/**
 * Login and logout (user guide "Web UI Access Level Management"; reference §8: one password field
 * `P2`, resolved against P2 / P196 / P28113; P28158 / P28159 disable the end-user / viewer levels).
 * The login form carries its own CSRF token in a double-submit cookie, as there is no session yet.
 */
import type { Express, Request, Response } from 'express';
import { html, type SafeHtml } from './html';
import { LOGIN_COOKIE, SESSION_COOKIE, parseCookies, sameSecret, sendPage, setCookie } from './http-util';
import { shell } from './layout';
import type { WebLevel } from './sessions';
import { clientOf, sessionOf, type WebUi } from './web-ui';

export function registerAuthRoutes(app: Express, ui: WebUi): void {
  app.get('/', (_req, res) => res.redirect(303, sessionOf(res) ? '/status' : '/login'));
  app.get('/login', (_req, res) => {
    if (sessionOf(res)) return void res.redirect(303, '/status');
    showLogin(ui, res, 200);
  });
  app.post('/login', (req, res) => login(ui, req, res));
  app.post('/logout', (_req, res) => {
    const s = sessionOf(res);
    if (s) ui.sessions.end(s.id);
    setCookie(res, SESSION_COOKIE(ui.ctx.identity.mac), '', { secure: ui.opts.secureCookies, maxAge: 0 });
    res.redirect(303, '/login');
  });
}

function showLogin(ui: WebUi, res: Response, status: number, error?: string): void {
  const token = ui.ctx.random.bytes(18).toString('base64url');
  setCookie(res, LOGIN_COOKIE(ui.ctx.identity.mac), token, { secure: ui.opts.secureCookies });
  sendPage(res, status, loginPage(ui.model, token, error));
}

function loginPage(model: string, token: string, error?: string): SafeHtml {
  return shell({
    title: 'Login',
    model,
    body: html`<section class="card login"><h2>Login</h2>
${error ? html`<div class="msg error" id="login-error" role="alert">${error}</div>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="${token}">
<input type="hidden" name="gnkey" value="0b82">
<p><label for="password">Password</label><br><input id="password" type="password" name="P2" maxlength="64" autocomplete="current-password" autofocus required></p>
<div class="buttons"><button class="primary" type="submit" name="Login" value="Login" id="login">Login</button></div>
</form></section>`,
  });
}

function login(ui: WebUi, req: Request, res: Response): void {
  const client = clientOf(req);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const cookieToken = parseCookies(req.headers.cookie).get(LOGIN_COOKIE(ui.ctx.identity.mac));
  if (!cookieToken || typeof body.csrf !== 'string' || !sameSecret(cookieToken, body.csrf)) {
    ui.ctx.log.warn({ client }, 'web login refused: missing or wrong CSRF token');
    return showLogin(ui, res, 403, 'The login form was refused: its security token is missing or wrong. Please try again.');
  }
  const locked = ui.guard.lockedFor(client);
  if (locked > 0) {
    ui.ctx.log.warn({ client }, 'web login refused: client locked out');
    return showLogin(ui, res, 429, `Too many failed logins: locked out for ${Math.ceil(locked / 60_000)} more minute(s).`);
  }
  const password = typeof body.P2 === 'string' ? body.P2 : '';
  const level = resolveLevel(ui, password);
  if (!level) {
    const lockMs = ui.guard.failed(client);
    ui.ctx.log.warn({ client, locked: lockMs > 0 }, 'web login failed'); // never the password
    if (lockMs > 0) return showLogin(ui, res, 429, `Too many failed logins: locked out for ${Math.ceil(lockMs / 60_000)} minute(s).`);
    return showLogin(ui, res, 401, `Wrong password. ${ui.guard.remaining(client)} attempt(s) left.`);
  }
  ui.guard.succeeded(client);
  const old = sessionOf(res);
  if (old) ui.sessions.end(old.id);
  const s = ui.sessions.create(level, client);
  setCookie(res, SESSION_COOKIE(ui.ctx.identity.mac), s.id, { secure: ui.opts.secureCookies });
  setCookie(res, LOGIN_COOKIE(ui.ctx.identity.mac), '', { secure: ui.opts.secureCookies, maxAge: 0 });
  ui.ctx.log.info({ client, level }, 'web login');
  res.redirect(303, '/status');
}

/** The level a password opens; admin first, so equal passwords never lower the level. */
function resolveLevel(ui: WebUi, password: string): WebLevel | undefined {
  if (password === '') return undefined;
  const s = ui.ctx.store;
  const candidates: Array<[WebLevel, number, boolean]> = [
    ['admin', 2, true],
    ['user', 196, s.get(28158) !== '1'],
    ['viewer', 28113, s.get(28159) !== '1'],
  ];
  let found: WebLevel | undefined;
  for (const [level, id, enabled] of candidates) {
    // compare all three every time: the timing says nothing about which one matched
    if (sameSecret(password, s.get(id)) && enabled && found === undefined) found = level;
  }
  return found;
}
