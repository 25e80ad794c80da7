/**
 * Login and logout (user guide "Web UI Access Level Management"; reference §8: the password field
 * `P2`, resolved against P2 / P196 / P28113, and a `username` field, shown while RADIUS login is on
 * (P28107); login-check.ts decides the level). The login form carries its own CSRF token in a
 * double-submit cookie, as there is no session yet.
 */
import type { Express, Request, Response } from 'express';
import { html, type SafeHtml } from './html';
import { LOGIN_COOKIE, SESSION_COOKIE, parseCookies, sameSecret, sendPage, setCookie } from './http-util';
import { shell } from './layout';
import type { LoginCheck } from './login-check';
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
  sendPage(res, status, loginPage(ui.model, token, ui.logins.radiusEnabled(), error));
}

function loginPage(model: string, token: string, withUserName: boolean, error?: string): SafeHtml {
  const userName = withUserName
    ? html`<p><label for="username">Username</label><br><input id="username" type="text" name="username" maxlength="128" autocomplete="username" autocapitalize="none" spellcheck="false" autofocus required></p>
`
    : '';
  return shell({
    title: 'Login',
    model,
    body: html`<section class="card login"><h2>Login</h2>
${error ? html`<div class="msg error" id="login-error" role="alert">${error}</div>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="${token}">
<input type="hidden" name="gnkey" value="0b82">
${userName}<p><label for="password">Password</label><br><input id="password" type="password" name="P2" maxlength="${withUserName ? 128 : 64}" autocomplete="current-password"${withUserName ? '' : ' autofocus'} required></p>
<div class="buttons"><button class="primary" type="submit" name="Login" value="Login" id="login">Login</button></div>
</form></section>`,
  });
}

async function login(ui: WebUi, req: Request, res: Response): Promise<void> {
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
  const userName = typeof body.username === 'string' ? body.username.trim() : '';
  const check = await ui.logins.check({ userName, password, client });
  if (!check.ok) return refused(ui, res, client, check);
  ui.guard.succeeded(client);
  const old = sessionOf(res);
  if (old) ui.sessions.end(old.id);
  const s = ui.sessions.create(check.level, client);
  setCookie(res, SESSION_COOKIE(ui.ctx.identity.mac), s.id, { secure: ui.opts.secureCookies });
  setCookie(res, LOGIN_COOKIE(ui.ctx.identity.mac), '', { secure: ui.opts.secureCookies, maxAge: 0 });
  ui.ctx.log.info({ client, level: check.level, via: check.via }, 'web login');
  res.redirect(303, '/status');
}

const LEVEL_WORDS = { admin: 'administrator', user: 'end-user', viewer: 'viewer' } as const;

/** A refused login: the lockout counts wrong credentials only, never a server that did not answer. */
function refused(ui: WebUi, res: Response, client: string, check: Extract<LoginCheck, { ok: false }>): void {
  if (check.why === 'busy') return showLogin(ui, res, 429, 'A login from your address is already being checked. Please wait for it.');
  if (check.why === 'unavailable') {
    ui.ctx.log.warn({ client, via: check.via, result: 'server unavailable' }, 'web login failed');
    return showLogin(ui, res, 503, 'The RADIUS server did not answer, and local passwords are not accepted. Please try again later.');
  }
  const lockMs = ui.guard.failed(client);
  ui.ctx.log.warn({ client, via: check.via, result: check.why, locked: lockMs > 0 }, 'web login failed'); // never the password
  if (lockMs > 0) return showLogin(ui, res, 429, `Too many failed logins: locked out for ${Math.ceil(lockMs / 60_000)} minute(s).`);
  const left = `${ui.guard.remaining(client)} attempt(s) left.`;
  if (check.why === 'disabled') return showLogin(ui, res, 403, `Login refused: the ${LEVEL_WORDS[check.level ?? 'viewer']} level is disabled. ${left}`);
  return showLogin(ui, res, 401, `${check.via === 'local' ? 'Wrong password.' : 'Wrong user name or password.'} ${left}`);
}
