/**
 * The KickURL (TR-069 §3.6, A.4.2.4 Kicked): GET /kick?command=&arg=&next= from a browser the
 * ACS's web pages sent here. No login: the kick carries no setting and changes nothing on the
 * unit; the ACS decides what it means. The browser is redirected to the ACS's NextURL, or to its
 * own `next` when the kick could not be delivered.
 */
import type { Express, Request } from 'express';
import { kickArgsProblem, type KickArgs, type KickOutcome } from '../cwmp/kicks';
import { sendPage } from './http-util';
import { messagePage } from './layout';
import { clientOf, type WebUi } from './web-ui';

interface Kickable {
  kick(a: KickArgs): Promise<KickOutcome>;
}

function asKickable(s: unknown): Kickable | undefined {
  return s && typeof (s as Kickable).kick === 'function' ? (s as Kickable) : undefined;
}

function text(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (v === undefined) return '';
  return typeof v === 'string' ? v : undefined;
}

export function registerKickRoutes(app: Express, ui: WebUi): void {
  app.get('/kick', (req, res, next) => {
    const command = text(req, 'command');
    const arg = text(req, 'arg');
    const nextUrl = text(req, 'next');
    if (command === undefined || arg === undefined || nextUrl === undefined) {
      return void sendPage(res, 400, messagePage(ui.model, 'Kick', 'error', 'Kick refused: command, arg and next may each be given once.'));
    }
    const args: KickArgs = { command, arg, next: nextUrl, referer: (req.headers.referer ?? '').slice(0, 64) };
    const problem = kickArgsProblem(args);
    if (problem) return void sendPage(res, 400, messagePage(ui.model, 'Kick', 'error', `Kick refused: ${problem}.`));
    const cwmp = asKickable(ui.ctx.services.get('cwmp'));
    if (!cwmp) return void sendPage(res, 503, messagePage(ui.model, 'Kick', 'error', 'TR-069 is not running on this unit.'));
    ui.ctx.log.info({ client: clientOf(req), command }, 'kicked');
    cwmp.kick(args).then(
      (outcome) => {
        const to = outcome ?? (args.next !== '' ? args.next : undefined);
        if (to) return void res.redirect(302, to);
        sendPage(res, 502, messagePage(ui.model, 'Kick', 'error', 'The service provider could not be reached; nothing was changed.'));
      },
      (e: unknown) => {
        if (e instanceof Error) return void sendPage(res, 503, messagePage(ui.model, 'Kick', 'error', `Kick refused: ${e.message}.`));
        next(e);
      },
    );
  });
}
