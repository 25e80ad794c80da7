/**
 * The embedded web UI of one unit as an express application: a pure function of the context it is
 * given (store, clock, random, status board, device control), so tests build it without a Device.
 * State of its own: sessions, login attempts, the "reboot needed" flag and a memo of rendered
 * rows, all in memory and all per unit (ARCHITECTURE.md: cpe/web holds no settings of its own).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ParamStore } from '../params/store';
import type { DeviceControl, DeviceIdentity, NetworkFacts, ServiceDirectory } from '../service';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import type { StatusBoard } from '../status';
import { plainAddress, wanRefusal } from './access-policy';
import { ASSETS } from './assets';
import { SESSION_COOKIE, csrfValid, parseCookies, securityHeaders, sendPage } from './http-util';
import { messagePage } from './layout';
import { ProvisioningConfigFiles } from './config-files';
import { SlotFirmwareUpload } from './firmware-upload';
import { LoginChecker } from './login-check';
import { asConfigFiles, asFirmwareUpload, type ConfigFiles, type FirmwareUpload } from './maintenance';
import { registerAuthRoutes } from './routes-auth';
import { registerKickRoutes } from './routes-kick';
import { registerMaintenanceRoutes } from './routes-maintenance';
import { registerPageRoutes } from './routes-pages';
import type { RadiusDeps } from './radius/radius-login';
import { LoginGuard, SessionTable, type Session, type WebLevel } from './sessions';
import { RowCache } from './settings-page';

/** What the web UI needs of its unit: a subset of ServiceContext. */
export interface WebContext {
  readonly identity: DeviceIdentity;
  readonly store: ParamStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly network: NetworkFacts;
  readonly device: DeviceControl;
  readonly status: StatusBoard;
  readonly services: ServiceDirectory;
  /** The unit's folder (firmware slots live there). */
  readonly dataDir: string;
}

export interface WebUiOptions {
  /** Cookies get the Secure flag (the UI is served over HTTPS). */
  readonly secureCookies: boolean;
  /** Name of the service providing firmware/config file hooks (default 'provision'). */
  readonly maintenanceService?: string;
  /** RADIUS login sockets and resolver (default: node:dgram, node:dns). */
  readonly radius?: RadiusDeps;
}

/** Form bodies: settings pages are a few hundred fields of short values. */
export const MAX_FORM_BYTES = 256 * 1024;
export const MAX_FORM_FIELDS = 2000;

export class WebUi {
  readonly sessions: SessionTable;
  readonly guard: LoginGuard;
  /** Which level a login form opens: local passwords or RADIUS (P28107). */
  readonly logins: LoginChecker;
  /** Some committed P-value takes effect only after a reboot (any writer); cleared by the reboot itself. */
  rebootPending = false;
  /** Rendered settings rows, filled only by pages actually viewed (an idle unit of a fleet keeps none). */
  readonly rowCache = new RowCache();
  private readonly unsubscribe: () => void;

  constructor(
    readonly ctx: WebContext,
    readonly opts: WebUiOptions,
  ) {
    const minutes = (id: number) => () => ctx.store.getInt(id) * 60_000;
    this.sessions = new SessionTable(ctx.clock, ctx.random, minutes(28116));
    this.guard = new LoginGuard(ctx.clock, () => ctx.store.getInt(28117), minutes(1683));
    this.logins = new LoginChecker(
      { store: ctx.store, clock: ctx.clock, random: ctx.random, log: ctx.log, mac: ctx.identity.mac, address: ctx.network.address },
      opts.radius,
    );
    this.unsubscribe = ctx.store.subscribe((ev) => {
      if (ev.changes.some((c) => ctx.store.catalogue.get(c.id)?.reboot === true)) this.rebootPending = true;
    });
  }

  get model(): string {
    return this.ctx.identity.model;
  }

  /** Config download/upload: the provisioning service's own, else its file paths used directly. */
  configFiles(): ConfigFiles {
    return asConfigFiles(this.provisioning()) ?? new ProvisioningConfigFiles(this.ctx.store, this.ctx.identity.mac, this.ctx.log);
  }

  /** Firmware upload: the provisioning service's own, else its install path used directly. */
  firmwareUpload(): FirmwareUpload {
    const c = this.ctx;
    return (
      asFirmwareUpload(this.provisioning()) ??
      new SlotFirmwareUpload({ dataDir: c.dataDir, model: c.identity.model, runningVersion: c.identity.firmwareVersion, log: c.log })
    );
  }

  private provisioning(): unknown {
    return this.ctx.services.get(this.opts.maintenanceService ?? 'provision');
  }

  /** Stops listening to the store (the service is stopping). */
  close(): void {
    this.unsubscribe();
    this.logins.close();
    this.sessions.clear();
    this.rowCache.clear();
  }

  app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.set('query parser', 'simple');
    app.use((req, res, next) => this.gate(req, res, next));
    app.get('/static/:name', (req, res) => {
      const a = ASSETS.get(String(req.params.name));
      if (!a) return void sendPage(res, 404, messagePage(this.model, 'Not Found', 'error', 'No such file.'));
      res.setHeader('Content-Type', a.type);
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.setHeader('ETag', a.etag);
      if (req.headers['if-none-match'] === a.etag) return void res.status(304).end();
      res.send(a.body);
    });
    app.use(express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, parameterLimit: MAX_FORM_FIELDS, type: 'application/x-www-form-urlencoded' }));
    app.use((req, res, next) => this.csrfGate(req, res, next));
    registerAuthRoutes(app, this);
    registerPageRoutes(app, this);
    registerMaintenanceRoutes(app, this);
    registerKickRoutes(app, this);
    app.use((_req: Request, res: Response) => sendPage(res, 404, messagePage(this.model, 'Not Found', 'error', 'No such page.', '/')));
    app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => this.failed(err, req, res));
    return app;
  }

  /** Every request: security headers, the WAN access policy, then the session (if any). */
  private gate(req: Request, res: Response, next: NextFunction): void {
    securityHeaders(res);
    const s = this.ctx.store;
    const refusal = wanRefusal(req.socket.remoteAddress ?? '', { mode: s.get(190), whiteList: s.get(20701), blackList: s.get(20702) });
    if (refusal) {
      this.ctx.log.warn({ client: clientOf(req), reason: refusal }, 'web access refused');
      return void sendPage(res, 403, messagePage(this.model, 'Forbidden', 'error', `Access refused: ${refusal}.`));
    }
    const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE(this.ctx.identity.mac));
    const session = this.sessions.touch(sid);
    if (session && session.client !== clientOf(req)) res.locals.session = undefined; // a cookie is valid from the address it was issued to only
    else res.locals.session = session;
    next();
  }

  /** Every POST but the login form and the multipart uploads carries the session's CSRF token. */
  private csrfGate(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'POST' || req.path === '/login' || req.is('multipart/form-data')) return next();
    const session = sessionOf(res);
    if (!session) return next(); // the route answers "log in again"
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!csrfValid(session, body.csrf)) return void this.refuseCsrf(req, res);
    next();
  }

  refuseCsrf(req: Request, res: Response): void {
    this.ctx.log.warn({ client: clientOf(req), path: req.path }, 'web form refused: missing or wrong CSRF token');
    sendPage(
      res,
      403,
      messagePage(this.model, 'Refused', 'error', 'The form was refused: its security token is missing or wrong. Nothing was changed. Reload the page and try again.', '/'),
    );
  }

  private failed(err: unknown, req: Request, res: Response): void {
    const e = err as { status?: unknown; type?: unknown; message?: unknown };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    const text =
      status === 413
        ? 'The form is too large. Nothing was changed.'
        : status === 400 || status === 415
          ? 'The form could not be read. Nothing was changed.'
          : status < 500
            ? 'The request was refused. Nothing was changed.'
            : 'Internal error. Nothing was changed.';
    const log = status >= 500 ? this.ctx.log.error.bind(this.ctx.log) : this.ctx.log.warn.bind(this.ctx.log);
    log({ client: clientOf(req), path: req.path, status, type: typeof e.type === 'string' ? e.type : undefined, err: status >= 500 ? String(e.message) : undefined }, 'web request failed');
    if (res.headersSent) return void res.end();
    sendPage(res, status, messagePage(this.model, 'Error', 'error', text, '/'));
  }
}

export function sessionOf(res: Response): Session | undefined {
  return res.locals.session as Session | undefined;
}

export function clientOf(req: Request): string {
  return plainAddress(req.socket.remoteAddress);
}

/** Route guard: a live session whose level may do this; otherwise "log in" or "not allowed". */
export function requireLevel(ui: WebUi, req: Request, res: Response, allowed: readonly WebLevel[]): Session | undefined {
  const s = sessionOf(res);
  if (!s) {
    if (req.method === 'GET') res.redirect(303, '/login');
    else sendPage(res, 401, messagePage(ui.model, 'Session Expired', 'error', 'Your session has ended. Log in again; nothing was changed.', '/login'));
    return undefined;
  }
  if (!allowed.includes(s.level)) {
    const what = req.method === 'GET' ? 'This page is not available at your access level.' : 'Your access level may not change this. Nothing was changed.';
    sendPage(res, 403, messagePage(ui.model, 'Not Allowed', 'error', what, '/status'));
    return undefined;
  }
  return s;
}
